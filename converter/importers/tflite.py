"""Import a float .tflite file into the IR (to re-quantize a model from
elsewhere). Only subgraph 0 is read; quantized files are refused (quantize
the float original instead)."""
from __future__ import annotations

import numpy as np

from .. import ir
from ..errors import ConversionError
from ..tflite import flatbuf
from ..tflite import schema as schema_mod
from ..tflite.builder import DTYPES


def _tensor_type(code: int) -> str:
    return schema_mod.load().enums["TensorType"].name_of(code).lower()


def _options(table: str, values: dict) -> dict:
    """Decoded option values with enum fields turned into their names."""
    s = schema_mod.load()
    out = {}
    for f in s.tables[table].fields:
        v = values.get(f.name)
        if v is None or f.deprecated:
            continue
        if f.type in s.enums and not f.vector and f.type != "TensorType":
            v = s.enums[f.type].name_of(int(v))
        elif f.vector:
            v = [int(x) for x in v]
        out[f.name] = v
    return out


def import_tflite(data: bytes) -> ir.Graph:
    from pyruntime.interpreter import verify   # the C verifier checks every offset first
    verify(data)
    m = flatbuf.decode(data)
    sg = m["subgraphs"][0]
    ops = schema_mod.load().enums["BuiltinOperator"]
    g = ir.Graph()
    names = []
    for i, t in enumerate(sg["tensors"]):
        dtype = _tensor_type(t["type"])
        if dtype not in DTYPES:
            raise ConversionError(f"tensor {i} {t['name']!r} has type {dtype.upper()}, which the "
                             f"converter cannot import")
        q = t.get("quantization")
        if q and q.get("scale") is not None and len(q["scale"]) and dtype in ("int8", "uint8", "int16"):
            raise ConversionError(f"tensor {i} {t['name']!r} is already quantized ({dtype.upper()}): "
                             f"give the converter the float model")
        if t.get("sparsity") is not None:
            raise ConversionError(f"tensor {i} {t['name']!r} uses TFLite sparsity (DENSIFY), "
                                  f"which Mote does not import yet: give the dense float model")
        shape = tuple(int(d) for d in (t["shape"] if t["shape"] is not None else []))
        buf = m["buffers"][t["buffer"]] if t["buffer"] < len(m["buffers"]) else {}
        data_arr = None
        if buf.get("data") is not None and len(buf["data"]):
            raw = buf["data"].tobytes()
            want = int(np.prod(shape)) * np.dtype(DTYPES[dtype]).itemsize
            if len(raw) != want:
                raise ConversionError(f"tensor {i} {t['name']!r} ({dtype.upper()} {list(shape)}) "
                                      f"needs {want} bytes of data; its buffer holds {len(raw)}")
            data_arr = np.frombuffer(raw, DTYPES[dtype]).reshape(shape).copy()
        name = g.unique_name(t["name"] or f"tensor_{i}")
        g.add_tensor(ir.Tensor(name, shape, dtype, data_arr))
        names.append(name)
    for k, op in enumerate(sg["operators"] or []):
        code = m["operator_codes"][op["opcode_index"]]
        builtin = max(int(code["builtin_code"]), int(code["deprecated_builtin_code"]))
        opname = ops.name_of(builtin)
        options = {}
        if op.get("builtin_options"):
            table, values = op["builtin_options"]
            if table in schema_mod.load().tables:
                options = _options(table, values)
        g.nodes.append(ir.Node(opname, [names[i] if i >= 0 else None for i in op["inputs"]],
                               [names[i] for i in op["outputs"]], options, name=f"op{k}"))
    g.inputs = [names[i] for i in sg["inputs"]]
    g.outputs = [names[i] for i in sg["outputs"]]
    return g
