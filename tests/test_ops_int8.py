"""int8 kernels: bit-exact with LiteRT's reference kernels (BUILTIN_REF) on
seeded random one-op models."""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from mote.converter.tflite import flatbuf
from op_cases_int8 import HYBRID_OPS, INT8_OPS, int8_cases

CASES_PER_OP = 200


@pytest.mark.parametrize("op", sorted(INT8_OPS))
def test_op_bit_exact_with_litert_reference(op, litert_available):
    for name, model, inputs in int8_cases(op, CASES_PER_OP):
        want = run_litert(model, inputs, reference_kernels=True)
        got = run_mote(model, inputs)
        for i, (g, w) in enumerate(zip(got, want)):
            assert g.dtype == w.dtype and g.shape == w.shape, (name, g.dtype, w.dtype)
            diff = np.flatnonzero(g.astype(np.float64) != w)
            assert diff.size == 0, (
                f"{name} output {i}: {diff.size} of {g.size} elements differ; first at "
                f"{diff[0]}: mote {g.flat[diff[0]]} vs litert {w.flat[diff[0]]}")


def dequantized_float_model(model: bytes) -> bytes:
    """The same model with every int8 weight replaced by scale * q in float32."""
    m = flatbuf.decode(model)
    for t in m["subgraphs"][0]["tensors"]:
        if t["type"] == 9 and t["buffer"]:
            q = t.pop("quantization")
            data = np.frombuffer(m["buffers"][t["buffer"]]["data"].tobytes(), np.int8)
            scales = np.asarray(q["scale"], np.float32)
            if len(scales) > 1:
                shape = [1] * len(t["shape"])
                shape[q["quantized_dimension"]] = -1
                scales = scales.reshape(shape)
            real = data.reshape(t["shape"]).astype(np.float32) * scales
            m["buffers"][t["buffer"]] = {"data": np.frombuffer(real.astype(np.float32).tobytes(),
                                                               np.uint8)}
            t["type"] = "FLOAT32"
        for k in [k for k, v in t.items() if v is None]:
            del t[k]
    return flatbuf.encode(m)


@pytest.mark.parametrize("op", sorted(HYBRID_OPS))
def test_hybrid_equals_float_with_dequantized_weights(op, litert_available):
    # Mote's hybrid kernels compute in float with the int8 weights scaled per
    # channel: the float model with scale * q weights is the oracle, and the
    # tolerance is test_ops_float's (float32 summation order).
    for name, model, inputs in int8_cases(op, 100, table=HYBRID_OPS):
        want = run_litert(dequantized_float_model(model), inputs)[0]
        got = run_mote(model, inputs)[0]
        scale = max(1.0, float(np.max(np.abs(want))))
        assert np.max(np.abs(got - want)) <= 1e-5 * scale, name


@pytest.mark.parametrize("op", sorted(HYBRID_OPS))
def test_hybrid_agrees_with_litert_within_input_quantization(op, litert_available):
    # LiteRT's hybrid kernels quantize the float input to int8 on the fly
    # (symmetric, step max|x| / 127), so each output may differ from the float
    # result by up to half a step times the L1 norm of that channel's real
    # weights. That bound (plus float rounding) is the tolerance.
    for name, model, inputs in int8_cases(op, 100, table=HYBRID_OPS):
        want = run_litert(model, inputs)[0]
        got = run_mote(model, inputs)[0]
        m = flatbuf.decode(model)
        sg = m["subgraphs"][0]
        wt = sg["tensors"][sg["operators"][0]["inputs"][1]]
        q = np.frombuffer(m["buffers"][wt["buffer"]]["data"].tobytes(), np.int8)
        q = q.reshape(wt["shape"]).astype(np.float64)
        axis = wt["quantization"]["quantized_dimension"] if len(wt["quantization"]["scale"]) > 1 \
            else (3 if op == "DEPTHWISE_CONV_2D" else 0)
        scales = np.broadcast_to(np.asarray(wt["quantization"]["scale"], np.float64),
                                 (q.shape[axis],))
        l1 = np.abs(np.moveaxis(q, axis, 0)).reshape(q.shape[axis], -1).sum(axis=1) * scales
        step = float(np.max(np.abs(inputs[0]))) / 127
        bound = 0.5 * step * l1 * 1.001 + 1e-5 * max(1.0, float(np.max(np.abs(want))))
        assert np.all(np.abs(got - want) <= bound), name
