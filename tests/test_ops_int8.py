"""int8 kernels: bit-exact with LiteRT's reference kernels (BUILTIN_REF) on
seeded random one-op models."""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from op_cases_int8 import INT8_OPS, int8_cases

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
