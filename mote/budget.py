"""int8 within an accuracy budget: keep the fewest layers in float so that
the quantized model meets the user's bound on their evaluation data.

    from mote.budget import quantize_within_budget
    r = quantize_within_budget("model.onnx", calibration_x, eval_x, eval_y, max_drop=1.0)
    r.model          # .tflite bytes
    r.float_layers   # [(output tensor, op)] kept in float
    print(r)         # what it chose, what it measured, what it costs

The bound is either `max_drop`, in accuracy points (percent: 1.0 allows the
int8 model 1% less top-1 accuracy than the float model on the labelled
evaluation data), or `min_sqnr`, in dB, which every model output must reach
against the float model (SQNR = 10 log10(sum f^2 / sum (f - q)^2) over the
evaluation samples).

How: calibrate once; measure the all-int8 model; if it misses the bound,
measure each layer's sensitivity (the model with only that layer in float,
between DEQUANTIZE and QUANTIZE), add layers in float from the most
sensitive on until the bound is met, then drop again each layer the bound
does not need. Every measurement runs the candidate .tflite on Mote's C
runtime.

With fallback="int16x8" a sensitive layer goes to TFLite's 16x8 first
(int16 activations, int8 weights: the int8 model's size, twice the
activation bytes for that layer; see converter/quantize16.py), where it has
a 16x8 kernel; only layers without one, and, if every layer in 16x8 still
misses the bound, the most sensitive 16x8 layers, go to float.
r.int16_layers names the 16x8 ones.
"""
from __future__ import annotations

import dataclasses
import time

import numpy as np

from .converter import ConversionError, ops, passes, quantize
from .converter.activations import float_activations, host_threads
from .converter.convert import default_method, load
from .converter.quantize16 import layers_16x8, to_int16x8
from .converter.tflite.writer import write_tflite
from .runtime import Interpreter


@dataclasses.dataclass
class BudgetResult:
    model: bytes
    float_layers: list          # [(output tensor, op)] kept in float, in graph order
    metric: str                 # "accuracy" or "min output SQNR (dB)"
    target: float
    float_value: float | None   # the float model's accuracy (None for SQNR)
    int8_value: float           # the all-int8 model's
    value: float                # the chosen model's
    met: bool
    sensitivity: list           # [(output tensor, op, value with only it in float)], best first
    int8_bytes: int
    int8_ms: float
    ms: float
    int16_layers: list = dataclasses.field(default_factory=list)   # [(output, op)] in 16x8

    def __str__(self) -> str:
        unit = "" if self.metric == "accuracy" else " dB"
        lines = []
        if self.float_value is not None:
            lines.append(f"float model accuracy: {self.float_value:.4f}")
        lines.append(f"all-int8 {self.metric}: {self.int8_value:.4f}{unit}; target >= "
                     f"{self.target:.4f}{unit}")
        if not self.float_layers and not self.int16_layers:
            lines.append("the all-int8 model meets the budget: no layer kept in float")
        else:
            for layers, kind in ((self.int16_layers, "16x8 (int16 activations)"),
                                 (self.float_layers, "float")):
                if layers:
                    lines.append(f"kept {len(layers)} of {len(self.sensitivity)} layers in "
                                 f"{kind}: " + ", ".join(f"{name} ({op})" for name, op in layers))
            lines.append(f"{self.metric} with them: {self.value:.4f}{unit} "
                         f"({'meets' if self.met else 'still misses'} the target)")
        lines.append(f"cost: {self.int8_bytes:,} -> {len(self.model):,} bytes "
                     f"({len(self.model) - self.int8_bytes:+,}), invoke {self.int8_ms:.3f} -> "
                     f"{self.ms:.3f} ms on Mote's runtime (median)")
        return "\n".join(lines)


class _Evaluator:
    """Runs candidate int8 models on the evaluation feeds and measures them
    against the float model's outputs (or the labels)."""

    def __init__(self, g, feeds: list, labels):
        self.feeds, self.outputs = feeds, list(g.outputs)
        self.want = [[np.array(v[o], np.float64) for o in g.outputs]
                     for v in float_activations(g, feeds)]
        self.labels = labels
        if labels is not None:
            self.head = next((k for k, f in enumerate(self.want[0])
                              if f.size > 1 and f.size == f.shape[-1] * max(f.shape[0], 1)), None)
            if self.head is None:
                raise ConversionError("labels given, but no model output has classes on its "
                                      "last axis")
            classes = self.want[0][self.head].shape[-1]
            if labels.min() < 0 or labels.max() >= classes:
                raise ConversionError(f"labels range over [{labels.min()}, {labels.max()}]; "
                                      f"output {self.outputs[self.head]!r} has {classes} classes")
            self.float_value = float(np.mean(
                [w[self.head].argmax() == y for w, y in zip(self.want, labels)]))
        else:
            self.float_value = None

    def _run(self, model: bytes):
        it = Interpreter(model_content=model, num_threads=host_threads())
        it.allocate_tensors()
        ins = {d["name"]: d for d in it.get_input_details()}
        outs = it.get_output_details()
        for feed in self.feeds:
            for name, x in feed.items():
                d = ins[name]
                if np.dtype(d["dtype"]) == np.int8:
                    s, z = d["quantization"]
                    x = np.clip(np.round(x / np.float32(s)) + z, -128, 127)
                it.set_tensor(d["index"], np.asarray(x, d["dtype"]))
            it.reset_all_variables()
            it.invoke()
            got = []
            for d in outs:
                y = it.get_tensor(d["index"]).astype(np.float64)
                if np.dtype(d["dtype"]) == np.int8:
                    s, z = d["quantization"]
                    y = (y - z) * s
                got.append(y)
            yield got, it

    def value(self, model: bytes) -> float:
        if self.labels is not None:
            hits = [got[self.head].argmax() == y
                    for (got, _), y in zip(self._run(model), self.labels)]
            return float(np.mean(hits))
        signal = np.zeros(len(self.outputs))
        noise = np.zeros(len(self.outputs))
        for (got, _), want in zip(self._run(model), self.want):
            for k, (q, f) in enumerate(zip(got, want)):
                signal[k] += float(np.sum(f ** 2))
                noise[k] += float(np.sum((q.reshape(f.shape) - f) ** 2))
        with np.errstate(divide="ignore"):
            return float(np.min(10 * np.log10(signal / noise)))

    def milliseconds(self, model: bytes, runs: int = 20) -> float:
        it = Interpreter(model_content=model)
        it.allocate_tensors()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            it.invoke()
            times.append(time.perf_counter() - t0)
        return float(np.median(times)) * 1e3


def quantize_within_budget(source, representative_data, eval_data, labels=None, *,
                           max_drop: float | None = None, min_sqnr: float | None = None,
                           calibration: str | None = None,
                           per_channel: bool = True, io_dtype: str = "float32",
                           bias_correction: bool | None = None, equalize: bool | None = None,
                           fallback: str = "float", progress=None) -> BudgetResult:
    """int8 conversion of `source` (as mote.convert takes it) calibrated on
    `representative_data`, with the fewest layers kept in float for the int8
    model to meet `max_drop` (accuracy points; needs integer `labels`, one per
    evaluation sample) or `min_sqnr` (dB, every output) on `eval_data`.
    fallback: where a sensitive layer goes, "float" or "int16x8" (16x8
    first where the layer has a 16x8 kernel; float for the rest). The other
    options are mote.convert's (bias correction and equalization on unless
    False)."""
    if fallback not in ("float", "int16x8"):
        raise ConversionError(f"fallback={fallback!r}; expected 'float' or 'int16x8'")
    bias_correction, equalize = bias_correction is True, equalize is not False
    if (max_drop is None) == (min_sqnr is None):
        raise ConversionError("give one accuracy budget: max_drop (accuracy points, with labels) "
                              "or min_sqnr (dB)")
    if max_drop is not None and labels is None:
        raise ConversionError("max_drop needs labels: integer classes, one per evaluation sample")
    if max_drop is not None and not max_drop >= 0:
        raise ConversionError(f"max_drop is {max_drop}; expected accuracy points >= 0")
    g = passes.optimize(load(source))
    if equalize:
        g = passes.equalize_layers(g)
    feeds = quantize._samples(g, eval_data, what="evaluation data")
    if labels is not None:
        labels = np.asarray(labels)
        if labels.dtype.kind not in "iu" or labels.size != len(feeds):
            raise ConversionError(f"labels: {labels.size} {labels.dtype} value(s) for "
                                  f"{len(feeds)} evaluation samples; expected one integer class "
                                  f"per sample")
        labels = labels.reshape(-1)
    calibration = default_method("int8") if calibration is None else calibration
    stats = quantize.calibration_statistics(g, representative_data, calibration,
                                            progress=progress, means=bias_correction)

    def build(modes: dict) -> bytes:
        """The model with each layer of `modes` ({output: "float" or
        "int16x8"}) kept so, the rest int8."""
        keep = [name for name, mode in modes.items() if mode == "float"]
        q = quantize.quantize_int8(g, None, per_channel, io_dtype, float_fallback=True,
                                   bias_correction=bias_correction, keep_float=keep,
                                   statistics=stats)
        stats.candidates = {}   # "auto" chose its ranges on the first build: keep them
        wide = [name for name, mode in modes.items() if mode == "int16x8"]
        if wide:
            q = to_int16x8(q, wide)
        return write_tflite(q)

    ev = _Evaluator(g, feeds, labels if max_drop is not None else None)   # SQNR: no labels
    if max_drop is not None:
        metric, target = "accuracy", ev.float_value - max_drop / 100
    else:
        metric, target = "min output SQNR (dB)", float(min_sqnr)
    int8_model = build({})
    int8_value = ev.value(int8_model)
    layers = [n for n in g.nodes if ops.info(n.op).int8 and not ops.info(n.op).same_quant]
    op_of = {n.outputs[0]: n.op for n in layers}
    can16 = set(layers_16x8(quantize.quantize_int8(g, None, per_channel, io_dtype,
                                                    float_fallback=True, statistics=stats))) \
        if fallback == "int16x8" else set()
    first = {n.outputs[0]: "int16x8" if n.outputs[0] in can16 else "float" for n in layers}
    chosen, model, value, sensitivity = {}, int8_model, int8_value, []
    if int8_value < target:
        sensitivity = sorted(((name, op_of[name], ev.value(build({name: mode})))
                              for name, mode in first.items()), key=lambda row: -row[2])
        steps = [(name, first[name]) for name, _, _ in sensitivity]
        steps += [(name, "float") for name, _, _ in sensitivity if first[name] == "int16x8"]
        for name, mode in steps:   # 16x8 first; then, if that is not enough, float
            chosen[name] = mode
            model = build(chosen)
            value = ev.value(model)
            if value >= target:
                break
        if value >= target:   # take back what the bound does not need, last added first
            for name in list(reversed(list(chosen)[:-1])):
                for lower in (["int16x8", None] if chosen[name] == "float" and name in can16
                              else [None]):
                    trial = {k: v for k, v in chosen.items() if k != name}
                    if lower:
                        trial[name] = lower
                    trial_model = build(trial)
                    trial_value = ev.value(trial_model)
                    if trial_value >= target:
                        chosen, model, value = trial, trial_model, trial_value
                        break
    order = {n.outputs[0]: i for i, n in enumerate(g.nodes)}
    def kept(mode):
        return [(name, op_of[name]) for name in sorted(chosen, key=order.get)
                if chosen[name] == mode]
    return BudgetResult(model, kept("float"), metric, target, ev.float_value, int8_value, value,
                        value >= target, sensitivity or [(n.outputs[0], n.op, None) for n in layers],
                        len(int8_model), ev.milliseconds(int8_model), ev.milliseconds(model),
                        kept("int16x8"))
