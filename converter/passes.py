"""Graph passes. Each returns a new graph whose outputs equal the input
graph's (checked in float64 by the tests)."""
from __future__ import annotations

import numpy as np

from . import ir, reference


def fold_constants(g: ir.Graph) -> ir.Graph:
    """Evaluates every node whose inputs are all constants (float16 weights
    behind a DEQUANTIZE, for instance) and keeps the result as a constant."""
    g = g.copy()
    kept = []
    for node in g.nodes:
        ins = [i for i in node.inputs if i is not None]
        if ins and all(g.tensors[i].is_constant for i in ins) and node.outputs[0] not in g.outputs:
            sub = ir.Graph({k: g.tensors[k] for k in ins + node.outputs}, [node], [],
                           node.outputs)
            out = g.tensors[node.outputs[0]]
            value = reference.run(sub, {}, dtype=np.float32 if out.dtype == "float32" else np.float64)
            out.data = np.asarray(value[out.name]).astype(out.dtype)
        else:
            kept.append(node)
    g.nodes = kept
    return remove_dead(g)


def remove_dead(g: ir.Graph) -> ir.Graph:
    """Drops nodes whose outputs nothing reads and tensors nothing uses."""
    g = g.copy()
    needed = set(g.outputs)
    kept = []
    for node in reversed(g.nodes):
        if any(o in needed for o in node.outputs):
            kept.append(node)
            needed.update(i for i in node.inputs if i is not None)
    g.nodes = kept[::-1]
    used = needed | set(g.inputs)
    g.tensors = {k: v for k, v in g.tensors.items() if k in used}
    return g
