"""converter.convert: float .tflite in, float16 / dynamic / int8 .tflite out."""
import numpy as np
import pytest

from conftest import image_like, run_litert, run_mote
from mote.converter import convert, passes, reference
from mote.converter.importers.tflite import import_tflite
from mote.converter.tflite import flatbuf
from mote.converter.tflite.builder import ModelBuilder
from mote.models.zoo import make_example

RNG = np.random.default_rng(7)
CALIBRATION = RNG.standard_normal((64, 8, 8, 1)).astype(np.float32)
INPUTS = RNG.standard_normal((20, 1, 8, 8, 1)).astype(np.float32)


def sqnr_db(ref, approx):
    return 10 * np.log10(np.sum(ref.astype(np.float64) ** 2) /
                         max(np.sum((ref.astype(np.float64) - approx) ** 2), 1e-30))


def test_int8_conversion_runs_bit_exact_and_close_to_float(litert_available):
    model = convert(str(make_example.OUT), quantize="int8", representative_data=CALIBRATION)
    float_model = make_example.OUT.read_bytes()
    for x in INPUTS:
        got = run_mote(model, [x])[0]
        np.testing.assert_array_equal(got, run_litert(model, [x], reference_kernels=True)[0])
        # Softmax probabilities come out in steps of 1/256; 8 bits through six
        # layers stay within a few steps of the float model.
        assert np.max(np.abs(got - run_mote(float_model, [x])[0])) <= 4 / 256


@pytest.mark.parametrize("mode, tolerance", [("float16", 1e-3), ("dynamic", 2e-2)])
def test_weight_only_modes_run_in_litert_and_mote(mode, tolerance, litert_available):
    model = convert(make_example.OUT.read_bytes(), quantize=mode)
    float_model = make_example.OUT.read_bytes()
    assert len(model) < len(float_model)
    for x in INPUTS[:5]:
        want = run_mote(float_model, [x])[0]
        assert np.max(np.abs(run_mote(model, [x])[0] - want)) <= tolerance
        assert np.max(np.abs(run_litert(model, [x])[0] - want)) <= tolerance


def test_dynamic_keeps_float_weights_where_no_hybrid_kernel_runs(litert_available):
    """CONV_2D -> TRANSPOSE_CONV (stride 2): weights-only conversion makes the
    convolution's weights int8 (a hybrid kernel) and leaves the transposed
    convolution's float (no hybrid kernel in Mote); Mote and LiteRT run the
    file, each within 2% of the float model (their hybrid kernels differ:
    docs/quantization.md section 5)."""
    rng = np.random.default_rng(5)

    def weight(name, *shape):
        return b.add_constant(name, rng.normal(0, 0.3, shape).astype(np.float32))
    b = ModelBuilder()
    x = b.add_input("x", [1, 6, 6, 3], "float32")
    c = b.add_tensor("c", [1, 6, 6, 8], "float32")
    b.add_operator("CONV_2D", [x, weight("cw", 8, 3, 3, 3), weight("cb", 8)], [c],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1})
    y = b.add_tensor("y", [1, 12, 12, 4], "float32")
    b.add_operator("TRANSPOSE_CONV", [b.add_constant("shape", np.array([1, 12, 12, 4], np.int32)),
                                      weight("tw", 4, 3, 3, 8), c, weight("tb", 4)], [y],
                   {"padding": "SAME", "stride_w": 2, "stride_h": 2}, version=3)
    b.mark_outputs(y)
    float_model = b.build()
    model = convert(float_model, quantize="dynamic")
    types = {t["name"]: t["type"] for t in flatbuf.decode(model)["subgraphs"][0]["tensors"]}
    assert types["cw/int8"] == 9 and types["tw"] == 0, types   # INT8, FLOAT32
    for x in (image_like([1, 6, 6, 3], 1, seed=1), rng.uniform(-1, 1, (1, 6, 6, 3))):
        x = x.astype(np.float32)
        want = run_mote(float_model, [x])[0]
        for got in (run_mote(model, [x])[0], run_litert(model, [x])[0]):
            assert np.max(np.abs(got - want)) <= 2e-2 * np.max(np.abs(want))

def wide_channel_model():
    """A conv whose output channels' weights differ by 1000x in magnitude: the
    case per-channel weight scales exist for."""
    rng = np.random.default_rng(3)
    w = rng.standard_normal((8, 3, 3, 4)) * np.logspace(-3, 0, 8)[:, None, None, None]
    b = ModelBuilder()
    x = b.add_input("x", [1, 6, 6, 4], "float32")
    y = b.add_tensor("y", [1, 6, 6, 8], "float32")
    b.add_operator("CONV_2D", [x, b.add_constant("w", w.astype(np.float32)),
                               b.add_constant("b", np.zeros(8, np.float32))], [y],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1})
    b.mark_outputs(y)
    return b.build()


def test_per_channel_beats_per_tensor_on_wide_channels():
    # With one scale for all channels, the small channels' weights round to
    # almost nothing; per-channel scales keep them. Visible in the outputs of
    # the weight-only (dynamic) model, where activations stay float.
    model = wide_channel_model()
    x = np.random.default_rng(4).standard_normal((1, 6, 6, 4)).astype(np.float32)
    want = run_mote(model, [x])[0]
    small = slice(0, 3)
    per_channel = run_mote(convert(model, "dynamic", per_channel=True), [x])[0]
    per_tensor = run_mote(convert(model, "dynamic", per_channel=False), [x])[0]
    sq_pc = sqnr_db(want[..., small], per_channel[..., small])
    sq_pt = sqnr_db(want[..., small], per_tensor[..., small])
    assert sq_pc > 30 and sq_pt < 10, (sq_pc, sq_pt)
    # Full int8 as well: the whole output improves.
    data = np.random.default_rng(5).standard_normal((32, 1, 6, 6, 4)).astype(np.float32)
    pc = run_mote(convert(model, "int8", data, per_channel=True), [x])[0]
    pt = run_mote(convert(model, "int8", data, per_channel=False), [x])[0]
    assert sqnr_db(want, pc) > sqnr_db(want, pt)


def test_fold_constants_keeps_outputs():
    g = import_tflite(make_example.OUT.read_bytes())
    folded = passes.fold_constants(g)
    assert len(folded.nodes) == len(g.nodes) - 1   # the float16 DEQUANTIZE is gone
    feed = {g.inputs[0]: INPUTS[0]}
    a, b = reference.run(g, feed), reference.run(folded, feed)
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=0, atol=1e-12)


def test_int8_inputs_and_outputs():
    model = convert(str(make_example.OUT), "int8", CALIBRATION, io_dtype="int8")
    from mote.runtime import Interpreter
    it = Interpreter(model_content=model)
    d_in, d_out = it.get_input_details()[0], it.get_output_details()[0]
    assert d_in["dtype"] == np.int8 and d_out["dtype"] == np.int8
    assert d_out["quantization"] == (pytest.approx(1 / 256), -128)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"quantize": "int8", "representative_data": np.zeros((0, 8, 8, 1), np.float32)},
     ValueError, "calibration data for input 'image' is empty"),
    ({"quantize": "int8", "representative_data": np.zeros((4, 7, 7), np.float32)},
     ValueError, r"has shape \[4, 7, 7\]; expected samples of shape \[1, 8, 8, 1\]"),
    ({"quantize": "int8"}, ValueError, "needs representative data"),
    ({"quantize": "int4"}, ValueError, "quantize='int4'; expected one of"),
])
def test_bad_conversion_requests(kwargs, error, message):
    with pytest.raises(error, match=message):
        convert(str(make_example.OUT), **kwargs)


def test_missing_file_and_unquantizable_op():
    with pytest.raises(FileNotFoundError, match="nope.tflite"):
        convert("/nonexistent/nope.tflite")
    with pytest.raises(ValueError, match=r"cannot be quantized to int8: SIN \(op0\), "
                                         r"COS \(op2\) \(float_fallback=True keeps"):
        convert(unquantizable_model(), "int8", np.zeros((2, 1, 4), np.float32))


def unquantizable_model():
    """Ops the converter carries but cannot quantize, out of alphabetical order."""
    b = ModelBuilder()
    t = [b.add_input("x", [1, 4], "float32")] + \
        [b.add_tensor(f"t{i}", [1, 4], "float32") for i in range(3)]
    for i, op in enumerate(["SIN", "RELU", "COS"]):
        b.add_operator(op, [t[i]], [t[i + 1]])
    b.mark_outputs(t[-1])
    return b.build()


def test_unknown_custom_op_is_refused_by_name():
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "float32")
    y = b.add_tensor("y", [1, 4], "float32")
    b.add_operator("CUSTOM", [x], [y], custom_code="Landmarks2TransformMatrix")
    b.mark_outputs(y)
    with pytest.raises(ValueError, match="op 0 \\(custom 'Landmarks2TransformMatrix'\\): the "
                                         "converter cannot import this custom op"):
        convert(b.build())


def prelu_model():
    b = ModelBuilder()
    x = b.add_input("x", [1, 6], "float32")
    h = b.add_tensor("h", [1, 6], "float32")
    b.add_operator("FULLY_CONNECTED", [x, b.add_constant("w", np.random.default_rng(0).standard_normal((6, 6)).astype(np.float32)), -1], [h])
    p = b.add_tensor("p", [1, 6], "float32")
    b.add_operator("PRELU", [h, b.add_constant("alpha", np.full(6, 0.1, np.float32))], [p])
    y = b.add_tensor("y", [1, 6], "float32")
    b.add_operator("RELU", [p], [y])
    b.mark_outputs(y)
    return b.build()


def test_float_fallback_keeps_unquantizable_ops_in_float(litert_available, monkeypatch):
    # PRELU has int8 kernels; the test takes them away to exercise the fallback
    import dataclasses
    from mote.converter import ops
    monkeypatch.setitem(ops.OPS, "PRELU", dataclasses.replace(ops.OPS["PRELU"], int8=False))
    data = np.random.default_rng(1).standard_normal((32, 1, 6)).astype(np.float32)
    model = convert(prelu_model(), "int8", data, float_fallback=True)
    from mote.converter.tflite import flatbuf
    m = flatbuf.decode(model)
    sg = m["subgraphs"][0]
    names = [m["operator_codes"][o["opcode_index"]]["builtin_code"] for o in sg["operators"]]
    # QUANTIZE, FC (int8), DEQUANTIZE, PRELU (float), QUANTIZE, RELU (int8), DEQUANTIZE
    assert names == [114, 9, 6, 54, 114, 19, 6]
    x = data[0]
    np.testing.assert_array_equal(run_mote(model, [x])[0], run_litert(model, [x], True)[0])
    want = run_mote(prelu_model(), [x])[0]
    assert np.max(np.abs(run_mote(model, [x])[0] - want)) <= 0.05 * np.max(np.abs(want))


def test_mse_calibration_clips_outliers():
    from mote.converter.quantize import activation_quantization, mse_range
    # A heavy-tailed activation: min-max spends most levels on rare extremes.
    values = np.random.default_rng(0).laplace(0, 1, 100_000)
    lo, hi = mse_range(values)
    assert hi < values.max() and lo > values.min()
    def mse(r):
        q = activation_quantization(*r)
        s, z = float(q["scale"][0]), q["zero_point"][0]
        return np.mean(((np.clip(np.round(values / s) + z, -128, 127) - z) * s - values) ** 2)
    assert mse((lo, hi)) < mse((values.min(), values.max()))
    model = convert(str(make_example.OUT), "int8", CALIBRATION, calibration="mse")
    assert run_mote(model, [INPUTS[0]])[0].shape == (1, 10)


def test_calibration_fills_the_models_batch():
    """A model with batch 2 is calibrated on whole batches of samples."""
    from mote.converter import ConversionError
    b = ModelBuilder()
    x = b.add_input("x", [2, 4], "float32")
    y = b.add_tensor("y", [2, 4], "float32")
    b.add_operator("RELU", [x], [y])
    b.mark_outputs(y)
    model = b.build()
    samples = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    assert convert(model, "int8", samples)          # one batch of two; the third is left out
    with pytest.raises(ConversionError, match="batch needs at least 2"):
        convert(model, "int8", samples[:1])


@pytest.mark.parametrize("op", ["DEPTH_TO_SPACE", "SPACE_TO_DEPTH", "SLICE", "STRIDED_SLICE",
                                "TRANSPOSE_CONV", "Convolution2DTransposeBias", "PRELU",
                                "LEAKY_RELU", "SQUEEZE", "EXPAND_DIMS", "SPLIT", "SPLIT_V",
                                "UNPACK", "PACK", "GATHER", "DENSIFY", "BATCH_MATMUL"])
def test_float_one_op_models_convert_to_int8_bit_exact(op, litert_available):
    """The converter's whole int8 path (import, calibration, quantization
    rules, writer) for each op a third-party model brought, empty slices
    included: bit-exact with LiteRT's reference kernels."""
    from op_cases import float_cases
    for name, model, inputs in float_cases(op, 12, seed=3):
        calibration = [np.stack([x, x * 0.5]) for x in inputs]
        q = convert(model, "int8", calibration[0] if len(inputs) == 1 else calibration)
        for k, (g, w) in enumerate(zip(run_mote(q, inputs), run_litert(q, inputs, True))):
            assert np.array_equal(g, w), f"{name} output {k}"


def test_non_finite_weights_are_refused_by_name():
    """A NaN or inf in a weight has no int8 value: named, not a numpy warning and garbage
    (full-integer conversion stops earlier, at calibration, on the NaN activations)."""
    w = np.random.default_rng(0).standard_normal((6, 6)).astype(np.float32)
    w[2, 3], w[4, 1] = np.nan, np.inf
    b = ModelBuilder()
    x = b.add_input("x", [1, 6], "float32")
    y = b.add_tensor("y", [1, 6], "float32")
    b.add_operator("FULLY_CONNECTED", [x, b.add_constant("w", w), -1], [y])
    b.mark_outputs(y)
    with pytest.raises(ValueError, match=r"\(FULLY_CONNECTED\): weight 'w' holds 2 NaN or "
                                         r"infinite value\(s\); int8 weights need finite values"):
        convert(b.build(), "dynamic")
    with pytest.raises(ValueError, match=r"tensor 'y' takes values in \[nan, nan\]"):
        convert(b.build(), "int8", np.ones((2, 1, 6), np.float32))


def fixed_output_model(second: str, after: str = "") -> bytes:
    """x [1, 8] -> FULLY_CONNECTED -> SOFTMAX (int8 output fixed at 1/256,
    -128 by TFLite), CONCATENATED with `second` ("SOFTMAX": another softmax;
    "FC": a plain layer of range about +-3), then `after` ("" or "RESHAPE",
    an op that moves the values and must keep their quantization)."""
    rng = np.random.default_rng(5)
    b = ModelBuilder()
    x = b.add_input("x", [1, 8], "float32")

    def fc(name):
        w = (rng.standard_normal((4, 8)) * 0.8).astype(np.float32)
        y = b.add_tensor(name, [1, 4], "float32")
        b.add_operator("FULLY_CONNECTED", [x, b.add_constant(name + "/w", w),
                                           b.add_constant(name + "/b", np.zeros(4, np.float32))],
                       [y])
        return y

    def softmax(name):
        y = b.add_tensor(name, [1, 4], "float32")
        b.add_operator("SOFTMAX", [fc(name + "/fc")], [y], {"beta": 1.0})
        return y
    joined = b.add_tensor("joined", [1, 8], "float32")
    b.add_operator("CONCATENATION", [softmax("p"), softmax("q") if second == "SOFTMAX"
                                     else fc("plain")], [joined], {"axis": 1})
    out = joined
    if after == "RESHAPE":
        out = b.add_tensor("out", [1, 2, 4], "float32")
        b.add_operator("RESHAPE", [joined, b.add_constant("shape", np.array([1, 2, 4], np.int32))],
                       [out], {"new_shape": [1, 2, 4]})
    b.mark_outputs(out)
    return b.build()


@pytest.mark.parametrize("second, after", [("SOFTMAX", ""), ("SOFTMAX", "RESHAPE"),
                                           ("FC", ""), ("FC", "RESHAPE")])
def test_fixed_output_quantization_meets_shared_quantization(second, after, litert_available):
    """An output whose int8 quantization TFLite fixes (SOFTMAX: 1/256, -128)
    feeding ops that need one quantization on all their tensors: two such
    outputs concatenate as they are (the CONCATENATION and the RESHAPE after
    it take 1/256, -128); with a plain layer, the softmax is requantized to
    the CONCATENATION's quantization, which covers both. LiteRT's reference
    kernels run the file (they refused it before) and Mote equals them; the
    values stay within a few steps of the float model."""
    from mote.runtime import Interpreter
    fm = fixed_output_model(second, after)
    rng = np.random.default_rng(6)
    calibration = (rng.standard_normal((32, 1, 8)) * 2).astype(np.float32)
    q = convert(fm, "int8", calibration, io_dtype="int8")
    quant = {d["name"]: d["quantization"] for d in Interpreter(model_content=q).get_tensor_details()}
    out = "out" if after else "joined"
    if second == "SOFTMAX":
        assert quant["joined"] == quant[out] == quant["p"] == quant["q"] == (1 / 256, -128), quant
        assert not any(name.endswith("/requantized") for name in quant), quant
    else:
        assert quant["p"] == (1 / 256, -128) and quant["p/requantized"] == quant["joined"], quant
        assert quant["joined"] == quant[out] != quant["p"], quant
    xs = [np.round(x / 0.05).clip(-128, 127).astype(np.int8)   # int8 input, scale ~0.05
          for x in (rng.standard_normal((6, 1, 8)) * 2)]
    x_scale, x_zero = quant["x"]
    for k, x in enumerate(xs):
        got = run_mote(q, [x])[0]
        np.testing.assert_array_equal(got, run_litert(q, [x], reference_kernels=True)[0],
                                      err_msg=f"sample {k}")
        scale, zero = quant[out]
        want = run_litert(fm, [((x.astype(np.float32) - x_zero) * x_scale)])[0]
        # probabilities after an int8 layer: within 0.02 (measured up to 0.018), or a step
        err = np.max(np.abs((got.astype(np.float32) - zero) * scale - want))
        assert err <= max(0.02, scale), (k, err, scale)
