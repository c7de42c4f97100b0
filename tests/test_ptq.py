"""Post-training quantization: the activation range methods (converter/
ranges.py) and "auto", bias correction, cross-layer equalization
(passes.equalize_layers) and the accuracy budget (mote/budget.py).

Expected values come from numpy float64 computed here (the int8 grid is
Contract 2's: scale (hi - lo) / 255, zero point round(-128 - lo / scale)),
and from LiteRT running the files the converter writes."""
import numpy as np
import pytest

from conftest import ZOO_MODELS, run_litert
from mote.cli import main
from mote.converter import convert, passes, quantize, ranges, reference
from mote.converter.convert import load
from mote.converter.tflite import flatbuf
from mote.converter.tflite.builder import ModelBuilder
from mote.models import datasets

MOBILENET = next(p for p in ZOO_MODELS if p.stem == "mobilenet_style")


def litert_accuracy(model: bytes, x, y, reference_kernels: bool) -> float:
    """Top-1 accuracy of `model` on samples x (one at a time) under LiteRT."""
    from ai_edge_litert import interpreter as litert
    kwargs = {"experimental_op_resolver_type": litert.OpResolverType.BUILTIN_REF} \
        if reference_kernels else {}
    it = litert.Interpreter(model_content=model, **kwargs)
    it.allocate_tensors()
    d_in, d_out = it.get_input_details()[0], it.get_output_details()[0]
    hits = 0
    for s, label in zip(x, y):
        it.set_tensor(d_in["index"], s[None].astype(np.float32))
        it.invoke()
        hits += int(it.get_tensor(d_out["index"]).argmax() == label)
    return hits / len(y)


def int8_mse(values: np.ndarray, lo: float, hi: float) -> float:
    """Mean squared error of int8 fake quantization over [lo, hi], float64."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255
    zp = np.clip(np.round(-128 - lo / scale), -128, 127)
    deq = (np.clip(np.round(values / scale) + zp, -128, 127) - zp) * scale
    return float(np.mean((deq - values) ** 2))


# -- range methods on distributions whose answer is known -----------------------------------

def test_minmax_and_percentile_are_the_samples_own():
    v = np.random.default_rng(0).uniform(-2.0, 3.0, 10_000)
    assert ranges.minmax_range(v) == (v.min(), v.max())
    assert ranges.percentile_range(v) == pytest.approx(
        (np.percentile(v, 0.01), np.percentile(v, 99.99)), rel=0, abs=1e-12)


def test_mse_clip_of_a_laplace_sample_is_the_float64_optimum():
    """Laplace(0, 1): the MSE-optimal symmetric 8-bit clip is near 10 (Banner
    et al. give 9.89 b for 256 levels); here it is searched on a fine grid of
    clips in float64 and mse_range, which tries 40 clips, must land within
    one of its own grid steps and within 1% of the least error."""
    v = np.random.default_rng(1).laplace(0.0, 1.0, 100_000)
    top = max(-v.min(), v.max())
    clips = np.linspace(0.05, 1.0, 600) * top
    errors = [int8_mse(v, max(v.min(), -c), min(v.max(), c)) for c in clips]
    best_c, best_err = clips[int(np.argmin(errors))], min(errors)
    assert 8.5 < best_c < 11.5
    lo, hi = ranges.mse_range(v)
    assert abs(max(-lo, hi) - best_c) <= 0.95 / 39 * top
    assert int8_mse(v, lo, hi) <= 1.01 * best_err
    assert int8_mse(v, lo, hi) < int8_mse(v, v.min(), v.max())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mse_histogram_picks_the_best_of_its_clips_on_one_sided_values(seed):
    """ReLU-like values (an exponential bulk, a few far outliers, float32):
    mse_range sums each clip's error over a histogram; the clip it returns
    must be within 1% of the least exact float64 error among the same 40
    clips [0, min(hi, c)], c from max down to 5% of it."""
    rng = np.random.default_rng(seed)
    v = np.concatenate([rng.exponential(1.0, 60_000), rng.uniform(20, 60, 12)]).astype(np.float32)
    v64 = v.astype(np.float64)
    clips = np.linspace(1.0, 0.05, 40) * v64.max()
    exact = [int8_mse(v64, 0.0, min(v64.max(), c)) for c in clips]
    lo, hi = ranges.mse_range(v)
    assert lo == 0.0
    assert int8_mse(v64, lo, hi) <= 1.01 * min(exact), (hi, clips[int(np.argmin(exact))])


def test_uniform_values_are_not_clipped():
    """On a uniform sample clipping only adds error: mse and kl keep [min, max]."""
    v = np.random.default_rng(2).uniform(-1.0, 1.0, 100_000)
    for method in ("mse", "kl"):
        lo, hi = ranges.RANGE_METHODS[method](v)
        assert (lo, hi) == pytest.approx((v.min(), v.max()), abs=1e-12), method


def test_kl_clips_rare_outliers():
    """A Laplace sample with five values at +-200: minmax spends the 255
    steps on them (one step ~1.6); the entropy range leaves them out, and so
    rounds the bulk of the values (all but those five) more finely."""
    v = np.concatenate([np.random.default_rng(3).laplace(0.0, 1.0, 100_000),
                        [200.0, -200.0, 200.0, -200.0, 200.0]])
    lo, hi = ranges.kl_range(v)
    assert -50 < lo < -5 and 5 < hi < 50
    bulk = v[:-5]
    assert int8_mse(bulk, lo, hi) < int8_mse(bulk, v.min(), v.max()) / 10


def test_unknown_method_is_named():
    g = passes.optimize(load(str(MOBILENET)))
    with pytest.raises(ValueError, match=r"calibration method 'entropy' is not one of 'minmax', "
                                         r"'percentile', 'mse', 'kl', 'auto'"):
        quantize.calibrate(g, np.zeros((2, 8, 8, 1), np.float32), "entropy")


# -- auto -------------------------------------------------------------------------------------

def sqnr_db(f, q):
    f, q = np.asarray(f, np.float64), np.asarray(q, np.float64)
    return 10 * np.log10(np.sum(f ** 2) / np.sum((f - q) ** 2))


def test_auto_keeps_the_best_model_it_tried(litert_available):
    """"auto" tries each of its methods (quantize.AUTO_METHODS) for the whole
    model, bias correction on, then the best of them with it off, and keeps
    the int8 model nearest the float one on its check samples; LiteRT,
    running each model it tried, must agree that none of them is better."""
    from mote.converter.tflite.writer import write_tflite
    (x, _), _ = datasets.digits()
    cal = x[:64]
    check = cal[:quantize.AUTO_CHECK_SAMPLES]
    float_model = convert(str(MOBILENET))
    want = np.concatenate([run_litert(float_model, [s[None]])[0] for s in check])

    def litert_sqnr(g):
        model = write_tflite(g)
        return sqnr_db(want, np.concatenate([run_litert(model, [s[None]], True)[0] for s in check]))
    g = passes.equalize_layers(passes.optimize(load(str(MOBILENET))))
    stats = quantize.calibration_statistics(g, cal, "auto", means=True)
    assert set(stats.candidates) == set(quantize.AUTO_METHODS)
    got = litert_sqnr(quantize.quantize_int8(g, None, statistics=stats, bias_correction=None))
    tried = set(stats.scores)
    assert tried == {(m, True) for m in quantize.AUTO_METHODS} | {(stats.chosen, False)}, tried
    assert set(stats.choices.values()) == {stats.chosen}
    for method, corrected in tried:
        other = quantize.calibration_statistics(g, cal, method, means=True)
        assert other.ranges == stats.candidates[method]
        other = litert_sqnr(quantize.quantize_int8(g, None, statistics=other,
                                                   bias_correction=corrected))
        assert got >= other - 1e-6, (method, corrected, stats.chosen, stats.bias_correction)


def test_auto_is_the_int8_default_and_minmax_16x8s(litert_available):
    """convert() without a calibration method: "auto" for int8 (the same file
    as asking for it), minmax for int16x8 (whose int16 steps need no clipping)."""
    (x, _), _ = datasets.digits()
    cal = x[:16]
    for mode, method in (("int8", "auto"), ("int16x8", "minmax")):
        assert convert(str(MOBILENET), mode, cal) == \
            convert(str(MOBILENET), mode, cal, calibration=method), mode
    assert convert(str(MOBILENET), "int8", cal) != \
        convert(str(MOBILENET), "int8", cal, calibration="minmax")


# -- bias correction --------------------------------------------------------------------------

def fc_model(w: np.ndarray, b: np.ndarray) -> bytes:
    m = ModelBuilder()
    x = m.add_input("x", [1, w.shape[1]], "float32")
    wt = m.add_constant("w", w.astype(np.float32))
    bt = m.add_constant("b", b.astype(np.float32))
    y = m.add_tensor("y", [1, w.shape[0]], "float32")
    m.add_operator("FULLY_CONNECTED", [x, wt, bt], [y])
    m.mark_outputs(y)
    return m.build()


def int32_bias(model: bytes) -> np.ndarray:
    """The int32 bias of the file, dequantized (value * scale), float64."""
    m = flatbuf.decode(model)
    for t in m["subgraphs"][0]["tensors"]:
        if t["type"] == 2 and t.get("quantization") and t["buffer"] and \
                m["buffers"][t["buffer"]].get("data") is not None:
            v = np.frombuffer(bytes(bytearray(m["buffers"][t["buffer"]]["data"])), np.int32)
            return v * np.asarray(t["quantization"]["scale"], np.float64), \
                np.asarray(t["quantization"]["scale"], np.float64)
    raise AssertionError("no int32 bias in the file")


def test_bias_correction_removes_the_weight_rounding_shift(litert_available):
    """Per-tensor weights [[1, 0.004], [0.5, -0.004]]: the scale is 1/127, so
    0.004 rounds to 1/127 (+0.003874) and 0.5 to 64/127. With input 1 near
    10 on average, output channel o is shifted by sum_j (W_q - W)[o, j] E[x_j];
    the corrected bias is b minus that shift, and the int8 model's mean output
    moves onto the float one's."""
    w = np.array([[1.0, 0.004], [0.5, -0.004]])
    b = np.array([0.25, -0.5])
    rng = np.random.default_rng(4)
    x = np.stack([rng.uniform(0, 1, 256), 10 + rng.uniform(-1, 1, 256)], axis=1)[:, None, :]
    x = x.astype(np.float32)
    delta = np.round(w * 127) / 127 - w
    shift = delta @ x.reshape(-1, 2).astype(np.float64).mean(axis=0)
    model = fc_model(w, b)
    plain = convert(model, "int8", x, per_channel=False, bias_correction=False)
    corrected = convert(model, "int8", x, per_channel=False, bias_correction=True)
    got, scale = int32_bias(corrected)
    np.testing.assert_allclose(got, b - shift, rtol=0, atol=0.51 * scale.max())
    np.testing.assert_allclose(int32_bias(plain)[0], b, rtol=0, atol=0.51 * scale.max())
    want = x.reshape(-1, 2).astype(np.float64) @ w.T + b

    def mean_error(q):
        y = np.concatenate([run_litert(q, [s], True)[0] for s in x]).astype(np.float64)
        return np.abs((y - want).mean(axis=0))
    assert np.all(mean_error(corrected) < mean_error(plain))



def test_bias_correction_carries_into_16x8_layers():
    """The model of the test above in 16x8: its int64 bias (scale s_in16 s_w,
    about 2^8 times finer than the int32 one) is b minus the hand-computed
    shift to within half its own step, not b (16x8 dropped the correction)."""
    w = np.array([[1.0, 0.004], [0.5, -0.004]])
    b = np.array([0.25, -0.5])
    rng = np.random.default_rng(4)
    x = np.stack([rng.uniform(0, 1, 256), 10 + rng.uniform(-1, 1, 256)], axis=1)[:, None, :]
    x = x.astype(np.float32)
    shift = (np.round(w * 127) / 127 - w) @ x.reshape(-1, 2).astype(np.float64).mean(axis=0)
    model = convert(fc_model(w, b), "int16x8", x, per_channel=False, bias_correction=True)
    m = flatbuf.decode(model)
    biases = [t for t in m["subgraphs"][0]["tensors"] if t["type"] == 4 and t["buffer"] and
              m["buffers"][t["buffer"]].get("data") is not None]   # int64
    assert len(biases) == 1
    got = np.frombuffer(bytes(bytearray(m["buffers"][biases[0]["buffer"]]["data"])), np.int64)
    scale = np.asarray(biases[0]["quantization"]["scale"], np.float64)
    assert np.all(np.abs(shift) > 100 * scale)   # the correction is far above the step
    np.testing.assert_allclose(got * scale, b - shift, rtol=0, atol=0.51 * scale.max())

def test_bias_correction_shift_of_strided_and_dilated_windows():
    """The mean output shift of int8 weights in a CONV_2D (stride 2, SAME,
    odd padding) and a DEPTHWISE_CONV_2D (multiplier 2, dilation 2, VALID):
    against explicit loops in float64 over every output position of the
    layer with weight W_q - W applied to the zero-padded mean input."""
    rng = np.random.default_rng(8)
    m = ModelBuilder()
    x = m.add_input("x", [1, 7, 6, 3], "float32")
    cw = rng.normal(0, 1, (4, 3, 3, 3)).astype(np.float32).astype(np.float64)
    y1 = m.add_tensor("c", [1, 4, 3, 4], "float32")
    m.add_operator("CONV_2D", [x, m.add_constant("cw", cw.astype(np.float32)),
                               m.add_constant("cb", np.zeros(4, np.float32))], [y1],
                   {"padding": "SAME", "stride_h": 2, "stride_w": 2})
    dw = rng.normal(0, 1, (1, 2, 2, 8)).astype(np.float32).astype(np.float64)
    y2 = m.add_tensor("d", [1, 2, 1, 8], "float32")
    m.add_operator("DEPTHWISE_CONV_2D", [y1, m.add_constant("dw", dw.astype(np.float32)),
                                         m.add_constant("db", np.zeros(8, np.float32))], [y2],
                   {"padding": "VALID", "stride_h": 1, "stride_w": 1, "depth_multiplier": 2,
                    "dilation_h_factor": 2, "dilation_w_factor": 2})
    m.mark_outputs(y2)
    g = passes.optimize(load(m.build()))
    means = {"x": rng.uniform(-1, 1, (1, 7, 6, 3)), "c": rng.uniform(0, 2, (1, 4, 3, 4))}
    # SAME for 7 x 6 at stride 2 with 3 x 3: (4 - 1) * 2 + 3 - 7 = 2 rows of padding, one
    # before and one after; (3 - 1) * 2 + 3 - 6 = 1 column, after (TFLite's rule)
    for n, w, stride, dilation, pads in ((g.nodes[0], cw, 2, 1, ((1, 1), (0, 1), (0, 0))),
                                         (g.nodes[1], dw, 1, 2, ((0, 0), (0, 0), (0, 0)))):
        qw, wq = quantize.weight_quantization(w, 0 if n.op == "CONV_2D" else 3)
        scale = np.asarray(wq["scale"], np.float64)
        delta = qw * (scale.reshape(-1, 1, 1, 1) if n.op == "CONV_2D" else scale) - w
        xm = means[n.inputs[0]][0]
        out_h, out_w = g.tensors[n.outputs[0]].shape[1:3]
        kh, kw = w.shape[1:3]
        xp = np.pad(xm, pads)
        want = np.zeros(w.shape[0] if n.op == "CONV_2D" else w.shape[3])
        for i in range(out_h):
            for j in range(out_w):
                for a in range(kh):
                    for b in range(kw):
                        v = xp[i * stride + a * dilation, j * stride + b * dilation]
                        if n.op == "CONV_2D":
                            want += delta[:, a, b, :] @ v
                        else:
                            want += delta[0, a, b, :] * np.repeat(v, 2)
        want /= out_h * out_w
        got = quantize._weight_error_shift(g, n, qw, wq, means)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15, err_msg=n.op)


# -- cross-layer equalization -----------------------------------------------------------------

def chain_model() -> bytes:
    """conv (RELU) -> depthwise (none) -> conv (RELU6) -> depthwise, channel
    ranges spread over four decades: equalizable pairs conv/depthwise (RELU)
    and depthwise/conv (no activation); conv/depthwise through RELU6 is not."""
    rng = np.random.default_rng(5)
    m = ModelBuilder()
    x = m.add_input("x", [1, 8, 8, 3], "float32")
    shapes = [("c1", "CONV_2D", [4, 3, 3, 3], "RELU"), ("d2", "DEPTHWISE_CONV_2D", [1, 3, 3, 4], "NONE"),
              ("c3", "CONV_2D", [5, 1, 1, 4], "RELU6"), ("d4", "DEPTHWISE_CONV_2D", [1, 3, 3, 5], "NONE")]
    t = x
    for name, op, shape, act in shapes:
        w = rng.normal(0, 1, shape)
        if name == "c1":
            w *= np.array([0.01, 1.0, 10.0, 100.0]).reshape(4, 1, 1, 1)
        out_c = shape[0] if op == "CONV_2D" else shape[3]
        wt = m.add_constant(name + "/w", w.astype(np.float32))
        bt = m.add_constant(name + "/b", rng.normal(0, 0.1, out_c).astype(np.float32))
        y = m.add_tensor(name, [1, 8, 8, out_c], "float32")
        options = {"padding": "SAME", "stride_h": 1, "stride_w": 1, "fused_activation_function": act}
        if op == "DEPTHWISE_CONV_2D":
            options["depth_multiplier"] = 1
        m.add_operator(op, [t, wt, bt], [y], options)
        t = y
    m.mark_outputs(t)
    return m.build()


def weights(g) -> dict:
    return {n.outputs[0]: np.asarray(g.tensors[n.inputs[1]].data, np.float64) for n in g.nodes}


def test_equalization_keeps_the_float_model_and_equalizes_ranges():
    g = passes.optimize(load(chain_model()))
    e = passes.equalize_layers(g)
    x = np.random.default_rng(6).uniform(-1, 1, (1, 8, 8, 3))
    want = reference.run(g, {"x": x}, dtype=np.float64)["d4"]
    got = reference.run(e, {"x": x}, dtype=np.float64)["d4"]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * np.abs(want).max())
    before, after = weights(g), weights(e)
    # conv c1 (output channel axis 0) against depthwise d2 (channel axis 3)
    r1 = np.abs(after["c1"]).reshape(4, -1).max(axis=1)
    r2 = np.abs(after["d2"]).reshape(-1, 4).max(axis=0)
    np.testing.assert_allclose(r1, r2, rtol=1e-2)
    # depthwise d2 against conv c3's input channels (axis 3)
    r3 = np.abs(after["c3"]).transpose(3, 0, 1, 2).reshape(4, -1).max(axis=1)
    np.testing.assert_allclose(r2, r3, rtol=1e-2)
    spread = lambda r: r.max() / r.min()
    assert spread(r1) < spread(np.abs(before["c1"]).reshape(4, -1).max(axis=1)) / 10
    # RELU6 between c3 and d4: rescaling would move the clip at 6; d4 is untouched
    np.testing.assert_array_equal(after["d4"], before["d4"])


def test_equalized_model_converts_and_matches_litert(litert_available):
    """The equalized int8 file runs bit-exact on Mote and LiteRT's reference
    kernels and is closer to the float model than the plain one on this
    chain, whose first layer's channel ranges span four decades."""
    from conftest import run_mote
    model = chain_model()
    rng = np.random.default_rng(7)
    cal = rng.uniform(-1, 1, (32, 1, 8, 8, 3)).astype(np.float32)
    test = rng.uniform(-1, 1, (8, 1, 8, 8, 3)).astype(np.float32)
    want = np.concatenate([run_litert(model, [s])[0] for s in test])
    sq = {}
    for equalize in (False, True):
        q = convert(model, "int8", cal, per_channel=False, equalize=equalize, bias_correction=False,
                    calibration="minmax")
        got = [run_litert(q, [s], True)[0] for s in test]
        for s, y in zip(test, got):
            np.testing.assert_array_equal(run_mote(q, [s])[0], y)
        sq[equalize] = sqnr_db(want, np.concatenate(got))
    assert sq[True] > sq[False] + 3, sq


# -- accuracy budget --------------------------------------------------------------------------

def test_min_sqnr_budget_is_met_with_the_layers_it_names(litert_available):
    """Asked for 40 dB on mobilenet_style (all-int8 reaches about 34), the
    budget keeps some layers in float; LiteRT, running the float model and the
    returned file, measures at least 40 dB on every output."""
    from mote.budget import quantize_within_budget
    (x_train, _), (x_test, _) = datasets.digits()
    ev = x_test[:120]
    r = quantize_within_budget(str(MOBILENET), x_train[:100], ev, min_sqnr=40.0)
    assert r.int8_value < 40 <= r.value and r.met and 0 < len(r.float_layers) < len(r.sensitivity)
    float_model = convert(str(MOBILENET))
    want = np.concatenate([run_litert(float_model, [s[None]])[0] for s in ev])
    got = np.concatenate([run_litert(r.model, [s[None]], True)[0] for s in ev])
    assert sqnr_db(want, got) >= 40 - 0.01
    ops_in_file = flatbuf.decode(r.model)["subgraphs"][0]["tensors"]
    float_names = {t["name"] for t in ops_in_file if t["type"] == 0}
    # a float layer writes "<name>/float" (QUANTIZE makes "<name>" of it), or "<name>" itself
    assert all({name, name + "/float"} & float_names for name, _ in r.float_layers)
    assert "kept" in str(r) and "bytes" in str(r)


def test_min_sqnr_budget_measures_sqnr_even_given_labels():
    """Labels given with an SQNR bound (as `--eval digits` does) do not turn
    the measure into accuracy: all-int8 mobilenet_style (about 34 dB) meets
    20 dB with no layer kept in float."""
    from mote.budget import quantize_within_budget
    (x_train, _), (x_test, y_test) = datasets.digits()
    r = quantize_within_budget(str(MOBILENET), x_train[:100], x_test[:60], y_test[:60],
                               min_sqnr=20.0)
    assert 20 < r.int8_value == r.value < 80 and r.met and not r.float_layers


def test_max_drop_budget_on_digits(litert_available):
    """Per-tensor weights, no accuracy drop allowed: LiteRT's accuracy of the
    returned file on the labelled test images is at least the float model's."""
    from mote.budget import quantize_within_budget
    (x_train, _), (x_test, y_test) = datasets.digits()
    r = quantize_within_budget(str(MOBILENET), x_train[:100], x_test, y_test, max_drop=0.0,
                               per_channel=False)
    float_acc = litert_accuracy(convert(str(MOBILENET)), x_test, y_test, False)
    assert r.float_value == pytest.approx(float_acc, abs=1 / len(y_test))
    assert litert_accuracy(r.model, x_test, y_test, True) >= float_acc - 1e-9 and r.met


def test_budget_needs_labels_and_one_bound():
    from mote.budget import quantize_within_budget
    x = np.zeros((4, 8, 8, 1), np.float32)
    with pytest.raises(ValueError, match="max_drop needs labels"):
        quantize_within_budget(str(MOBILENET), x, x, max_drop=1.0)
    with pytest.raises(ValueError, match="give one accuracy budget"):
        quantize_within_budget(str(MOBILENET), x, x, max_drop=1.0, min_sqnr=20.0)


# -- the CLI ----------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, message", [
    (["--max-drop", "1", "--eval", "X"], "--max-drop 1.0 needs labels for --eval 'X'"),
    (["--max-drop", "1", "--min-sqnr", "20", "--eval", "digits"], "two budgets; give one"),
    (["--min-sqnr", "20"], "give --eval X.npy"),
    (["--labels", "y.npy"], "--labels applies to --max-drop or --min-sqnr"),
])
def test_cli_budget_mistakes_are_one_line(capsys, tmp_path, extra, message):
    rc = main(["convert", str(MOBILENET), "-o", str(tmp_path / "m.tflite"), "--quantize", "int8",
               "--calibration", "digits", *extra])
    err = capsys.readouterr().err
    assert rc == 2 and message in err and err.count("\n") == 1, err


def test_cli_empty_calibration_is_one_line(capsys, tmp_path):
    np.save(tmp_path / "e.npy", np.zeros((0, 8, 8, 1), np.float32))
    rc = main(["convert", str(MOBILENET), "-o", str(tmp_path / "m.tflite"), "--quantize", "int8",
               "--method", "auto", "--calibration", str(tmp_path / "e.npy")])
    err = capsys.readouterr().err
    assert rc == 2 and "calibration data for input 'image' is empty" in err and err.count("\n") == 1


def test_cli_converts_with_every_option(capsys, tmp_path, litert_available):
    out = tmp_path / "m.tflite"
    assert main(["convert", str(MOBILENET), "-o", str(out), "--quantize", "int8", "--calibration",
                 "digits", "--calibration-method", "auto", "--bias-correction", "--no-equalize",
                 "--max-drop", "0.5", "--eval", "digits"]) == 0
    text = capsys.readouterr().out
    assert "float model accuracy" in text and "target >=" in text
    (_, _), (x_test, y_test) = datasets.digits()
    acc = litert_accuracy(out.read_bytes(), x_test, y_test, True)
    float_acc = litert_accuracy(convert(str(MOBILENET)), x_test, y_test, False)
    assert acc >= float_acc - 0.005 - 1e-9
