"""The fast 16x8 kernels (int16 activations, int8 weights, int64 bias:
CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED; runtime_c/src/compute/gemm_s16.h)
byte-equal to LiteRT's reference kernels, to `_ref` and to each other at
every ISA level and thread count, on shapes past the random cases
(tests/op_cases_int16.py: LARGE_*): reductions of more than 512 products at
the int16 extremes, where a plain int32 sum would overflow, odd channel
counts, padding, strides, dilations, image-like inputs, per-channel scales
over four decades. The fast variant must be the one chosen where it fits."""
import numpy as np
import pytest

from conftest import run_litert
from op_cases_int16 import LARGE_CONV, LARGE_DEPTHWISE, large_cases
from mote.runtime import Interpreter, OpResolverType, kernels
from test_kernel_variants import isa_levels, run

CASES = list(large_cases(seed=3))
FAST = {"conv_2d": "conv2d_s16_6x16_avx2", "depthwise_conv_2d": "depthwise_conv2d_s16_avx2",
        "fully_connected": "fully_connected_s16_6x16_avx2"}
# the shapes the fast kernels refuse (their last rows): `_ref` runs them
REFUSED = {f"conv_2d_int16x8_large_{len(LARGE_CONV) - 1}",
           f"depthwise_conv_2d_int16x8_large_{len(LARGE_DEPTHWISE) - 1}",
           "fully_connected_int16x8_large_3"}


def runs_here(name):
    return any(k["name"] == name and k["runs_here"] for k in kernels())


def run_threads(model, inputs, threads):
    it = Interpreter(model_content=model, num_threads=threads)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


@pytest.mark.parametrize("name, model, inputs", CASES, ids=[c[0] for c in CASES])
def test_fast_16x8_kernels_equal_litert_reference(name, model, inputs, litert_available):
    (want,) = run_litert(model, inputs, reference_kernels=True)
    (ref,), _ = run(model, inputs, OpResolverType.BUILTIN_REF)
    assert np.array_equal(ref, want), f"{name}: _ref differs from LiteRT's reference kernels"
    op = name.split("_int16x8")[0]
    for off in isa_levels():
        (got,), used = run(model, inputs, OpResolverType.AUTO, off)
        bad = np.flatnonzero(got.ravel() != want.ravel())
        assert bad.size == 0, (f"{name} with {off or 'all CPU features'} off ({used}): "
                               f"{bad.size} of {got.size} differ, first at {bad[0]}: "
                               f"{got.ravel()[bad[0]]} vs LiteRT {want.ravel()[bad[0]]}")
        if not off and runs_here(FAST[op]):
            refused = name.rsplit("_", 1)[0] in REFUSED
            assert (FAST[op] in used) != refused, (name, used)
    # saturation alone would hide an overflowing sum: some outputs must not clamp
    assert np.any(np.abs(want.astype(np.int32)) < 32767), f"{name}: every output saturates"


@pytest.mark.parametrize("name, model, inputs", CASES[::7], ids=[c[0] for c in CASES[::7]])
def test_fast_16x8_kernels_equal_for_every_thread_count(name, model, inputs):
    (one,) = run_threads(model, inputs, 1)
    for threads in (2, 3, 5):
        (got,) = run_threads(model, inputs, threads)
        assert np.array_equal(got, one), f"{name}: {threads} threads differ from one"
