"""Every compute variant against the portable reference (`_ref`) one.

The runtime chooses a compute function per op at create time, from the CPU's
features and the op's shapes (runtime_c/src/compute/variants.h). Each seeded
random one-op model runs with the chosen variants at every ISA level this CPU
has (all features, then the highest ones turned off one by one, down to
portable C) and with OpResolverType.BUILTIN_REF (every op's `_ref` variant).
int8 outputs must be byte-equal; float outputs may differ only by the
rounding of a reordered or fused (FMA) sum: at most 1e-5 of the output's
largest magnitude (or of 1) on these shapes.
The last test checks that these cases reached every variant this CPU runs, so
a new kernel is tested from its first commit.
"""
import numpy as np
import pytest

from op_cases import FLOAT_OPS, float_cases
from op_cases_int8 import HYBRID_OPS, INT8_OPS, int8_cases
from mote.runtime import Interpreter, OpResolverType, kernels
from mote.runtime.interpreter import CPU_FEATURES

CASES = 60
chosen = set()


def isa_levels():
    """Feature sets to turn off: none, then the highest present ISA feature,
    then the next too, and so on down to portable C only."""
    present = {f for k in kernels() if k["runs_here"] for f in k["cpu"]}
    order = [f for f in CPU_FEATURES if f in present]
    return [tuple(order[:i]) for i in range(len(order) + 1)]


def run(model, inputs, resolver, off=()):
    it = Interpreter(model_content=model, experimental_op_resolver_type=resolver,
                     disabled_cpu_features=off)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()], \
        {op["kernel"] for op in it.ops()}


def all_cases():
    for op in FLOAT_OPS:
        yield from float_cases(op, CASES, seed=11)
    for op in INT8_OPS:
        yield from int8_cases(op, CASES, seed=11)
    for op in HYBRID_OPS:
        yield from int8_cases(op, CASES, seed=11, table=HYBRID_OPS)


@pytest.mark.parametrize("family", ["float", "int8", "hybrid"])
def test_chosen_variants_equal_reference(family):
    ops = {"float": FLOAT_OPS, "int8": INT8_OPS, "hybrid": HYBRID_OPS}[family]
    for op in ops:
        cases = float_cases(op, CASES, seed=11) if family == "float" else \
            int8_cases(op, CASES, seed=11, table=ops)
        for name, model, inputs in cases:
            want, ref_used = run(model, inputs, OpResolverType.BUILTIN_REF)
            # A `_ref` variant is checked as the oracle even where a faster
            # variant always fits (HARD_SWISH int8's table lookup).
            chosen.update(ref_used)
            for off in isa_levels():
                got, kernels_used = run(model, inputs, OpResolverType.AUTO, off)
                chosen.update(kernels_used)
                for g, w in zip(got, want):
                    what = f"{name} with {off or 'all CPU features'} off ({kernels_used})"
                    if g.dtype == np.float32:
                        bound = 1e-5 * max(1.0, float(np.max(np.abs(w), initial=0)))
                        assert np.max(np.abs(g - w), initial=0) <= bound, what
                    else:
                        assert np.array_equal(g, w), f"{what}: int8 differs from _ref"


def test_every_variant_this_cpu_runs_was_checked():
    if not chosen:
        pytest.skip("runs after test_chosen_variants_equal_reference")
    missing = [k["name"] for k in kernels() if k["runs_here"] and k["name"] not in chosen]
    assert not missing, f"no random case chose these variants, so nothing tested them: {missing}"
