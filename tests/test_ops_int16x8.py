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
