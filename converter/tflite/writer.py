"""Write an IR graph as .tflite bytes (through ModelBuilder), each operator
with the version its op catalogue entry gives (converter/ops.py)."""
from __future__ import annotations

import numpy as np

from .. import ir, ops
from .builder import ModelBuilder

def write_tflite(g: ir.Graph, description: str = "written by mote") -> bytes:
    b = ModelBuilder(description)
    index = {}
    for name, t in g.tensors.items():
        if t.data is not None:
            index[name] = b.add_constant(name, np.asarray(t.data, dtype=t.dtype), quantization=t.quant)
        else:
            index[name] = b.add_tensor(name, t.shape, t.dtype, t.quant, variable=t.variable)
    b.inputs = [index[n] for n in g.inputs]
    for node in g.nodes:
        int8 = any(g.tensors[o].dtype in ("int8", "int16") for o in node.outputs)
        version = ops.info(node.op).version(int8)
        b.add_operator(node.op, [index[i] if i is not None else -1 for i in node.inputs],
                       [index[o] for o in node.outputs], node.options or None, version,
                       intermediates=[index[i] for i in node.intermediates] or None)
    b.mark_outputs(*[index[o] for o in g.outputs])
    return b.build()
