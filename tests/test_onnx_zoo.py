"""The ONNX-zoo classics (tests/onnx_zoo_models.py: their zoo form, random
weights, reduced size) convert, agree with onnxruntime in float, and their
int8 conversions run bit-exact with LiteRT's reference kernels.

LOCAL_RESPONSE_NORMALIZATION has no int8 kernel in TFLite, so the models with
LRN (AlexNet, ZFNet, Inception v1) keep it in float (float_fallback). LiteRT's
reference LRN sums the squares over channels c - r .. c + r - 1, one channel
short of TFLite's definition (and of its optimized kernel, TensorFlow and
onnxruntime), so for those three models the oracle is LiteRT's builtin
(optimized) kernels without XNNPACK; for every other model it is the
reference kernels, bit-exact. The optimized LRN keeps a running sum of
alpha * x^2 (adding the entering channel, subtracting the leaving one) and
takes Eigen's vectorized pow: float results a few ulps from a direct sum and
powf (measured: 16 ulps at most on the op's random cases). Mote keeps the
direct sum, so after the QUANTIZE that follows the LRN an element can land
one quantum away; those three models' outputs (softmax, quantum 1/256) are
held to one quantum.
"""
import numpy as np
import pytest

pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from conftest import run_litert, run_mote  # noqa: E402
from mote.converter import convert  # noqa: E402
from mote.converter.importers.onnx import import_onnx  # noqa: E402
from onnx_zoo_models import MODELS  # noqa: E402

# Float: both sides sum in float32 in different orders over at most a few
# hundred terms per output, through ~20 layers.
RTOL = 1e-4


def inputs(shape, rng):
    """Image-like inputs (pixels k/255 and k/127.5 - 1, where rounding ties
    live) and a random one, NCHW."""
    n = int(np.prod(shape))
    return [(rng.integers(0, 256, n) / 255.0).reshape(shape).astype(np.float32),
            (rng.integers(0, 256, n) / 127.5 - 1.0).reshape(shape).astype(np.float32),
            rng.standard_normal(shape).astype(np.float32)]


def nhwc(x):
    return x.transpose(0, 2, 3, 1)


def run_litert_builtin(model, xs):
    """LiteRT's builtin kernels without the XNNPACK delegate."""
    from ai_edge_litert import interpreter as litert
    it = litert.Interpreter(model_content=model, experimental_op_resolver_type=(
        litert.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES))
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), xs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_zoo_model_float_matches_onnxruntime(name):
    model, shape = MODELS[name]()
    graph = import_onnx(model)
    tflite = convert(graph)
    session = ort.InferenceSession(model.SerializeToString())
    for x in inputs(shape, np.random.default_rng(0)):
        want = session.run(None, {"x": x})[0]
        got = run_mote(tflite, [nhwc(x)])[0]
        if graph.outputs[0] in graph.channels_last:
            got = got.transpose(0, 3, 1, 2)
        assert got.shape == want.shape, f"{name}: shape {got.shape}, onnxruntime {want.shape}"
        err = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
        assert err <= RTOL, f"{name}: max |mote - onnxruntime| / max |onnxruntime| = {err:g}"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_zoo_model_int8_bit_exact(name, litert_available):
    model, shape = MODELS[name]()
    rng = np.random.default_rng(1)
    calibration = np.concatenate([nhwc(x) for _ in range(3) for x in inputs(shape, rng)])
    tflite = convert(model, quantize="int8", representative_data=calibration,
                     float_fallback=True)
    from mote.converter.tflite import flatbuf
    decoded = flatbuf.decode(tflite)
    codes = {decoded["operator_codes"][o["opcode_index"]]["builtin_code"]
             for o in decoded["subgraphs"][0]["operators"]}
    has_lrn = 13 in codes
    assert has_lrn == (name in ("alexnet", "zfnet512", "inception_v1")), name
    session = ort.InferenceSession(model.SerializeToString())
    for k, x in enumerate(inputs(shape, np.random.default_rng(2))):
        want = run_litert_builtin(tflite, [nhwc(x)]) if has_lrn else \
            run_litert(tflite, [nhwc(x)], reference_kernels=True)
        got = run_mote(tflite, [nhwc(x)])
        for g, w in zip(got, want):
            if has_lrn:
                assert g.shape == w.shape and np.max(np.abs(g - w)) <= 1 / 256 + 1e-7, (
                    f"{name} input {k}: Mote and LiteRT differ by {np.max(np.abs(g - w))} "
                    f"(more than the softmax's quantum 1/256)")
                continue
            bad = np.flatnonzero(g.ravel() != w.ravel())
            assert bad.size == 0, (f"{name} input {k}: {bad.size} of {g.size} outputs differ; "
                                   f"first at {bad[0]}: Mote {g.ravel()[bad[0]]}, "
                                   f"LiteRT {w.ravel()[bad[0]]}")
        # int8 stays close to the float model (a wrong scale would not).
        float_out = session.run(None, {"x": x})[0].reshape(got[0].shape)
        assert np.max(np.abs(got[0] - float_out)) <= 0.1 * np.max(np.abs(float_out)) + 0.05, name
