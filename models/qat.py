"""Quantization-aware training: fine-tune a trained model through fake-quant
nodes that compute what the converter's int8 file computes, then export it
through the converter with the ranges it trained with.

    qat = QAT(model, calibration)            # calibration: [N, ...] input samples
    training.fit(qat.model, train, epochs=3, optimizer=Adam(1e-4))
    qat.model.predict(x)                     # the int8 file's outputs, simulated
    open("m_int8.tflite", "wb").write(qat.export())

What is simulated, and how it matches the converter (converter/quantize.py):

- The model is first frozen as the converter freezes it: Dropout dropped,
  each batch norm right after a convolution or dense layer folded into its
  weights and bias (w * k, b * k + beta - mean * k, k = gamma / sqrt(var +
  eps)): the int8 file holds those folded weights, so the fake-quant must see
  them. Batch statistics stay frozen while fine-tuning.
- Where it quantizes: the converter's own optimized graph of the model says
  it. Every float tensor that graph computes is int8 in the file, and is the
  output of one layer of the model (the importer names tensors by layer; a
  fused ReLU's output is the convolution's). A FakeQuant layer follows each
  such layer; tensors the converter gives one shared quantization (RESHAPE,
  pools: catalogue `same_quant`) share one range. Fixed output quantizations
  (SOFTMAX, LOGISTIC, TANH) are used as they are.
- Activations: per-tensor asymmetric int8 with the converter's own
  `activation_quantization(lo, hi)` (range widened to hold 0, zero point
  rounded and clamped: the same nudging); values are rounded half away from
  zero as TFLite's QUANTIZE and requantization do. (lo, hi) starts at the
  converter's minmax calibration on `calibration` and then follows an
  exponential moving average of each training batch's min and max.
- Weights: the converter's `weight_quantization` (per-channel symmetric,
  scale max|w| / 127 on the output-channel axis, [-127, 127]); biases
  rounded to int32 at scale input_scale * weight_scale as the converter does.
- Gradients are straight-through: the fake-quant passes the gradient where
  the value lies inside the int8 range and zero where it was clipped; weights
  and biases receive the gradient of their quantized values.

Ops the converter keeps in float (float fallback, e.g. the LSTM today) run in
float between their int8 input and output, here as in the file. Ops whose
int8 arithmetic this module does not simulate are refused with their names.
"""
from __future__ import annotations

import os
import tempfile

import numpy

from ..converter import ops, passes
from ..converter import quantize as cq
from ..converter.importers.mote_graph import import_trained_graph
from ..converter.tflite.writer import write_tflite

from . import layers as L
from .backend import to_numpy, xp
from .graph import InputLayer, Model, Symbol

# int8 ops whose arithmetic the fake-quant nodes reproduce (output rounding
# per tensor, weights per channel); float-fallback ops need none.
SIMULATED = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE", "MAX_POOL_2D",
             "AVERAGE_POOL_2D", "MEAN", "ADD", "RELU", "RELU6", "SOFTMAX", "LOGISTIC", "TANH"}


def round_half_away(v):
    """Rounds half away from zero (TFLite's QUANTIZE and requantization), not
    numpy's half to even."""
    return xp.sign(v) * xp.floor(xp.abs(v) + 0.5)


class Range:
    """The (lo, hi) of one int8 quantization, shared by the tensors the
    converter quantizes together; an EMA of batch min/max while training.
    `fixed` (scale, zero_point): an op's fixed output quantization."""

    def __init__(self, lo=0.0, hi=0.0, momentum=0.99, fixed=None):
        self.lo, self.hi, self.momentum, self.fixed = float(lo), float(hi), momentum, fixed

    def observe(self, x) -> None:
        if self.fixed is None and x.size:
            m = self.momentum
            self.lo = m * self.lo + (1 - m) * float(x.min())
            self.hi = m * self.hi + (1 - m) * float(x.max())

    def quantization(self):
        """(scale as float32, zero point) exactly as the converter writes them."""
        if self.fixed is not None:
            return numpy.float32(self.fixed[0]), int(self.fixed[1])
        q = cq.activation_quantization(self.lo, self.hi)
        return numpy.float32(q["scale"][0]), int(q["zero_point"][0])


def multiplier_shift(real) -> numpy.ndarray:
    """The exponent TFLite's QuantizeMultiplier gives each real factor:
    real = m / 2^31 * 2^shift with m in [2^30, 2^31) rounded to nearest."""
    q, e = numpy.frexp(numpy.asarray(real, numpy.float64))
    return numpy.where(numpy.round(q * 2.0 ** 31) == 2.0 ** 31, e + 1, e)


def fake_quant(x, scale, zero_point, right_shift=None):
    """(x quantized to int8 and back, mask of the values inside the int8
    range): real = scale * (clamp(round(x / scale) + zp, -128, 127) - zp).

    round is TFLite's: ties away from zero; or, where the int8 op rescales
    with a right shift (`right_shift`, per channel on the last axis), its two
    roundings: the doubling high multiply to 2^-right_shift (ties up), then
    the rounding shift (ties away)."""
    v = x / x.dtype.type(scale)
    if right_shift is None:
        r = round_half_away(v)
    else:
        step = xp.asarray(2.0 ** numpy.asarray(right_shift), dtype=x.dtype)
        r = round_half_away(xp.floor(v * step + 0.5) / step)
    q = r + zero_point
    inside = (q >= -128) & (q <= 127)
    return ((xp.clip(q, -128, 127) - zero_point) * x.dtype.type(scale)).astype(x.dtype), inside


class FakeQuant(L.Layer):
    """Quantizes its input to int8 and back with a (shared) Range; the
    gradient passes straight through inside the range, zero outside.
    `rescale(output_scale)`, where given, is the real factor (per channel)
    by which the int8 op rescales its accumulator to this output: its shift
    decides how the op rounds (fake_quant)."""
    op = "FakeQuant"

    def __init__(self, rng: Range, name=None, rescale=None):
        super().__init__(name)
        self.range, self.rescale = rng, rescale

    def forward(self, inputs, training):
        x = inputs[0]
        if training:
            self.range.observe(x)
        scale, zp = self.range.quantization()
        right = None
        if self.rescale is not None:
            right = numpy.maximum(-multiplier_shift(self.rescale(scale)), 0)
        return fake_quant(x, scale, zp, right)

    def backward(self, inside, grad):
        return [grad * inside], {}


class QuantWeights(L.Layer):
    """A Conv2D, DepthwiseConv2D or Dense layer computing with its weights
    quantized per channel (and its bias at int32) as the converter does; the
    float weights it trains are the layer's own (one params dict)."""

    def __init__(self, layer, axis: int, input_range: Range):
        super().__init__(layer.name)
        self.op, self.layer, self.axis, self.input_range = layer.op, layer, axis, input_range
        self.params = layer.params
        self.weight_scales = None   # per channel, set by each forward

    def rescale(self, output_scale):
        """The per-channel factor s_in * s_w[c] / s_out of the int8 op's
        requantization (in double from the float32 scales, as TFLite)."""
        return (numpy.float64(self.input_range.quantization()[0]) *
                self.weight_scales.astype(numpy.float64) / numpy.float64(output_scale))

    def output_shape(self, input_shapes):
        return self.layer.output_shape(input_shapes)

    def build(self, input_shapes, rng):
        self.layer.build(input_shapes, rng)
        self.params = self.layer.params

    def _quantized(self):
        """{param: value the int8 file computes with} (kernel; bias when the layer has one)."""
        w = to_numpy(self.params["kernel"]).astype(numpy.float64)
        qw, wq = cq.weight_quantization(w, self.axis)
        self.weight_scales = wq["scale"]
        shape = [1] * w.ndim
        shape[self.axis] = -1
        scales = wq["scale"].astype(numpy.float64)
        out = {"kernel": qw.astype(numpy.float64) * scales.reshape(shape)}
        if "bias" in self.params:   # int32 at input_scale * weight_scale, as the converter rounds it
            bscale = (self.input_range.quantization()[0] * wq["scale"]).astype(numpy.float32)
            b = to_numpy(self.params["bias"]).astype(numpy.float64)
            out["bias"] = numpy.clip(numpy.round(b / bscale.astype(numpy.float64)),
                                     -2 ** 31, 2 ** 31 - 1) * bscale.astype(numpy.float64)
        dtype = self.params["kernel"].dtype
        return {k: xp.asarray(v, dtype=dtype) for k, v in out.items()}

    def _with(self, values, fn):
        saved = dict(self.params)
        self.params.update(values)
        try:
            return fn()
        finally:
            self.params.update(saved)

    def forward(self, inputs, training):
        values = self._quantized()
        out, cache = self._with(values, lambda: self.layer.forward(inputs, training))
        return out, (cache, values)

    def backward(self, cache, grad):
        inner, values = cache   # straight through: d loss / d w = d loss / d quantized(w)
        return self._with(values, lambda: self.layer.backward(inner, grad))


def _clone(layer):
    return type(layer)(**layer.config(), name=layer.name)


def freeze(model: Model) -> Model:
    """The model as the converter sees it: Dropout gone, each batch norm that
    follows a Conv2D / DepthwiseConv2D / Dense (its only reader) folded into
    that layer's weights and a bias. Same outputs in inference."""
    readers = {}
    for s in model.symbols:
        for i in s.inputs:
            readers[id(i)] = readers.get(id(i), 0) + 1
    new, values, folded = {}, {}, {}
    for s in model.symbols:
        layer = s.layer
        if isinstance(layer, InputLayer):
            new[id(s)] = Symbol(InputLayer(layer.shape, layer.name), [], s.shape)
            continue
        ins = [new[id(i)] for i in s.inputs]
        if isinstance(layer, L.Dropout):
            new[id(s)] = ins[0]
            continue
        src = s.inputs[0]
        if (isinstance(layer, L.BatchNormalization) and readers.get(id(src)) == 1
                and isinstance(src.layer, (L.Conv2D, L.DepthwiseConv2D, L.Dense))):
            p = {k: to_numpy(v).astype(numpy.float64) for k, v in
                 list(layer.params.items()) + list(layer.state.items())}
            k = p["gamma"] / numpy.sqrt(p["moving_variance"] + layer.epsilon)
            conv = folded[id(src)]
            w = values[conv.name + "/kernel"]
            axis = 0 if not isinstance(conv, L.DepthwiseConv2D) else 3
            shape = [1] * w.ndim
            shape[axis] = -1
            values[conv.name + "/kernel"] = w * k.reshape(shape)
            b = values.get(conv.name + "/bias", 0.0)
            values[conv.name + "/bias"] = b * k + p["beta"] - p["moving_mean"] * k
            conv.use_bias = True
            new[id(s)] = ins[0]
            continue
        clone = _clone(layer)
        for store in (layer.params, layer.state):
            for key, v in store.items():
                values[f"{layer.name}/{key}"] = to_numpy(v).astype(numpy.float64)
        folded[id(s)] = clone
        new[id(s)] = clone(*ins)
    frozen = Model([new[id(s)] for s in model.input_symbols], new[id(model.output_symbol)],
                   name=model.name, dtype=model.dtype)
    frozen.set_variables(values)
    return frozen


def converter_graph(model: Model):
    """The converter's optimized IR graph of `model` (saved as a trained graph
    and imported, as `mote convert` would)."""
    from . import saving
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.npz")
        saving.save(model, path)
        return passes.optimize(import_trained_graph(path))


class QAT:
    """A trained model prepared for quantization-aware training (see the
    module's doc). `model` trains with models.training.fit; `plain` is the
    frozen float model sharing its weights; export() writes the int8 file."""

    def __init__(self, model: Model, calibration, momentum: float = 0.99, engine: str = "auto"):
        self.plain = freeze(model)
        g = converter_graph(self.plain)
        refused = sorted({n.op for n in g.nodes if ops.info(n.op).int8 and n.op not in SIMULATED})
        if refused:
            raise ValueError(f"quantization-aware training does not simulate the int8 "
                             f"arithmetic of {refused}; it simulates {sorted(SIMULATED)} and "
                             f"float-fallback ops")
        calibrated = cq.calibrate(g, calibration, "minmax", engine=engine)
        groups = cq._Groups()   # the converter's sharing rule
        for n in g.nodes:
            same = ops.info(n.op).same_quant
            if same:
                data = n.inputs[ops.info(n.op).data_input:][:1]
                for i in (n.inputs if same == "all" else data):
                    for o in n.outputs:
                        groups.union(i, o)
        self.ranges = {}   # tensor name -> its (shared) Range
        shared = {}
        fixed = {n.outputs[0]: ops.info(n.op).fixed_output for n in g.nodes
                 if ops.info(n.op).fixed_output}
        for name in calibrated:
            if g.tensors[name].variable:
                continue
            if name in fixed:
                self.ranges[name] = Range(fixed=fixed[name])
                continue
            root = groups.find(name)
            lo, hi = calibrated[name]
            r = shared.setdefault(root, Range(lo, hi, momentum))
            r.lo, r.hi = min(r.lo, lo), max(r.hi, hi)
            self.ranges[name] = r
        self.graph = g
        self.model = self._fake_quantized(momentum)

    def _fake_quantized(self, momentum) -> Model:
        """The plain model's layers (the same objects: one set of weights)
        with weight quantization and a FakeQuant after every int8 tensor."""
        weight_of = {}
        for n in self.graph.nodes:
            spec = ops.info(n.op).weight
            if spec and ops.info(n.op).int8:
                weight_of[n.inputs[spec.input]] = (spec.axis, n.inputs[spec.data])
        values = self.plain.variables()
        # int8 ops that rescale with two roundings (docs/quantization.md, section 6):
        # output tensor -> the real factor of their requantization
        rescale, wrapped = {}, {}
        for n in self.graph.nodes:
            if n.op in ("CONV_2D", "DEPTHWISE_CONV_2D"):
                rescale[n.outputs[0]] = ("weights", n.inputs[ops.info(n.op).weight.input])
            elif n.op == "MEAN":
                axes = numpy.asarray(self.graph.tensors[n.inputs[1]].data).ravel()
                shape = self.graph.tensors[n.inputs[0]].shape
                count = int(numpy.prod([shape[int(a)] for a in axes]))
                rescale[n.outputs[0]] = ("mean", (self.ranges[n.inputs[0]], count))
        new, inputs = {}, {}
        for s in self.plain.symbols:
            layer = s.layer
            if isinstance(layer, InputLayer):
                out = inputs[id(s)] = Symbol(layer, [], s.shape)
            else:
                key = layer.name + "/kernel"
                if key in weight_of:
                    axis, data = weight_of[key]
                    layer = wrapped[key] = QuantWeights(layer, axis, self.ranges[data])
                out = layer(*[new[id(i)] for i in s.inputs])
            name = s.layer.name
            if name in self.ranges:
                kind, what = rescale.get(name, (None, None))
                factor = wrapped[what].rescale if kind == "weights" else \
                    _mean_rescale(*what) if kind == "mean" else None
                out = FakeQuant(self.ranges[name], "fake_quant/" + name, factor)(out)
            new[id(s)] = out
        missing = [t for t in self.ranges if t not in {s.layer.name for s in self.plain.symbols}]
        if missing:
            raise ValueError(f"the converter quantizes tensor(s) {missing} that no layer of the "
                             f"model outputs; quantization-aware training cannot place them")
        m = Model([inputs[id(s)] for s in self.plain.input_symbols], new[id(self.plain.output_symbol)],
                  name=self.plain.name, dtype=self.plain.dtype)
        self.plain.set_variables(values)   # building m re-initialised the shared layers
        return m

    def activation_ranges(self) -> dict:
        """{tensor name: (lo, hi)} the export quantizes with."""
        return {name: (r.lo, r.hi) for name, r in self.ranges.items() if r.fixed is None}

    def export(self, io_dtype: str = "float32") -> bytes:
        """The int8 .tflite of the fine-tuned model: the converter's
        quantization with the trained ranges (no calibration)."""
        g = converter_graph(self.plain)
        ranges = self.activation_ranges()
        ranges.update({name: _fixed_range(*r.fixed) for name, r in self.ranges.items()
                       if r.fixed is not None})
        q = cq.quantize_int8(g, None, io_dtype=io_dtype, float_fallback=True, ranges=ranges)
        return write_tflite(q)


def _mean_rescale(input_range: Range, count: int):
    """MEAN's int8 factor s_in / (count s_out) as TFLite folds it: the
    multiplier of s_in / s_out times 2^k / count, its shift lowered by k
    (2^k <= count, k capped at 32 and at 31 + shift)."""
    k = min(int(count).bit_length() - 1, 32)

    def factor(output_scale):
        ratio = numpy.float64(input_range.quantization()[0]) / numpy.float64(output_scale)
        shift = int(multiplier_shift(ratio))
        return 2.0 ** (shift - min(k, 31 + shift) - 1)   # any factor with that shift
    return factor


def _fixed_range(scale, zero_point):
    """A range whose quantization is (scale, zero_point) (the converter
    overrides it with the op's fixed one anyway)."""
    return scale * (-128 - zero_point), scale * (127 - zero_point)
