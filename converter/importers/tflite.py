"""Import a float .tflite file into the IR (to re-quantize a model from
elsewhere). Only subgraph 0 is read; quantized files are refused (quantize
the float original instead)."""
from __future__ import annotations

import struct

import numpy as np

from .. import ir
from .. import ops as op_catalogue
from ..errors import ConversionError
from ..tflite import flatbuf
from ..tflite import schema as schema_mod
from ..tflite.builder import DTYPES


def _tensor_type(code: int) -> str:
    return schema_mod.load().enums["TensorType"].name_of(code).lower()


def _options(where: str, table: str, values: dict) -> dict:
    """Decoded option values with enum fields turned into their names."""
    s = schema_mod.load()
    out = {}
    for f in s.tables[table].fields:
        v = values.get(f.name)
        if v is None or f.deprecated:
            continue
        if f.type in s.enums and not f.vector and f.type != "TensorType":
            if int(v) not in s.enums[f.type].values.values():
                raise ConversionError(f"{where}: option {f.name} is {int(v)}, not a {f.type} "
                                      f"(expected one of {sorted(s.enums[f.type].values)})")
            v = s.enums[f.type].name_of(int(v))
        elif f.vector:
            v = [int(x) for x in v]
        out[f.name] = v
    return out


def import_tflite(data: bytes) -> ir.Graph:
    from ...runtime.interpreter import verify   # the C verifier checks every offset first
    verify(data)
    try:
        m = flatbuf.decode(data)
    except struct.error as e:   # an offset the C verifier let through (an options table's)
        raise ConversionError(f"the model is corrupt: an offset points outside the file "
                              f"({e})") from None
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
        if any(d < 0 for d in shape):
            raise ConversionError(f"tensor {i} {t['name']!r} has shape {list(shape)}; expected "
                                  f"sizes >= 0 (dynamic dimensions are not supported)")
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
        g.add_tensor(ir.Tensor(name, shape, dtype, data_arr, variable=bool(t.get("is_variable"))))
        names.append(name)
    for k, op in enumerate(sg["operators"] or []):
        code = m["operator_codes"][op["opcode_index"]]
        builtin = max(int(code["builtin_code"]), int(code["deprecated_builtin_code"]))
        opname = ops.name_of(builtin)
        where = f"op {k} ({opname})"
        options = {}
        if op.get("builtin_options"):
            table, values = op["builtin_options"]
            if table != op_catalogue.options_table(opname):
                raise ConversionError(f"{where} carries {table}; expected "
                                      f"{op_catalogue.options_table(opname) or 'no options'}")
            if table in schema_mod.load().tables:
                options = _options(where, table, values)
        inputs, outputs = (list(op[k] if op[k] is not None else []) for k in ("inputs", "outputs"))
        # Inputs 0 and 1 are data and weights, but for an LSTM only input 0 (its input
        # gate's weights are absent under CIFG).
        required = inputs[:1 if opname == "UNIDIRECTIONAL_SEQUENCE_LSTM" else 2]
        if not outputs or min(outputs) < 0 or min(required, default=0) < 0:
            raise ConversionError(f"{where} has inputs {inputs} and outputs {outputs}; expected "
                                  f"tensor indices (-1 only for an optional input such as a bias)")
        g.nodes.append(ir.Node(opname, [names[i] if i >= 0 else None for i in inputs],
                               [names[i] for i in outputs], options, name=f"op{k}"))
    for what in ("inputs", "outputs"):
        sg[what] = sg[what] if sg[what] is not None else []
        if min(sg[what], default=0) < 0:
            raise ConversionError(f"the model's {what} are {list(sg[what])}; expected tensor indices")
    g.inputs = [names[i] for i in sg["inputs"]]
    g.outputs = [names[i] for i in sg["outputs"]]
    return g
