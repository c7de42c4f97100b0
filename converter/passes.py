"""Graph passes. Each returns a new graph whose outputs equal the input
graph's (checked in float64 by the tests)."""
from __future__ import annotations

import numpy as np

from . import ir, reference
from .errors import ConversionError


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


def _single_consumer(g: ir.Graph, tensor: str):
    users = g.consumers().get(tensor, [])
    return users[0] if len(users) == 1 and tensor not in g.outputs else None


def _rewire(g: ir.Graph, old: str, new: str) -> None:
    for n in g.nodes:
        n.inputs = [new if i == old else i for i in n.inputs]
    g.outputs = [new if o == old else o for o in g.outputs]


def remove_identities(g: ir.Graph) -> ir.Graph:
    """IDENTITY and inference-time DROPOUT pass their input through."""
    g = g.copy()
    for node in [n for n in g.nodes if n.op in ("IDENTITY", "DROPOUT")]:
        src, dst = node.inputs[0], node.outputs[0]
        g.nodes.remove(node)
        if dst in g.outputs and src in g.inputs:
            g.nodes.append(ir.Node("RESHAPE", [src], [dst], {}, node.name))  # keep both names
            continue
        if dst in g.outputs:   # keep the output's name: rename the producer's output instead
            for n in g.nodes:
                n.outputs = [dst if o == src else o for o in n.outputs]
                n.inputs = [dst if i == src else i for i in n.inputs]
            g.inputs = [dst if i == src else i for i in g.inputs]
        else:
            _rewire(g, dst, src)
    return remove_dead(g)


FOLDABLE_INTO = {"CONV_2D": 0, "DEPTHWISE_CONV_2D": 3, "FULLY_CONNECTED": 0}


def fold_batch_norm(g: ir.Graph) -> ir.Graph:
    """y = (x - mean) / sqrt(var + eps) * gamma + beta after a convolution or
    fully connected layer with constant weights becomes new weights and bias:
    w' = w * k, b' = (b - mean) * k + beta with k = gamma / sqrt(var + eps),
    along the layer's output-channel axis. A batch norm that cannot fold
    becomes MUL + ADD."""
    g = g.copy()
    producers = g.producers()
    for bn in [n for n in g.nodes if n.op == "BATCH_NORM"]:
        x, gamma, beta, mean, var = (np.asarray(g.tensors[i].data, np.float64) if k else i
                                     for k, i in enumerate(bn.inputs))
        channels = g.tensors[x].shape[-1:]
        if any(s.shape != tuple(channels) for s in (gamma, beta, mean, var)):
            raise ConversionError(f"node {bn.name!r} (BATCH_NORM): statistics of shapes "
                                  f"{[list(s.shape) for s in (gamma, beta, mean, var)]}; expected "
                                  f"{list(channels)}, the channels of {x!r}")
        k = gamma / np.sqrt(var + bn.options.get("epsilon", 1e-5))
        shift = beta - mean * k
        layer = producers.get(x)
        if (layer is not None and layer.op in FOLDABLE_INTO and _single_consumer(g, x) is bn
                and g.tensors[layer.inputs[1]].is_constant
                and layer.options.get("fused_activation_function", "NONE") in ("NONE", None)):
            axis = FOLDABLE_INTO[layer.op]
            w = g.tensors[layer.inputs[1]]
            shape = [1] * len(w.shape)
            shape[axis] = -1
            w.data = (np.asarray(w.data, np.float64) * k.reshape(shape)).astype(w.dtype)
            bias_in = layer.inputs[2] if len(layer.inputs) > 2 else None
            old_b = np.asarray(g.tensors[bias_in].data, np.float64) if bias_in else 0.0
            bname = g.unique_name(bn.outputs[0] + "/folded_bias")
            g.add_tensor(ir.Tensor(bname, (len(k),), "float32",
                                   (old_b * k + shift).astype(np.float32)))
            layer.inputs = layer.inputs[:2] + [bname]
            g.nodes.remove(bn)
            layer.outputs = [bn.outputs[0]]
            continue
        i = g.nodes.index(bn)
        scale_t = g.add_tensor(ir.Tensor(g.unique_name(bn.outputs[0] + "/scale"), k.shape,
                                         "float32", k.astype(np.float32)))
        shift_t = g.add_tensor(ir.Tensor(g.unique_name(bn.outputs[0] + "/shift"), k.shape,
                                         "float32", shift.astype(np.float32)))
        mid = g.add_tensor(ir.Tensor(g.unique_name(bn.outputs[0] + "/scaled"),
                                     g.tensors[bn.outputs[0]].shape, "float32"))
        g.nodes[i:i + 1] = [ir.Node("MUL", [x, scale_t.name], [mid.name], {}, bn.name),
                            ir.Node("ADD", [mid.name, shift_t.name], [bn.outputs[0]], {}, bn.name)]
    return remove_dead(g)


FUSES_ACTIVATION = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "SUB", "MUL",
                    "AVERAGE_POOL_2D", "MAX_POOL_2D"}


def fuse_activations(g: ir.Graph) -> ir.Graph:
    """RELU / RELU6 right after an op that has a fused activation slot (and is
    its only reader) moves into that slot."""
    g = g.copy()
    producers = g.producers()
    for act in [n for n in g.nodes if n.op in ("RELU", "RELU6")]:
        src = producers.get(act.inputs[0])
        if (src is None or src.op not in FUSES_ACTIVATION or _single_consumer(g, act.inputs[0]) is not act
                or src.options.get("fused_activation_function", "NONE") not in ("NONE", None)):
            continue
        src.options["fused_activation_function"] = act.op
        src.outputs = [act.outputs[0]]
        g.nodes.remove(act)
    return remove_dead(g)


def optimize(g: ir.Graph) -> ir.Graph:
    """The standard pipeline: training-only nodes out, batch norms folded,
    constants folded, activations fused."""
    return fuse_activations(fold_constants(fold_batch_norm(remove_identities(g))))
