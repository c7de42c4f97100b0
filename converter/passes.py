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
    used = needed | set(g.inputs) | {o for n in g.nodes for o in n.outputs}
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
    constants folded, unrolled LSTMs fused (lstm_fusion.py), activations
    fused."""
    from .lstm_fusion import fuse_unrolled
    return fuse_activations(fuse_unrolled(fold_constants(fold_batch_norm(remove_identities(g)))))


# Cross-layer equalization: the ops whose weights it rescales, and the fused
# activations through which rescaling a channel by s > 0 is exact
# (relu(x / s) = relu(x) / s). RELU6 clips at 6, which a per-channel scale
# would move: pairs with RELU6 (or RELU_N1_TO_1) between them are left alone.
_EQUALIZED_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D")
_SCALE_INVARIANT = ("NONE", "RELU")


def _channel_ranges(w: np.ndarray, axis: int, groups: int = 1) -> np.ndarray:
    """max |w| per channel along `axis`, channels taken `groups` at a time
    (a depthwise weight with multiplier M: input channel i owns M columns)."""
    moved = np.moveaxis(np.abs(w), axis, 0)
    return moved.reshape(moved.shape[0] // groups, -1).max(axis=1)


def equalize_layers(g: ir.Graph, rounds: int = 20) -> ir.Graph:
    """Cross-layer equalization (Nagel et al., "Data-free quantization through
    weight equalization and bias correction", 2019) for layer pairs A -> B
    where A is a CONV_2D or DEPTHWISE_CONV_2D whose only reader is B, another
    of them, with no activation or RELU between: output channel i of A is
    divided by s_i (weights and bias) and input channel i of B's weight
    multiplied by s_i, s_i = sqrt(r_A,i / r_B,i) with r the channels' max
    |weight|, so both ranges become sqrt(r_A,i r_B,i) and per-tensor or
    per-channel int8 weights waste fewer levels. The float outputs are the
    same. Chains (conv -> depthwise -> conv) are swept `rounds` times."""
    g = g.copy()
    pairs = []
    for a in g.nodes:
        b = _single_consumer(g, a.outputs[0]) if a.op in _EQUALIZED_OPS else None
        if (b is None or b.op not in _EQUALIZED_OPS or b.inputs[0] != a.outputs[0]
                or a.options.get("fused_activation_function", "NONE") not in _SCALE_INVARIANT
                or not all(g.tensors[n.inputs[1]].is_constant for n in (a, b))):
            continue
        pairs.append((a, b))
    for a, b in pairs:   # weights (and A's bias) of their own, so no other reader sees the change
        for n, k in ((a, 1), (b, 1), (a, 2)):
            if len(n.inputs) > k and n.inputs[k] is not None:
                t = g.tensors[n.inputs[k]]
                name = g.unique_name(t.name + "/equalized")
                g.add_tensor(ir.Tensor(name, t.shape, t.dtype, np.asarray(t.data, np.float64)))
                n.inputs[k] = name
    for _ in range(rounds):
        for a, b in pairs:
            wa, wb = g.tensors[a.inputs[1]], g.tensors[b.inputs[1]]
            axis_a = ops.info(a.op).weight.axis
            if b.op == "CONV_2D":
                axis_b, groups = 3, 1
            else:   # depthwise [1, kh, kw, C * M]: input channel i owns columns i*M .. i*M+M-1
                axis_b, groups = 3, wb.shape[3] // g.tensors[b.inputs[0]].shape[-1]
            ra, rb = _channel_ranges(wa.data, axis_a), _channel_ranges(wb.data, axis_b, groups)
            s = np.where((ra > 0) & (rb > 0), np.sqrt(ra / np.where(rb > 0, rb, 1)), 1.0)
            shape_a = [1] * wa.data.ndim
            shape_a[axis_a] = -1
            wa.data = wa.data / s.reshape(shape_a)
            wb.data = wb.data * np.repeat(s, groups).reshape(1, 1, 1, -1)
            if len(a.inputs) > 2 and a.inputs[2] is not None:
                g.tensors[a.inputs[2]].data = g.tensors[a.inputs[2]].data / s
    for a, b in pairs:
        for n, k in ((a, 1), (b, 1), (a, 2)):
            if len(n.inputs) > k and n.inputs[k] is not None:
                t = g.tensors[n.inputs[k]]
                t.data = np.asarray(t.data).astype(t.dtype)
    return remove_dead(g)
