"""int8 kernels: bit-exact with LiteRT's reference kernels (BUILTIN_REF) on
seeded random one-op models."""
import numpy as np
import pytest

from conftest import assert_bit_exact, run_litert, run_mote
from mote.converter.tflite import flatbuf
from op_cases_int8 import HYBRID_OPS, INT8_OPS, INT8_OPS_OWN_ORACLE, int8_cases

CASES_PER_OP = 200


@pytest.mark.parametrize("op", sorted(INT8_OPS))
def test_op_bit_exact_with_litert_reference(op, litert_available):
    for name, model, inputs in int8_cases(op, CASES_PER_OP):
        assert_bit_exact(model, inputs, name)


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


# -- DIV and SUM: TFLite's reference arithmetic in numpy as the oracle ---------------

def _mul_high(a, b):
    """gemmlowp's SaturatingRoundingDoublingHighMul on int64 arrays."""
    ab = a.astype(np.int64) * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    s = ab + nudge
    return np.where(s >= 0, s // (1 << 31), -((-s) // (1 << 31)))


def _rounding_shift(x, e):
    """gemmlowp's RoundingDivideByPOT, exponent 0..31 per element."""
    mask = (np.int64(1) << e) - 1
    threshold = (mask >> 1) + (x < 0)
    return (x >> e) + ((x & mask) > threshold)


def _requantize(x, m, shift):
    """TFLite's MultiplyByQuantizedMultiplier (double rounding)."""
    left, right = np.maximum(shift, 0), np.maximum(-shift, 0)
    return _rounding_shift(_mul_high(x << left, m), right)


def _quantize_multiplier(real):
    q, e = np.frexp(real)
    m = int(round(q * (1 << 31)))
    if m == 1 << 31:
        m, e = m // 2, e + 1
    return m, int(e)


def _quant(t):
    return float(t["quantization"]["scale"][0]), int(t["quantization"]["zero_point"][0])


def _clamp_for(act, so, zo):
    lo, hi = {0: (None, None), 1: (0.0, None), 3: (0.0, 6.0), 2: (-1.0, 1.0)}[act]

    def quantize(v):   # TFLite's zo + round(v / s), float32, ties away from zero
        r = np.float32(v) / np.float32(so)
        return zo + int(np.sign(r) * np.floor(abs(r) + np.float32(0.5)))
    qlo = -128 if lo is None else max(-128, quantize(lo))
    qhi = 127 if hi is None else min(127, quantize(hi))
    return qlo, qhi


def div_reference(model, inputs):
    """TFLite's DivElementwise per element (reference/div.h) and, per
    element, whether its final shift is 32 or more: undefined in C++, where
    the LiteRT x86 wheel returns nonsense (0 / y gives the zero point + 1)."""
    m = flatbuf.decode(model)
    sg = m["subgraphs"][0]
    op = sg["operators"][0]
    ta, tb, ty = (sg["tensors"][int(i)] for i in list(op["inputs"]) + list(op["outputs"]))
    (sa, za), (sb, zb), (so, zo) = _quant(ta), _quant(tb), _quant(ty)
    mult, shift = _quantize_multiplier(float(np.float32(sa) / (np.float32(sb) * np.float32(so))))
    act = sg["operators"][0]["builtin_options"][1].get("fused_activation_function", 0)
    shape = np.broadcast_shapes(inputs[0].shape, inputs[1].shape)
    x = np.broadcast_to(inputs[0].astype(np.int64) - za, shape).ravel()
    y = np.broadcast_to(inputs[1].astype(np.int64) - zb, shape).ravel()
    x, y = np.where(y < 0, -x, x), np.abs(y)
    out, undefined = np.empty(x.size, np.int64), np.zeros(x.size, bool)
    for k in range(x.size):
        bits = int(y[k]).bit_length()                  # GetReciprocal(y, 31)
        recip_shift = bits - 1
        scaled = ((int(y[k]) << (32 - bits)) - (1 << 31))
        inv = _one_over_one_plus_x(scaled)
        xi = int(x[k])
        headroom = 31 - (xi if xi >= 0 else ~xi).bit_length()   # CountLeadingSignBits
        quotient = int(_mul_high(np.int64(xi << headroom), inv))
        total = shift - recip_shift - headroom
        undefined[k] = total < -31
        out[k] = 0 if undefined[k] else int(_requantize(np.int64(quotient), mult, np.int64(total)))
    lo, hi = _clamp_for(act, so, zo)
    return np.clip(out + zo, lo, hi).reshape(shape), undefined.reshape(shape)


def _one_over_one_plus_x(a):
    """gemmlowp's one_over_one_plus_x_for_x_in_0_1 (Q0.31 in and out)."""
    def sat_shl(v, e):
        return int(np.clip(v * (1 << e), -2 ** 31, 2 ** 31 - 1))
    total = a + (2 ** 31 - 1)                                  # RoundingHalfSum(a, 1)
    half_denominator = (total + 1) // 2 if total >= 0 else -((-total + 1) // 2)
    x = 1515870810 + int(_mul_high(np.int64(half_denominator), -1010580540))
    for _ in range(3):
        one_minus = (1 << 29) - int(_mul_high(np.int64(half_denominator), x))
        x = x + sat_shl(int(_mul_high(np.int64(x), one_minus)), 2)
    return sat_shl(x, 1)


def test_div_int8_matches_tflite_reference_arithmetic(litert_available):
    # Oracle: TFLite's reference DIV arithmetic in numpy (above). Where its
    # final shift is defined, LiteRT's reference kernel must agree too; where
    # it is not (a quotient below 2^-31 of the rescaled range), Mote gives
    # the rounded value 0 and LiteRT whatever the shift instruction does.
    undefined_seen = 0
    for name, model, inputs in int8_cases("DIV", CASES_PER_OP, table=INT8_OPS_OWN_ORACLE):
        want, undefined = div_reference(model, inputs)
        got = run_mote(model, inputs)[0]
        np.testing.assert_array_equal(got, want, err_msg=name)
        lite = run_litert(model, inputs, reference_kernels=True)[0]
        np.testing.assert_array_equal(got[~undefined], lite[~undefined], err_msg=name)
        undefined_seen += int(undefined.sum())
    assert undefined_seen > 0   # the cases reach the undefined shifts, and Mote stays exact


def test_sum_int8_matches_tflite_reference_arithmetic(litert_available):
    # Oracle: TFLite's QuantizedMeanOrSum with compute_sum (reference/reduce.h):
    # the int32 sum less count * z_in, rescaled by s_in / s_out with double
    # rounding. LiteRT 2.3's reference SUM kernel returns garbage on these
    # models, so it is not the oracle; its optimized kernel (float rescale)
    # agrees within one quantum.
    for name, model, inputs in int8_cases("SUM", CASES_PER_OP, table=INT8_OPS_OWN_ORACLE):
        m = flatbuf.decode(model)
        ts = m["subgraphs"][0]["tensors"]
        axes = tuple(int(a) for a in np.frombuffer(m["buffers"][ts[1]["buffer"]]["data"].tobytes(),
                                                  np.int32))
        (si, zi), (so, zo) = _quant(ts[0]), _quant(ts[2])
        total = inputs[0].astype(np.int64).sum(axis=axes)
        count = inputs[0].size // max(1, total.size)
        mult, shift = _quantize_multiplier(si / so)
        want = np.clip(_requantize(total - zi * count, mult, np.int64(shift)) + zo, -128, 127)
        got = run_mote(model, inputs)[0]
        np.testing.assert_array_equal(got.ravel(), want.ravel(), err_msg=name)
        lite = run_litert(model, inputs)[0]
        assert np.max(np.abs(got.astype(int) - lite.astype(int)), initial=0) <= 1, name
