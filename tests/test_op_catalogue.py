"""The converter's op catalogue (converter/ops.py) against the C runtime and
LiteRT: the ops the runtime registers are the ops the converter writes and
runs, each entry's float reference agrees with LiteRT, its versions are ones
the runtime accepts, and its options table and defaults are the schema's."""
import pathlib
import re

import numpy as np
import pytest

from conftest import run_litert
from mote.converter import ir, ops, reference
from mote.converter.importers.tflite import import_tflite
from mote.converter.tflite import schema as schema_mod
from mote.converter.tflite.writer import write_tflite
from op_cases import FLOAT_OPS, float_cases
from mote.runtime.interpreter import lib

OP_LIST = pathlib.Path(__file__).resolve().parents[1] / "runtime_c/src/kernels/op_list.h"


def runtime_ops() -> set:
    """The BUILTIN names of op_list.h's default X(...) rows."""
    text = OP_LIST.read_text()
    start = text.index("#define MOTE_ALL_OPS(X)")   # the full list, not the comment's example
    block = text[start:text.index("#ifndef MOTE_OP_LIST", start)]
    return set(re.findall(r"X\((\w+),\s*\w+\)", block))


# The ops the converter writes and runs: builtin entries with a reference.
WRITTEN = sorted(name for name, op in ops.OPS.items() if op.builtin and op.reference)


def test_runtime_ops_are_the_catalogue_ops():
    runtime = runtime_ops() - set(ops.CONTROL_FLOW)   # graph structure, not computing ops
    assert len(runtime) > 20, f"could not parse {OP_LIST}: {sorted(runtime)}"
    assert not runtime - set(WRITTEN), \
        f"ops the runtime registers without a catalogue entry in converter/ops.py: " \
        f"{sorted(runtime - set(WRITTEN))}"
    assert not set(WRITTEN) - runtime, \
        f"catalogue ops the converter writes that runtime_c/src/kernels/op_list.h lacks: " \
        f"{sorted(set(WRITTEN) - runtime)}"


@pytest.mark.parametrize("name", WRITTEN)
def test_versions_are_ones_the_runtime_runs(name):
    op = ops.OPS[name]
    code = schema_mod.load().enums["BuiltinOperator"].values[name]
    for int8 in (False, True):
        v = op.version(int8)
        assert lib.mote_op_supported(code, v), \
            f"{name}: the catalogue writes version {v} for {'int8' if int8 else 'float'}, " \
            f"which the C runtime does not run (its max_version is lower)"


@pytest.mark.parametrize("name", sorted(n for n, op in ops.OPS.items() if op.options))
def test_options_tables_and_defaults_are_the_schemas(name):
    s = schema_mod.load()
    op = ops.OPS[name]
    assert op.options in s.tables, f"{name}: options table {op.options} is not in the schema"
    fields = {f.name for f in s.tables[op.options].fields}
    assert set(op.defaults) <= fields, \
        f"{name}: defaults {sorted(set(op.defaults) - fields)} are not fields of {op.options}"


def test_int8_rules():
    for name, op in ops.OPS.items():
        assert not (op.same_quant and op.fixed_output), name
        assert op.int8 or not (op.same_quant or op.fixed_output or op.int8_version), name
        assert op.weight is None or op.int8, name
    assert ops.OPS["SOFTMAX"].fixed_output == ops.OPS["LOGISTIC"].fixed_output == (1 / 256, -128)
    assert ops.OPS["TANH"].fixed_output == (1 / 128, 0)
    assert ops.OPS["CONCATENATION"].same_quant == "all"
    assert [ops.OPS[n].weight.axis for n in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")] \
        == [0, 3, 0]


def test_unknown_ops_are_carried_through():
    op = ops.info("SEGMENT_SUM")
    assert (op.options, op.version(True), op.int8, op.reference) == (None, 1, False, None)


def _quantize_case():
    """float -> QUANTIZE -> int8 as the converter writes it at a model's input."""
    scale, zero = 0.05, -3
    g = ir.Graph(inputs=["x"], outputs=["y"])
    g.add_tensor(ir.Tensor("x", (2, 5), "float32"))
    g.add_tensor(ir.Tensor("y", (2, 5), "int8", quant={"scale": [scale], "zero_point": [zero]}))
    g.nodes.append(ir.Node("QUANTIZE", ["x"], ["y"]))
    x = np.random.default_rng(0).uniform(-6, 6, (2, 5)).astype(np.float32)
    return g, write_tflite(g), x, scale, zero


@pytest.mark.parametrize("name", WRITTEN)
def test_reference_matches_litert(name, litert_available):
    if name == "QUANTIZE":   # in a float graph QUANTIZE passes values: compare dequantized
        g, model, x, scale, zero = _quantize_case()
        got = reference.run(g, {"x": x})["y"]
        want = (run_litert(model, [x])[0].astype(np.float64) - zero) * scale
        assert np.max(np.abs(got - want)) <= scale / 2 + 1e-6
        return
    assert name in FLOAT_OPS, f"{name} has no random case generator in tests/op_cases.py"
    (case, model, inputs), = float_cases(name, 1, seed=11)
    g = import_tflite(model)
    got = list(reference.run(g, dict(zip(g.inputs, inputs))).values())
    for r, want in zip(got, run_litert(model, inputs)):
        if want.dtype == np.bool_:   # comparisons: exact
            assert r.shape == want.shape and np.array_equal(r, want), case
            continue
        scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
        assert r.shape == want.shape and np.max(np.abs(r - want), initial=0) <= 1e-5 * scale, case
