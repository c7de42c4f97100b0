"""Seeded random one-op models for differential tests against LiteRT.

`float_cases(op, count, seed)` yields (name, tflite_bytes, [inputs]) for one
op, drawing shapes, strides, paddings, dilations, activations and
broadcasting at random. The same cases feed the Python differential tests and
the C tests (native, sanitizers, qemu).
"""
from __future__ import annotations

import numpy as np

from mote.converter.tflite import flatbuf
from mote.converter.tflite.builder import ModelBuilder
from mote.converter.windows import window

ACTIVATIONS = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"]


def _window_out(size, k, stride, dilation, padding):
    """The output size of a window op; 0 where the window fits nowhere."""
    try:
        return window(size, k, stride, dilation, padding)[0]
    except ValueError:
        return 0


def _unary(b, rng, op, shape=None, options=None, scale=4.0):
    shape = shape or list(rng.integers(1, 6, size=rng.integers(1, 5)))
    x = b.add_input("x", shape, "float32")
    y = b.add_tensor("y", shape, "float32")
    b.add_operator(op, [x], [y], options)
    b.mark_outputs(y)
    return [(rng.standard_normal(shape) * scale).astype(np.float32)]


def channels(rng, small=8):
    """A channel count: mostly below `small`; one in three 8-40, so that the
    register-blocked kernels see several column panels and their remainders."""
    return int(rng.integers(1, small)) if rng.random() < 0.67 else int(rng.integers(8, 41))


def conv_geometry(rng):
    """Random conv window: input [n, h, w, cin], kernel, strides, dilations,
    padding and the output size they give (always at least 1x1). One in five
    is pointwise (1x1, stride 1), the most common convolution in real models."""
    while True:
        n, h, w = rng.integers(1, 3), rng.integers(1, 12), rng.integers(1, 12)
        cin = channels(rng, 7)
        kh, kw = rng.integers(1, 5, size=2)
        sh, sw = rng.integers(1, 4, size=2)
        if rng.random() < 0.2:
            kh = kw = sh = sw = 1
        dh, dw = rng.integers(1, 4, size=2)
        if rng.random() < 0.4:
            dh = dw = 1
        padding = str(rng.choice(["SAME", "VALID"]))
        oh, ow = _window_out(h, kh, sh, dh, padding), _window_out(w, kw, sw, dw, padding)
        if oh > 0 and ow > 0:
            return n, h, w, cin, kh, kw, sh, sw, dh, dw, padding, oh, ow


def depthwise_geometry(rng):
    """The depthwise layers of real models (MobileNets, BlazeFace): a 3x3 or
    5x5 window, equal strides 1 or 2, no dilation, 8-40 channels, large enough
    maps that most pixels have every tap inside the input and some do not."""
    while True:
        n, h, w = rng.integers(1, 3), rng.integers(1, 14), rng.integers(1, 14)
        cin = int(rng.integers(8, 41))
        k, s = int(rng.choice([3, 5])), int(rng.choice([1, 2]))
        padding = str(rng.choice(["SAME", "VALID"]))
        oh, ow = _window_out(h, k, s, 1, padding), _window_out(w, k, s, 1, padding)
        if oh > 0 and ow > 0:
            return n, h, w, cin, k, k, s, s, 1, 1, padding, oh, ow


def conv_options(depthwise, padding, sh, sw, dh, dw, act, mult=1):
    o = {"padding": padding, "stride_w": sw, "stride_h": sh, "fused_activation_function": act,
         "dilation_w_factor": dw, "dilation_h_factor": dh}
    if depthwise:
        o["depth_multiplier"] = mult
    return o


def conv_2d(b, rng, depthwise=False, geometry=None):
    n, h, w, cin, kh, kw, sh, sw, dh, dw, padding, oh, ow = (geometry or conv_geometry)(rng)
    act = str(rng.choice(ACTIVATIONS))
    x = b.add_input("x", [n, h, w, cin], "float32")
    if depthwise:
        mult = 1 if geometry else int(rng.integers(1, 4))
        cout = cin * mult
        wt = rng.standard_normal((1, kh, kw, cout)).astype(np.float32)
        options = conv_options(True, padding, sh, sw, dh, dw, act, mult)
    else:
        cout = channels(rng, 9)
        wt = rng.standard_normal((cout, kh, kw, cin)).astype(np.float32)
        options = conv_options(False, padding, sh, sw, dh, dw, act)
    f = b.add_constant("filter", wt)
    bias = b.add_constant("bias", rng.standard_normal(cout).astype(np.float32))
    y = b.add_tensor("y", [n, oh, ow, cout], "float32")
    b.add_operator("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", [x, f, bias], [y], options,
                   version=2 if max(dh, dw) > 1 else 1)
    b.mark_outputs(y)
    return [rng.standard_normal((n, h, w, cin)).astype(np.float32)]


def depthwise_conv_2d(b, rng):
    """Half the cases any geometry and multiplier, half real models' shapes."""
    return conv_2d(b, rng, depthwise=True,
                   geometry=depthwise_geometry if rng.random() < 0.5 else None)


def fully_connected(b, rng):
    rank = int(rng.integers(1, 4))
    shape = [int(d) for d in rng.integers(1, 6, size=rank)]
    shape[-1] = channels(rng, 6)
    depth = shape[-1]
    units = channels(rng, 10)
    keep = bool(rng.random() < 0.5) and rank > 1
    x = b.add_input("x", shape, "float32")
    w = b.add_constant("w", rng.standard_normal((units, depth)).astype(np.float32))
    bias = b.add_constant("bias", rng.standard_normal(units).astype(np.float32)) \
        if rng.random() < 0.7 else -1
    out_shape = shape[:-1] + [units] if keep else [int(np.prod(shape)) // depth, units]
    y = b.add_tensor("y", out_shape, "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y],
                   {"fused_activation_function": str(rng.choice(ACTIVATIONS)),
                    "keep_num_dims": keep}, version=5 if keep else 1)
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def _broadcast_pair(rng):
    rank = int(rng.integers(1, 5))
    out = [int(d) for d in rng.integers(1, 6, size=rank)]
    shapes = []
    for _ in range(2):
        s = [d if rng.random() < 0.6 else 1 for d in out]
        s = s[int(rng.integers(0, rank)) if rng.random() < 0.3 else 0:]
        shapes.append(s)
    nd = max(len(s) for s in shapes)
    return shapes, [max(shapes[0][::-1][i] if i < len(shapes[0]) else 1,
                        shapes[1][::-1][i] if i < len(shapes[1]) else 1)
                    for i in range(nd)][::-1]


def _channel_broadcast_pair(rng):
    """A feature map and a per-channel vector (bias, scale, squeeze-and-excite
    gate), in either order: [n, h, w, c] with [c] or [1, 1, 1, c]."""
    out = [int(d) for d in rng.integers(1, 6, size=3)] + [int(rng.integers(8, 41))]
    vec = [out[-1]] if rng.random() < 0.5 else [1, 1, 1, out[-1]]
    return ([out, vec] if rng.random() < 0.5 else [vec, out]), out


def _binary(b, rng, op):
    (sa, sb), out = _channel_broadcast_pair(rng) if rng.random() < 0.25 else \
        _broadcast_pair(rng)
    x = b.add_input("a", sa, "float32")
    z = b.add_input("b", sb, "float32")
    y = b.add_tensor("y", out, "float32")
    b.add_operator(op, [x, z], [y], {"fused_activation_function": str(rng.choice(ACTIVATIONS))})
    b.mark_outputs(y)
    return [rng.standard_normal(sa).astype(np.float32), rng.standard_normal(sb).astype(np.float32)]


def add(b, rng):
    return _binary(b, rng, "ADD")


def add_int32(b, rng):
    """ADD of INT32 (TensorFlow's loop counters), broadcasting, each fused activation."""
    (sa, sb), out = _broadcast_pair(rng)
    x = b.add_input("a", sa, "int32")
    z = b.add_input("b", sb, "int32")
    y = b.add_tensor("y", out, "int32")
    b.add_operator("ADD", [x, z], [y], {"fused_activation_function": str(rng.choice(ACTIVATIONS))})
    b.mark_outputs(y)
    return [rng.integers(-1000, 1000, s).astype(np.int32) for s in (sa, sb)]


def _max_min(b, rng, op):
    """No fused activation; inputs drawn from few values so that ties occur."""
    (sa, sb), out = _broadcast_pair(rng)
    x = b.add_input("a", sa, "float32")
    z = b.add_input("b", sb, "float32")
    y = b.add_tensor("y", out, "float32")
    b.add_operator(op, [x, z], [y])
    b.mark_outputs(y)
    return [(rng.integers(-4, 5, s) / 2).astype(np.float32) for s in (sa, sb)]


def less(b, rng):
    """FLOAT32 or INT32 inputs from few values, so that ties occur; BOOL output."""
    (sa, sb), out = _broadcast_pair(rng)
    dtype = np.float32 if rng.random() < 0.5 else np.int32
    x = b.add_input("a", sa, dtype)
    z = b.add_input("b", sb, dtype)
    y = b.add_tensor("y", out, "bool")
    b.add_operator("LESS", [x, z], [y])
    b.mark_outputs(y)
    return [(rng.integers(-4, 5, s) * (0.5 if dtype == np.float32 else 1)).astype(dtype)
            for s in (sa, sb)]


def logical_and(b, rng):
    (sa, sb), out = _broadcast_pair(rng)
    x = b.add_input("a", sa, "bool")
    z = b.add_input("b", sb, "bool")
    y = b.add_tensor("y", out, "bool")
    b.add_operator("LOGICAL_AND", [x, z], [y])
    b.mark_outputs(y)
    return [rng.random(s) < 0.5 for s in (sa, sb)]


def div(b, rng):
    """Divisors kept away from 0 (|b| >= 0.5), either sign."""
    inputs = _binary(b, rng, "DIV")
    sign = np.where(rng.random(inputs[1].shape) < 0.5, -1.0, 1.0)
    return [inputs[0], (sign * (np.abs(inputs[1]) + 0.5)).astype(np.float32)]


def squared_difference(b, rng):
    (sa, sb), out = _broadcast_pair(rng)
    x = b.add_input("a", sa, "float32")
    z = b.add_input("b", sb, "float32")
    y = b.add_tensor("y", out, "float32")
    b.add_operator("SQUARED_DIFFERENCE", [x, z], [y])
    b.mark_outputs(y)
    return [rng.standard_normal(s).astype(np.float32) for s in (sa, sb)]


def maximum(b, rng):
    return _max_min(b, rng, "MAXIMUM")


def minimum(b, rng):
    return _max_min(b, rng, "MINIMUM")


def sub(b, rng):
    return _binary(b, rng, "SUB")


def transpose(b, rng, dtype="float32", quantization=None):
    shape = [int(d) for d in rng.integers(1, 5, size=rng.integers(1, 6))]
    perm = rng.permutation(len(shape)).astype(np.int32)
    x = b.add_input("x", shape, dtype, quantization)
    y = b.add_tensor("y", [shape[p] for p in perm], dtype, quantization)
    b.add_operator("TRANSPOSE", [x, b.add_constant("perm", perm)], [y])
    b.mark_outputs(y)
    if dtype == "int8":
        return [rng.integers(-128, 128, shape).astype(np.int8)]
    return [rng.standard_normal(shape).astype(np.float32)]


def mul(b, rng):
    return _binary(b, rng, "MUL")


def pool_geometry(rng):
    """Random pooling window: input [n, h, w, c], window, strides, padding and
    the output size (always at least 1x1)."""
    while True:
        n, h, w, c = rng.integers(1, 3), rng.integers(1, 12), rng.integers(1, 12), rng.integers(1, 6)
        if rng.random() < 0.3:   # as many channels as real models' pools
            c = rng.integers(8, 41)
        fh, fw = rng.integers(1, 5, size=2)
        sh, sw = rng.integers(1, 4, size=2)
        padding = str(rng.choice(["SAME", "VALID"]))
        oh, ow = _window_out(h, fh, sh, 1, padding), _window_out(w, fw, sw, 1, padding)
        if oh > 0 and ow > 0:
            return (n, h, w, c), (n, oh, ow, c), {
                "padding": padding, "stride_w": sw, "stride_h": sh, "filter_width": fw,
                "filter_height": fh, "fused_activation_function": str(rng.choice(ACTIVATIONS))}


def _pool(b, rng, op):
    in_shape, out_shape, options = pool_geometry(rng)
    x = b.add_input("x", in_shape, "float32")
    y = b.add_tensor("y", out_shape, "float32")
    b.add_operator(op, [x], [y], options)
    b.mark_outputs(y)
    return [(rng.standard_normal(in_shape) * 3).astype(np.float32)]


def average_pool_2d(b, rng):
    return _pool(b, rng, "AVERAGE_POOL_2D")


def max_pool_2d(b, rng):
    return _pool(b, rng, "MAX_POOL_2D")


def mean(b, rng):
    return _reduce(b, rng, "MEAN")


def reduce_max(b, rng):
    return _reduce(b, rng, "REDUCE_MAX")


def sum_(b, rng):
    return _reduce(b, rng, "SUM")


def _reduce(b, rng, op):
    """Random shapes and axes; one in four a global pool of a feature map with
    real models' channel counts (axes 1 and 2 of [n, h, w, 8-40])."""
    if rng.random() < 0.25:
        rank = 4
        shape = [int(d) for d in rng.integers(1, 6, size=3)] + [int(rng.integers(8, 41))]
        axes = [1, 2]
    else:
        rank = int(rng.integers(1, 5))
        shape = [int(d) for d in rng.integers(1, 6, size=rank)]
        axes = sorted(set(int(a) for a in rng.integers(0, rank, size=rng.integers(1, rank + 1))))
    keep = bool(rng.random() < 0.5)
    signed = [a - rank if rng.random() < 0.3 else a for a in axes]
    out = [1 if i in axes else d for i, d in enumerate(shape)] if keep else \
        [d for i, d in enumerate(shape) if i not in axes]
    x = b.add_input("x", shape, "float32")
    ax = b.add_constant("axes", np.array(signed, np.int32))
    y = b.add_tensor("y", out, "float32")
    b.add_operator(op, [x, ax], [y], {"keep_dims": keep})
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def pad(b, rng):
    rank = int(rng.integers(1, 5))
    shape = [int(d) for d in rng.integers(1, 6, size=rank)]
    pads = rng.integers(0, 3, size=(rank, 2)).astype(np.int32)
    x = b.add_input("x", shape, "float32")
    p = b.add_constant("paddings", pads)
    y = b.add_tensor("y", [d + int(pads[i].sum()) for i, d in enumerate(shape)], "float32")
    b.add_operator("PAD", [x, p], [y])
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def padv2(b, rng):
    """PAD with a constant value: random, or the lowest float (max pool padding)."""
    rank = int(rng.integers(1, 5))
    shape = [int(d) for d in rng.integers(1, 6, size=rank)]
    pads = rng.integers(0, 3, size=(rank, 2)).astype(np.int32)
    value = np.finfo(np.float32).min if rng.random() < 0.3 else rng.standard_normal() * 3
    x = b.add_input("x", shape, "float32")
    p = b.add_constant("paddings", pads)
    v = b.add_constant("constant_values", np.array([value], np.float32))
    y = b.add_tensor("y", [d + int(pads[i].sum()) for i, d in enumerate(shape)], "float32")
    b.add_operator("PADV2", [x, p, v], [y])
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def local_response_normalization(b, rng):
    shape = [int(rng.integers(1, 3)), int(rng.integers(1, 5)), int(rng.integers(1, 5)),
             channels(rng, 12)]
    options = {"radius": int(rng.integers(0, 6)), "bias": float(rng.uniform(0.5, 2.5)),
               "alpha": float(rng.uniform(1e-4, 0.1)), "beta": float(rng.uniform(0.3, 1.0))}
    return _unary(b, rng, "LOCAL_RESPONSE_NORMALIZATION", shape, options, scale=3.0)


def concatenation(b, rng):
    rank = int(rng.integers(1, 5))
    base = [int(d) for d in rng.integers(1, 5, size=rank)]
    axis = int(rng.integers(0, rank))
    shapes = []
    for _ in range(int(rng.integers(1, 5))):
        s = list(base)
        s[axis] = int(rng.integers(1, 5))
        shapes.append(s)
    xs = [b.add_input(f"x{i}", s, "float32") for i, s in enumerate(shapes)]
    out = list(base)
    out[axis] = sum(s[axis] for s in shapes)
    y = b.add_tensor("y", out, "float32")
    b.add_operator("CONCATENATION", xs, [y],
                   {"axis": axis - rank if rng.random() < 0.3 else axis})
    b.mark_outputs(y)
    return [rng.standard_normal(s).astype(np.float32) for s in shapes]


def reshape(b, rng):
    shape = [int(d) for d in rng.integers(1, 5, size=rng.integers(1, 5))]
    flat = int(np.prod(shape))
    out = [flat] if rng.random() < 0.3 else [int(np.prod(shape[:-1])), shape[-1]][::-1]
    x = b.add_input("x", shape, "float32")
    s = b.add_constant("shape", np.array(out, np.int32))
    y = b.add_tensor("y", out, "float32")
    b.add_operator("RESHAPE", [x, s], [y], {"new_shape": out})
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def _math(op, positive=False):
    """A float function of one input; positive inputs for LOG, SQRT, RSQRT."""
    def case(b, rng):
        shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
        x = b.add_input("x", shape, "float32")
        y = b.add_tensor("y", shape, "float32")
        b.add_operator(op, [x], [y])
        b.mark_outputs(y)
        v = rng.standard_normal(shape) * 3
        return [(np.abs(v) + 1e-3 if positive else v).astype(np.float32)]
    return case


def gelu(b, rng):
    return _unary(b, rng, "GELU", options={"approximate": bool(rng.random() < 0.5)}, scale=2.0)


def softmax(b, rng):
    return _unary(b, rng, "SOFTMAX", options={"beta": float(rng.choice([0.5, 1.0, 2.0]))})


def log_softmax(b, rng):
    return _unary(b, rng, "LOG_SOFTMAX")


def logistic(b, rng):
    return _unary(b, rng, "LOGISTIC")


def tanh(b, rng):
    return _unary(b, rng, "TANH")


def relu(b, rng):
    return _unary(b, rng, "RELU")


def relu6(b, rng):
    return _unary(b, rng, "RELU6", scale=6.0)


def hard_swish(b, rng):
    return _unary(b, rng, "HARD_SWISH")


def leaky_relu(b, rng):
    return _unary(b, rng, "LEAKY_RELU", options={"alpha": float(rng.choice([0.0, 0.01, 0.1,
                                                                             0.2, 0.3, 1.5]))})


def prelu(b, rng):
    shape = [int(d) for d in rng.integers(1, 6, size=4)]
    alpha_shape = [shape[-1]] if rng.random() < 0.5 else [1, 1, shape[-1]]
    x = b.add_input("x", shape, "float32")
    a = b.add_constant("alpha", rng.uniform(0, 0.5, alpha_shape).astype(np.float32))
    y = b.add_tensor("y", shape, "float32")
    b.add_operator("PRELU", [x, a], [y])
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def dequantize(b, rng):
    """float16 weights, as converters ship them: constant -> DEQUANTIZE -> FC."""
    depth, units = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    x = b.add_input("x", [2, depth], "float32")
    w16 = b.add_constant("w_fp16", rng.standard_normal((units, depth)).astype(np.float16))
    w = b.add_tensor("w", [units, depth], "float32")
    b.add_operator("DEQUANTIZE", [w16], [w], version=3)
    y = b.add_tensor("y", [2, units], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [y])
    b.mark_outputs(y)
    return [rng.standard_normal((2, depth)).astype(np.float32)]


def resize(b, rng, dtype="float32", quantization=None, op=None):
    n, h, w, c = (int(v) for v in rng.integers(1, 6, size=4))
    oh, ow = (int(v) for v in rng.integers(1, 12, size=2))
    align = bool(rng.random() < 0.3)
    half = (not align) and bool(rng.random() < 0.5)   # TFLite refuses both at once
    op = op or str(rng.choice(["RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"]))
    x = b.add_input("x", [n, h, w, c], dtype, quantization)
    y = b.add_tensor("y", [n, oh, ow, c], dtype, quantization)
    b.add_operator(op, [x, b.add_constant("size", np.array([oh, ow], np.int32))], [y],
                   {"align_corners": align, "half_pixel_centers": half}, version=3)
    b.mark_outputs(y)
    if dtype == "int8":
        return [rng.integers(-128, 128, (n, h, w, c)).astype(np.int8)]
    return [rng.standard_normal((n, h, w, c)).astype(np.float32)]


def resize_bilinear(b, rng, dtype="float32", quantization=None):
    return resize(b, rng, dtype, quantization, "RESIZE_BILINEAR")


def resize_nearest_neighbor(b, rng, dtype="float32", quantization=None):
    return resize(b, rng, dtype, quantization, "RESIZE_NEAREST_NEIGHBOR")


def _data(rng, shape, dtype):
    if dtype == "int8":
        return rng.integers(-128, 128, shape).astype(np.int8)
    return rng.standard_normal(shape).astype(np.float32)


def depth_to_space(b, rng, dtype="float32", quantization=None):
    n, h, w = (int(v) for v in rng.integers(1, 5, size=3))
    block, c = int(rng.integers(1, 4)), int(rng.integers(1, 6))
    x = b.add_input("x", [n, h, w, c * block * block], dtype, quantization)
    y = b.add_tensor("y", [n, h * block, w * block, c], dtype, quantization)
    b.add_operator("DEPTH_TO_SPACE", [x], [y], {"block_size": block})
    b.mark_outputs(y)
    return [_data(rng, [n, h, w, c * block * block], dtype)]


def space_to_depth(b, rng, dtype="float32", quantization=None):
    block = int(rng.integers(1, 4))
    n, h, w, c = (int(v) for v in rng.integers(1, 5, size=4))
    x = b.add_input("x", [n, h * block, w * block, c], dtype, quantization)
    y = b.add_tensor("y", [n, h, w, c * block * block], dtype, quantization)
    b.add_operator("SPACE_TO_DEPTH", [x], [y], {"block_size": block},
                   version=2 if dtype == "int8" else 1)
    b.mark_outputs(y)
    return [_data(rng, [n, h * block, w * block, c], dtype)]


def slice_(b, rng, dtype="float32", quantization=None):
    shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
    begin = [int(rng.integers(0, d)) for d in shape]
    size = [-1 if rng.random() < 0.25 else int(rng.integers(0, d - s + 1))
            for d, s in zip(shape, begin)]
    index = np.int64 if rng.random() < 0.3 else np.int32
    x = b.add_input("x", shape, dtype, quantization)
    y = b.add_tensor("y", [d - s if k == -1 else k for d, s, k in zip(shape, begin, size)],
                     dtype, quantization)
    b.add_operator("SLICE", [x, b.add_constant("begin", np.array(begin, index)),
                             b.add_constant("size", np.array(size, index))], [y],
                   version=2 if dtype == "int8" else 1)
    b.mark_outputs(y)
    return [_data(rng, shape, dtype)]


def strided_slice(b, rng, dtype="float32", quantization=None):
    """Random begin / end (negative, past the ends), strides of either sign
    and every mask: begin/end masks, one ellipsis, new axes, shrunk dims (at
    an index inside the dim, positive stride); the offset option (ends as
    sizes from begin) in one case of four. The output shape written is a
    first guess: LiteRT derives it, Mote checks it."""
    from mote.converter.ops import strided_slice_spec
    rank = int(rng.integers(1, 5))
    shape = [int(d) for d in rng.integers(1, 6, size=rank)]
    count = int(rng.integers(1, rank + 1))
    begin = [int(v) for v in rng.integers(-7, 7, size=count)]
    end = [int(v) for v in rng.integers(-7, 7, size=count)]
    strides = [int(rng.choice([-3, -2, -1, 1, 1, 2, 3])) for _ in range(count)]
    masks = {k: int(sum(1 << i for i in range(count) if rng.random() < 0.2))
             for k in ("begin_mask", "end_mask", "new_axis_mask")}
    masks["ellipsis_mask"] = 1 << int(rng.integers(0, count)) if rng.random() < 0.2 else 0
    masks["new_axis_mask"] &= ~masks["ellipsis_mask"]
    shrink = 0
    if not masks["ellipsis_mask"] and not masks["new_axis_mask"]:
        for i in range(count):
            if rng.random() < 0.25:
                shrink |= 1 << i
                begin[i] = int(rng.integers(-shape[i], shape[i]))
                strides[i] = 1
    masks["shrink_axis_mask"] = shrink
    if rng.random() < 0.25 and count == rank:
        # ends as sizes from begin, inside the input and over every dim
        # (LiteRT sizes the output from the unclamped ends, and crashes when
        # the spec leaves dims out): no ellipsis, new axes or begin/end masks
        masks.update(offset=True, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0)
        for i in range(count):
            if not shrink >> i & 1:
                strides[i] = int(rng.integers(1, 3))
                begin[i] = int(rng.integers(0, shape[i]))
                end[i] = int(rng.integers(1, shape[i] - begin[i] + 1))
    out = [len(range(start, stop, stride)) if d is not None else 1
           for d, start, stop, stride, shr in strided_slice_spec(shape, begin, end, strides,
                                                                  masks) if not shr]
    x = b.add_input("x", shape, dtype, quantization)
    y = b.add_tensor("y", out, dtype, quantization)
    b.add_operator("STRIDED_SLICE", [x, b.add_constant("begin", np.array(begin, np.int32)),
                                     b.add_constant("end", np.array(end, np.int32)),
                                     b.add_constant("strides", np.array(strides, np.int32))],
                   [y], masks, version=2 if dtype == "int8" else 1)
    b.mark_outputs(y)
    return [_data(rng, shape, dtype)]


def squeeze(b, rng, dtype="float32", quantization=None):
    shape = [int(d) if rng.random() < 0.6 else 1 for d in rng.integers(1, 5, size=rng.integers(1, 6))]
    ones = [i for i, d in enumerate(shape) if d == 1]
    named = [i - len(shape) if rng.random() < 0.3 else i for i in ones if rng.random() < 0.5]
    dropped = {i % len(shape) for i in named} if named else set(ones)
    x = b.add_input("x", shape, dtype, quantization)
    y = b.add_tensor("y", [d for i, d in enumerate(shape) if i not in dropped], dtype, quantization)
    b.add_operator("SQUEEZE", [x], [y], {"squeeze_dims": named})
    b.mark_outputs(y)
    return [_data(rng, shape, dtype)]


def expand_dims(b, rng, dtype="float32", quantization=None):
    shape = [int(d) for d in rng.integers(1, 5, size=rng.integers(0, 5))]
    axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
    at = axis + len(shape) + 1 if axis < 0 else axis
    x = b.add_input("x", shape, dtype, quantization)
    y = b.add_tensor("y", shape[:at] + [1] + shape[at:], dtype, quantization)
    index = np.int64 if rng.random() < 0.3 else np.int32
    b.add_operator("EXPAND_DIMS", [x, b.add_constant("axis", np.array(axis, index))], [y])
    b.mark_outputs(y)
    return [_data(rng, shape, dtype)]


def _parts_input(b, rng, dtype, quantization):
    shape = [int(d) for d in rng.integers(1, 5, size=rng.integers(1, 5))]
    axis = int(rng.integers(0, len(shape)))
    signed = axis - len(shape) if rng.random() < 0.3 else axis
    return shape, axis, signed


def split(b, rng, dtype="float32", quantization=None):
    shape, axis, signed = _parts_input(b, rng, dtype, quantization)
    parts = int(rng.choice([d for d in range(1, shape[axis] + 1) if shape[axis] % d == 0]))
    a = b.add_constant("axis", np.array([signed], np.int32) if rng.random() < 0.5
                       else np.array(signed, np.int32))
    x = b.add_input("x", shape, dtype, quantization)
    part = shape[:axis] + [shape[axis] // parts] + shape[axis + 1:]
    ys = [b.add_tensor(f"y{k}", part, dtype, quantization) for k in range(parts)]
    b.add_operator("SPLIT", [a, x], ys, {"num_splits": parts},
                   version=2 if dtype == "int8" else 1)
    b.mark_outputs(*ys)
    return [_data(rng, shape, dtype)]


def split_v(b, rng, dtype="float32", quantization=None):
    shape, axis, signed = _parts_input(b, rng, dtype, quantization)
    cuts = sorted(int(c) for c in rng.integers(0, shape[axis] + 1, size=rng.integers(0, 3)))
    sizes = list(np.diff([0] + cuts + [shape[axis]]))
    given = [int(s) for s in sizes]
    if rng.random() < 0.4:
        given[int(rng.integers(0, len(given)))] = -1
    x = b.add_input("x", shape, dtype, quantization)
    ys = [b.add_tensor(f"y{k}", shape[:axis] + [int(s)] + shape[axis + 1:], dtype, quantization)
          for k, s in enumerate(sizes)]
    b.add_operator("SPLIT_V", [x, b.add_constant("size_splits", np.array(given, np.int32)),
                               b.add_constant("axis", np.array(signed, np.int32))], ys,
                   {"num_splits": len(sizes)}, version=2 if dtype == "int8" else 1)
    b.mark_outputs(*ys)
    return [_data(rng, shape, dtype)]


def unpack(b, rng, dtype="float32", quantization=None):
    shape, axis, signed = _parts_input(b, rng, dtype, quantization)
    x = b.add_input("x", shape, dtype, quantization)
    ys = [b.add_tensor(f"y{k}", shape[:axis] + shape[axis + 1:], dtype, quantization)
          for k in range(shape[axis])]
    b.add_operator("UNPACK", [x], ys, {"num": shape[axis], "axis": signed},
                   version=2 if dtype == "int8" else 1)
    b.mark_outputs(*ys)
    return [_data(rng, shape, dtype)]


def pack(b, rng, dtype="float32", quantization=None):
    shape = [int(d) for d in rng.integers(1, 5, size=rng.integers(0, 4))]
    count = int(rng.integers(1, 5))
    axis = int(rng.integers(0, len(shape) + 1))
    signed = axis - len(shape) - 1 if rng.random() < 0.3 else axis
    xs = [b.add_input(f"x{k}", shape, dtype, quantization) for k in range(count)]
    y = b.add_tensor("y", shape[:axis] + [count] + shape[axis:], dtype, quantization)
    b.add_operator("PACK", xs, [y], {"values_count": count, "axis": signed},
                   version=2 if dtype == "int8" else 1)
    b.mark_outputs(y)
    return [_data(rng, shape, dtype) for _ in range(count)]


def gather(b, rng, dtype="float32", quantization=None):
    """Constant indices (int32 or int64) or computed ones (a graph input);
    one case in three with batch_dims (the leading dims of params and
    indices taken batch by batch; negative half the time)."""
    shape = [int(d) for d in rng.integers(1, 5, size=rng.integers(1, 4))]
    axis = int(rng.integers(0, len(shape)))
    batch_dims = int(rng.integers(1, axis + 1)) if axis > 0 and rng.random() < 0.33 else 0
    runtime = bool(rng.random() < 0.3)   # scalar indices only as an input (constants are 1-D+)
    ishape = shape[:batch_dims] + [int(d) for d in rng.integers(
        1, 4, size=rng.integers(0 if runtime or batch_dims else 1, 3))]
    index = np.int64 if rng.random() < 0.3 else np.int32
    indices = rng.integers(0, shape[axis], size=ishape).astype(index)
    x = b.add_input("x", shape, dtype, quantization)
    i = b.add_input("indices", ishape, index) if runtime else b.add_constant("indices", indices)
    y = b.add_tensor("y", shape[:axis] + ishape[batch_dims:] + shape[axis + 1:], dtype,
                     quantization)
    options = {"axis": axis - len(shape) if rng.random() < 0.3 else axis}
    if batch_dims:
        options["batch_dims"] = batch_dims - len(ishape) \
            if rng.random() < 0.5 and batch_dims < len(ishape) else batch_dims
    b.add_operator("GATHER", [x, i], [y], options,
                   version=2 if dtype == "int8" else 1)
    b.mark_outputs(y)
    return [_data(rng, shape, dtype)] + ([indices] if runtime else [])


def l2_normalization(b, rng, dtype="float32", quantization=None):
    """Rows of random length; image-like values (k/255) half the time; an
    all-zero row now and then (the norm's 1e-6 floor)."""
    shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
    shape[-1] = channels(rng, 9)
    x = b.add_input("x", shape, dtype, quantization)
    out_q = {"scale": [1 / 128], "zero_point": [0]} if dtype == "int8" else None
    y = b.add_tensor("y", shape, dtype, out_q)
    b.add_operator("L2_NORMALIZATION", [x], [y], version=2 if dtype == "int8" else 1)
    b.mark_outputs(y)
    if dtype == "int8":
        return [_data(rng, shape, dtype)]
    data = (rng.integers(0, 256, shape) / 255.0 if rng.random() < 0.5
            else rng.standard_normal(shape)).astype(np.float32)
    if rng.random() < 0.2:
        data[..., :] = 0
    return [data]


def _arg_min_max(op):
    """A random axis (negative half the time, INT32 or INT64), INT32 or
    INT64 output; values from few levels (k/255 of a few k) so that ties
    occur and the first index must win."""
    def case(b, rng, dtype="float32", quantization=None):
        shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
        axis = int(rng.integers(0, len(shape)))
        signed = axis - len(shape) if rng.random() < 0.5 else axis
        index = "int64" if rng.random() < 0.5 else "int32"
        x = b.add_input("x", shape, dtype, quantization)
        a = b.add_constant("axis", np.array([signed], np.int64 if rng.random() < 0.3 else np.int32))
        y = b.add_tensor("y", shape[:axis] + shape[axis + 1:], index)
        b.add_operator(op, [x, a], [y], {"output_type": index.upper()},
                       version=2 if dtype == "int8" else 1)
        b.mark_outputs(y)
        if dtype == "int8":
            return [rng.integers(-3, 3, shape).astype(np.int8) if rng.random() < 0.5
                    else _data(rng, shape, dtype)]
        return [(rng.integers(0, 4, shape) / 255.0).astype(np.float32) if rng.random() < 0.5
                else rng.standard_normal(shape).astype(np.float32)]
    return case


arg_max = _arg_min_max("ARG_MAX")
arg_min = _arg_min_max("ARG_MIN")


def batch_matmul_shapes(rng):
    """lhs and rhs shapes with broadcast batch dims (0 to 3 of them, either
    operand shorter), adj_x / adj_y, and the output's shape."""
    m, n, k = (channels(rng, 6) for _ in range(3))
    batch = [int(d) for d in rng.integers(1, 4, size=rng.integers(0, 4))]
    def operand_batch():
        b = [d if rng.random() < 0.7 else 1 for d in batch]
        return b[int(rng.integers(0, len(b) + 1)):] if rng.random() < 0.3 else b
    lb, rb = operand_batch(), operand_batch()
    adj_x, adj_y = bool(rng.random() < 0.3), bool(rng.random() < 0.3)
    lhs = lb + ([k, m] if adj_x else [m, k])
    rhs = rb + ([n, k] if adj_y else [k, n])
    nb = max(len(lb), len(rb))
    lb, rb = [1] * (nb - len(lb)) + lb, [1] * (nb - len(rb)) + rb
    return lhs, rhs, [max(x, y) for x, y in zip(lb, rb)] + [m, n], \
        {"adj_x": adj_x, "adj_y": adj_y}


def batch_matmul(b, rng):
    lhs, rhs, out, options = batch_matmul_shapes(rng)
    x = b.add_input("lhs", lhs, "float32")
    y_in = b.add_input("rhs", rhs, "float32")
    y = b.add_tensor("y", out, "float32")
    b.add_operator("BATCH_MATMUL", [x, y_in], [y], options)
    b.mark_outputs(y)
    return [rng.standard_normal(lhs).astype(np.float32),
            rng.standard_normal(rhs).astype(np.float32)]


def transpose_conv_geometry(rng):
    """Input [n, h, w, cin], filter size, strides, padding and an output size
    TFLite accepts for them (its padding is derived from the output size)."""
    n, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 7)), int(rng.integers(1, 7))
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    padding = str(rng.choice(["SAME", "VALID"]))

    def out_size(i, k, s):
        lo, hi = ((i - 1) * s + 1, i * s) if padding == "SAME" else ((i - 1) * s + k, i * s + k - 1)
        return int(rng.integers(lo, hi + 1))
    return n, h, w, kh, kw, sh, sw, padding, out_size(h, kh, sh), out_size(w, kw, sw)


def transpose_conv(b, rng):
    n, h, w, kh, kw, sh, sw, padding, oh, ow = transpose_conv_geometry(rng)
    cin, cout = channels(rng, 7), channels(rng, 9)
    act = str(rng.choice(ACTIVATIONS)) if rng.random() < 0.3 else "NONE"
    bias = b.add_constant("bias", rng.standard_normal(cout).astype(np.float32)) \
        if rng.random() < 0.7 or act != "NONE" else None
    x = b.add_input("x", [n, h, w, cin], "float32")
    f = b.add_constant("filter", rng.standard_normal((cout, kh, kw, cin)).astype(np.float32))
    shape = b.add_constant("output_shape", np.array([n, oh, ow, cout], np.int32))
    y = b.add_tensor("y", [n, oh, ow, cout], "float32")
    b.add_operator("TRANSPOSE_CONV", [shape, f, x] + ([bias] if bias is not None else []), [y],
                   {"padding": padding, "stride_w": sw, "stride_h": sh,
                    "fused_activation_function": act},
                   version=4 if act != "NONE" else 3 if bias is not None else 1)
    b.mark_outputs(y)
    return [rng.standard_normal((n, h, w, cin)).astype(np.float32)]


def convolution_2d_transpose_bias(b, rng):
    """MediaPipe's custom op (LiteRT runs it through XNNPACK, which wants
    strides no larger than the filter): input, OHWI filter, bias; options
    padding (1 SAME, 2 VALID), stride_w, stride_h."""
    n, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 7)), int(rng.integers(1, 7))
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
    sh, sw = int(rng.integers(1, min(kh, 3) + 1)), int(rng.integers(1, min(kw, 3) + 1))
    same = bool(rng.random() < 0.7)
    cin, cout = channels(rng, 7), channels(rng, 9)

    def out_size(i, k, s):
        return s * (i - 1) + k - (max(0, k - (i - 1) % s - 1) if same else 0)
    x = b.add_input("x", [n, h, w, cin], "float32")
    f = b.add_constant("filter", rng.standard_normal((cout, kh, kw, cin)).astype(np.float32))
    bias = b.add_constant("bias", rng.standard_normal(cout).astype(np.float32))
    y = b.add_tensor("y", [n, out_size(h, kh, sh), out_size(w, kw, sw), cout], "float32")
    b.add_operator("CUSTOM", [x, f, bias], [y], custom_code="Convolution2DTransposeBias",
                   custom_options=np.array([1 if same else 2, sw, sh], "<i4").tobytes())
    b.mark_outputs(y)
    return [rng.standard_normal((n, h, w, cin)).astype(np.float32)]


def sparse_constant(b, rng, name, dense, block):
    """`dense` (2-D, or 4-D [o, 1, 1, i] as pruned convolution weights) stored
    with TFLite sparsity: every dim DENSE but the last, which is SPARSE_CSR
    over blocks of `block` elements (block 1: single elements); a block is
    stored when any of its elements is nonzero."""
    shape = dense.shape
    rows = dense.reshape(-1, shape[-1] // block, block)
    present = np.abs(rows).sum(axis=2) != 0
    segments = np.concatenate([[0], np.cumsum(present.sum(axis=1))])
    indices = np.nonzero(present)[1]
    values = rows[present].ravel()
    index_type = {1: ("Uint8Vector", np.uint8), 2: ("Uint16Vector", np.uint16),
                  4: ("Int32Vector", np.int32)}

    def vector(v):
        kind = 1 if v.max(initial=0) < 256 else 2 if v.max() < 65536 else 4
        return (index_type[kind][0], {"values": v.astype(index_type[kind][1])})
    meta = [{"format": "DENSE", "dense_size": int(d)} for d in shape[:-1]]
    meta.append({"format": "SPARSE_CSR", "dense_size": int(shape[-1] // block),
                 "array_segments": vector(segments), "array_indices": vector(indices)})
    sparsity = {"traversal_order": np.arange(len(shape) + (block > 1), dtype=np.int32),
                "dim_metadata": meta}
    if block > 1:
        sparsity["block_map"] = np.array([len(shape) - 1], np.int32)
        meta.append({"format": "DENSE", "dense_size": block})
    t = b.add_constant(name, values.astype(dense.dtype))
    b.tensors[t]["shape"] = [int(d) for d in shape]
    b.tensors[t]["sparsity"] = sparsity
    return t


def densify(b, rng):
    """Pruned weights as converters ship them: a sparse constant (float32 or
    float16) -> DENSIFY (-> DEQUANTIZE for float16), added to the input."""
    block = int(rng.choice([1, 1, 2, 4]))
    shape = [int(rng.integers(1, 7)), int(rng.integers(1, 9)) * block] if rng.random() < 0.5 \
        else [int(rng.integers(1, 9)), 1, 1, int(rng.integers(1, 7)) * block]
    dtype = np.float16 if rng.random() < 0.5 else np.float32
    dense = rng.standard_normal(shape).astype(dtype)
    blocks = dense.reshape(-1, shape[-1] // block, block)
    blocks[rng.random(blocks.shape[:2]) < 0.6] = 0
    dense = blocks.reshape(shape)
    sparse = sparse_constant(b, rng, "w_sparse", dense, block)
    w = b.add_tensor("w_dense", shape, dtype)
    b.add_operator("DENSIFY", [sparse], [w])
    if dtype == np.float16:
        w32 = b.add_tensor("w", shape, "float32")
        b.add_operator("DEQUANTIZE", [w], [w32], version=3)
        w = w32
    x = b.add_input("x", shape, "float32")
    y = b.add_tensor("y", shape, "float32")
    b.add_operator("ADD", [x, w], [y])
    b.mark_outputs(y)
    return [rng.standard_normal(shape).astype(np.float32)]


def unidirectional_sequence_lstm(b, rng):
    """An LSTM over a random batch and length, with or without CIFG,
    peepholes, projection (and its bias), layer normalization, clipping,
    time-major input, and each cell activation LiteRT applies."""
    batches, steps, n_in, n_cell = (int(v) for v in rng.integers(1, 6, size=4))
    cifg, peephole, layer_norm = (bool(v) for v in rng.random(3) < 0.35)
    projection = bool(rng.random() < 0.35)
    n_out = int(rng.integers(1, 6)) if projection else n_cell
    time_major = bool(rng.random() < 0.3)
    options = {"fused_activation_function": str(rng.choice(["TANH", "TANH", "RELU", "RELU6",
                                                             "RELU_N1_TO_1"])),
               "cell_clip": float(rng.choice([0.0, 0.0, 0.7, 3.0])),
               "proj_clip": float(rng.choice([0.0, 0.0, 0.5])), "time_major": time_major}
    x_shape = [steps, batches, n_in] if time_major else [batches, steps, n_in]
    x = b.add_input("x", x_shape, "float32")

    def const(name, shape, present=True, scale=0.5):
        return b.add_constant(name, (rng.standard_normal(shape) * scale).astype(np.float32)) \
            if present else -1
    gates = ["input", "forget", "cell", "output"]
    ins = [x]
    ins += [const(f"w_{g}", [n_cell, n_in], not (cifg and g == "input")) for g in gates]
    ins += [const(f"r_{g}", [n_cell, n_out], not (cifg and g == "input")) for g in gates]
    ins += [const(f"p_{g}", [n_cell], peephole and not (cifg and g == "input"))
            for g in ("input", "forget", "output")]
    ins += [const(f"b_{g}", [n_cell], not (cifg and g == "input")) for g in gates]
    ins += [const("projection", [n_out, n_cell], projection),
            const("projection_bias", [n_out], projection and rng.random() < 0.5)]
    ins += [b.add_tensor("h", [batches, n_out], "float32", variable=True),
            b.add_tensor("c", [batches, n_cell], "float32", variable=True)]
    ins += [const(f"ln_{g}", [n_cell], layer_norm and not (cifg and g == "input"), 1.0)
            for g in gates]
    y = b.add_tensor("y", x_shape[:2] + [n_out], "float32")
    b.add_operator("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y], options)
    b.mark_outputs(y)
    return [rng.standard_normal(x_shape).astype(np.float32)]


FLOAT_OPS = {
    "CONV_2D": conv_2d, "DEPTHWISE_CONV_2D": depthwise_conv_2d,
    "FULLY_CONNECTED": fully_connected, "ADD": add, "SUB": sub, "MUL": mul, "TRANSPOSE": transpose,
    "AVERAGE_POOL_2D": average_pool_2d, "MAX_POOL_2D": max_pool_2d, "MEAN": mean, "PAD": pad,
    "PADV2": padv2, "LOCAL_RESPONSE_NORMALIZATION": local_response_normalization,
    "MAXIMUM": maximum, "MINIMUM": minimum, "EXP": _math("EXP"), "FLOOR": _math("FLOOR"),
    "LESS": less, "LOGICAL_AND": logical_and, "ADD_INT32": add_int32,
    "DIV": div, "SQUARED_DIFFERENCE": squared_difference, "LOG_SOFTMAX": log_softmax,
    "REDUCE_MAX": reduce_max, "SUM": sum_, "GELU": gelu,
    "LOG": _math("LOG", True), "SQRT": _math("SQRT", True), "RSQRT": _math("RSQRT", True),
    "CONCATENATION": concatenation, "RESHAPE": reshape, "SOFTMAX": softmax,
    "LOGISTIC": logistic, "TANH": tanh, "RELU": relu, "RELU6": relu6, "PRELU": prelu,
    "HARD_SWISH": hard_swish,
    "DEQUANTIZE": dequantize, "RESIZE_BILINEAR": resize_bilinear,
    "RESIZE_NEAREST_NEIGHBOR": resize_nearest_neighbor, "DENSIFY": densify,
    "LEAKY_RELU": leaky_relu, "SQUEEZE": squeeze, "EXPAND_DIMS": expand_dims,
    "SPLIT": split, "SPLIT_V": split_v, "UNPACK": unpack, "PACK": pack, "GATHER": gather,
    "BATCH_MATMUL": batch_matmul,
    "DEPTH_TO_SPACE": depth_to_space, "SPACE_TO_DEPTH": space_to_depth, "SLICE": slice_,
    "STRIDED_SLICE": strided_slice, "TRANSPOSE_CONV": transpose_conv,
    "Convolution2DTransposeBias": convolution_2d_transpose_bias,
    "UNIDIRECTIONAL_SEQUENCE_LSTM": unidirectional_sequence_lstm,
    "L2_NORMALIZATION": l2_normalization, "ARG_MAX": arg_max, "ARG_MIN": arg_min,
}


def float_cases(op: str, count: int, seed: int = 0):
    for i in range(count):
        rng = np.random.default_rng([seed, i, sum(map(ord, op))])
        b = ModelBuilder()
        inputs = FLOAT_OPS[op](b, rng)
        yield f"{op.lower()}_{i}", b.build(), inputs


def sparse_weights_model() -> bytes:
    """FULLY_CONNECTED whose constant weights 'w' (tensor 1) carry a TFLite
    sparsity record: only DENSIFY may read such a tensor."""
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "float32")
    w = b.add_constant("w", np.ones((2, 4), np.float32))
    y = b.add_tensor("y", [1, 2], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [y])
    b.mark_outputs(y)
    m = b.model_dict()
    m["subgraphs"][0]["tensors"][w]["sparsity"] = {}
    return flatbuf.encode(m)
