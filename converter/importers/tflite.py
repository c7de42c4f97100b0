"""Import a float .tflite file into the IR (to re-quantize a model from
elsewhere). Subgraph 0 is the model; a WHILE loop in it that computes an LSTM
layer (TensorFlow's form of a Keras LSTM it did not fuse) becomes one
UNIDIRECTIONAL_SEQUENCE_LSTM node (converter/lstm_fusion.py), and any other
control flow is refused; quantized files are refused (quantize the float
original instead). Sparse constants (TFLite sparsity, read by
DENSIFY) are made dense here, so DENSIFY folds away; MediaPipe's custom
Convolution2DTransposeBias becomes a TRANSPOSE_CONV with a bias, which TFLite
runs with its builtin kernels."""
from __future__ import annotations

import struct

import numpy as np

from .. import ir, lstm_fusion
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


def _index_vector(where: str, value):
    if value is None:
        raise ConversionError(f"{where}: a SPARSE_CSR dim lacks its segments or indices")
    return np.asarray(value[1]["values"] if value[1]["values"] is not None else [], np.int64)


def densify(where: str, shape: tuple, values: np.ndarray, sparsity: dict) -> np.ndarray:
    """The dense array of a TFLite sparse tensor: its dims in traversal order
    (the tensor's dims, then block dims each splitting the tensor dim
    block_map names), DENSE ones covering every index and SPARSE_CSR ones
    listing present indices per parent position; values in traversal order,
    zeros elsewhere (TFLite's FormatConverter, as DENSIFY runs it)."""
    n = len(shape)
    order = [int(v) for v in (sparsity.get("traversal_order") if sparsity.get("traversal_order")
                              is not None else [])]
    block_map = [int(v) for v in (sparsity.get("block_map") if sparsity.get("block_map")
                                  is not None else [])]
    meta = sparsity.get("dim_metadata") or []
    levels = n + len(block_map)
    if (sorted(order[:n]) != list(range(n)) or order[n:] != list(range(n, levels))
            or len(meta) != levels or n == 0):
        raise ConversionError(f"{where}: sparsity with traversal order {order}, block map "
                              f"{block_map} and {len(meta)} dim metadata does not fit a tensor "
                              f"of shape {list(shape)}")
    block_size = [int(meta[n + k]["dense_size"]) for k in range(len(block_map))]
    blocks = dict(zip(block_map, block_size))
    if (len(blocks) != len(block_map) or any(d < 0 or d >= n for d in block_map)
            or any(b < 1 or shape[d] % b for d, b in blocks.items())):
        raise ConversionError(f"{where}: sparsity block map {block_map} with block sizes "
                              f"{block_size} does not fit shape {list(shape)}")
    sizes = [shape[d] // blocks.get(d, 1) if d < n else block_size[d - n] for d in order]
    csr = {}
    for level, m in enumerate(meta):
        if m["format"] == 0 and int(m["dense_size"]) != sizes[level]:
            raise ConversionError(f"{where}: sparsity level {level} is DENSE of size "
                                  f"{m['dense_size']}; expected {sizes[level]}")
        if m["format"] != 0:
            csr[level] = (_index_vector(where, m["array_segments"]),
                          _index_vector(where, m["array_indices"]))
    problem = ConversionError(f"{where}: its sparsity reads past its segments, indices or "
                              f"{values.size} values")
    # Walk level by level, all entries at once: each has its coordinates so far
    # and its position (in the CSR level's indices, or its dense offset).
    coords = np.zeros((1, 0), np.int64)
    parent = np.zeros(1, np.int64)
    for level in range(levels):
        size = sizes[level]
        if level not in csr:
            i = np.tile(np.arange(size, dtype=np.int64), len(parent))
            coords = np.column_stack([np.repeat(coords, size, axis=0), i])
            parent = np.repeat(parent, size) * size + i
            continue
        seg, idx = csr[level]
        if np.any(parent + 1 >= len(seg)):
            raise problem
        lo, hi = seg[parent], seg[parent + 1]
        if np.any(lo < 0) or np.any(lo > hi) or np.any(hi > len(idx)):
            raise problem
        counts = hi - lo
        pos = np.repeat(lo, counts) + np.arange(int(counts.sum()), dtype=np.int64) - \
            np.repeat(np.cumsum(counts) - counts, counts)
        if np.any(idx[pos] < 0) or np.any(idx[pos] >= size):
            raise problem
        coords = np.column_stack([np.repeat(coords, counts, axis=0), idx[pos]])
        parent = pos
    if len(coords) != values.size:
        raise ConversionError(f"{where}: its sparsity places {len(coords)} values; it holds "
                              f"{values.size}")
    index = np.zeros((len(coords), n), np.int64)
    index[:, order[:n]] = coords[:, :n]
    for k in range(n, levels):
        d = block_map[order[k] - n]
        index[:, d] = index[:, d] * blocks[d] + coords[:, k]
    dense = np.zeros(shape, values.dtype)
    dense[tuple(index.T)] = values
    return dense


def _transpose_conv_bias(where, op, shapes):
    """MediaPipe's Convolution2DTransposeBias (input, OHWI filter, bias; custom
    options: int32 padding (1 SAME, 2 VALID), stride_w, stride_h) as the
    TRANSPOSE_CONV options with the same leading padding: MediaPipe pads SAME
    by max(0, k - (in - 1) % s - 1) in all; TFLite derives its padding from
    the output size."""
    raw = bytes(np.asarray(op.get("custom_options") if op.get("custom_options") is not None
                           else [], np.uint8))
    if len(raw) < 12:
        raise ConversionError(f"{where}: custom options of {len(raw)} bytes; expected 12 "
                              f"(padding, stride_w, stride_h as int32)")
    padding, sw, sh = struct.unpack("<iii", raw[:12])
    (_, ih, iw, _), (_, kh, kw, _) = shapes[0], shapes[1]
    if padding not in (1, 2) or sw < 1 or sh < 1:
        raise ConversionError(f"{where}: custom options padding {padding}, strides {sw} x {sh}; "
                              f"expected padding 1 (SAME) or 2 (VALID) and strides >= 1")

    def mediapipe(i, k, s):
        total = max(0, k - (i - 1) % s - 1) if padding == 1 else 0
        return s * (i - 1) + k - total, total // 2

    def tflite(o, k, s, pad):
        conv_out = -(-o // s) if pad == "SAME" else (o - k + s) // s
        return max(0, (conv_out - 1) * s + k - o) // 2

    (oh, top), (ow, left) = mediapipe(ih, kh, sh), mediapipe(iw, kw, sw)
    for pad in ("SAME", "VALID"):
        if tflite(oh, kh, sh, pad) == top and tflite(ow, kw, sw, pad) == left:
            return (oh, ow), {"padding": pad, "stride_w": sw, "stride_h": sh}
    raise ConversionError(f"{where}: its padding ({top}, {left} leading) has no TRANSPOSE_CONV "
                          f"equivalent")


def import_tflite(data: bytes) -> ir.Graph:
    from ...runtime.interpreter import verify   # the C verifier checks every offset first
    verify(data)
    try:
        m = flatbuf.decode(data)
    except struct.error as e:   # an offset the C verifier let through (an options table's)
        raise ConversionError(f"the model is corrupt: an offset points outside the file "
                              f"({e})") from None
    g = _import_subgraph(m, 0)
    for k, node in [(k, n) for k, n in enumerate(g.nodes) if n.op in op_catalogue.CONTROL_FLOW]:
        where = f"op {k} ({node.op})"
        if node.op != "WHILE":
            raise ConversionError(f"{where} runs other subgraphs of the file; the converter "
                                  f"imports WHILE loops that are LSTM layers (fusing each into "
                                  f"UNIDIRECTIONAL_SEQUENCE_LSTM) and no other control flow "
                                  f"(Mote's runtime runs this file as it is)")
        cond, body = (node.options.get(k) for k in ("cond_subgraph_index", "body_subgraph_index"))
        count = len(m["subgraphs"])
        if not all(isinstance(k, int) and 0 < k < count for k in (cond, body)):
            raise ConversionError(f"{where} names subgraphs {cond} and {body}; expected indices "
                                  f"from 1 to {count - 1}")
        try:
            lstm_fusion.fuse_while(g, node, _import_subgraph(m, cond), _import_subgraph(m, body),
                                   f"{where}, cond subgraph {cond}, body subgraph {body}")
        except ConversionError as e:
            raise ConversionError(f"{e} (the converter imports WHILE loops that are LSTM "
                                  f"layers; Mote's runtime runs this file as it is)") from None
    return g


def _import_subgraph(m: dict, index: int) -> ir.Graph:
    """Subgraph `index` of the decoded file as an IR graph; ops that call
    subgraphs stay as nodes with their options (subgraph indices)."""
    sg = m["subgraphs"][index]
    ops = schema_mod.load().enums["BuiltinOperator"]
    g = ir.Graph()
    names = []
    # Tensors and ops of subgraphs past the first are named with their subgraph.
    where_sg, prefix = ("", "") if index == 0 else (f"subgraph {index} ", f"subgraph{index}/")
    for i, t in enumerate(sg["tensors"]):
        dtype = _tensor_type(t["type"])
        tensor = f"{where_sg}tensor {i} {t['name']!r}"
        if dtype not in DTYPES:
            raise ConversionError(f"{tensor} has type {dtype.upper()}, which the converter "
                                  f"cannot import")
        q = t.get("quantization")
        if q and q.get("scale") is not None and len(q["scale"]) and \
                dtype in ("int8", "uint8", "int16"):
            raise ConversionError(f"{tensor} is already quantized ({dtype.upper()}): give the "
                                  f"converter the float model")
        shape = tuple(int(d) for d in (t["shape"] if t["shape"] is not None else []))
        if any(d < 0 for d in shape):
            raise ConversionError(f"{tensor} has shape {list(shape)}; expected sizes >= 0 "
                                  f"(dynamic dimensions are not supported)")
        buf = m["buffers"][t["buffer"]] if t["buffer"] < len(m["buffers"]) else {}
        data_arr = None
        where = f"{tensor} ({dtype.upper()} {list(shape)})"
        if t.get("sparsity") is not None:
            raw = buf["data"].tobytes() if buf.get("data") is not None else b""
            if len(raw) % np.dtype(DTYPES[dtype]).itemsize:
                raise ConversionError(f"{where} is stored sparse; its buffer of {len(raw)} bytes "
                                      f"is not a whole number of {dtype.upper()} values")
            data_arr = densify(where + " (stored sparse)", shape,
                               np.frombuffer(raw, DTYPES[dtype]), t["sparsity"])
        elif buf.get("data") is not None and len(buf["data"]):
            raw = buf["data"].tobytes()
            want = int(np.prod(shape)) * np.dtype(DTYPES[dtype]).itemsize
            if len(raw) != want:
                raise ConversionError(f"{where} needs {want} bytes of data; its buffer holds {len(raw)}")
            data_arr = np.frombuffer(raw, DTYPES[dtype]).reshape(shape).copy()
        name = g.unique_name(t["name"] or f"tensor_{i}")
        g.add_tensor(ir.Tensor(name, shape, dtype, data_arr, variable=bool(t.get("is_variable"))))
        names.append(name)
    for k, op in enumerate(sg["operators"] or []):
        code = m["operator_codes"][op["opcode_index"]]
        builtin = max(int(code["builtin_code"]), int(code["deprecated_builtin_code"]))
        opname = ops.name_of(builtin)
        if builtin not in ops.values.values():
            raise ConversionError(f"{where_sg}op {k} has builtin operator code {builtin}, which "
                                  f"TFLite's schema does not name")
        where = f"{where_sg}op {k} ({opname})"
        inputs, outputs = (list(op[k] if op[k] is not None else []) for k in ("inputs", "outputs"))
        if opname == "CUSTOM":
            custom = code.get("custom_code") or ""
            where = f"{where_sg}op {k} (custom {custom!r})"
            if custom != "Convolution2DTransposeBias":
                raise ConversionError(f"{where}: the converter cannot import this custom op "
                                      f"(it knows MediaPipe's Convolution2DTransposeBias)")
            if len(inputs) != 3 or len(outputs) != 1 or min(inputs + outputs) < 0:
                raise ConversionError(f"{where} has inputs {inputs} and outputs {outputs}; "
                                      f"expected input, filter and bias, and one output")
            shapes = [g.tensors[names[i]].shape for i in inputs]
            if [len(s) for s in shapes] != [4, 4, 1]:
                raise ConversionError(f"{where}: operand shapes {[list(s) for s in shapes]}; "
                                      f"expected NHWC input, OHWI filter and a bias vector")
            (oh, ow), options = _transpose_conv_bias(where, op, shapes)
            out_shape = np.array([shapes[0][0], oh, ow, shapes[1][0]], np.int32)
            shape_t = g.add_tensor(ir.Tensor(g.unique_name(names[outputs[0]] + "/output_shape"),
                                             (4,), "int32", out_shape))
            g.nodes.append(ir.Node("TRANSPOSE_CONV", [shape_t.name, names[inputs[1]],
                                                      names[inputs[0]], names[inputs[2]]],
                                   [names[outputs[0]]], options, name=f"{prefix}op{k}"))
            continue
        options = {}
        if op.get("builtin_options"):
            table, values = op["builtin_options"]
            if table != op_catalogue.options_table(opname):
                raise ConversionError(f"{where} carries {table}; expected "
                                      f"{op_catalogue.options_table(opname) or 'no options'}")
            if table in schema_mod.load().tables:
                options = _options(where, table, values)
        # Inputs 0 and 1 are data and weights, but for an LSTM only input 0 (its input
        # gate's weights are absent under CIFG).
        required = inputs[:1 if opname == "UNIDIRECTIONAL_SEQUENCE_LSTM" else 2]
        if opname in op_catalogue.CONTROL_FLOW:   # loop variables, none for CALL_ONCE
            required = inputs
        if (not outputs and opname not in op_catalogue.CONTROL_FLOW) or \
                min(outputs, default=0) < 0 or min(required, default=0) < 0:
            raise ConversionError(f"{where} has inputs {inputs} and outputs {outputs}; expected "
                                  f"tensor indices (-1 only for an optional input such as a bias)")
        g.nodes.append(ir.Node(opname, [names[i] if i >= 0 else None for i in inputs],
                               [names[i] for i in outputs], options, name=f"{prefix}op{k}"))
    for what in ("inputs", "outputs"):
        sg[what] = sg[what] if sg[what] is not None else []
        if min(sg[what], default=0) < 0:
            raise ConversionError(f"the model's {where_sg}{what} are {list(sg[what])}; expected "
                                  f"tensor indices")
    g.inputs = [names[i] for i in sg["inputs"]]
    g.outputs = [names[i] for i in sg["outputs"]]
    return g
