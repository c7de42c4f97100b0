"""The converter's op catalogue: everything the converter knows about an op,
in one entry per op.

    entry = ops.info("CONV_2D")
    entry.options                     # "Conv2DOptions", its BuiltinOptions table
    entry.version(int8=True)          # 3, the version written for int8 kernels
    entry.weight.axis                 # 0, the weight's output-channel axis
    y = entry.forward(xp, args, options, out_shape, dtype)   # the float reference

An entry holds:
  - name: the TFLite builtin name (the IR's op name);
  - options, defaults: the BuiltinOptions member the op's options are written
    to, and the value the converter assumes for an option a node leaves out;
  - float_version, int8_version: the operator version the writer gives the op
    when its output is float, and when it is int8 (the versions TFLite's own
    converter gives those kernels);
  - weight: which input is the constant weight, its output-channel axis and
    rank (per-channel quantization, batch-norm folding), and the bias input;
  - fused_activation: the option that holds a fused RELU / RELU6, if any
    (fuse_activations moves a following activation into it);
  - activation: for RELU / RELU6, the value they become in that option;
  - int8 rules: int8 (the op runs on int8 data at all), same_quant (its
    outputs keep its input's quantization: the data input, `data_input`, 0
    but for SPLIT, whose input 0 is the axis; or "all" inputs, as
    CONCATENATION), value_inputs (inputs that, when constant, hold values of
    the output and are quantized with its quantization: PADV2's pad value,
    MAXIMUM / MINIMUM's bound), fixed_output ((scale, zero point) fixed by
    TFLite);
  - reference: the float implementation on an array module `xp`
    (numpy or cupy), reference(xp, args, options, out_shape, dtype), with the
    options completed from `defaults`; the fused activation is applied by
    `forward`, not by each implementation.

Besides TFLite's ops the catalogue lists the training-level ops importers
emit and the passes remove (BATCH_NORM, DROPOUT, IDENTITY: builtin=False),
and ops the converter only carries through from a .tflite file without
running them (reference None). An op name the catalogue does not know gets a
bare entry from `info`: no options, version 1, no int8 kernel, no reference.

Adding an op to the converter is adding its entry here (docs/converter.md).
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Mapping, Optional

import numpy as np

from . import windows
from .errors import ConversionError

# Fused activation function -> the clipping range it applies.
FUSED_ACTIVATIONS = {"NONE": (None, None), "RELU": (0.0, None), "RELU6": (0.0, 6.0),
                     "RELU_N1_TO_1": (-1.0, 1.0)}
_FUSED = "fused_activation_function"


@dataclasses.dataclass(frozen=True)
class Weight:
    """The constant weight of a layer: its input index, the output-channel
    axis (per-channel scales, batch-norm folding) and rank; the bias input;
    the data input (whose scale times the weight's is the bias scale)."""
    input: int
    axis: int
    rank: int
    bias: int
    data: int = 0


@dataclasses.dataclass(frozen=True)
class Op:
    name: str
    reference: Optional[Callable] = None
    options: Optional[str] = None
    defaults: Mapping = dataclasses.field(default_factory=dict)
    float_version: int = 1
    int8_version: Optional[int] = None
    weight: Optional[Weight] = None
    fused_activation: Optional[str] = None
    activation: Optional[str] = None
    int8: bool = False
    same_quant: str = ""
    data_input: int = 0
    value_inputs: tuple = ()
    fixed_output: Optional[tuple] = None
    builtin: bool = True

    def version(self, int8: bool) -> int:
        """The operator version to write for a float or an int8 output."""
        return self.int8_version if int8 and self.int8_version else self.float_version

    def with_defaults(self, options: Optional[dict]) -> dict:
        return {**self.defaults, **(options or {})}

    def forward(self, xp, args, options, out_shape, dtype):
        """The op's float result, with its fused activation applied (for an
        entry that has a reference implementation)."""
        o = self.with_defaults(options)
        y = self.reference(xp, args, o, out_shape, dtype)
        return fused_activation(xp, y, o.get(self.fused_activation)) if self.fused_activation else y


def fused_activation(xp, y, name):
    try:
        lo, hi = FUSED_ACTIVATIONS[name or "NONE"]
    except KeyError:
        raise ConversionError(f"fused activation {name!r} is not supported") from None
    return y if lo is None and hi is None else xp.clip(y, lo, hi if hi is not None else xp.inf)


# -- float reference implementations -------------------------------------------------

def _optional(args, k):
    return args[k] if len(args) > k else None


def _conv_2d(xp, a, o, out_shape, dtype):
    win = windows.Window2D.from_options(a[0].shape, a[1].shape[1:3], o)
    return windows.conv_2d(xp, a[0], a[1], _optional(a, 2), win)[0]


def _depthwise_conv_2d(xp, a, o, out_shape, dtype):
    win = windows.Window2D.from_options(a[0].shape, a[1].shape[1:3], o)
    return windows.depthwise_conv_2d(xp, a[0], a[1], _optional(a, 2), win)[0]


def _pool(forward):
    def run(xp, a, o, out_shape, dtype):
        win = windows.Window2D.from_options(a[0].shape, (o["filter_height"], o["filter_width"]), o)
        return forward(xp, a[0], win)[0]
    return run


def _fully_connected(xp, a, o, out_shape, dtype):
    w, b = a[1], _optional(a, 2)
    y = a[0].reshape(-1, w.shape[1]) @ w.T
    return (y if b is None else y + b).reshape(out_shape)


def _reduce(name):
    """MEAN, REDUCE_MAX, SUM over the axes of a[1]."""
    def run(xp, a, o, out_shape, dtype):
        axes = tuple(int(v) % a[0].ndim for v in np.atleast_1d(np.asarray(a[1])))
        return getattr(xp, name)(a[0], axis=axes, keepdims=bool(o["keep_dims"])).reshape(out_shape)
    return run


def _resize(bilinear):
    """TFLite's resize conventions (align_corners, half_pixel_centers), with
    the source coordinates computed in float32 as TFLite does."""
    def run(xp, a, o, out_shape, dtype):
        x = a[0]
        _, ih, iw, _ = x.shape
        oh, ow = (int(v) for v in np.asarray(a[1]))
        align, half = bool(o["align_corners"]), bool(o["half_pixel_centers"])

        def scale(i, out):
            return np.float32(i - 1) / np.float32(out - 1) if align and out > 1 else \
                np.float32(i) / np.float32(out)

        def axis(n_in, n_out):
            pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5 if half else 0.0)) * \
                scale(n_in, n_out)
            if not bilinear:
                idx = np.floor(pos + np.float32(0.5)) if align else np.floor(pos)  # ties up, as roundf
                return np.clip(idx, 0, n_in - 1).astype(int)
            pos = pos - np.float32(0.5 if half else 0.0)
            lo = np.maximum(np.floor(pos), 0).astype(int)
            hi = np.minimum(np.ceil(pos), n_in - 1).astype(int)
            return lo, hi, pos - lo
        if not bilinear:
            return x[:, axis(ih, oh)][:, :, axis(iw, ow)]
        y0, y1, dy = axis(ih, oh)
        x0, x1, dx = axis(iw, ow)
        dy, dx = xp.asarray(dy)[None, :, None, None], xp.asarray(dx)[None, None, :, None]
        top = x[:, y0][:, :, x0] * (1 - dx) + x[:, y0][:, :, x1] * dx
        bottom = x[:, y1][:, :, x0] * (1 - dx) + x[:, y1][:, :, x1] * dx
        return top * (1 - dy) + bottom * dy
    return run


def _pad(xp, a, o, out_shape, dtype):
    """PAD with zeros, PADV2 with its scalar input 2."""
    value = _optional(a, 2)
    return xp.pad(a[0], [(int(p[0]), int(p[1])) for p in np.asarray(a[1])],
                  constant_values=0 if value is None else float(np.asarray(value).reshape(())))


def _local_response_normalization(xp, a, o, out_shape, dtype):
    """x * (bias + alpha * sum of x^2 over channels c - radius .. c + radius)^-beta."""
    x = a[0]
    r = int(o["radius"])
    sq = xp.pad(x * x, [(0, 0)] * (x.ndim - 1) + [(r, r)])
    window = sum(sq[..., k:k + x.shape[-1]] for k in range(2 * r + 1))
    return x * (o["bias"] + o["alpha"] * window) ** -o["beta"]


def _l2_normalization(xp, a, o, out_shape, dtype):
    """x / max(||x||_2, 1e-6) over the last axis, as TFLite's kernel."""
    norm = xp.sqrt((a[0] * a[0]).sum(axis=-1, keepdims=True))
    return a[0] / xp.maximum(norm, 1e-6)


def _arg_min_max(name):
    """ARG_MAX / ARG_MIN along the axis in a[1], the first index on ties."""
    def run(xp, a, o, out_shape, dtype):
        axis = int(np.asarray(a[1]).ravel()[0]) % a[0].ndim
        index = {"INT32": np.int32, "INT64": np.int64, "2": np.int32, "4": np.int64}.get(
            str(o["output_type"]).upper())   # a TensorType name, or its code from a file
        if index is None:
            raise ConversionError(f"{name} output_type {o['output_type']!r}: expected INT32 "
                                  f"or INT64")
        return getattr(xp, name)(a[0], axis=axis).astype(index)
    return run


def _erf(xp, x):
    """erf by Abramowitz and Stegun 7.1.26 in float64 (|error| < 1.5e-7)."""
    x = xp.asarray(x, dtype=np.float64)
    t = 1.0 / (1.0 + 0.3275911 * xp.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 +
                                                                         t * 1.061405429))))
    return xp.sign(x) * (1.0 - poly * xp.exp(-x * x))


def _gelu(xp, a, o, out_shape, dtype):
    x = a[0]
    if o["approximate"]:
        return 0.5 * x * (1 + xp.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    return (0.5 * x * (1 + _erf(xp, x / np.sqrt(2)))).astype(x.dtype)


def _softmax(xp, a, o, out_shape, dtype):
    z = (a[0] - a[0].max(axis=-1, keepdims=True)) * o["beta"]
    e = xp.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _batch_norm(xp, a, o, out_shape, dtype):
    x, gamma, beta, mean, var = a
    return (x - mean) / xp.sqrt(var + o["epsilon"]) * gamma + beta


_LSTM_NO_ACTIVATION = (
    "UNIDIRECTIONAL_SEQUENCE_LSTM with fused activation NONE is not supported: LiteRT's kernel "
    "then outputs output_gate * cell_gate, not output_gate * cell_state; use TANH, RELU, RELU6 "
    "or RELU_N1_TO_1")


def _lstm(xp, a, o, out_shape, dtype):
    """UNIDIRECTIONAL_SEQUENCE_LSTM (TFLite's lstm_eval.cc; inputs as in
    runtime_c/src/kernels/unidirectional_sequence_lstm.c), from the state in
    inputs 18 and 19 (zeros: the reference executor runs each call from the
    start of a sequence). Gates in the order input, forget, cell, output."""
    a = list(a) + [None] * (24 - len(a))
    if o["diagonal_recurrent_tensors"]:
        raise ConversionError("UNIDIRECTIONAL_SEQUENCE_LSTM with diagonal recurrent weights is "
                              "not supported")
    if o[_FUSED] == "NONE":
        raise ConversionError(_LSTM_NO_ACTIVATION)
    x = a[0] if o["time_major"] else xp.swapaxes(a[0], 0, 1)        # [time, batch, in]
    w, r, b, ln = a[1:5], a[5:9], a[12:16], a[20:24]
    peep = [a[9], a[10], None, a[11]]
    act = {"TANH": xp.tanh}.get(o[_FUSED])
    if act is None:
        lo, hi = FUSED_ACTIVATIONS[o[_FUSED]]
        act = lambda v: xp.clip(v, lo, hi if hi is not None else xp.inf)   # noqa: E731

    def gate(k, h, c, fn):
        z = x_t @ w[k].T + h @ r[k].T + (c * peep[k] if peep[k] is not None else 0)
        if ln[k] is not None:
            z = (z - z.mean(-1, keepdims=True)) / xp.sqrt(z.var(-1, keepdims=True) + 1e-8) * ln[k]
        return fn(z + b[k])

    def sigmoid(v):
        return 1 / (1 + xp.exp(-v))

    h, c = a[18], a[19]
    outs = []
    for x_t in x:
        f = gate(1, h, c, sigmoid)
        i = 1 - f if w[0] is None else gate(0, h, c, sigmoid)
        c = f * c + i * gate(2, h, c, act)
        if o["cell_clip"] > 0:
            c = xp.clip(c, -o["cell_clip"], o["cell_clip"])
        h = gate(3, h, c, sigmoid) * act(c)
        if a[16] is not None:
            h = h @ a[16].T + (a[17] if a[17] is not None else 0)
            if o["proj_clip"] > 0:
                h = xp.clip(h, -o["proj_clip"], o["proj_clip"])
        outs.append(h)
    y = xp.stack(outs)
    return (y if o["time_major"] else xp.swapaxes(y, 0, 1)).reshape(out_shape)


def _cast(xp, a, o, out_shape, dtype):
    """RESHAPE, and QUANTIZE / DEQUANTIZE in a float graph: the values as they are."""
    return a[0].reshape(out_shape).astype(dtype)


def _same(xp, a, o, out_shape, dtype):
    return a[0]


def _depth_to_space(xp, a, o, out_shape, dtype):
    n, h, w, c = a[0].shape
    b = o["block_size"]
    return a[0].reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5) \
        .reshape(n, h * b, w * b, c // (b * b))


def _space_to_depth(xp, a, o, out_shape, dtype):
    n, h, w, c = a[0].shape
    b = o["block_size"]
    return a[0].reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5) \
        .reshape(n, h // b, w // b, b * b * c)


def _slice(xp, a, o, out_shape, dtype):
    begin, size = (np.asarray(v).astype(np.int64) for v in a[1:3])
    return a[0][tuple(slice(int(b), int(b) + (d - int(b) if int(k) == -1 else int(k)))
                      for b, k, d in zip(begin, size, a[0].shape))]


def strided_slice_spec(shape, begin, end, strides, o):
    """TFLite's STRIDED_SLICE over the "effective" dims (the input's and the
    new axes): the masks expanded (an ellipsis stands for every dim the spec
    leaves out; new axes are dims of 1), then each dim's start and stop
    clamped as TFLite's StartForAxis / StopForAxis (offset: each end counts
    from its dim's start). Returns, per effective
    dim, (input dim or None, start, stop, stride, shrink)."""
    begin, end, strides = ([int(v) for v in np.asarray(t).ravel()] for t in (begin, end, strides))
    count, rank = len(begin), len(shape)
    bm, em, elm, nam, sm = (int(o.get(k, 0)) for k in (
        "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"))
    added = sum(1 for i in range(count) if not elm >> i & 1 and nam >> i & 1)
    dims = rank + added
    ellipsis, new_axis, ellipsis_start, expanded = set(), set(), dims, 0
    i = 0
    while i < dims:
        if elm >> i & 1:
            ellipsis_start = i
            stop = max(i + 1, min(i + 1 + added + rank - count, dims))
            expanded = stop - i - 1
            ellipsis.update(range(i, stop))
            i = stop
            continue
        if 0 <= i - expanded < 32 and nam >> (i - expanded) & 1:
            new_axis.add(i)
        i += 1
    spec, added_ellipsis, added_axes = [], 0, 0
    for i in range(dims):
        if i in ellipsis:
            added_ellipsis = max(0, i - ellipsis_start)
            entry = (i - added_axes, 0, 0, 1, True, True, False)
        elif i in new_axis:
            spec.append((None, 0, 1, 1, False))
            added_axes += 1
            continue
        elif i >= count + expanded:
            entry = (i - added_axes, 0, 0, 1, True, True, False)
        else:
            k = i - added_ellipsis
            entry = (i - added_axes, begin[k], end[k], strides[k], bool(bm >> k & 1),
                     bool(em >> k & 1), bool(sm >> k & 1))
        d, start, stop, stride, mask_begin, mask_end, shrink = entry
        size = shape[d]
        if stride == 0:
            raise ConversionError("STRIDED_SLICE: a stride is 0")
        if size == 0:
            spec.append((d, 0, 0, stride, shrink))
            continue
        big = 2 ** 31
        start = (-big if stride > 0 else big - 1) if mask_begin else start
        start += size if start < 0 else 0
        start = min(max(start, 0), size) if stride > 0 else min(max(start, -1), size - 1)
        if shrink:
            stop = start + 1
        else:
            stop = (big - 1 if stride > 0 else -big) if mask_end else \
                stop + (start if o.get("offset") else 0)   # offset: a size from the start
            stop += size if stop < 0 else 0
            stop = min(max(stop, 0), size) if stride > 0 else min(max(stop, -1), size - 1)
        spec.append((d, start, stop, stride, shrink))
    return spec


def _strided_slice(xp, a, o, out_shape, dtype):
    x = a[0]
    spec = strided_slice_spec(x.shape, a[1], a[2], a[3], o)
    picks = [np.arange(start, stop, stride) for d, start, stop, stride, _ in spec
             if d is not None]
    y = x[np.ix_(*picks)] if picks else x
    return y.reshape([len(np.arange(start, stop, stride)) if d is not None else 1
                      for d, start, stop, stride, shrink in spec if not shrink])


def _gather(xp, a, o, out_shape, dtype):
    """numpy's take along the axis, batch by batch over the first batch_dims
    dims of params and indices (TFLite's GATHER)."""
    x, idx = a[0], np.asarray(a[1]).astype(np.int64)
    axis = o["axis"] % x.ndim
    batch = o["batch_dims"] + (idx.ndim if o["batch_dims"] < 0 else 0)
    if batch == 0:
        return xp.take(x, idx, axis=axis)
    lead = x.shape[:batch]
    xs = x.reshape((-1,) + x.shape[batch:])
    ids = idx.reshape((-1,) + idx.shape[batch:])
    parts = [xp.take(xs[k], ids[k], axis=axis - batch) for k in range(xs.shape[0])]
    return xp.stack(parts).reshape(lead + parts[0].shape) if parts else \
        xp.zeros(out_shape, x.dtype)


def _split_parts(x, axis, sizes):
    bounds = np.cumsum([0] + list(sizes))
    return [x[(slice(None),) * axis + (slice(int(a), int(b)),)] for a, b in zip(bounds, bounds[1:])]


def _split(xp, a, o, out_shape, dtype):
    x, axis = a[1], int(np.asarray(a[0]).ravel()[0]) % a[1].ndim
    return _split_parts(x, axis, [x.shape[axis] // o["num_splits"]] * o["num_splits"])


def _split_v(xp, a, o, out_shape, dtype):
    x, sizes = a[0], [int(v) for v in np.asarray(a[1]).ravel()]
    axis = int(np.asarray(a[2]).ravel()[0]) % x.ndim
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    return _split_parts(x, axis, sizes)


def _unpack(xp, a, o, out_shape, dtype):
    axis = o["axis"] % a[0].ndim
    return [xp.take(a[0], i, axis=axis) for i in range(a[0].shape[axis])]


def _pack(xp, a, o, out_shape, dtype):
    return xp.stack(a, axis=o["axis"] % (a[0].ndim + 1))


def _batch_matmul(xp, a, o, out_shape, dtype):
    lhs = xp.swapaxes(a[0], -1, -2) if o["adj_x"] else a[0]
    rhs = xp.swapaxes(a[1], -1, -2) if o["adj_y"] else a[1]
    return xp.matmul(lhs, rhs)


def transpose_conv_padding(padding, stride, filter_size, out):
    """TFLite's leading padding of TRANSPOSE_CONV: that of the convolution
    (SAME or VALID) whose input is this op's output."""
    conv_out = -(-out // stride) if padding == "SAME" else (out - filter_size + stride) // stride
    return max(0, (conv_out - 1) * stride + filter_size - out) // 2


def _transpose_conv(xp, a, o, out_shape, dtype):
    w, x, bias = a[1], a[2], _optional(a, 3)
    n, oh, ow, oc = (int(v) for v in np.asarray(a[0]))
    _, ih, iw, _ = x.shape
    _, kh, kw, _ = w.shape
    sh, sw = o["stride_h"], o["stride_w"]
    top = transpose_conv_padding(o["padding"], sh, kh, oh)
    left = transpose_conv_padding(o["padding"], sw, kw, ow)
    # scatter onto a canvas big enough for every tap, then cut the output out of it
    canvas = xp.zeros((n, (ih - 1) * sh + kh + top + oh, (iw - 1) * sw + kw + left + ow, oc),
                      x.dtype)
    for fy in range(kh):
        for fx in range(kw):
            tap = xp.einsum("nhwc,oc->nhwo", x, w[:, fy, fx, :])
            canvas[:, fy:fy + (ih - 1) * sh + 1:sh, fx:fx + (iw - 1) * sw + 1:sw] += tap
    y = canvas[:, top:top + oh, left:left + ow]
    return y if bias is None else y + bias


# -- the catalogue ---------------------------------------------------------------------

_WINDOW = {"padding": "SAME", "stride_h": 1, "stride_w": 1, _FUSED: "NONE"}
_CONV = {**_WINDOW, "dilation_h_factor": 1, "dilation_w_factor": 1}
_ACT = {_FUSED: "NONE"}


# Ops that call subgraphs, and the options table naming them.
CONTROL_FLOW = {"WHILE": "WhileOptions", "IF": "IfOptions", "CALL_ONCE": "CallOnceOptions"}


def _entries():
    def binary(name, fn, table):
        return Op(name, lambda xp, a, o, s, d: fn(a[0], a[1]), table, _ACT, int8_version=2,
                  fused_activation=_FUSED, int8=True)

    def data_mover(name, fn, table=None, defaults=None, int8_version=2, same_quant="first",
                   data_input=0):
        return Op(name, fn, table, defaults or {}, int8_version=int8_version, int8=True,
                  same_quant=same_quant, data_input=data_input)

    def unary(name, fn, fixed=None, activation=None):
        return Op(name, lambda xp, a, o, s, d: fn(xp, a[0]), int8_version=2, int8=True,
                  fixed_output=fixed, activation=activation)

    return [
        Op("CONV_2D", _conv_2d, "Conv2DOptions", _CONV, int8_version=3,
           weight=Weight(input=1, axis=0, rank=4, bias=2), fused_activation=_FUSED, int8=True),
        Op("DEPTHWISE_CONV_2D", _depthwise_conv_2d, "DepthwiseConv2DOptions", _CONV,
           int8_version=3, weight=Weight(input=1, axis=3, rank=4, bias=2),
           fused_activation=_FUSED, int8=True),
        Op("FULLY_CONNECTED", _fully_connected, "FullyConnectedOptions",
           {**_ACT, "keep_num_dims": False}, int8_version=4,
           weight=Weight(input=1, axis=0, rank=2, bias=2), fused_activation=_FUSED, int8=True),
        binary("ADD", lambda x, y: x + y, "AddOptions"),
        binary("SUB", lambda x, y: x - y, "SubOptions"),
        binary("MUL", lambda x, y: x * y, "MulOptions"),
        # int8 DIV refuses a divisor at its zero point (a real 0), as TFLite.
        Op("DIV", lambda xp, a, o, s, d: a[0] / a[1], "DivOptions", _ACT, int8_version=2,
           fused_activation=_FUSED, int8=True),
        Op("SQUARED_DIFFERENCE", lambda xp, a, o, s, d: (a[0] - a[1]) ** 2,
           "SquaredDifferenceOptions", int8_version=2, int8=True),
        Op("MAXIMUM", lambda xp, a, o, s, d: xp.maximum(a[0], a[1]), "MaximumMinimumOptions",
           int8_version=2, int8=True, same_quant="all", value_inputs=(0, 1)),
        Op("MINIMUM", lambda xp, a, o, s, d: xp.minimum(a[0], a[1]), "MaximumMinimumOptions",
           int8_version=2, int8=True, same_quant="all", value_inputs=(0, 1)),
        Op("AVERAGE_POOL_2D", _pool(windows.average_pool_2d), "Pool2DOptions", _WINDOW,
           int8_version=2, fused_activation=_FUSED, int8=True, same_quant="first"),
        Op("MAX_POOL_2D", _pool(windows.max_pool_2d), "Pool2DOptions", _WINDOW,
           int8_version=2, fused_activation=_FUSED, int8=True, same_quant="first"),
        Op("MEAN", _reduce("mean"), "ReducerOptions", {"keep_dims": False}, int8_version=2,
           int8=True),
        Op("REDUCE_MAX", _reduce("max"), "ReducerOptions", {"keep_dims": False},
           int8_version=2, int8=True, same_quant="first"),
        Op("SUM", _reduce("sum"), "ReducerOptions", {"keep_dims": False}, int8_version=2,
           int8=True),
        data_mover("PAD", _pad, "PadOptions"),
        Op("PADV2", _pad, "PadV2Options", int8_version=2, int8=True, same_quant="first",
           value_inputs=(2,)),
        data_mover("TRANSPOSE", lambda xp, a, o, s, d: xp.transpose(
            a[0], [int(p) for p in np.asarray(a[1])]), "TransposeOptions"),
        data_mover("CONCATENATION", lambda xp, a, o, s, d: xp.concatenate(a, axis=o["axis"]),
                   "ConcatenationOptions", {"axis": 0}, same_quant="all"),
        data_mover("RESHAPE", _cast, "ReshapeOptions", int8_version=None),
        data_mover("RESIZE_BILINEAR", _resize(True), "ResizeBilinearOptions",
                   {"align_corners": False, "half_pixel_centers": False}, int8_version=3),
        data_mover("RESIZE_NEAREST_NEIGHBOR", _resize(False), "ResizeNearestNeighborOptions",
                   {"align_corners": False, "half_pixel_centers": False}, int8_version=3),
        Op("SOFTMAX", _softmax, "SoftmaxOptions", {"beta": 1.0}, int8_version=2, int8=True,
           fixed_output=(1 / 256, -128)),
        Op("LOG_SOFTMAX", lambda xp, a, o, s, d: xp.log(_softmax(xp, a, {"beta": 1.0}, s, d)),
           "LogSoftmaxOptions", int8_version=2, int8=True, fixed_output=(16 / 256, 127)),
        Op("L2_NORMALIZATION", _l2_normalization, "L2NormOptions", _ACT, int8_version=2,
           int8=True, fixed_output=(1 / 128, 0)),
        Op("ARG_MAX", _arg_min_max("argmax"), "ArgMaxOptions", {"output_type": "INT64"},
           int8_version=2, int8=True),
        Op("ARG_MIN", _arg_min_max("argmin"), "ArgMinOptions", {"output_type": "INT64"},
           int8_version=2, int8=True),
        unary("LOGISTIC", lambda xp, x: 1 / (1 + xp.exp(-x)), fixed=(1 / 256, -128)),
        unary("TANH", lambda xp, x: xp.tanh(x), fixed=(1 / 128, 0)),
        unary("RELU", lambda xp, x: xp.maximum(x, 0), activation="RELU"),
        unary("EXP", lambda xp, x: xp.exp(x)),
        Op("GELU", _gelu, "GeluOptions", {"approximate": False}, int8_version=2, int8=True),
        unary("LOG", lambda xp, x: xp.log(x)),
        # int8 SQRT / RSQRT refuse an input below its zero point (a negative real).
        unary("SQRT", lambda xp, x: xp.sqrt(x)),
        unary("RSQRT", lambda xp, x: 1 / xp.sqrt(x)),
        Op("FLOOR", lambda xp, a, o, s, d: xp.floor(a[0])),
        unary("RELU6", lambda xp, x: xp.clip(x, 0, 6), activation="RELU6"),
        # Version 1 for int8 too: LiteRT's reference resolver registers only
        # version 1 of PRELU and DEPTH_TO_SPACE (their kernels take int8 at any).
        Op("PRELU", lambda xp, a, o, s, d: xp.where(a[0] >= 0, a[0], a[0] * a[1]), int8=True),
        Op("LEAKY_RELU", lambda xp, a, o, s, d: xp.where(a[0] > 0, a[0], a[0] * o["alpha"]),
           "LeakyReluOptions", {"alpha": 0.2}, int8_version=2, int8=True),
        data_mover("DEPTH_TO_SPACE", _depth_to_space, "DepthToSpaceOptions", {"block_size": 1},
                   int8_version=None),
        data_mover("SPACE_TO_DEPTH", _space_to_depth, "SpaceToDepthOptions", {"block_size": 1}),
        data_mover("SLICE", _slice, "SliceOptions"),
        data_mover("SQUEEZE", _cast, "SqueezeOptions", {"squeeze_dims": []}, int8_version=None),
        data_mover("EXPAND_DIMS", _cast, "ExpandDimsOptions", int8_version=None),
        data_mover("GATHER", _gather, "GatherOptions", {"axis": 0, "batch_dims": 0}),
        data_mover("SPLIT", _split, "SplitOptions", {"num_splits": 1}, data_input=1),
        data_mover("SPLIT_V", _split_v, "SplitVOptions", {"num_splits": 1}),
        data_mover("UNPACK", _unpack, "UnpackOptions", {"num": 1, "axis": 0}),
        data_mover("PACK", _pack, "PackOptions", {"values_count": 1, "axis": 0},
                   same_quant="all"),
        data_mover("STRIDED_SLICE", _strided_slice, "StridedSliceOptions",
                   {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
                    "shrink_axis_mask": 0, "offset": False}),
        Op("BATCH_MATMUL", _batch_matmul, "BatchMatMulOptions",
           {"adj_x": False, "adj_y": False, "asymmetric_quantize_inputs": False},
           int8_version=2, int8=True),
        Op("TRANSPOSE_CONV", _transpose_conv, "TransposeConvOptions", {**_WINDOW},
           float_version=3, int8_version=3,
           weight=Weight(input=1, axis=0, rank=4, bias=3, data=2), fused_activation=_FUSED,
           int8=True),
        # A sparse constant's dense value: the importer densifies sparse
        # tensors, so DENSIFY passes its (constant) input through and folds away.
        Op("DENSIFY", _same, "DensifyOptions"),
        # TFLite runs it in float only (int8 graphs keep it in float).
        Op("LOCAL_RESPONSE_NORMALIZATION", _local_response_normalization,
           "LocalResponseNormalizationOptions",
           {"radius": 5, "bias": 1.0, "alpha": 1.0, "beta": 0.5}),
        # The fused activation applies inside (cell gate and output), not to the output.
        Op("UNIDIRECTIONAL_SEQUENCE_LSTM", _lstm, "UnidirectionalSequenceLSTMOptions",
           {_FUSED: "NONE", "cell_clip": 0.0, "proj_clip": 0.0, "time_major": False,
            "asymmetric_quantize_inputs": False, "diagonal_recurrent_tensors": False}),
        Op("HARD_SWISH", lambda xp, a, o, s, d: a[0] * xp.clip(a[0] + 3, 0, 6) / 6,
           "HardSwishOptions", int8=True),
        # The converter writes QUANTIZE / DEQUANTIZE at int8 and float16 edges;
        # in a float graph they pass values through.
        Op("QUANTIZE", _cast, "QuantizeOptions"),
        Op("DEQUANTIZE", _cast, "DequantizeOptions"),
        # Loop conditions (TensorFlow's WHILE cond subgraphs): BOOL outputs.
        Op("LESS", lambda xp, a, o, s, d: a[0] < a[1], "LessOptions"),
        Op("LOGICAL_AND", lambda xp, a, o, s, d: xp.logical_and(a[0], a[1]), "LogicalAndOptions"),
        # Control flow: ops that run other subgraphs of the file (the runtime
        # runs them; the converter's graphs have one subgraph and no reference).
        *(Op(name, options=table) for name, table in CONTROL_FLOW.items()),
        # Training-level ops of the IR (converter/ir.py); the passes remove them.
        Op("BATCH_NORM", _batch_norm, defaults={"epsilon": 1e-5}, builtin=False),
        Op("DROPOUT", _same, builtin=False),
        Op("IDENTITY", _same, builtin=False),
    ]


OPS = {op.name: op for op in _entries()}


def info(name: str) -> Op:
    """The catalogue entry of `name`, or a bare entry for an op the
    catalogue does not know (carried through as it is)."""
    return OPS.get(name) or Op(name)


def options_table(name: str) -> Optional[str]:
    """The BuiltinOptions member that carries `name`'s options (None: none)."""
    return info(name).options
