"""float32 kernels against LiteRT on seeded random one-op models.

Tolerance: |mote - litert| <= 1e-5 * max(1, max |litert|) per output. Both
sides compute in float32 but sum in different orders (LiteRT's optimized and
XNNPACK kernels block and vectorize their loops, and use their own exp/tanh),
so results differ by a few float32 ulps of the accumulated magnitude: with at
most ~200 terms per sum here, the worst case is about 200 * 2^-24 ~ 1.2e-5 of
the terms' scale, and typical differences are far smaller. A wrong index,
padding or broadcast rule shows up as an O(1) difference.
"""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from op_cases import FLOAT_OPS, float_cases

CASES_PER_OP = 100
RTOL = 1e-5


def assert_close(got, want, context):
    assert got.shape == want.shape, f"{context}: shape {got.shape} vs LiteRT {want.shape}"
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    diff = float(np.max(np.abs(got.astype(np.float64) - want))) if want.size else 0.0
    assert diff <= RTOL * scale, (f"{context}: max |mote - litert| = {diff:g} > {RTOL * scale:g}"
                                  f"\nmote:\n{got}\nlitert:\n{want}")


@pytest.mark.parametrize("op", sorted(FLOAT_OPS))
def test_op_matches_litert(op, litert_available):
    for name, model, inputs in float_cases(op, CASES_PER_OP):
        want = run_litert(model, inputs)
        got = run_mote(model, inputs)
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, f"{name} output {i}")
