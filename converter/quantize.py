"""Quantization of a float IR graph: calibration and the int8 rewrite
(Contract 2 of ARCHITECTURE.md; the arithmetic is in docs/quantization.md).

Modes: "float16" (weights stored as float16 behind DEQUANTIZE), "dynamic"
(int8 weights for the ops with a weight: FULLY_CONNECTED / CONV_2D /
DEPTHWISE_CONV_2D, float activations), "int8" (everything int8, activation
ranges from calibration). Which ops have a weight and on which axis, which
run in int8, and which keep or fix their output quantization is in the op
catalogue (converter/ops.py).
"""
from __future__ import annotations

import numpy as np

from . import ir, ops
from .activations import float_activations
from .errors import ConversionError

# The activation-range estimates calibrate() offers (the benchmarks enumerate them).
CALIBRATION_METHODS = ("minmax", "percentile", "mse")

def weight_quantization(w: np.ndarray, axis: int | None):
    """Symmetric int8 weights: scale max|w| / 127 per channel along `axis` (or
    per tensor when axis is None), zero point 0, values in [-127, 127]."""
    if axis is None:
        maxabs = np.array([np.max(np.abs(w))])
        scales = np.where(maxabs > 0, maxabs / 127, 1.0).astype(np.float32)
        q = np.clip(np.round(w / scales[0]), -127, 127)
    else:
        moved = np.moveaxis(w, axis, 0)
        maxabs = np.max(np.abs(moved.reshape(moved.shape[0], -1)), axis=1)
        scales = np.where(maxabs > 0, maxabs / 127, 1.0).astype(np.float32)
        shape = [1] * w.ndim
        shape[axis] = -1
        q = np.clip(np.round(w / scales.reshape(shape)), -127, 127)
    quant = {"scale": scales, "zero_point": np.zeros(len(scales), np.int64),
             "quantized_dimension": 0 if axis is None else axis}
    return q.astype(np.int8), quant


def _weight(g: ir.Graph, n: ir.Node) -> ir.Tensor:
    """The constant weight of an op whose catalogue entry has one (CONV_2D,
    DEPTHWISE_CONV_2D, FULLY_CONNECTED)."""
    spec = ops.info(n.op).weight
    if len(n.inputs) <= spec.input or n.inputs[spec.input] is None:
        raise ConversionError(f"node {n.name or n.outputs[0]!r} ({n.op}) has inputs {n.inputs}; "
                              f"expected an input and a weight")
    w = g.tensors[n.inputs[spec.input]]
    if not w.is_constant or w.data.ndim != spec.rank:
        raise ConversionError(f"node {n.name or n.outputs[0]!r} ({n.op}): weight {w.name!r} is "
                              f"{'a constant' if w.is_constant else 'computed'} of shape "
                              f"{list(w.shape)}; expected a constant of rank {spec.rank}")
    bad = int(np.size(w.data) - np.count_nonzero(np.isfinite(w.data)))
    if bad:
        raise ConversionError(f"node {n.name or n.outputs[0]!r} ({n.op}): weight {w.name!r} holds "
                              f"{bad} NaN or infinite value(s); int8 weights need finite values")
    return w


def activation_quantization(lo: float, hi: float):
    """Asymmetric int8: the range widened to contain 0, 256 levels."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi - lo < 1e-8:
        hi = lo + 1e-8
    scale = (hi - lo) / 255.0
    zp = int(np.clip(np.round(-128 - lo / scale), -128, 127))
    return {"scale": [np.float32(scale)], "zero_point": [zp]}


def _samples(g: ir.Graph, data, what: str = "calibration data"):
    """Representative data (or any samples, named `what` in errors) as a list
    of feed dicts, checked against the inputs."""
    if data is None:
        raise ConversionError("int8 quantization needs representative data (calibration samples)")
    if isinstance(data, dict):
        missing = [n for n in g.inputs if n not in data]
        if missing:
            raise ConversionError(f"{what} has no samples for input(s) {missing}; it has "
                                  f"{sorted(data)}")
        arrays = [data[n] for n in g.inputs]
    elif len(g.inputs) == 1:
        arrays = [data]
    elif isinstance(data, (list, tuple)) and len(data) == len(g.inputs):
        arrays = list(data)
    else:
        raise ConversionError(f"the model has {len(g.inputs)} inputs {g.inputs}: give "
                              f"{what} as a dict by input name or a list of one array per input")
    feeds = []
    for name, arr in zip(g.inputs, arrays):
        arr = np.asarray(arr)
        shape = tuple(g.tensors[name].shape)
        if arr.dtype.kind not in "biuf":
            raise ConversionError(f"{what} for input {name!r} holds {arr.dtype} values; "
                                  f"expected numbers")
        if arr.size == 0:
            raise ConversionError(f"{what} for input {name!r} is empty")
        # Any leading dims count samples; the trailing ones must be one sample's.
        sample = shape[1:]
        if arr.ndim <= len(sample) or tuple(arr.shape[arr.ndim - len(sample):]) != sample:
            raise ConversionError(f"{what} for input {name!r} has shape {list(arr.shape)}; "
                             f"expected samples of shape {list(shape)} (an array [N, "
                             f"{', '.join(map(str, shape[1:]))}])")
        # Samples fill the model's batch; a last, partial batch is left out.
        samples = arr.reshape((-1,) + sample)
        batch = max(int(shape[0]), 1) if shape else 1
        if len(samples) < batch:
            raise ConversionError(f"{what} for input {name!r} has {len(samples)} "
                                  f"sample(s); the model's batch needs at least {batch}")
        whole = len(samples) - len(samples) % batch
        feeds.append(samples[:whole].reshape((-1,) + shape).astype(np.float32))
    n = min(len(f) for f in feeds)
    return [{name: f[i] for name, f in zip(g.inputs, feeds)} for i in range(n)]


def calibrate(g: ir.Graph, data, method: str = "minmax", percentile: float = 99.99,
              progress=None, engine: str = "auto") -> dict:
    """Ranges (lo, hi) of every float activation over the representative data,
    computed by `engine` (activations.py: Mote's C runtime where it runs the
    graph, else the numpy reference executor)."""
    samples = _samples(g, data)
    values: dict = {}
    for activations in float_activations(g, progress(samples) if progress else samples, engine):
        for name, v in activations.items():
            if v.size == 0:
                continue   # empty tensors (a slice of nothing) have no range
            if method == "minmax":
                lo, hi = float(np.min(v)), float(np.max(v))
                old = values.get(name)
                values[name] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
            else:
                values.setdefault(name, []).append(np.array(v, np.float32).ravel())
    if method == "minmax":
        return values
    if method == "percentile":
        out = {}
        for name, chunks in values.items():
            allv = np.concatenate(chunks)
            out[name] = (float(np.percentile(allv, 100 - percentile)),
                         float(np.percentile(allv, percentile)))
        return out
    if method == "mse":
        return {name: mse_range(np.concatenate(chunks)) for name, chunks in values.items()}
    raise ConversionError(f"calibration method {method!r} is not one of {CALIBRATION_METHODS}")


def mse_range(values: np.ndarray, steps: int = 40):
    """The clipping range [max(lo, -c), min(hi, c)] whose int8 quantization of
    `values` has the least mean squared error, c searched from max |value|
    down: clipping a few outliers buys a finer step for everything else."""
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    if hi - lo < 1e-12:
        return lo, hi
    sample = values if values.size <= 200_000 else \
        np.random.default_rng(0).choice(values, 200_000, replace=False)
    best, best_err = (lo, hi), np.inf
    for c in np.linspace(1.0, 0.05, steps) * max(-lo, hi):
        r = (max(lo, -c), min(hi, c))
        q = activation_quantization(*r)
        s, z = float(q["scale"][0]), q["zero_point"][0]
        deq = (np.clip(np.round(sample / s) + z, -128, 127) - z) * s
        err = float(np.mean((deq - sample) ** 2))
        if err < best_err:
            best, best_err = r, err
    return best


def given_ranges(g: ir.Graph, ranges: dict) -> dict:
    """A copy of `ranges`, checked to cover every float tensor the graph computes."""
    from .activations import computed_float_tensors
    missing = [n for n in computed_float_tensors(g) if n not in ranges and not g.tensors[n].variable]
    if missing:
        raise ConversionError(f"the given activation ranges miss tensor(s) {missing[:5]}; expected "
                              f"a range for every computed float tensor")
    return {name: (float(lo), float(hi)) for name, (lo, hi) in ranges.items()}


class _Groups:
    """Union-find of tensors that must share one quantization."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def quantize_int8(g: ir.Graph, data, per_channel: bool = True, io_dtype: str = "float32",
                  method: str = "minmax", progress=None, float_fallback: bool = False,
                  engine: str = "auto", ranges: dict | None = None) -> ir.Graph:
    """int8 graph of `g`; activation ranges from calibration on `data`, or
    the given `ranges` {tensor name: (lo, hi)} (quantization-aware
    training's, models/qat.py), which must cover every computed float tensor."""
    unsupported = list(dict.fromkeys(f"{n.op} ({n.name or n.outputs[0]})" for n in g.nodes
                                     if not ops.info(n.op).int8))
    if unsupported and not float_fallback:
        raise UnquantizableOps(unsupported)
    ranges = calibrate(g, data, method, progress=progress, engine=engine) if ranges is None \
        else given_ranges(g, ranges)
    for n in g.nodes:   # PADV2, MAXIMUM, MINIMUM: the output holds the constants' values
        constants = [g.tensors[n.inputs[k]] for k in ops.info(n.op).value_inputs
                     if g.tensors[n.inputs[k]].is_constant]
        if constants and n.outputs[0] in ranges:
            ins = [ranges[i] for i in n.inputs if i in ranges]
            lo = min([r[0] for r in ins], default=np.inf)
            hi = max([r[1] for r in ins], default=-np.inf)
            for t in constants:
                v = np.asarray(t.data, np.float64)
                v = v[v != float(np.finfo(np.float32).min)]   # a max pool's pad: saturates
                lo, hi = min([lo, *v]), max([hi, *v])
            ranges[n.outputs[0]] = (lo, hi)
    groups = _Groups()
    for n in g.nodes:
        same = ops.info(n.op).same_quant
        if same:
            data = n.inputs[ops.info(n.op).data_input:][:1]
            for i in (n.inputs if same == "all" else data):
                for o in n.outputs:
                    groups.union(i, o)
    group_range: dict = {}
    for name, (lo, hi) in ranges.items():
        if not np.isfinite([lo, hi]).all():
            raise ConversionError(f"tensor {name!r} takes values in [{lo}, {hi}] on the calibration "
                                  f"data; int8 needs a finite range (check the weights for inf/NaN)")
        root = groups.find(name)
        old = group_range.get(root)
        group_range[root] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
    q = ir.Graph(inputs=list(g.inputs), outputs=list(g.outputs))
    fixed = {n.outputs[0]: ops.info(n.op).fixed_output for n in g.nodes
             if ops.info(n.op).fixed_output}
    fallback = [n for n in g.nodes if not ops.info(n.op).int8]
    for name, t in g.tensors.items():
        if t.is_constant or t.variable or t.dtype != "float32":   # an LSTM's state stays float
            q.add_tensor(ir.Tensor(name, t.shape, t.dtype, t.data, variable=t.variable))
            continue
        if name in fixed:
            quant = {"scale": [np.float32(fixed[name][0])], "zero_point": [fixed[name][1]]}
        elif groups.find(name) in group_range:
            quant = activation_quantization(*group_range[groups.find(name)])
        elif int(np.prod(t.shape)) == 0:   # holds no value: any valid quantization
            quant = activation_quantization(0.0, 1.0)
        else:
            raise ConversionError(f"tensor {name!r} is not computed from the model's inputs, so "
                                  f"calibration gives it no range")
        q.add_tensor(ir.Tensor(name, t.shape, "int8", None, quant))
    for n in g.nodes:
        node = ir.Node(n.op, list(n.inputs), list(n.outputs), dict(n.options), n.name)
        spec = ops.info(n.op).weight
        if spec:
            w = q.tensors[n.inputs[spec.input]]
            qw, wq = weight_quantization(np.asarray(_weight(g, n).data, np.float64),
                                         spec.axis if per_channel else None)
            wname = q.unique_name(w.name + "/int8")
            q.add_tensor(ir.Tensor(wname, w.shape, "int8", qw, wq))
            node.inputs[spec.input] = wname
            # TFLite's int8 convolutions need a bias: a missing one is zero.
            has_bias = len(n.inputs) > spec.bias and n.inputs[spec.bias] is not None
            x = q.tensors[n.inputs[spec.data]]
            if x.quant is None:
                raise ConversionError(f"node {n.name or n.outputs[0]!r} ({n.op}): input "
                                      f"{x.name!r} is {x.dtype.upper()}; expected a float "
                                      f"activation to quantize")
            s_in = np.float32(x.quant["scale"][0])
            bscale = (s_in * wq["scale"]).astype(np.float32)
            b = np.asarray(g.tensors[n.inputs[spec.bias]].data, np.float64) if has_bias else \
                np.zeros(w.shape[spec.axis])
            qb = np.clip(np.round(b / bscale.astype(np.float64)), -2 ** 31, 2 ** 31 - 1)
            bname = q.unique_name((n.inputs[spec.bias] if has_bias else w.name + "/bias") + "/int32")
            q.add_tensor(ir.Tensor(bname, tuple(b.shape), "int32", qb.astype(np.int32),
                                   {"scale": bscale, "zero_point": np.zeros(len(bscale), np.int64)}))
            node.inputs[spec.bias:] = [bname]
        for k in ops.info(n.op).value_inputs:
            if g.tensors[n.inputs[k]].is_constant:
                node.inputs[k] = _value_like_output(q, g, n, k)
        if ops.info(n.op).int8 and not ops.info(n.op).same_quant:
            _quantize_constant_operands(q, g, n, node)
        q.nodes.append(node)
    for n in fallback:
        _keep_float(q, g, n)
    if io_dtype == "float32":
        _float_edges(q, g)
    elif io_dtype != "int8":
        raise ConversionError(f"io_dtype must be 'float32' or 'int8', got {io_dtype!r}")
    from .passes import remove_dead
    return remove_dead(q)


class UnquantizableOps(ConversionError):
    """Ops without int8 kernels, in graph order (`ops`); the message says how
    to keep them in float (the API's float_fallback=True; the CLI names its
    own flag)."""

    def __init__(self, ops_in_order, flag: str = "float_fallback=True"):
        self.ops = list(ops_in_order)
        super().__init__("these ops cannot be quantized to int8: " + ", ".join(self.ops) +
                         f" ({flag} keeps them in float between DEQUANTIZE and QUANTIZE)")


def _quantize_constant_operands(q: ir.Graph, g: ir.Graph, n: ir.Node, node: ir.Node) -> None:
    """Float constants an int8 op reads as data (PRELU's alpha, a constant
    operand of ADD or MUL): int8 per tensor over their own range, as an
    activation would be."""
    spec = ops.info(n.op).weight
    skip = {spec.input, spec.bias} if spec else set()
    for k, name in enumerate(n.inputs):
        t = g.tensors.get(name) if name is not None else None
        if k in skip or t is None or not t.is_constant or t.dtype != "float32":
            continue
        data = np.asarray(t.data, np.float64)
        quant = activation_quantization(float(data.min(initial=0)), float(data.max(initial=0)))
        node.inputs[k] = _int8_constant(q, t, quant)


def _value_like_output(q: ir.Graph, g: ir.Graph, n: ir.Node, k: int) -> str:
    """Input k of `n`, a constant whose values its output holds (PADV2's pad
    value, a bound of MAXIMUM / MINIMUM), quantized with the output's
    quantization (saturating: a max pool's lowest-float pad becomes -128)."""
    t = g.tensors[n.inputs[k]]
    quant = q.tensors[n.outputs[0]].quant
    if not t.is_constant or quant is None:
        raise ConversionError(f"node {n.name or n.outputs[0]!r} ({n.op}): input {t.name!r} must "
                              f"be a constant value of an int8 output")
    return _int8_constant(q, t, {"scale": [np.float32(quant["scale"][0])],
                                 "zero_point": [int(quant["zero_point"][0])]})


def _int8_constant(q: ir.Graph, t: ir.Tensor, quant: dict) -> str:
    """Float constant `t` added to `q` as int8 with the per-tensor `quant`
    (np.round, saturating); returns its name."""
    scale, zp = np.float64(quant["scale"][0]), int(quant["zero_point"][0])
    v = np.clip(np.round(np.asarray(t.data, np.float64) / scale) + zp, -128, 127)
    name = q.unique_name(t.name + "/int8")
    q.add_tensor(ir.Tensor(name, t.shape, "int8", v.astype(np.int8), quant))
    return name


def _keep_float(q: ir.Graph, g: ir.Graph, node: ir.Node) -> None:
    """Float fallback: `node` computes in float between a DEQUANTIZE of each
    int8 input and a QUANTIZE of its output back to the calibrated int8."""
    at = next(i for i, n in enumerate(q.nodes) if n.outputs == node.outputs)
    qnode = q.nodes[at]
    before = []
    for k, name in enumerate(qnode.inputs):
        if name is None:
            continue
        t = q.tensors[name]
        if t.is_constant:
            if t.dtype == "int8" and name not in g.tensors:   # a weight we quantized: restore float
                qnode.inputs[k] = node.inputs[k]
            continue
        if t.dtype == "int8":
            f = q.add_tensor(ir.Tensor(q.unique_name(name + "/float"), t.shape, "float32"))
            before.append(ir.Node("DEQUANTIZE", [name], [f.name], {}, f"dequantize_{name}"))
            qnode.inputs[k] = f.name
    for k, name in enumerate(node.inputs):   # float weights and biases as they were
        if name is not None and g.tensors[name].is_constant and name not in q.tensors:
            q.add_tensor(ir.Tensor(name, g.tensors[name].shape, g.tensors[name].dtype,
                                   g.tensors[name].data))
    out = qnode.outputs[0]
    t = q.tensors[out]
    f = q.add_tensor(ir.Tensor(q.unique_name(out + "/float"), t.shape, "float32"))
    qnode.outputs = [f.name]
    after = ir.Node("QUANTIZE", [f.name], [out], {}, f"quantize_{out}")
    q.nodes[at:at + 1] = before + [qnode, after]


def _float_edges(q: ir.Graph, g: ir.Graph) -> None:
    """Float model inputs and outputs: QUANTIZE after each input, DEQUANTIZE
    before each output. The edge tensor keeps its name (now float32); the int8
    values move to a twin "<name>/int8"."""
    def int8_twin(name):
        t = q.tensors[name]
        inner = q.unique_name(name + "/int8")
        q.add_tensor(ir.Tensor(inner, t.shape, "int8", None, t.quant))
        t.dtype, t.quant = "float32", None
        for n in q.nodes:
            n.inputs = [inner if i == name else i for i in n.inputs]
            n.outputs = [inner if o == name else o for o in n.outputs]
        return inner
    for name in [i for i in q.inputs if q.tensors[i].dtype == "int8"]:   # not integer indices
        q.nodes.insert(0, ir.Node("QUANTIZE", [name], [int8_twin(name)], {}, f"quantize_{name}"))
    for name in [o for o in q.outputs if q.tensors[o].dtype == "int8"]:
        q.nodes.append(ir.Node("DEQUANTIZE", [int8_twin(name)], [name], {}, f"dequantize_{name}"))


def quantize_weights(g: ir.Graph, mode: str, per_channel: bool = True) -> ir.Graph:
    """"dynamic": int8 weights for FC/CONV/DEPTHWISE (hybrid kernels);
    "float16": every float constant weight stored as float16 + DEQUANTIZE."""
    q = g.copy()
    for n in q.nodes:
        spec = ops.info(n.op).weight
        if mode == "dynamic" and spec:
            w = _weight(q, n)
            qw, wq = weight_quantization(np.asarray(w.data, np.float64),
                                         spec.axis if per_channel else None)
            name = q.unique_name(w.name + "/int8")
            q.add_tensor(ir.Tensor(name, w.shape, "int8", qw, wq))
            n.inputs[spec.input] = name
    if mode == "float16":
        new_nodes = []
        for n in q.nodes:
            for k, i in enumerate(n.inputs):
                t = q.tensors.get(i) if i is not None else None
                if t is not None and t.is_constant and t.dtype == "float32" and t.data.size > 16:
                    name = q.unique_name(i + "/fp16")
                    q.add_tensor(ir.Tensor(name, t.shape, "float16", t.data.astype(np.float16)))
                    deq = q.unique_name(i + "/dequantized")
                    q.add_tensor(ir.Tensor(deq, t.shape, "float32"))
                    new_nodes.append(ir.Node("DEQUANTIZE", [name], [deq], {}, f"dequantize_{i}"))
                    n.inputs[k] = deq
            new_nodes.append(n)
        q.nodes = new_nodes
    from .passes import remove_dead
    return remove_dead(q)
