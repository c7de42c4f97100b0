"""16x8 kernels (int16 activations, int8 weights, int64 bias): bit-exact with
LiteRT's reference kernels (BUILTIN_REF) on seeded random one-op models with
random and image-like inputs."""
import numpy as np
import pytest

from conftest import assert_bit_exact, run_litert, run_mote
from op_cases_int16 import INT16_OPS, int16_cases

CASES_PER_OP = 150


@pytest.mark.parametrize("op", sorted(INT16_OPS))
def test_op_bit_exact_with_litert_reference(op, litert_available):
    for name, model, inputs in int16_cases(op, CASES_PER_OP):
        assert_bit_exact(model, inputs, name)


def _tie_model(op):
    """A 1x1 op whose rescale is 2^-7 exactly: input k * 128 + 64 lands on k.5."""
    from mote.converter.tflite.builder import ModelBuilder
    b = ModelBuilder()
    shape = [1, 4] if op == "FULLY_CONNECTED" else [1, 1, 1, 4]
    x = b.add_input("x", shape, "int16", {"scale": [2 ** -10], "zero_point": [0]})
    w = np.eye(2, 4, dtype=np.int8)
    w = b.add_constant("w", w if op == "FULLY_CONNECTED" else w.reshape(2, 1, 1, 4),
                       quantization={"scale": [2 ** -7], "zero_point": [0]})
    bias = b.add_constant("bias", np.zeros(2, np.int64),
                          quantization={"scale": [2 ** -17], "zero_point": [0]})
    y = b.add_tensor("y", shape[:-1] + [2], "int16", {"scale": [2 ** -10], "zero_point": [0]})
    options = {} if op == "FULLY_CONNECTED" else {"padding": "VALID", "stride_w": 1,
                                                   "stride_h": 1}
    b.add_operator(op, [x, w, bias], [y], options, version=7 if op == "FULLY_CONNECTED" else 4)
    b.mark_outputs(y)
    return b.build(), shape


@pytest.mark.parametrize("op, want", [("FULLY_CONNECTED", [4, -4]),   # ties away from zero
                                      ("CONV_2D", [4, -3])])          # ties toward +infinity
def test_rescale_ties_as_litert(op, want, litert_available):
    model, shape = _tie_model(op)
    x = np.array([3 * 128 + 64, -3 * 128 - 64, 0, 0], np.int16).reshape(shape)
    ref = run_litert(model, [x], reference_kernels=True)[0]
    got = run_mote(model, [x])[0]
    assert ref.ravel().tolist() == want, ref   # exact values 3.5 and -3.5
    assert got.ravel().tolist() == want, got


def _one_op16(op, shape, in_scale, out_q=None, options=None):
    from mote.converter.tflite.builder import ModelBuilder
    from op_cases_int16 import FIXED_OUT16
    b = ModelBuilder()
    x = b.add_input("x", shape, "int16", {"scale": [in_scale], "zero_point": [0]})
    y = b.add_tensor("y", shape, "int16", out_q or FIXED_OUT16)
    b.add_operator(op, [x], [y], options)
    b.mark_outputs(y)
    return b.build()


# Input scales for LOGISTIC / TANH over every int16 input: the powers of two
# TFLite's kernels treat as exact factors (2^-12; TANH also 2^-11), 8/32767
# (CheckedLog2 takes it for 2^-12), other powers of two, a +-3.3 range, and
# scales where most inputs saturate (every table segment is used).
EVERY_INPUT_SCALES = [2 ** -12, 2 ** -11, 8 / 32767, 2 ** -10, 2 ** -14, 3.3 / 32767, 1e-4,
                      1 / 48, 0.01, 0.3, 3.0]


@pytest.mark.parametrize("op", ["LOGISTIC", "TANH"])
def test_logistic_tanh_every_input_and_where_litert_default_kernels_differ(op, litert_available):
    """Every int16 input, bit-exact with LiteRT's reference kernels. LiteRT's
    default kernels equal them except where the input scale is taken for a
    power of two the kernel handles with a shift (2^-12, and for TANH
    2^-11): there they compute gemmlowp's fixed-point logistic / tanh of the
    raw input instead of interpolating the table."""
    x = np.arange(-32768, 32768, dtype=np.int16).reshape(1, 256, 256)
    pot = {2 ** -12, 8 / 32767} | ({2 ** -11} if op == "TANH" else set())
    for scale in EVERY_INPUT_SCALES:
        model = _one_op16(op, [1, 256, 256], scale)
        ref = run_litert(model, [x], reference_kernels=True)[0]
        assert_bit_exact(model, [x], f"{op} scale {scale}")
        default = run_litert(model, [x])[0]
        assert bool((default != ref).any()) == (scale in pot), (op, scale)
    # the reals: sigmoid / tanh of x * scale within 3 quanta of 2^-15 (the
    # table's step is 1/24 in 2x for TANH: interpolation errs up to ~2.7)
    x_real = x.astype(np.float64) * 1e-4
    want = 1 / (1 + np.exp(-x_real)) if op == "LOGISTIC" else np.tanh(x_real)
    got = run_mote(_one_op16(op, [1, 256, 256], 1e-4), [x])[0] / 32768.0
    assert np.max(np.abs(got - want)) < 3 / 32768, np.max(np.abs(got - want)) * 32768


def test_softmax_int16_is_close_to_float_softmax(litert_available):
    """The 16x8 SOFTMAX against float64 softmax: within about 2^-12 (the exp
    table stops at exp(-10), interpolated; 1 / sum from a second table)."""
    rng = np.random.default_rng(5)
    x = rng.integers(-20000, 20000, size=(8, 17)).astype(np.int16)
    scale = 3e-4
    got = run_mote(_one_op16("SOFTMAX", [8, 17], scale, options={"beta": 1.0}), [x])[0]
    r = x.astype(np.float64) * np.float64(np.float32(scale))
    e = np.exp(r - r.max(axis=1, keepdims=True))
    want = e / e.sum(axis=1, keepdims=True)
    assert np.max(np.abs(got / 32768.0 - want)) < 3e-4


@pytest.mark.parametrize("op, scale, out_q, options, message", [
    ("LOGISTIC", 1e-3, {"scale": [1 / 256], "zero_point": [0]}, None,
     "output 'y': int16 output must have scale 3.05176e-05 and zero point 0, got 0.00390625"),
    ("TANH", 1e-3, {"scale": [2 ** -14], "zero_point": [0]}, None,
     "int16 output must have scale 3.05176e-05 and zero point 0, got 6.10352e-05"),
    ("LOGISTIC", 1e-3, {"scale": [2 ** -15], "zero_point": [5]}, None,
     "output 'y': zero point 5 must be one value in [0, 0]"),
    ("TANH", 6.0, None, None,
     "input 'x': int16 TANH input scale 6 is too large; expected below 5.33333"),
    ("SOFTMAX", 1e-3, {"scale": [1 / 256], "zero_point": [0]}, {"beta": 1.0},
     "int16 output must have scale 3.05176e-05 and zero point 0, got 0.00390625"),
    ("SOFTMAX", 2.0, None, {"beta": 3.0},
     "int16 SOFTMAX with beta 3 x input scale 2 = 6; expected below 5.00008")])
def test_int16_activation_bad_quantization_is_named(op, scale, out_q, options, message):
    from mote import runtime as pyruntime
    with pytest.raises(pyruntime.MoteError) as e:
        run_mote(_one_op16(op, [2, 5], scale, out_q, options), [np.zeros((2, 5), np.int16)])
    assert message in str(e.value), str(e.value)
