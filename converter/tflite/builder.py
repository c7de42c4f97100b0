"""Build `.tflite` model bytes from tensors and operators.

    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "float32")
    w = b.add_constant("w", np.ones((3, 4), np.float32))
    y = b.add_tensor("y", [1, 3], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [y], {"fused_activation_function": "RELU"})
    b.mark_outputs(y)
    tflite_bytes = b.build()

Used by the tests to write one-op models and by the converter to write its
results. Option tables are chosen from the op name (the op catalogue,
converter/ops.py); option values may be given by enum name ("SAME", "RELU6")
or number.
"""
from __future__ import annotations

import numpy as np

from .. import ops as op_catalogue
from . import flatbuf
from . import schema as schema_mod

# TFLite TensorType name -> numpy dtype.
DTYPES = {
    "float32": np.float32, "float16": np.float16, "int32": np.int32, "uint8": np.uint8,
    "int64": np.int64, "bool": np.bool_, "int16": np.int16, "int8": np.int8,
    "float64": np.float64,
}

def tensor_type_name(dtype) -> str:
    """numpy dtype (or TFLite type name) -> TFLite TensorType name."""
    if isinstance(dtype, str) and dtype.upper() in schema_mod.load().enums["TensorType"].values:
        return dtype.upper()
    np_dtype = np.dtype(dtype)
    for name, dt in DTYPES.items():
        if np.dtype(dt) == np_dtype:
            return name.upper()
    raise ValueError(f"dtype {dtype!r} has no TFLite tensor type; expected one of {sorted(DTYPES)}")


class ModelBuilder:
    def __init__(self, description: str = "written by mote"):
        self.description = description
        self.buffers = [{}]          # buffer 0: the empty sentinel every TFLite file starts with
        self.tensors = []
        self.operators = []
        self.opcodes = []            # (builtin name, version, custom code or None)
        self.inputs = []
        self.outputs = []
        self.signatures = []         # SignatureDef tables
        self.subgraphs = []          # more subgraphs (add_subgraph), numbered from 1
        self.name = "main"
        self.index = 0

    def add_tensor(self, name: str, shape, dtype, quantization: dict | None = None,
                   buffer: int = 0, variable: bool = False) -> int:
        t = {"shape": [int(d) for d in shape], "type": tensor_type_name(dtype),
             "buffer": buffer, "name": name}
        if variable:
            t["is_variable"] = True
        if quantization:
            q = dict(quantization)
            q["scale"] = np.atleast_1d(np.asarray(q["scale"], np.float32))
            q["zero_point"] = np.atleast_1d(np.asarray(q.get("zero_point", 0), np.int64))
            if len(q["zero_point"]) == 1 and len(q["scale"]) > 1:
                q["zero_point"] = np.repeat(q["zero_point"], len(q["scale"]))
            t["quantization"] = q
        self.tensors.append(t)
        return len(self.tensors) - 1

    def add_input(self, name: str, shape, dtype, quantization: dict | None = None) -> int:
        idx = self.add_tensor(name, shape, dtype, quantization)
        self.inputs.append(idx)
        return idx

    def add_constant(self, name: str, array, dtype=None, quantization: dict | None = None) -> int:
        arr = np.ascontiguousarray(np.asarray(array, dtype=dtype))
        self.buffers.append({"data": np.frombuffer(arr.tobytes(), np.uint8)})
        return self.add_tensor(name, arr.shape, arr.dtype, quantization, buffer=len(self.buffers) - 1)

    def add_operator(self, op: str, inputs, outputs, options: dict | None = None,
                     version: int = 1, custom_code: str | None = None,
                     custom_options: bytes | None = None) -> int:
        """op is a builtin name, or "CUSTOM" with its custom_code and raw
        custom_options bytes."""
        ops = schema_mod.load().enums["BuiltinOperator"].values
        if op not in ops:
            raise ValueError(f"unknown builtin op {op!r}")
        if (op == "CUSTOM") != (custom_code is not None):
            raise ValueError(f"a custom_code goes with op CUSTOM, got op {op!r} and "
                             f"custom_code {custom_code!r}")
        key = (op, version, custom_code)
        if key not in self.opcodes:
            self.opcodes.append(key)
        o = {"opcode_index": self.opcodes.index(key),
             "inputs": np.asarray(inputs, np.int32), "outputs": np.asarray(outputs, np.int32)}
        if custom_options is not None:
            o["custom_options"] = np.frombuffer(bytes(custom_options), np.uint8)
        table = op_catalogue.options_table(op)
        if table:
            o["builtin_options"] = (table, dict(options or {}))
        elif options:
            raise ValueError(f"op {op} takes no options, got {options}")
        self.operators.append(o)
        return len(self.operators) - 1

    def mark_outputs(self, *indices: int) -> None:
        self.outputs.extend(int(i) for i in indices)

    def add_subgraph(self, name: str) -> "ModelBuilder":
        """Another subgraph of this model (for WHILE, IF and CALL_ONCE to
        call): a builder of its own tensors, operators, inputs and outputs
        that shares this model's buffers and operator codes. Subgraphs are
        numbered in the order they are added, after this one (0)."""
        sub = ModelBuilder(self.description)
        sub.buffers, sub.opcodes, sub.name = self.buffers, self.opcodes, name
        self.subgraphs.append(sub)
        sub.index = len(self.subgraphs)
        return sub

    def add_signature(self, key: str, inputs: dict, outputs: dict) -> None:
        """A SignatureDef over subgraph 0: inputs and outputs map names to tensor indices."""
        def tensor_maps(names):
            return [{"name": name, "tensor_index": int(i)} for name, i in names.items()]
        self.signatures.append({"inputs": tensor_maps(inputs), "outputs": tensor_maps(outputs),
                                "signature_key": key, "subgraph_index": 0})

    def model_dict(self) -> dict:
        ops = schema_mod.load().enums["BuiltinOperator"].values
        codes = [{"deprecated_builtin_code": min(ops[name], 127), "version": version,
                  "builtin_code": ops[name], **({"custom_code": custom} if custom else {})}
                 for name, version, custom in self.opcodes]
        model = {
            "version": 3,
            "operator_codes": codes,
            "subgraphs": [{"tensors": g.tensors, "inputs": np.asarray(g.inputs, np.int32),
                           "outputs": np.asarray(g.outputs, np.int32),
                           "operators": g.operators, "name": g.name}
                          for g in [self, *self.subgraphs]],
            "description": self.description,
            "buffers": self.buffers,
        }
        if self.signatures:
            model["signature_defs"] = self.signatures
        return model

    def build(self) -> bytes:
        return flatbuf.encode(self.model_dict())
