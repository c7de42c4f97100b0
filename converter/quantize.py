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

import dataclasses
import zlib

import numpy as np

from . import ir, ops, ranges, windows
from .activations import float_activations, host_threads
from .errors import ConversionError
from .ranges import activation_quantization, mse_range  # noqa: F401  (the converter's API)

# The activation-range estimates calibrate() offers (the benchmarks enumerate them).
CALIBRATION_METHODS = ranges.METHODS

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


@dataclasses.dataclass
class Statistics:
    """What calibration learned about the float activations.

    ranges: {tensor: (lo, hi)} chosen by the method; choices: {tensor: the
    method "auto" chose for it}; means: {tensor: its mean over the samples,
    float64, of the tensor's shape} for the data inputs of layers with a
    weight (bias correction). For "auto": candidates, {method: ranges} of
    each whole-model choice it weighs (AUTO_METHODS), the feeds and float
    outputs it checks them on, and `chosen`, the method that won, and
    bias_correction, whether the int8 graph has it (auto may choose), and
    scores, {(method, bias corrected): mean SQNR (dB) on the check samples}
    of each int8 graph it tried. rounding: with AdaRound, what it did per
    layer (adaround.LayerRounding)."""
    ranges: dict
    choices: dict = dataclasses.field(default_factory=dict)
    means: dict = dataclasses.field(default_factory=dict)
    candidates: dict = dataclasses.field(default_factory=dict)
    check_feeds: list = dataclasses.field(default_factory=list)
    check_outputs: list = dataclasses.field(default_factory=list)
    chosen: str = ""
    bias_correction: bool = False
    scores: dict = dataclasses.field(default_factory=dict)
    rounding: list = dataclasses.field(default_factory=list)


# Values of one tensor kept over all samples for the methods that look at
# values (a random subset past that, the same whichever engine runs).
VALUES_KEPT = 1 << 16
# The range methods "auto" tries for the whole model (minmax and kl lost to
# one of these on every MediaPipe model, docs/quantization.md), and the
# samples on which it runs each candidate int8 model against the float one.
AUTO_METHODS = ("percentile", "mse")
AUTO_CHECK_SAMPLES = 8


def calibrate(g: ir.Graph, data, method: str = "minmax", percentile: float = ranges.PERCENTILE,
              progress=None, engine: str = "auto") -> dict:
    """Ranges (lo, hi) of every float activation over the representative data,
    computed by `engine` (activations.py: Mote's C runtime where it runs the
    graph, else the numpy reference executor); `method`: ranges.METHODS."""
    return calibration_statistics(g, data, method, percentile, progress, engine).ranges


def _kept(name: str, k: int, v: np.ndarray, cap: int) -> np.ndarray:
    """A copy of sample k's values of tensor `name`, at most `cap` of them."""
    flat = np.asarray(v).reshape(-1)
    if flat.size > cap:
        rng = np.random.default_rng([k, zlib.crc32(name.encode())])
        flat = flat[rng.integers(0, flat.size, cap)]
    return np.array(flat, np.float32)


def calibration_statistics(g: ir.Graph, data, method: str = "minmax",
                           percentile: float = ranges.PERCENTILE, progress=None,
                           engine: str = "auto", means: bool = False) -> Statistics:
    """Statistics of the float activations on the representative data: the
    ranges `method` gives, and with `means` the mean of every layer input.
    Under "auto", the ranges of each of AUTO_METHODS (quantize_int8 keeps
    the one whose int8 model is nearest the float one)."""
    ranges.check_method(method)
    samples = _samples(g, data)
    layer_inputs = {n.inputs[ops.info(n.op).weight.data] for n in g.nodes if ops.info(n.op).weight}
    cap = max(1, VALUES_KEPT // len(samples))
    extremes: dict = {}
    values: dict = {}
    sums: dict = {}
    check_outputs: list = []
    activations = float_activations(g, progress(samples) if progress else samples, engine)
    for k, tensors in enumerate(activations):
        tensors = {**tensors, **_lstm_cell_states(g, tensors)}
        for name, v in tensors.items():
            if v.size == 0:
                continue   # empty tensors (a slice of nothing) have no range
            lo, hi = float(np.min(v)), float(np.max(v))
            old = extremes.get(name)
            extremes[name] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
            if method != "minmax":
                values.setdefault(name, []).append(_kept(name, k, v, cap))
            if means and name in layer_inputs:
                if name in sums:
                    sums[name] += v   # in place, float64
                else:
                    sums[name] = np.array(v, np.float64)
        if method == "auto" and k < AUTO_CHECK_SAMPLES:
            check_outputs.append([np.array(tensors[o], np.float64) if o in tensors else None
                                  for o in g.outputs])
    stats = Statistics({}, means={name: s / len(samples) for name, s in sums.items()},
                       check_feeds=samples[:AUTO_CHECK_SAMPLES] if method == "auto" else [],
                       check_outputs=check_outputs)
    if method == "minmax":
        stats.ranges = extremes
        return stats
    methods = AUTO_METHODS if method == "auto" else (method,)
    for label in methods:
        stats.candidates[label] = {}
    for name, chunks in values.items():
        v = np.concatenate(chunks)
        for label in methods:
            if not np.isfinite(extremes[name]).all():   # refused, by name, when the graph is built
                r = extremes[name]
            elif label == "percentile":
                r = ranges.percentile_range(v, percentile)
            else:
                r = ranges.RANGE_METHODS[label](v)
            stats.candidates[label][name] = r
    stats.ranges = stats.candidates[methods[0]]
    if method != "auto":
        stats.candidates = {}
    else:
        stats.choices = {name: methods[0] for name in stats.ranges}
    return stats


LSTM = "UNIDIRECTIONAL_SEQUENCE_LSTM"


def _lstm_cell_states(g: ir.Graph, activations: dict) -> dict:
    """Every step's cell state of each LSTM, by the name of its cell-state
    tensor (input 19), recomputed in float32 from the LSTM's input: what
    TFLite's calibration logs to choose the int16 cell state's scale (the
    variable tensor itself holds only the last step's)."""
    out = {}
    for n in g.nodes:
        if n.op != LSTM or n.inputs[0] not in activations:
            continue
        args = [None if i is None else (np.asarray(g.tensors[i].data, np.float32)
                                        if g.tensors[i].is_constant else None)
                for i in n.inputs]
        args[0] = np.asarray(activations[n.inputs[0]], np.float32)
        for k in (18, 19):   # each calibration sample starts from zero state
            args[k] = np.zeros(g.tensors[n.inputs[k]].shape, np.float32)
        o = ops.info(LSTM).with_defaults(n.options)
        out[n.inputs[19]] = np.stack([c for _, c in ops.lstm_steps(np, args, o)])
    return out


def _constant_args(g: ir.Graph, n: ir.Node, dtype) -> list:
    """The inputs of node n that are constants, float ones as `dtype`
    (integer ones, such as TRANSPOSE_CONV's output shape, as they are); None
    for the others."""
    args = []
    for i in n.inputs:
        t = g.tensors.get(i) if i is not None else None
        args.append(None if t is None or not t.is_constant else
                    np.asarray(t.data, dtype) if t.dtype.startswith("float") else np.asarray(t.data))
    return args


def _weight_error_shift(g: ir.Graph, n: ir.Node, qw: np.ndarray, wq: dict, means: dict):
    """Per output channel, the mean change int8 weights make to layer n's
    output (before its activation) on the calibration data: the layer is
    linear in its input, so the mean of W_q x - W x over the samples is the
    layer with weight W_q - W (dequantized minus float, no bias) applied to
    the mean input, then averaged over every position of the channel."""
    spec = ops.info(n.op).weight
    x = n.inputs[spec.data]
    if x not in means:
        raise ConversionError(f"bias correction of node {n.name or n.outputs[0]!r} ({n.op}) needs "
                              f"the mean of its input {x!r} from calibration")
    w = np.asarray(g.tensors[n.inputs[spec.input]].data, np.float64)
    shape = [1] * w.ndim
    shape[spec.axis] = -1
    delta = qw.astype(np.float64) * np.asarray(wq["scale"], np.float64).reshape(shape) - w
    if n.op in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        # The mean over output positions of a sum over taps: each tap's mean
        # input (the padded input's strided view), dotted with the weight.
        win = windows.Window2D.from_options(means[x].shape, w.shape[1:3], n.options)
        xpad = win.pad(np, means[x])
        views = [xpad[win.tap(ky, kx)] for ky, kx in win.taps()]
        taps = np.stack([v.mean(axis=(0, 1, 2)) if v.size else np.zeros(v.shape[3])
                         for v in views])   # an empty output has no shift
        taps = taps.reshape(w.shape[1], w.shape[2], -1)
        if n.op == "CONV_2D":
            return delta.reshape(len(delta), -1) @ taps.reshape(-1)
        return np.sum(delta[0] * np.repeat(taps, w.shape[3] // taps.shape[2], axis=2), axis=(0, 1))
    args = _constant_args(g, n, np.float64)
    args[spec.data], args[spec.input] = means[x], delta
    if len(args) > spec.bias:
        args[spec.bias] = None
    options = ops.info(n.op).with_defaults(n.options)
    y = ops.info(n.op).reference(np, args, options, g.tensors[n.outputs[0]].shape, np.float64)
    return np.asarray(y).reshape(-1, y.shape[-1]).mean(axis=0)


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


def _quantization_groups(g: ir.Graph, fallback: list):
    """The tensors that must share one int8 quantization (an op's
    same_quant), as a union-find; fixed: {group: (scale, zero point)} for
    the groups holding an output whose quantization TFLite fixes (SOFTMAX,
    LOGISTIC, ...: the ops that only move its values keep it); requantized:
    (node, input index) where such an output meets another quantization in
    an op whose inputs and output must all share one (CONCATENATION of a
    SOFTMAX and a convolution): a QUANTIZE brings it to the output's. Inputs
    that all carry one fixed quantization share it without a QUANTIZE."""
    groups = _Groups()
    own = {n.outputs[0]: ops.info(n.op).fixed_output for n in g.nodes
           if ops.info(n.op).fixed_output and n not in fallback}
    shared = [n for n in g.nodes if ops.info(n.op).same_quant == "all"]
    for n in g.nodes:   # ops of one data input first: each group grows from one tensor
        if ops.info(n.op).same_quant == "first":
            for o in n.outputs:
                groups.union(o, n.inputs[ops.info(n.op).data_input])

    def fixed_of():
        return {groups.find(t): f for t, f in own.items()}
    requantized = []
    for n in shared:
        fixed = fixed_of()
        quants = [fixed.get(groups.find(i)) for i in n.inputs if not g.tensors[i].is_constant]
        alike = all(f is not None for f in quants) and len(set(quants)) == 1
        for k, i in enumerate(n.inputs):
            if fixed.get(groups.find(i)) is not None and not alike:
                requantized.append((n, k))
                continue
            for o in n.outputs:
                groups.union(i, o)
    return groups, fixed_of(), requantized


def quantize_int8(g: ir.Graph, data, per_channel: bool = True, io_dtype: str = "float32",
                  method: str = "minmax", progress=None, float_fallback: bool = False,
                  engine: str = "auto", bias_correction: bool | None = False, keep_float=(),
                  statistics: Statistics | None = None, ranges: dict | None = None,
                  adaround: bool = False, xp=np) -> ir.Graph:
    """The int8 graph of float graph `g`, calibrated on `data` with `method`
    (or with `statistics` already gathered by calibration_statistics, which
    then must hold means for bias_correction; or with the given `ranges`
    {tensor name: (lo, hi)}, quantization-aware training's, models/qat.py,
    which must cover every computed float tensor). keep_float: output names
    of nodes that stay in float between DEQUANTIZE and QUANTIZE (as ops
    without int8 kernels do under float_fallback). bias_correction: each
    layer's bias absorbs the mean shift its int8 weights cause on the
    calibration data (None: under "auto", whichever of with and without
    it brings the check samples' outputs closer; else off). adaround: the int8 weights of CONV_2D,
    DEPTHWISE_CONV_2D and FULLY_CONNECTED layers rounded as AdaRound learns
    on the calibration data (converter/adaround.py; its report in
    statistics.rounding), computed with the array module `xp` (numpy, or
    cupy)."""
    unsupported = list(dict.fromkeys(
        f"{n.op} ({n.name or n.outputs[0]}" + (f": {_why_float(n)})" if n.op == LSTM else ")")
        for n in g.nodes if _why_float(n) is not None and n.outputs[0] not in keep_float))
    if unsupported and not float_fallback:
        raise UnquantizableOps(unsupported)
    keep_float = set(keep_float)
    unknown = keep_float - {n.outputs[0] for n in g.nodes}
    if unknown:
        raise ConversionError(f"keep_float names {sorted(unknown)}, which no node of the graph "
                              f"computes; expected the output names of nodes")
    if adaround and data is None:
        raise ConversionError("adaround learns the rounding on calibration data; none was given")
    # bias_correction None under "auto": each candidate is weighed with and without it
    choose = bias_correction is None and ranges is None and \
        (method == "auto" if statistics is None else len(statistics.candidates) > 1)
    if ranges is not None:
        if bias_correction:
            raise ConversionError("bias correction needs calibration data; given ranges have none")
        statistics = Statistics(given_ranges(g, ranges))
    elif statistics is None:
        statistics = calibration_statistics(g, data, method, progress=progress, engine=engine,
                                            means=bool(bias_correction) or choose)
    corrections = (False, True) if choose and statistics.means else (bool(bias_correction),)

    shifts: dict = {}   # bias corrections, which depend on the weights only: one per layer

    def build(tensor_ranges, corrected, rounding=None, io=io_dtype):
        return _int8_graph(g, tensor_ranges, statistics.means, per_channel, io,
                           corrected, keep_float, rounding, shifts if rounding is None else {})
    if len(statistics.candidates) > 1:
        q = _best_candidate(statistics, build, corrections)
    else:
        statistics.bias_correction = corrections[0]
        q = build(statistics.ranges, corrections[0])
    if not adaround:
        return q
    from . import adaround as learned
    nearest = build(statistics.ranges, statistics.bias_correction, io="int8")   # names unchanged
    quant = {name: (t.quant["scale"][0], t.quant["zero_point"][0])
             for name, t in nearest.tensors.items()
             if t.dtype == "int8" and not t.is_constant and t.quant is not None}
    weights = {}
    for n in nearest.nodes:
        spec = ops.info(n.op).weight
        w = nearest.tensors.get(n.inputs[spec.input]) if spec else None
        if w is not None and w.dtype == "int8" and w.is_constant:
            weights[n.outputs[0]] = (np.asarray(w.data), w.quant)
    rounding, statistics.rounding = learned.round_weights(g, quant, _samples(g, data), weights,
                                                          xp)
    return build(statistics.ranges, statistics.bias_correction, rounding)


def _best_candidate(statistics: Statistics, build, corrections=(False,)) -> ir.Graph:
    """"auto": the int8 graph whose outputs are nearest the float model's on
    the check samples (highest mean SQNR over the outputs, run on Mote's C
    runtime), searched in two steps: each candidate method's ranges with the
    last of `corrections` (bias correction on, where auto chooses it), then
    the best of them with the other corrections. Without the runtime: the
    first candidate with the last correction."""
    from .tflite.writer import write_tflite
    labels = list(statistics.candidates)
    statistics.chosen, statistics.bias_correction = labels[0], corrections[-1]
    try:
        from ..runtime import Interpreter, errors
    except ImportError:
        return build(statistics.candidates[labels[0]], corrections[-1])
    best, second_step = None, [(label, c) for label in labels for c in corrections[:-1]]
    statistics.scores = {}
    trials = [(label, corrections[-1]) for label in labels]
    while trials:
        label, corrected = trials.pop(0)
        q = build(statistics.candidates[label], corrected)
        try:
            it = Interpreter(model_content=write_tflite(q), num_threads=host_threads())
            it.allocate_tensors()
        except errors.MoteError:   # a graph the runtime does not run: the first candidate
            statistics.chosen, statistics.bias_correction = labels[0], corrections[-1]
            return build(statistics.candidates[labels[0]], corrections[-1])
        score = _mean_sqnr_db(it, statistics.check_feeds, statistics.check_outputs, q)
        statistics.scores[label, corrected] = score
        if best is None or score > best[0]:
            best = (score, label, corrected, q)
        if not trials and second_step:   # the best method, with the other corrections
            trials, second_step = [t for t in second_step if t[0] == best[1]], []
    _, statistics.chosen, statistics.bias_correction, q = best
    statistics.choices = {name: statistics.chosen for name in statistics.choices}
    statistics.ranges = statistics.candidates[statistics.chosen]
    return q


def _mean_sqnr_db(it, feeds: list, float_outputs: list, q: ir.Graph) -> float:
    """Mean over the float outputs of 10 log10(sum f^2 / sum (f - q)^2) over
    `feeds` of the int8 model in interpreter `it` against the float outputs
    (0 where the model has none)."""
    ins = {d["name"]: d for d in it.get_input_details()}
    outs = it.get_output_details()
    signal, noise = np.zeros(len(outs)), np.zeros(len(outs))
    for feed, want in zip(feeds, float_outputs):
        for name, x in feed.items():
            d = ins[name]
            if np.dtype(d["dtype"]) == np.int8:
                s, z = d["quantization"]
                x = np.clip(np.round(x / np.float32(s)) + z, -128, 127)
            it.set_tensor(d["index"], np.asarray(x, d["dtype"]))
        it.reset_all_variables()
        it.invoke()
        for k, (d, f) in enumerate(zip(outs, want)):
            if f is None:   # an output that is not float (indices): not compared
                continue
            y = it.get_tensor(d["index"]).astype(np.float64)
            if np.dtype(d["dtype"]) == np.int8:
                s, z = d["quantization"]
                y = (y - z) * s
            signal[k] += float(np.sum(f ** 2))
            noise[k] += float(np.sum((y.reshape(f.shape) - f) ** 2))
    first = float_outputs[0] if float_outputs else []
    compared = [k for k, f in enumerate(first) if f is not None]
    if not compared:   # no float output to weigh: every candidate scores the same
        return 0.0
    db = 10 * np.log10(np.maximum(signal, 1e-30) / np.maximum(noise, 1e-30))[compared]
    return float(np.mean(np.minimum(db, 100.0)))   # an exact output counts as 100 dB


def _why_float(n: ir.Node):
    """Why node n has no int8 form here (no int8 kernel, or an LSTM whose
    integer form LiteRT lacks), or None."""
    if not ops.info(n.op).int8:
        return "no int8 kernel"
    return _lstm_refusal(n) if n.op == LSTM else None


def _int8_graph(g: ir.Graph, tensor_ranges: dict, means: dict, per_channel: bool, io_dtype: str,
                bias_correction: bool, keep_float: set, rounding: dict | None = None,
                shifts: dict | None = None) -> ir.Graph:
    """The int8 rewrite of `g` with activation ranges `tensor_ranges`;
    rounding: {node output name: int8 weights} replacing nearest rounding;
    shifts: {node output name: bias correction}, filled and reused (the
    corrections of one graph with the same weights)."""
    shifts = {} if shifts is None else shifts
    tensor_ranges = dict(tensor_ranges)
    for n in g.nodes:   # PADV2, MAXIMUM, MINIMUM: the output holds the constants' values
        constants = [g.tensors[n.inputs[k]] for k in ops.info(n.op).value_inputs
                     if g.tensors[n.inputs[k]].is_constant]
        if constants and n.outputs[0] in tensor_ranges:
            ins = [tensor_ranges[i] for i in n.inputs if i in tensor_ranges]
            lo = min([r[0] for r in ins], default=np.inf)
            hi = max([r[1] for r in ins], default=-np.inf)
            for t in constants:
                v = np.asarray(t.data, np.float64)
                v = v[v != float(np.finfo(np.float32).min)]   # a max pool's pad: saturates
                lo, hi = min([lo, *v]), max([hi, *v])
            tensor_ranges[n.outputs[0]] = (lo, hi)
    fallback = [n for n in g.nodes if _why_float(n) is not None or n.outputs[0] in keep_float]
    groups, fixed, requantized = _quantization_groups(g, fallback)
    group_range: dict = {}
    for name, (lo, hi) in tensor_ranges.items():
        if not np.isfinite([lo, hi]).all():
            raise ConversionError(f"tensor {name!r} takes values in [{lo}, {hi}] on the calibration "
                                  f"data; int8 needs a finite range (check the weights for inf/NaN)")
        for root in {groups.find(name)} | {groups.find(n.outputs[0]) for n, k in requantized
                                            if n.inputs[k] == name}:
            old = group_range.get(root)
            group_range[root] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
    q = ir.Graph(inputs=list(g.inputs), outputs=list(g.outputs))
    for name, t in g.tensors.items():
        if t.is_constant or t.variable or t.dtype != "float32":   # an LSTM's state: _quantize_lstm
            q.add_tensor(ir.Tensor(name, t.shape, t.dtype, t.data, variable=t.variable))
            continue
        if groups.find(name) in fixed:
            scale, zero_point = fixed[groups.find(name)]
            quant = {"scale": [np.float32(scale)], "zero_point": [zero_point]}
        elif groups.find(name) in group_range:
            quant = activation_quantization(*group_range[groups.find(name)])
        elif int(np.prod(t.shape)) == 0:   # holds no value: any valid quantization
            quant = activation_quantization(0.0, 1.0)
        else:
            raise ConversionError(f"tensor {name!r} is not computed from the model's inputs, so "
                                  f"calibration gives it no range")
        q.add_tensor(ir.Tensor(name, t.shape, "int8", None, quant))
    requantize = {}
    for n, k in requantized:
        requantize.setdefault(id(n), []).append(k)
    for n in g.nodes:
        node = ir.Node(n.op, list(n.inputs), list(n.outputs), dict(n.options), n.name)
        for k in requantize.get(id(n), ()):   # a fixed quantization into a shared one
            x, y = q.tensors[n.inputs[k]], q.tensors[n.outputs[0]]
            name = q.unique_name(f"{x.name}/requantized")
            q.add_tensor(ir.Tensor(name, x.shape, "int8", None, dict(y.quant)))
            q.nodes.append(ir.Node("QUANTIZE", [x.name], [name], {}, name))
            node.inputs[k] = name
        if n.op == LSTM and n not in fallback:
            _quantize_lstm(q, g, n, node, tensor_ranges)
            q.nodes.append(node)
            continue
        spec = ops.info(n.op).weight
        if spec:
            w = q.tensors[n.inputs[spec.input]]
            qw, wq = weight_quantization(np.asarray(_weight(g, n).data, np.float64),
                                         spec.axis if per_channel else None)
            if rounding and n.outputs[0] in rounding:
                qw = rounding[n.outputs[0]]
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
            if bias_correction and n.outputs[0] not in keep_float:
                if n.outputs[0] not in shifts:
                    shifts[n.outputs[0]] = _weight_error_shift(g, n, qw, wq, means)
                b = b - shifts[n.outputs[0]]
            qb = np.clip(np.round(b / bscale.astype(np.float64)), -2 ** 31, 2 ** 31 - 1)
            bname = q.unique_name((n.inputs[spec.bias] if has_bias else w.name + "/bias") + "/int32")
            q.add_tensor(ir.Tensor(bname, tuple(b.shape), "int32", qb.astype(np.int32),
                                   {"scale": bscale, "zero_point": np.zeros(len(bscale), np.int64)},
                                   float_data=b))
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
    _drop_requantization(q)
    from .passes import remove_dead
    return remove_dead(q)


def _lstm_refusal(n: ir.Node):
    """Why an LSTM has no integer form in Mote (None if it has one): the
    runtime's integer kernel runs neither a projection nor layer
    normalization, and LiteRT's applies TANH only."""
    ins = list(n.inputs) + [None] * (24 - len(n.inputs))
    if ins[16] is not None or any(i is not None for i in ins[20:24]):
        return "the integer LSTM has no projection or layer normalization"
    activation = ops.info(LSTM).with_defaults(n.options)["fused_activation_function"]
    if activation != "TANH":
        return f"the integer LSTM applies TANH only, this one {activation}"
    return None


def _quantize_lstm(q: ir.Graph, g: ir.Graph, n: ir.Node, node: ir.Node, ranges: dict) -> None:
    """An LSTM in TFLite's integer 8x8_16 form (what LiteRT's lstm.cc and
    Mote's runtime run; docs/quantization.md): int8 weights symmetric per
    tensor, int32 biases at input scale x weight scale, int16 peepholes, the
    output state (input 18) int8 with the output's quantization, the cell
    state (input 19) int16 with the power-of-two scale 2^(p - 15) where 2^p
    bounds its calibrated values (p in [0, 6]), and the five intermediates:
    four gate ones at 2^-12 (read only under layer normalization) and the
    hidden state's, which without a projection is the output's."""
    what = f"node {n.name or n.outputs[0]!r} ({n.op})"
    ins = list(n.inputs) + [None] * (24 - len(n.inputs))
    x, y = q.tensors[ins[0]], q.tensors[n.outputs[0]]
    if x.quant is None:
        raise ConversionError(f"{what}: input {x.name!r} is {x.dtype.upper()}; expected a float "
                              f"activation to quantize")
    s_in = np.float32(x.quant["scale"][0])
    weight_scales = {}
    for k in range(1, 9):   # input and recurrent weights, per tensor
        if ins[k] is None:
            continue
        w = g.tensors[ins[k]]
        qw, wq = weight_quantization(np.asarray(w.data, np.float64), None)
        name = q.unique_name(w.name + "/int8")
        q.add_tensor(ir.Tensor(name, w.shape, "int8", qw, wq))
        node.inputs[k] = name
        weight_scales[k] = np.float32(wq["scale"][0])
    for k in range(9, 12):   # peepholes: int16, symmetric
        if ins[k] is None:
            continue
        p = np.asarray(g.tensors[ins[k]].data, np.float64)
        scale = np.float32(max(float(np.max(np.abs(p))), 1e-8) / 32767)
        name = q.unique_name(ins[k] + "/int16")
        q.add_tensor(ir.Tensor(name, p.shape, "int16",
                               np.clip(np.round(p / scale), -32767, 32767).astype(np.int16),
                               {"scale": [scale], "zero_point": [0]}))
        node.inputs[k] = name
    for k in range(12, 16):  # biases at input scale x the gate's input-weight scale
        if ins[k] is None:
            continue
        b = np.asarray(g.tensors[ins[k]].data, np.float64)
        scale = np.float32(s_in * weight_scales[k - 11])
        name = q.unique_name(ins[k] + "/int32")
        q.add_tensor(ir.Tensor(name, b.shape, "int32",
                               np.clip(np.round(b / np.float64(scale)), -2 ** 31, 2 ** 31 - 1)
                               .astype(np.int32), {"scale": [scale], "zero_point": [0]}))
        node.inputs[k] = name
    h, c = g.tensors[ins[18]], g.tensors[ins[19]]
    out_quant = {"scale": list(y.quant["scale"]), "zero_point": list(y.quant["zero_point"])}
    hq = q.add_tensor(ir.Tensor(q.unique_name(h.name + "/int8"), h.shape, "int8", None,
                                out_quant, variable=True))
    if c.name not in ranges:
        raise ConversionError(f"{what}: no range for its cell state {c.name!r}; the int16 cell "
                              f"state's scale comes from calibrating every step's cell values")
    lo, hi = ranges[c.name]
    bound = max(abs(lo), abs(hi))
    power = int(np.clip(np.ceil(np.log2(bound)) if bound > 0 else 0, 0, 6))
    cq = q.add_tensor(ir.Tensor(q.unique_name(c.name + "/int16"), c.shape, "int16", None,
                                {"scale": [np.float32(2.0 ** (power - 15))], "zero_point": [0]},
                                variable=True))
    node.inputs[18:20] = [hq.name, cq.name]
    base = n.name or n.outputs[0]
    node.intermediates = [
        q.add_tensor(ir.Tensor(q.unique_name(f"{base}/intermediate_{gate}"), (), "int16", None,
                               {"scale": [np.float32(2.0 ** -12)], "zero_point": [0]})).name
        for gate in ("input", "forget", "cell", "output")]
    node.intermediates.append(q.add_tensor(ir.Tensor(
        q.unique_name(f"{base}/intermediate_hidden"), (), "int8", None, out_quant)).name)


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
    int8 input and a QUANTIZE of its output back to the calibrated int8. The
    constants the quantizer made for it (int8 weights, int32 bias, int8
    operands) give way to the float ones it had."""
    at = next(i for i, n in enumerate(q.nodes) if n.outputs == node.outputs)
    qnode = q.nodes[at]
    qnode.inputs = [name if name is None or name in g.tensors else node.inputs[k]
                    for k, name in enumerate(qnode.inputs[:len(node.inputs)])]
    before = []
    for k, name in enumerate(qnode.inputs):
        if name is None:
            continue
        t = q.tensors.get(name)
        if t is None:   # a float constant the int8 graph did not keep
            q.add_tensor(ir.Tensor(name, g.tensors[name].shape, g.tensors[name].dtype,
                                   g.tensors[name].data))
        elif t.dtype == "int8" and not t.is_constant:
            f = q.add_tensor(ir.Tensor(q.unique_name(name + "/float"), t.shape, "float32"))
            before.append(ir.Node("DEQUANTIZE", [name], [f.name], {}, f"dequantize_{name}"))
            qnode.inputs[k] = f.name
    out = qnode.outputs[0]
    t = q.tensors[out]
    f = q.add_tensor(ir.Tensor(q.unique_name(out + "/float"), t.shape, "float32"))
    qnode.outputs = [f.name]
    after = ir.Node("QUANTIZE", [f.name], [out], {}, f"quantize_{out}")
    q.nodes[at:at + 1] = before + [qnode, after]


def _drop_requantization(q: ir.Graph) -> None:
    """Float ops next to each other keep float between them: a QUANTIZE whose
    int8 output only DEQUANTIZE nodes read (and is no model output) goes, and
    so do they; their readers take the QUANTIZE's float input instead."""
    consumers = q.consumers()
    for n in [n for n in q.nodes if n.op == "QUANTIZE"]:
        out = n.outputs[0]
        readers = consumers.get(out, [])
        if out in q.outputs or not readers or any(r.op != "DEQUANTIZE" for r in readers):
            continue
        src = n.inputs[0]
        if src in q.inputs and any(r.outputs[0] in q.outputs for r in readers):
            continue
        q.nodes.remove(n)
        for r in readers:
            q.nodes.remove(r)
            if r.outputs[0] in q.outputs:   # the model output keeps its name
                for m in q.nodes:
                    m.outputs = [r.outputs[0] if o == src else o for o in m.outputs]
                    m.inputs = [r.outputs[0] if i == src else i for i in m.inputs]
                src = r.outputs[0]
            else:
                for m in q.nodes:
                    m.inputs = [src if i == r.outputs[0] else i for i in m.inputs]


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


# The ops whose int8 weights with float activations Mote and LiteRT run as
# hybrid kernels; "dynamic" leaves the weights of other ops (TRANSPOSE_CONV)
# float, so that every runtime can run the file.
HYBRID_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


def quantize_weights(g: ir.Graph, mode: str, per_channel: bool = True) -> ir.Graph:
    """"dynamic": int8 weights for HYBRID_OPS (hybrid kernels); "float16":
    every float constant weight stored as float16 + DEQUANTIZE."""
    q = g.copy()
    for n in q.nodes:
        spec = ops.info(n.op).weight
        if mode == "dynamic" and spec and n.op in HYBRID_OPS:
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
