"""Graph passes. Each returns a new graph whose outputs equal the input
graph's (checked in float64 by the tests)."""
from __future__ import annotations

import numpy as np

from . import ir, ops, reference
from .errors import ConversionError


def fold_constants(g: ir.Graph) -> ir.Graph:
    """Evaluates every node whose inputs are all constants (float16 weights
    behind a DEQUANTIZE, for instance) and keeps the result as a constant."""
    g = g.copy()
    kept = []
    for node in g.nodes:
        ins = [i for i in node.inputs if i is not None]
        if ins and all(g.tensors[i].is_constant for i in ins) and \
                not set(node.outputs) & set(g.outputs):
            sub = ir.Graph({k: g.tensors[k] for k in ins + node.outputs}, [node], [],
                           node.outputs)
            first = g.tensors[node.outputs[0]]
            value = reference.run(sub, {}, dtype=np.float32 if first.dtype == "float32"
                                  else np.float64)
            for name in node.outputs:
                g.tensors[name].data = np.asarray(value[name]).astype(g.tensors[name].dtype)
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
            needed.update(node.intermediates)
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


def _has_fused_activation(node: ir.Node) -> bool:
    option = ops.info(node.op).fused_activation
    return option is not None and node.options.get(option, "NONE") not in ("NONE", None)


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
        k = gamma / np.sqrt(var + ops.info(bn.op).with_defaults(bn.options)["epsilon"])
        shift = beta - mean * k
        layer = producers.get(x)
        spec = ops.info(layer.op).weight if layer is not None else None
        if (spec is not None and _single_consumer(g, x) is bn
                and g.tensors[layer.inputs[spec.input]].is_constant
                and not _has_fused_activation(layer)):
            w = g.tensors[layer.inputs[spec.input]]
            shape = [1] * len(w.shape)
            shape[spec.axis] = -1
            w.data = (np.asarray(w.data, np.float64) * k.reshape(shape)).astype(w.dtype)
            bias_in = layer.inputs[spec.bias] if len(layer.inputs) > spec.bias else None
            old_b = np.asarray(g.tensors[bias_in].data, np.float64) if bias_in else 0.0
            bname = g.unique_name(bn.outputs[0] + "/folded_bias")
            g.add_tensor(ir.Tensor(bname, (len(k),), "float32",
                                   (old_b * k + shift).astype(np.float32)))
            layer.inputs = layer.inputs[:spec.bias] + [bname]
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


def fuse_activations(g: ir.Graph) -> ir.Graph:
    """An activation (RELU, RELU6: catalogue entries with `activation`) right
    after an op that has a fused activation slot (and is its only reader)
    moves into that slot."""
    g = g.copy()
    producers = g.producers()
    for act in [n for n in g.nodes if ops.info(n.op).activation]:
        src = producers.get(act.inputs[0])
        if (src is None or not ops.info(src.op).fused_activation
                or _single_consumer(g, act.inputs[0]) is not act or _has_fused_activation(src)):
            continue
        src.options[ops.info(src.op).fused_activation] = ops.info(act.op).activation
        src.outputs = [act.outputs[0]]
        g.nodes.remove(act)
    return remove_dead(g)


def optimize(g: ir.Graph) -> ir.Graph:
    """The standard pipeline: training-only nodes out, batch norms folded,
    constants folded, activations fused."""
    return fuse_activations(fold_constants(fold_batch_norm(remove_identities(g))))
