"""Quantization-aware training (models/qat.py): the fake-quant gradient
against finite differences, freezing against the unfrozen model, and the
exported int8 file, run by LiteRT's reference kernels, against the QAT
model's simulated predictions on the digits test split."""
import pathlib

import numpy as np
import pytest

from mote.models import datasets, qat, saving, training
from mote.models.backend import to_numpy, xp

ZOO = pathlib.Path(__file__).resolve().parent.parent / "models" / "zoo"


def test_fake_quant_gradient_is_straight_through_inside_the_range_and_zero_outside():
    """Central differences over a step of 20 quantization steps (the staircase
    averages to its slope: 1 inside [lo, hi], 0 beyond it, error <= scale / h)
    against the backward, at points at least one step from the range's ends."""
    rng = qat.Range(-1.0, 2.0, momentum=1.0)
    layer = qat.FakeQuant(rng)
    scale, zp = rng.quantization()
    scale = float(scale)
    lo_q, hi_q = scale * (-128 - zp), scale * (127 - zp)   # what int8 represents
    h = 20 * scale
    x = np.concatenate([np.linspace(lo_q + h + scale, hi_q - h - scale, 41),    # inside
                        np.linspace(hi_q + h + scale, hi_q + 3, 7),             # above
                        np.linspace(lo_q - 3, lo_q - h - scale, 7)])            # below
    inside = (x > lo_q) & (x < hi_q)
    assert inside.sum() == 41 and (~inside).sum() == 14

    def f(v):
        return to_numpy(layer.forward([xp.asarray(v, dtype=xp.float64)], False)[0])

    fd = (f(x + h) - f(x - h)) / (2 * h)
    _, cache = layer.forward([xp.asarray(x, dtype=xp.float64)], False)
    grad = to_numpy(layer.backward(cache, xp.ones(len(x)))[0][0])
    np.testing.assert_array_equal(grad, inside.astype(float))
    assert np.max(np.abs(fd - grad)) <= scale / h + 1e-9, (fd, grad)


def test_fake_quant_rounds_like_litert_quantize(litert_available):
    """Image pixels k/255 and k/127.5 - 1 through the fake-quant equal
    LiteRT's QUANTIZE + DEQUANTIZE (reference kernels) of a file the
    converter writes with the same range, ties included."""
    from conftest import run_litert
    from mote.converter import ir
    from mote.converter.quantize import activation_quantization
    from mote.converter.tflite.writer import write_tflite
    k = np.arange(256, dtype=np.float64)
    for x, (lo, hi) in ((k / 255, (0.0, 0.73)), (k / 127.5 - 1, (-0.6, 1.0))):
        x = x.astype(np.float32)
        g = ir.Graph(inputs=["x"], outputs=["y"])
        g.add_tensor(ir.Tensor("x", (1, 256), "float32"))
        g.add_tensor(ir.Tensor("q", (1, 256), "int8", None, activation_quantization(lo, hi)))
        g.add_tensor(ir.Tensor("y", (1, 256), "float32"))
        g.nodes = [ir.Node("QUANTIZE", ["x"], ["q"], {}, "quantize"),
                   ir.Node("DEQUANTIZE", ["q"], ["y"], {}, "dequantize")]
        want = run_litert(write_tflite(g), [x[None]], reference_kernels=True)[0][0]
        got = to_numpy(qat.FakeQuant(qat.Range(lo, hi)).forward([xp.asarray(x)], False)[0])
        np.testing.assert_array_equal(got, want)


def test_fake_quant_rounds_twice_where_the_op_rescales_with_a_shift():
    """By hand: 2 + 511/1024 quanta is 1279.5 / 2^9. Rescaled with a right
    shift of 9, the doubling high multiply rounds that half up to 1280 / 2^9
    = 2.5, and the rounding shift takes 2.5 away from zero to 3; one rounding
    gives 2. Negative: -(2 + 511/1024) -> -1279.5 / 2^9 -> -1279 / 2^9 -> -2."""
    scale = 0.25
    x = xp.asarray(np.array([2 + 511 / 1024, -(2 + 511 / 1024)]) * scale)
    twice = to_numpy(qat.fake_quant(x, scale, 0, 9)[0]) / scale
    once = to_numpy(qat.fake_quant(x, scale, 0)[0]) / scale
    np.testing.assert_array_equal(twice, [3, -2])
    np.testing.assert_array_equal(once, [2, -2])


def test_quantized_weights_pass_their_gradient_straight_through():
    """A Dense layer under QuantWeights: its kernel and bias gradients are
    those of a float Dense holding the quantized values (finite differences
    in float64 on that float layer)."""
    from mote.models import layers as L
    gen = np.random.default_rng(0)
    dense = L.Dense(3)
    dense.build([(5,)], gen)
    dense.params = {k: xp.asarray(v, dtype=xp.float64) for k, v in dense.params.items()}
    dense.params["bias"] = xp.asarray(gen.normal(0, 0.1, 3))
    wrapped = qat.QuantWeights(dense, 0, qat.Range(-2.0, 2.0))
    x = gen.standard_normal((4, 5))
    g = gen.standard_normal((4, 3))
    values = {k: to_numpy(v) for k, v in wrapped._quantized().items()}
    assert not np.allclose(values["kernel"], to_numpy(dense.params["kernel"]), atol=1e-6)
    out, cache = wrapped.forward([xp.asarray(x)], True)
    _, grads = wrapped.backward(cache, xp.asarray(g))

    def loss(w, b):
        return float(((x @ w.T + b) * g).sum())
    eps = 1e-6
    for name in ("kernel", "bias"):
        v = values[name]
        for idx in np.ndindex(v.shape):
            hi, lo = dict(values), dict(values)
            hi[name], lo[name] = v.copy(), v.copy()
            hi[name][idx] += eps
            lo[name][idx] -= eps
            fd = (loss(hi["kernel"], hi["bias"]) - loss(lo["kernel"], lo["bias"])) / (2 * eps)
            assert abs(fd - float(to_numpy(grads[name])[idx])) < 1e-6, (name, idx)
    np.testing.assert_allclose(to_numpy(out), x @ values["kernel"].T + values["bias"], atol=1e-12)


def test_freeze_folds_batch_norm_and_keeps_outputs():
    """mobilenet_style frozen (batch norms folded, Dropout dropped) against the
    model as trained, in inference: the same outputs (float32 rounding)."""
    model = saving.load(ZOO / "mobilenet_style.npz")
    frozen = qat.freeze(model)
    assert not any(l.op in ("BatchNormalization", "Dropout") for l in frozen.layers)
    x = datasets.digits()[1][0][:64]
    want, got = model.predict(x), frozen.predict(x)
    assert np.max(np.abs(got - want)) <= 1e-4 * max(1.0, np.max(np.abs(want)))


def litert_logits(model: bytes, x):
    from ai_edge_litert import interpreter as litert
    it = litert.Interpreter(model_content=model,
                            experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    got = []
    for sample in x:
        it.reset_all_variables()   # the LSTM's state: each sample from zero
        it.set_tensor(inp["index"], sample[None])
        it.invoke()
        got.append(it.get_tensor(out["index"])[0].copy())
    return np.array(got)


@pytest.mark.parametrize("name", ["lstm", "mobilenet_style", "small_cnn"])
def test_exported_int8_equals_the_simulated_model(name, litert_available):
    """Fine-tuned for one epoch, exported: on the 359 test digits the int8
    file's predictions (LiteRT's reference kernels) equal the QAT model's
    simulated ones for >= 99% of samples, accuracy within 0.2 points, and
    >= 99% of the logits are the same int8 value."""
    (x_train, y_train), (x_test, y_test) = datasets.digits()
    q = qat.QAT(saving.load(ZOO / f"{name}.npz"), x_train[:200])
    training.fit(q.model, (x_train, y_train), epochs=1, optimizer=training.Adam(1e-4),
                 progress=False)
    simulated_logits = q.model.predict(x_test)
    int8_logits = litert_logits(q.export(), x_test)
    same = float(np.mean(np.isclose(simulated_logits, int8_logits, rtol=1e-5, atol=1e-6)))
    assert same >= 0.99, f"{name}: {same:.2%} of the logits are equal"
    simulated, int8 = simulated_logits.argmax(-1), int8_logits.argmax(-1)
    agree = float(np.mean(simulated == int8))
    acc_sim, acc_int8 = float(np.mean(simulated == y_test)), float(np.mean(int8 == y_test))
    assert agree >= 0.99, f"{name}: int8 file and simulation agree on {agree:.2%} of samples"
    assert abs(acc_sim - acc_int8) <= 0.002 + 1e-9, (name, acc_sim, acc_int8)


def test_unsimulated_int8_ops_are_refused():
    """A model whose converted graph has an int8 op the fake-quant does not
    reproduce (CONCATENATION's shared requantization) is refused by name."""
    from mote.models import layers as L
    from mote.models.graph import Input, Model
    x = Input((4,), name="x")
    y = L.Concatenate()(L.Dense(3)(x), L.Dense(2)(x))
    with pytest.raises(ValueError, match="CONCATENATION"):
        qat.QAT(Model(x, y), np.zeros((4, 4), np.float32))


def test_export_ranges_must_cover_every_tensor():
    """The converter's given-ranges hook names a tensor it has no range for."""
    from mote.converter.errors import ConversionError
    from mote.converter.quantize import quantize_int8
    q = qat.QAT(saving.load(ZOO / "small_cnn.npz"), datasets.digits()[0][0][:50])
    ranges = q.activation_ranges()
    missing = sorted(ranges)[0]
    del ranges[missing]
    with pytest.raises(ConversionError, match=f"miss tensor.*{missing}"):
        quantize_int8(qat.converter_graph(q.plain), None, ranges=ranges)
