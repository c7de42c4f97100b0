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


def test_sparse_weights_fold_and_pack_like_dense_float16_ones(litert_available):
    """A pruned model's weights: sparse float16 -> DENSIFY -> DEQUANTIZE ->
    CONV_2D. Both folded ops run once at create (a chain folds), so the
    convolution sees constant weights and repacks them exactly as for the
    same weights stored dense (float16 -> DEQUANTIZE)."""
    from mote.converter.tflite.builder import ModelBuilder
    from mote.runtime import Interpreter
    from op_cases import sparse_constant
    rng = np.random.default_rng(0)
    w = rng.standard_normal((32, 1, 1, 24)).astype(np.float16)
    w[rng.random(w.shape) < 0.7] = 0
    x = rng.standard_normal((1, 6, 6, 24)).astype(np.float32)
    models = []
    for sparse in (True, False):
        b = ModelBuilder()
        xi = b.add_input("x", [1, 6, 6, 24], "float32")
        if sparse:
            w16 = b.add_tensor("w16", w.shape, "float16")
            b.add_operator("DENSIFY", [sparse_constant(b, rng, "w_sparse", w, 1)], [w16])
        else:
            w16 = b.add_constant("w16", w)
        w32 = b.add_tensor("w", w.shape, "float32")
        b.add_operator("DEQUANTIZE", [w16], [w32], version=3)
        y = b.add_tensor("y", [1, 6, 6, 32], "float32")
        bias = b.add_constant("bias", np.zeros(32, np.float32))
        b.add_operator("CONV_2D", [xi, w32, bias], [y], {"padding": "SAME", "stride_w": 1,
                                                          "stride_h": 1})
        b.mark_outputs(y)
        models.append(b.build())
    packed = [Interpreter(model_content=m).packed_weight_bytes for m in models]
    assert packed[0] == packed[1], packed
    want = run_litert(models[0], [x])[0]
    for m in models:
        assert_close(run_mote(m, [x])[0], want, "sparse weights")
