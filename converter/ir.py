"""The converter's graph IR.

A Graph is a list of Nodes in execution order over named Tensors. Ops and
their options use TFLite's builtin names and NHWC layout (the format the
converter writes), so passes and the writer need no translation; importers
(Mote trained graphs, ONNX, .tflite) translate into it once.

    Tensor: name, shape, dtype ("float32", "int8", ...), data (numpy array for
            constants, None for activations), quant (None or {"scale": [...],
            "zero_point": [...], "quantized_dimension": int}), float_data (a
            quantized constant's float values before rounding; not written)
    Node:   op ("CONV_2D", ...), inputs (tensor names; None for an omitted
            optional input), outputs, options (TFLite option names),
            intermediates (tensors that only carry quantization parameters
            for the op: an int8 LSTM's)

Besides TFLite's ops, importers may emit training-level ops that the passes
remove before writing: BATCH_NORM (inputs x, gamma, beta, mean, variance;
option epsilon; normalizes the last axis), DROPOUT and IDENTITY.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from .errors import ConversionError


@dataclasses.dataclass
class Tensor:
    name: str
    shape: tuple
    dtype: str = "float32"
    data: Optional[np.ndarray] = None
    quant: Optional[dict] = None
    variable: bool = False   # state an op keeps across invokes (an LSTM's), zero at the start
    # A quantized constant's float values before rounding (not written): 16x8
    # quantizes a layer's bias again from them, bias correction included.
    float_data: Optional[np.ndarray] = None

    @property
    def is_constant(self) -> bool:
        return self.data is not None


@dataclasses.dataclass
class Node:
    op: str
    inputs: list
    outputs: list
    options: dict = dataclasses.field(default_factory=dict)
    name: str = ""
    intermediates: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Graph:
    tensors: dict = dataclasses.field(default_factory=dict)
    nodes: list = dataclasses.field(default_factory=list)
    inputs: list = dataclasses.field(default_factory=list)
    outputs: list = dataclasses.field(default_factory=list)
    # Graph inputs/outputs an importer turned from channels-first to NHWC.
    channels_last: set = dataclasses.field(default_factory=set)

    def add_tensor(self, t: Tensor) -> Tensor:
        if t.name in self.tensors:
            raise ConversionError(f"tensor name {t.name!r} is used twice")
        self.tensors[t.name] = t
        return t

    def unique_name(self, base: str) -> str:
        name, i = base, 1
        while name in self.tensors:
            name, i = f"{base}_{i}", i + 1
        return name

    def producers(self) -> dict:
        return {o: n for n in self.nodes for o in n.outputs}

    def consumers(self) -> dict:
        out: dict = {}
        for n in self.nodes:
            for i in n.inputs:
                if i is not None:
                    out.setdefault(i, []).append(n)
        return out

    def copy(self) -> "Graph":
        return Graph({k: dataclasses.replace(v) for k, v in self.tensors.items()},
                     [dataclasses.replace(n, inputs=list(n.inputs), outputs=list(n.outputs),
                                          options=dict(n.options),
                                          intermediates=list(n.intermediates))
                      for n in self.nodes],
                     list(self.inputs), list(self.outputs), set(self.channels_last))
