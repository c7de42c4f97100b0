"""AdaRound (converter/adaround.py): learned rounding of int8 weights.

Expected values are computed here in numpy float64 from the float weights
and the calibration data (each layer's output error with the int8 weights the
file holds, its input on Contract 2's int8 grid); the files are run by LiteRT
(reference kernels for bit-exactness, the float model for the outputs the
int8 ones are measured against)."""
import numpy as np
import pytest

from conftest import ZOO_MODELS, image_like, run_litert, run_mote
from mote.cli import main
from mote.converter import adaround, convert, passes, quantize
from mote.converter.convert import load
from mote.converter.tflite import flatbuf
from mote.converter.tflite.builder import ModelBuilder
from mote.models import datasets

ZOO = {p.stem: p for p in ZOO_MODELS}
INT8 = 9   # TensorType INT8


def int8_constants(model: bytes) -> list:
    """(int8 values shaped, per-channel scales float64, quantized dimension)
    of every constant int8 tensor of the file, in tensor order."""
    m = flatbuf.decode(model)
    out = []
    for t in m["subgraphs"][0]["tensors"]:
        data = m["buffers"][t["buffer"]].get("data") if t["buffer"] else None
        if t["type"] == INT8 and data is not None:
            q = np.frombuffer(bytes(bytearray(data)), np.int8).reshape(t["shape"])
            quant = t["quantization"]
            out.append((q, np.asarray(quant["scale"], np.float64),
                        int(quant.get("quantized_dimension", 0))))
    return out


def grid(x: np.ndarray) -> np.ndarray:
    """x on the int8 grid of its own min/max range (Contract 2: scale
    (hi - lo) / 255 in float32, zero point round(-128 - lo / scale)), float64."""
    lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    s = np.float64(np.float32((hi - lo) / 255))
    z = np.clip(np.round(-128 - lo / s), -128, 127)
    return (np.clip(np.round(x.astype(np.float64) / s) + z, -128, 127) - z) * s


def conv_nhwc(x, w, stride=1, depthwise=False):
    """SAME convolution in float64 by explicit taps: x [N, H, W, C]; w
    [O, KH, KW, C] (depthwise: [1, KH, KW, C], each channel its own)."""
    n, h, wd, c = x.shape
    kh, kw = w.shape[1:3]
    oh, ow = -(-h // stride), -(-wd // stride)
    ph, pw = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - wd, 0)
    xp = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    y = 0
    for i in range(kh):
        for j in range(kw):
            tap = xp[:, i:i + (oh - 1) * stride + 1:stride, j:j + (ow - 1) * stride + 1:stride, :]
            y = y + (tap * w[0, i, j] if depthwise else tap @ w[:, i, j, :].T)
    return y


def one_layer(op: str, w: np.ndarray, in_shape, out_shape, options=None) -> bytes:
    m = ModelBuilder()
    x = m.add_input("x", list(in_shape), "float32")
    wt = m.add_constant("w", w.astype(np.float32))
    bt = m.add_constant("b", np.linspace(-0.1, 0.1, out_shape[-1]).astype(np.float32))
    y = m.add_tensor("y", list(out_shape), "float32")
    m.add_operator(op, [x, wt, bt], [y], options or {})
    m.mark_outputs(y)
    return m.build()


CONV = {"padding": "SAME", "stride_w": 1, "stride_h": 1}
LAYERS = {
    # op, weight shape, input shape, output shape, options, calibration pixel range
    "FULLY_CONNECTED": ((16, 24), (4, 24), (4, 16), {}, "0..1"),
    "CONV_2D": ((8, 3, 3, 3), (1, 8, 8, 3), (1, 8, 8, 8), CONV, "-1..1"),
    "DEPTHWISE_CONV_2D": ((1, 3, 3, 6), (1, 6, 6, 6), (1, 6, 6, 6),
                          {**CONV, "depth_multiplier": 1}, "0..1"),
}


def layer_output(op, x, w):
    if op == "FULLY_CONNECTED":
        return x.reshape(-1, w.shape[1]) @ w.T
    return conv_nhwc(x, w, depthwise=op == "DEPTHWISE_CONV_2D")


@pytest.mark.parametrize("op", LAYERS)
def test_learned_rounding_reconstructs_better_than_nearest(op):
    """One layer, calibrated on image-like samples (every row of them inside
    AdaRound's budget, so its objective is this error exactly): with the
    file's int8 weights, ||layer(x~, W_q * s) - layer(x, W)||^2 in float64
    (x~ the input on its int8 grid) is below nearest rounding's, by a
    margin; and every learned weight is floor or ceil of w / s."""
    wshape, ishape, oshape, options, pixels = LAYERS[op]
    rng = np.random.default_rng(7)
    w = rng.standard_normal(wshape) * 0.3
    model = one_layer(op, w, ishape, oshape, options)
    x = image_like(ishape, adaround.SAMPLES, seed=3, pixel_range=pixels)
    (near, s_near, axis), = int8_constants(convert(model, "int8", x))
    (learned, s_learn, axis2), = int8_constants(convert(model, "int8", x, adaround=True))
    assert axis == axis2 and np.array_equal(s_near, s_learn)
    shape = [1] * w.ndim
    shape[axis] = -1
    s = s_near.reshape(shape)
    ratio = w / s
    assert np.all((learned == np.floor(ratio)) | (learned == np.ceil(ratio)))
    assert np.array_equal(near, np.round(ratio))
    assert np.mean(learned != near) > 0.02   # it did choose differently
    want = layer_output(op, x.astype(np.float64), w)
    xq = grid(x)
    err_near = float(np.sum((layer_output(op, xq, near * s) - want) ** 2))
    err_learn = float(np.sum((layer_output(op, xq, learned * s) - want) ** 2))
    assert err_learn < 0.9 * err_near, (err_learn, err_near)


@pytest.mark.parametrize("name", ["small_cnn", "mobilenet_style"])
def test_adaround_file_is_bit_exact_and_holds_the_digits(name, litert_available):
    """The zoo's CNNs with learned rounding: Mote's runtime equals LiteRT's
    reference kernels on every test digit; the logits' SQNR against the float
    model (run by LiteRT) is above nearest rounding's, and top-1 accuracy
    holds within one of the 359 test images (mobilenet_style: 0.9749 against
    0.9777, one image, where its SQNR gains 1.5 dB)."""
    (x_train, _), (x_test, y_test) = datasets.digits()
    source = str(ZOO[name])
    cal = x_train[:200]
    near = convert(source, "int8", cal, calibration="minmax")   # the ranges the numbers are of
    learned = convert(source, "int8", cal, calibration="minmax", adaround=True)
    floats = convert(source)
    sqnr, acc = {}, {}
    for label, model in (("nearest", near), ("adaround", learned)):
        signal = noise = 0.0
        hits = 0
        for s, label_ in zip(x_test, y_test):
            f = run_litert(floats, [s[None]])[0].astype(np.float64)
            got = run_litert(model, [s[None]], reference_kernels=True)[0]
            if label == "adaround":
                assert np.array_equal(run_mote(model, [s[None]])[0], got)
            signal, noise = signal + np.sum(f ** 2), noise + np.sum((got - f) ** 2)
            hits += int(got.argmax() == label_)
        sqnr[label], acc[label] = 10 * np.log10(signal / noise), hits / len(y_test)
    assert acc["adaround"] >= acc["nearest"] - 1 / len(y_test) - 1e-9, acc
    assert sqnr["adaround"] > sqnr["nearest"] + 0.5, sqnr


def test_report_and_the_layers_it_rounds():
    """statistics.rounding says, per conv/depthwise/FC layer, what AdaRound
    did; a layer whose learned rounding does not reconstruct better keeps
    nearest rounding."""
    (x_train, _), _ = datasets.digits()
    g = passes.equalize_layers(passes.optimize(load(str(ZOO["mobilenet_style"]))))
    stats = quantize.calibration_statistics(g, x_train[:64])
    quantize.quantize_int8(g, x_train[:64], statistics=stats, adaround=True)
    layers = [n for n in g.nodes if n.op in adaround.OPS]
    assert [r.op for r in stats.rounding] == [n.op for n in layers]
    for r in stats.rounding:
        assert r.kept == (r.learned_error < r.nearest_error)
        assert 0 <= r.flipped <= 1 and r.seconds >= 0
        assert str(r).startswith(r.layer)
    assert sum(r.kept for r in stats.rounding) >= len(layers) // 2


def test_adaround_needs_data_and_int8():
    model = one_layer("FULLY_CONNECTED", np.ones((2, 3)), (1, 3), (1, 2))
    with pytest.raises(Exception, match="adaround=True applies to quantize='int8', not 'dynamic'"):
        convert(model, "dynamic", adaround=True)
    g = load(model)
    with pytest.raises(Exception, match="adaround learns the rounding on calibration data"):
        quantize.quantize_int8(g, None, ranges={"x": (0, 1), "y": (0, 1)}, adaround=True)


def test_cli_adaround(tmp_path, capsys, litert_available):
    out = tmp_path / "m.tflite"
    assert main(["convert", str(ZOO["small_cnn"]), "-o", str(out), "--quantize", "int8",
                 "--calibration", "digits", "--adaround"]) == 0
    assert out.read_bytes()[4:8] == b"TFL3"
    capsys.readouterr()
    rc = main(["convert", str(ZOO["small_cnn"]), "-o", str(out), "--quantize", "dynamic",
               "--adaround"])
    err = capsys.readouterr().err
    assert rc == 2 and "--adaround applies to --quantize int8, not dynamic" in err
    assert err.count("\n") == 1, err
    rc = main(["convert", str(ZOO["small_cnn"]), "-o", str(out), "--quantize", "int8",
               "--calibration", "digits", "--adaround", "--min-sqnr", "20", "--eval", "digits"])
    err = capsys.readouterr().err
    assert rc == 2 and "--adaround does not combine with --max-drop/--min-sqnr" in err


@pytest.mark.gpu
def test_adaround_on_cupy_rounds_as_numpy_bounds():
    """On the GPU (cupy) the learned rounding keeps every weight at floor or
    ceil and reconstructs the layer at least as well as nearest rounding."""
    cupy = pytest.importorskip("cupy")
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            pytest.skip("cupy sees no CUDA device")
    except Exception as e:   # no driver
        pytest.skip(f"no CUDA device: {e}")
    wshape, ishape, oshape, options, pixels = LAYERS["CONV_2D"]
    w = np.random.default_rng(7).standard_normal(wshape) * 0.3
    model = one_layer("CONV_2D", w, ishape, oshape, options)
    x = image_like(ishape, adaround.SAMPLES, seed=3, pixel_range=pixels)
    (near, s, _), = int8_constants(convert(model, "int8", x))
    (learned, _, _), = int8_constants(convert(model, "int8", x, adaround=True, xp=cupy))
    s = s.reshape(-1, 1, 1, 1)
    assert np.all((learned == np.floor(w / s)) | (learned == np.ceil(w / s)))
    want = layer_output("CONV_2D", x.astype(np.float64), w)
    xq = grid(x)
    assert np.sum((layer_output("CONV_2D", xq, learned * s) - want) ** 2) <= \
        np.sum((layer_output("CONV_2D", xq, near * s) - want) ** 2)
