"""TFLite's 16x8 quantization: int16 activations (symmetric, zero point 0),
int8 weights (per channel, as in int8), int64 bias of scale input scale x
weight scale. It keeps 2^8 times finer activations than int8 for about twice
the activation memory, and the weights' size.

`to_int16x8(q, layers)` rewrites an int8 graph `q` (quantize_int8's) so
that the chosen layers (all that the runtime runs in 16x8
when `layers` is None) compute in 16x8. An int16 tensor covers the range its
int8 twin had: scale max(|lo|, |hi|) / 32767 over [lo, hi] = the int8
quantization's range, except the outputs TFLite's 16x8 kernels fix:
LOGISTIC, TANH and SOFTMAX give 1/32768, 0 (Q0.15). Ops that only move data
follow their input's precision and quantization (a CONCATENATION input
quantized otherwise than its output is requantized, int16 to int16). Where
an int8 tensor meets a 16x8 op (or the reverse), a QUANTIZE requantizes it
(int8 <-> int16, LiteRT's Requantize); float edges quantize straight to int16
and dequantize straight from it.
"""
from __future__ import annotations

import numpy as np

from . import ir, ops
from .errors import ConversionError

# Ops with a 16x8 kernel in Mote's runtime and in LiteRT's reference kernels.
COMPUTE_16X8 = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "MUL", "MEAN",
                "LOGISTIC", "TANH", "SOFTMAX"}
# Data movers with int16 kernels: 16x8 where their (first) data input is.
MOVERS_16X8 = {"RESHAPE", "MAX_POOL_2D", "AVERAGE_POOL_2D", "PAD", "CONCATENATION", "SQUEEZE"}
INT16_MAX = 32767
# The output quantization TFLite's int16 kernels require (values in [0, 1]
# or [-1, 1] in Q0.15).
FIXED_OUTPUT_16X8 = {op: {"scale": [np.float32(2 ** -15)], "zero_point": [0]}
                     for op in ("LOGISTIC", "TANH", "SOFTMAX")}


def int16_quantization(quant: dict) -> dict:
    """The int16 quantization covering what int8 quantization `quant` covers."""
    s, zp = float(quant["scale"][0]), int(quant["zero_point"][0])
    m = max(abs((-128 - zp) * s), abs((127 - zp) * s))
    return {"scale": [np.float32(m / INT16_MAX)], "zero_point": [0]}


def layers_16x8(q: ir.Graph) -> list:
    """The nodes of int8 graph `q` that can run in 16x8, by the names their
    outputs have in the float graph (a model output's int8 twin, behind the
    DEQUANTIZE of float I/O, goes by the model output's name)."""
    return list(_capable(q))


def _capable(q: ir.Graph) -> dict:
    """{float graph name: q's output name} of the nodes that can run in 16x8."""
    dequantized = {n.inputs[0]: n.outputs[0] for n in q.nodes
                   if n.op == "DEQUANTIZE" and n.outputs[0] in q.outputs}
    return {dequantized.get(n.outputs[0], n.outputs[0]): n.outputs[0] for n in q.nodes
            if n.op in COMPUTE_16X8 and _int8_node(q, n) and _input_scale_fits(q, n)}


def _input_scale_fits(q: ir.Graph, n: ir.Node) -> bool:
    """Whether the int16 kernel takes n's input scale (the int16 one its int8
    input's range gives): LOGISTIC and TANH rescale x s_in * 12288 in int32
    (s_in below 65536 / 12288), SOFTMAX x beta s_in * 65535 / 10 (beta s_in
    below 5), and sums a row of at most 65536 exps. Ops without such limits
    always fit."""
    if n.op not in FIXED_OUTPUT_16X8:
        return True
    x = q.tensors[n.inputs[0]]
    s = float(int16_quantization(x.quant)["scale"][0])
    if n.op == "SOFTMAX":
        return s * float(n.options.get("beta", 1.0)) < 5.0 and x.shape[-1] <= 65536
    return s < 65536 / 12288


def _int8_node(q: ir.Graph, n: ir.Node) -> bool:
    """An int8 node whose activation inputs are computed (a constant operand
    of ADD or MUL stays as int8 quantized it: such nodes stay int8)."""
    spec = ops.info(n.op).weight
    acts = [q.tensors[i] for i in ([n.inputs[spec.data]] if spec else n.inputs)
            if i is not None and q.tensors[i].dtype == "int8"]
    return q.tensors[n.outputs[0]].dtype == "int8" and bool(acts) and \
        all(not t.is_constant for t in acts)


def _float_bias(q: ir.Graph, n: ir.Node, spec) -> np.ndarray:
    """Node n's bias in float: what its int32 bias was rounded from (the
    float model's, less the bias correction where int8 applied one), else
    the int32 bias dequantized."""
    b = q.tensors[n.inputs[spec.bias]]
    if b.float_data is not None:
        return np.asarray(b.float_data, np.float64)
    return np.asarray(b.data, np.float64) * np.asarray(b.quant["scale"], np.float64)


def to_int16x8(q: ir.Graph, layers=None) -> ir.Graph:
    """Graph `q` with the nodes whose outputs are in `layers` (None: every
    node that can) in 16x8; see the module's doc."""
    capable = _capable(q)
    unknown = set(layers or ()) - set(capable)
    chosen = {capable[name] for name in (capable if layers is None else layers)
              if name in capable}
    if unknown:
        raise ConversionError(f"layers {sorted(unknown)} cannot run in 16x8 here; expected output "
                         f"names of int8 {', '.join(sorted(COMPUTE_16X8))} nodes")
    q = q.copy()
    wide = set()          # activation tensors that become int16
    sixteen = []          # nodes that compute in 16x8
    for n in q.nodes:
        if n.outputs[0] in chosen or (n.op in MOVERS_16X8 and n.inputs[0] in wide):
            sixteen.append(n)
            wide.update(n.outputs)
    # Back from the 16x8 ops: a QUANTIZE from float, or a data mover, that
    # only 16x8 ops read quantizes straight to int16 (a mover reading it
    # follows).
    consumers = q.consumers()
    sixteen_ids = {id(n) for n in sixteen}
    for n in reversed(q.nodes):
        readers = consumers.get(n.outputs[0], [])
        from_float = n.op == "QUANTIZE" and q.tensors[n.inputs[0]].dtype == "float32"
        mover = n.op in MOVERS_16X8 and id(n) not in sixteen_ids
        if (from_float or mover) and readers and all(id(r) in sixteen_ids for r in readers) \
                and n.outputs[0] not in q.outputs:
            wide.add(n.outputs[0])
            if mover:
                sixteen.append(n)
                sixteen_ids.add(id(n))
    for name in [n for n in wide if n.endswith("/int8")]:   # a float edge's twin: say int16
        wide.discard(name)
        wide.add(_rename(q, name, q.unique_name(name[:-len("/int8")] + "/int16")))
    int8_quant = {name: q.tensors[name].quant for name in wide}
    for name in wide:
        t = q.tensors[name]
        t.dtype, t.quant = "int16", int16_quantization(t.quant)
    _fixed_outputs(q, sixteen_ids)
    for n in sixteen:
        spec = ops.info(n.op).weight
        if spec:
            _int64_bias(q, n, spec)
        if n.op == "ADD":   # LiteRT's general int16 ADD (its power-of-two path differs)
            n.options = {**n.options, "pot_scale_int16": False}
    _boundaries(q, wide, int8_quant, sixteen_ids)
    return q


def _fixed_outputs(q: ir.Graph, sixteen: set) -> None:
    """LOGISTIC, TANH and SOFTMAX outputs get TFLite's fixed int16
    quantization; the movers after them follow: a one-input mover takes its
    input's quantization, and a CONCATENATION input quantized otherwise than
    the output is requantized (a QUANTIZE, int16 to int16)."""
    for n in list(q.nodes):
        if id(n) not in sixteen:
            continue
        out = q.tensors[n.outputs[0]]
        if n.op in FIXED_OUTPUT_16X8:
            out.quant = dict(FIXED_OUTPUT_16X8[n.op])
        elif n.op == "CONCATENATION":
            for k, name in enumerate(n.inputs):
                t = q.tensors[name]
                if t.dtype == "int16" and not t.is_constant and not _same_quant(t.quant, out.quant):
                    moved = q.add_tensor(ir.Tensor(q.unique_name(f"{name}/requantized"), t.shape,
                                                   "int16", None, dict(out.quant)))
                    q.nodes.insert(q.nodes.index(n), ir.Node("QUANTIZE", [name], [moved.name], {},
                                                             f"requantize_{name}_int16"))
                    n.inputs[k] = moved.name
        elif n.op in MOVERS_16X8 and q.tensors[n.inputs[0]].dtype == "int16":
            out.quant = dict(q.tensors[n.inputs[0]].quant)


def _same_quant(a: dict, b: dict) -> bool:
    return np.float32(a["scale"][0]) == np.float32(b["scale"][0]) and \
        int(a["zero_point"][0]) == int(b["zero_point"][0])


def _rename(q: ir.Graph, old: str, new: str) -> str:
    t = q.tensors.pop(old)
    t.name = new
    q.tensors[new] = t
    for n in q.nodes:
        n.inputs = [new if i == old else i for i in n.inputs]
        n.outputs = [new if o == old else o for o in n.outputs]
    q.inputs = [new if i == old else i for i in q.inputs]
    q.outputs = [new if o == old else o for o in q.outputs]
    return new


def _int64_bias(q: ir.Graph, n: ir.Node, spec) -> None:
    x = q.tensors[n.inputs[spec.data]]   # int16, or int8 that _boundaries will requantize
    s_in = np.float32((x.quant if x.dtype == "int16" else int16_quantization(x.quant))["scale"][0])
    wq = q.tensors[n.inputs[spec.input]].quant
    scale = (s_in * np.asarray(wq["scale"], np.float32)).astype(np.float32)
    b = _float_bias(q, n, spec)
    qb = np.clip(np.round(b / scale.astype(np.float64)), -2.0 ** 63, 2.0 ** 63 - 1024)
    old = n.inputs[spec.bias]
    name = q.unique_name((old[:-len("/int32")] if old.endswith("/int32") else old) + "/int64")
    q.add_tensor(ir.Tensor(name, tuple(b.shape), "int64", qb.astype(np.int64),
                           {"scale": scale, "zero_point": np.zeros(len(scale), np.int64)}))
    n.inputs[spec.bias] = name


def _boundaries(q: ir.Graph, wide: set, int8_quant: dict, sixteen: set) -> None:
    """QUANTIZE ops where a tensor's precision differs from its reader's:
    int8 into a 16x8 op, int16 into an int8 op (or a model output that was
    int8). DEQUANTIZE and QUANTIZE read either."""
    made: dict = {}

    def converted(name: str, dtype: str) -> str:
        if (name, dtype) not in made:
            t = q.tensors[name]
            quant = int16_quantization(t.quant) if dtype == "int16" else int8_quant[name]
            out = q.add_tensor(ir.Tensor(q.unique_name(f"{name}/{dtype}"), t.shape, dtype, None,
                                         quant))
            at = next((i + 1 for i, m in enumerate(q.nodes) if name in m.outputs), 0)
            q.nodes.insert(at, ir.Node("QUANTIZE", [name], [out.name], {},
                                       f"requantize_{name}_{dtype}"))
            made[name, dtype] = out.name
        return made[name, dtype]

    for n in list(q.nodes):   # the QUANTIZE ops added here are not in this list
        if n.op in ("DEQUANTIZE", "QUANTIZE"):
            continue
        want = "int16" if id(n) in sixteen else "int8"
        for k, name in enumerate(n.inputs):
            t = q.tensors.get(name) if name is not None else None
            if t is None or t.is_constant or t.variable or t.dtype not in ("int8", "int16") or \
                    t.dtype == want:
                continue
            n.inputs[k] = converted(name, want)
    for k, name in enumerate(q.outputs):
        if name in wide and name not in q.inputs:
            # a model output keeps its name and int8 type: the int16 value moves to a twin
            inner = q.unique_name(name + "/int16")
            q.add_tensor(ir.Tensor(inner, q.tensors[name].shape, "int16", None,
                                   q.tensors[name].quant))
            for m in q.nodes:
                m.inputs = [inner if i == name else i for i in m.inputs]
                m.outputs = [inner if o == name else o for o in m.outputs]
            t = q.tensors[name]
            t.dtype, t.quant = "int8", int8_quant[name]
            q.nodes.append(ir.Node("QUANTIZE", [inner], [name], {}, f"requantize_{name}_int8"))
