"""Import a Mote trained graph (docs/formats.md) into the IR, freezing it:
variables become constants, the loss and the optimizer state are left behind,
Dropout becomes an inference no-op (removed by the passes) and batch norm is
emitted with its moving statistics for fold_batch_norm."""
from __future__ import annotations

import json
import zipfile
import zlib

import numpy as np

from .. import ir
from ..errors import ConversionError

FORMAT, VERSION = "mote-trained-graph", 1


def read_trained_graph(path):
    """(graph dict, {variable name: array}) with the format, version and every
    listed variable's presence and shape checked. The one reader of the
    format; models.saving uses it too."""
    try:
        z = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        z = None
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise ConversionError(f"{path}: not a readable Mote trained graph (not an .npz archive)")
    try:
        with z:
            if "__graph__" not in z.files:
                raise ConversionError("it has no __graph__ entry")
            graph = json.loads(z["__graph__"].tobytes().decode())
            arrays = {k[4:]: z[k] for k in z.files if k.startswith("var/")}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, json.JSONDecodeError,
            UnicodeDecodeError) as e:
        raise ConversionError(f"{path}: not a readable Mote trained graph ({e})") from e
    if graph.get("format") != FORMAT or graph.get("version") != VERSION:
        raise ConversionError(f"{path}: format {graph.get('format')!r} version {graph.get('version')!r}; "
                         f"expected {FORMAT!r} version {VERSION}")
    for key, spec in graph.get("variables", {}).items():
        if key not in arrays:
            raise ConversionError(f"{path}: variable {key!r} is listed but missing")
        if list(arrays[key].shape) != spec["shape"]:
            raise ConversionError(f"{path}: variable {key!r} has shape {list(arrays[key].shape)}, "
                             f"expected {spec['shape']}")
    return graph, arrays


def _pad_name(padding):
    return {"same": "SAME", "valid": "VALID"}[padding]


def _add_lstm(g, path, node, arrays):
    """An LSTM layer as UNIDIRECTIONAL_SEQUENCE_LSTM: the stacked weights cut
    into the op's per-gate tensors (the layer keeps TFLite's gate order), its
    state in two variable tensors (zero at the start, see docs/formats.md)."""
    name, c = node["name"], node["config"]
    if not c.get("return_sequences", False):
        raise ConversionError(f"{path}: LSTM {name!r} returns only its last step; the converter "
                              f"writes LSTMs that return every step (return_sequences=True): "
                              f"taking the last one needs a slicing op Mote does not write yet")
    units = c["units"]
    stacked = {k: arrays[f"{name}/{k}"].astype(np.float32)
               for k in ("kernel", "recurrent_kernel", "bias")}

    def block(key, gate):
        return g.add_tensor(ir.Tensor(g.unique_name(f"{name}/{key}_{gate}"),
                                      stacked[key][gate * units:(gate + 1) * units].shape,
                                      "float32",
                                      stacked[key][gate * units:(gate + 1) * units].copy())).name

    def state(kind):
        return g.add_tensor(ir.Tensor(g.unique_name(f"{name}/{kind}_state"), (1, units),
                                      variable=True)).name
    ins = list(node["inputs"])
    ins += [block("kernel", k) for k in range(4)]
    ins += [block("recurrent_kernel", k) for k in range(4)]
    ins += [None] * 3                                       # no peepholes
    ins += [block("bias", k) for k in range(4)]
    ins += [None, None, state("output"), state("cell")]     # no projection
    ins += [None] * 4                                       # no layer normalization
    g.nodes.append(ir.Node("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [name],
                           {"fused_activation_function": "TANH", "time_major": False}, name))


def import_trained_graph(path) -> ir.Graph:
    graph, arrays = read_trained_graph(path)
    g = ir.Graph()

    def var(node, key):
        full = f"{node['name']}/{key}"
        if full not in arrays:
            raise ConversionError(f"{path}: variable {full!r} is missing")
        return g.add_tensor(ir.Tensor(g.unique_name(full), tuple(arrays[full].shape), "float32",
                                      arrays[full].astype(np.float32))).name

    def const(name, value, dtype):
        return g.add_tensor(ir.Tensor(g.unique_name(name), tuple(np.shape(value)), dtype,
                                      np.asarray(value, dtype))).name

    def add(node):
        name, op, c = node["name"], node["op"], node["config"]
        shape = (1, *node["shape"])
        if op == "Input":
            g.add_tensor(ir.Tensor(name, shape))
            g.inputs.append(name)
            return
        g.add_tensor(ir.Tensor(name, shape))
        ins = list(node["inputs"])
        unknown = [i for i in ins if i not in g.tensors]
        if unknown:
            raise ConversionError(f"{path}: node {name!r} reads {unknown}, which no earlier node "
                                  f"computes")
        if op in ("Conv2D", "DepthwiseConv2D"):
            options = {"padding": _pad_name(c["padding"]), "stride_h": c["strides"][0],
                       "stride_w": c["strides"][1], "dilation_h_factor": c["dilation"][0],
                       "dilation_w_factor": c["dilation"][1]}
            ins.append(var(node, "kernel"))
            if c.get("use_bias", True):
                ins.append(var(node, "bias"))
            if op == "DepthwiseConv2D":
                options["depth_multiplier"] = c["depth_multiplier"]
            g.nodes.append(ir.Node("CONV_2D" if op == "Conv2D" else "DEPTHWISE_CONV_2D", ins, [name],
                                   options, name))
        elif op == "Dense":
            ins.append(var(node, "kernel"))
            if c.get("use_bias", True):
                ins.append(var(node, "bias"))
            g.nodes.append(ir.Node("FULLY_CONNECTED", ins, [name],
                                   {"keep_num_dims": len(node["shape"]) > 1}, name))
        elif op == "BatchNormalization":
            ins += [var(node, k) for k in ("gamma", "beta", "moving_mean", "moving_variance")]
            g.nodes.append(ir.Node("BATCH_NORM", ins, [name], {"epsilon": c["epsilon"]}, name))
        elif op in ("MaxPool", "AveragePool"):
            g.nodes.append(ir.Node("MAX_POOL_2D" if op == "MaxPool" else "AVERAGE_POOL_2D", ins,
                                   [name], {"padding": _pad_name(c["padding"]),
                                            "stride_h": c["strides"][0], "stride_w": c["strides"][1],
                                            "filter_height": c["pool_size"][0],
                                            "filter_width": c["pool_size"][1]}, name))
        elif op == "GlobalAveragePool":
            g.nodes.append(ir.Node("MEAN", ins + [const(name + "/axes", [1, 2], "int32")], [name],
                                   {"keep_dims": False}, name))
        elif op in ("Reshape", "Flatten"):
            g.nodes.append(ir.Node("RESHAPE", ins + [const(name + "/shape", shape, "int32")], [name],
                                   {"new_shape": list(shape)}, name))
        elif op == "LSTM":
            _add_lstm(g, path, node, arrays)
        elif op == "Concatenate":
            axis = c["axis"] % len(shape)
            g.nodes.append(ir.Node("CONCATENATION", ins, [name], {"axis": axis}, name))
        else:
            simple = {"ReLU": "RELU", "ReLU6": "RELU6", "Sigmoid": "LOGISTIC", "Tanh": "TANH",
                      "Softmax": "SOFTMAX", "Add": "ADD", "Dropout": "DROPOUT"}
            if op not in simple:
                raise ConversionError(f"{path}: node {name!r} has unknown layer type {op!r}")
            g.nodes.append(ir.Node(simple[op], ins, [name], {"beta": 1.0} if op == "Softmax" else {},
                                   name))

    for node in graph["nodes"]:
        try:
            add(node)
        except ConversionError:
            raise
        except (KeyError, TypeError, IndexError, ValueError) as e:   # the JSON's shape is wrong
            raise ConversionError(f"{path}: node {json.dumps(node)[:120]} does not follow the "
                                  f"trained-graph format (docs/formats.md): "
                                  f"{type(e).__name__}: {e}") from e
    if graph.get("output") not in g.tensors:
        raise ConversionError(f"{path}: output {graph.get('output')!r} is not a node of the graph")
    g.outputs = [graph["output"]]
    return g
