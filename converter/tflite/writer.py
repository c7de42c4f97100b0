"""Write an IR graph as .tflite bytes (through ModelBuilder)."""
from __future__ import annotations

import numpy as np

from .. import ir
from .builder import ModelBuilder

# Op versions TFLite's own converter gives int8 kernels; float ops are version 1.
INT8_VERSIONS = {
    "CONV_2D": 3, "DEPTHWISE_CONV_2D": 3, "FULLY_CONNECTED": 4, "ADD": 2, "SUB": 2, "MUL": 2,
    "TRANSPOSE": 2, "RESIZE_BILINEAR": 3, "RESIZE_NEAREST_NEIGHBOR": 3,
    "AVERAGE_POOL_2D": 2, "MAX_POOL_2D": 2, "MEAN": 2, "PAD": 2, "CONCATENATION": 2,
    "SOFTMAX": 2, "LOGISTIC": 2, "TANH": 2, "RELU": 2, "RELU6": 2, "DEQUANTIZE": 2,
}


def write_tflite(g: ir.Graph, description: str = "written by mote") -> bytes:
    b = ModelBuilder(description)
    index = {}
    for name, t in g.tensors.items():
        if t.data is not None:
            index[name] = b.add_constant(name, np.asarray(t.data, dtype=t.dtype), quantization=t.quant)
        else:
            index[name] = b.add_tensor(name, t.shape, t.dtype, t.quant)
    b.inputs = [index[n] for n in g.inputs]
    for node in g.nodes:
        int8 = any(g.tensors[o].dtype == "int8" for o in node.outputs)
        version = INT8_VERSIONS.get(node.op, 1) if int8 else 1
        b.add_operator(node.op, [index[i] if i is not None else -1 for i in node.inputs],
                       [index[o] for o in node.outputs], node.options or None, version)
    b.mark_outputs(*[index[o] for o in g.outputs])
    return b.build()
