"""Reference executor of the IR: runs a float graph with numpy (or any module
with numpy's API, such as cupy, passed as `xp`). Used for calibration and to
check that every pass keeps the graph's outputs (in float64). Each op's
implementation is its entry's in the op catalogue (converter/ops.py).

    outputs = run(graph, {input_name: array}, dtype=np.float64)
    values = run(graph, feeds, keep_all=True)   # every tensor, for calibration
"""
from __future__ import annotations

import numpy as np

from . import ir, ops
from .errors import ConversionError


def _misfit(node, args, want, why) -> ConversionError:
    shapes = ", ".join("-" if a is None else str(list(a.shape)) for a in args)
    return ConversionError(f"node {node.name or node.outputs[0]!r} ({node.op}): inputs of shape "
                           f"{shapes} and options {node.options} do not give its output shape "
                           f"{list(want)} ({why})")


def run(g: ir.Graph, feeds: dict, dtype=np.float64, xp=np, keep_all: bool = False) -> dict:
    """Runs every node in order; returns the graph outputs (or every tensor)."""
    values = {}
    for name in g.inputs:
        if name not in feeds:
            raise ConversionError(f"missing input {name!r}; the graph's inputs are {g.inputs}")
        x = xp.asarray(feeds[name], dtype=dtype)
        want = tuple(g.tensors[name].shape)
        if tuple(x.shape) != want:
            raise ConversionError(f"input {name!r}: expected shape {list(want)}, got {list(x.shape)}")
        values[name] = x
    for node in g.nodes:
        values.update(zip(node.outputs, run_node(g, node, node_args(g, node, values, xp, dtype),
                                                 xp, dtype)))
    return values if keep_all else {o: values[o] for o in g.outputs}


def node_args(g: ir.Graph, node: ir.Node, values: dict, xp=np, dtype=np.float64) -> list:
    """The inputs of `node`: computed ones from `values`, constants as `dtype`
    arrays (integer ones as they are), variables as zeros, None for absent ones."""
    args = []
    for i in node.inputs:
        if i is None:
            args.append(None)
        elif i in values:
            args.append(values[i])
        else:
            t = g.tensors.get(i)
            if t is not None and t.variable:   # state, as it is at the start: zeros
                args.append(xp.zeros(t.shape, dtype=dtype))
                continue
            if t is None or t.data is None:
                raise ConversionError(f"node {node.name!r} reads {i!r} before it is computed")
            args.append(xp.asarray(t.data) if t.dtype in ("int32", "int64")
                        else xp.asarray(t.data, dtype=dtype))
    return args


def run_node(g: ir.Graph, node: ir.Node, args: list, xp=np, dtype=np.float64) -> list:
    """The outputs of `node` on inputs `args` (one array per output), checked
    against the shapes the graph gives them."""
    out = node.outputs[0]
    want = tuple(g.tensors[out].shape)
    op = ops.info(node.op)
    if op.reference is None:
        raise ConversionError(f"node {node.name or out!r}: op {node.op} has no reference "
                              f"implementation in the converter")
    try:
        y = op.forward(xp, args, node.options, want, dtype)
    except (ValueError, IndexError, TypeError, ZeroDivisionError) as e:   # operands that do not fit
        raise _misfit(node, args, want, e) from e
    ys = y if isinstance(y, list) else [y]   # ops with several outputs (SPLIT) give a list
    if len(ys) != len(node.outputs):
        raise _misfit(node, args, want, f"it computes {len(ys)} outputs for "
                                        f"{len(node.outputs)}")
    for name, y in zip(node.outputs, ys):
        if tuple(y.shape) != tuple(g.tensors[name].shape):
            raise _misfit(node, args, tuple(g.tensors[name].shape),
                          f"it computes shape {list(y.shape)}")
    return ys
