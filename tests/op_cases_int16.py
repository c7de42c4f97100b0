"""Seeded random 16x8 one-op models (TFLite's int16-activation scheme: int16
activations with zero point 0, int8 per-channel or per-tensor weights, int64
bias) for bit-exact tests against LiteRT's reference kernels.

Inputs are either random over the whole int16 range or image-like: pixels
k/255 or k/127.5 - 1 quantized with float32 division (ties included), the
values a 16x8 model's first layer sees.

`int16_cases(op, count, seed)` yields (name, tflite_bytes, [inputs]).
"""
from __future__ import annotations

import numpy as np

from mote.converter.tflite.builder import ModelBuilder
from op_cases import (ACTIVATIONS, _broadcast_pair, channels, conv_geometry, conv_options,
                      depthwise_geometry, pool_geometry)
from op_cases_int8 import _reduction_geometry, rand_i8, weights_q


def act_q16(rng, lo=-4.5, hi=-1.0):
    """An int16 activation's quantization: scale 10^U(lo, hi), zero point 0."""
    return {"scale": [float(10 ** rng.uniform(lo, hi))], "zero_point": [0]}


def int16_input(rng, shape, q):
    """Random over [-32768, 32767], or image-like: k/255 or k/127.5 - 1
    quantized with q's scale in float32 (as a QUANTIZE would)."""
    if rng.random() < 0.5:
        return rng.integers(-32768, 32768, size=shape).astype(np.int16)
    k = rng.integers(0, 256, size=shape).astype(np.float32)
    x = k / np.float32(255) if rng.random() < 0.5 else k / np.float32(127.5) - np.float32(1)
    v = np.round(x / np.float32(q["scale"][0]))
    return np.clip(v, -32768, 32767).astype(np.int16)


def image_q16(rng):
    """A scale where image-like inputs fill most of the int16 range."""
    return {"scale": [float(np.float32(1 / 32767) * np.float32(10 ** rng.uniform(0, 0.5)))],
            "zero_point": [0]}


def _input_q(rng):
    return image_q16(rng) if rng.random() < 0.5 else act_q16(rng)


def out_scale16(in_scale, w_scales, depth, rng):
    """An output scale in the range the accumulators reach (sometimes saturating)."""
    typical = in_scale * float(np.max(w_scales)) * 127 * 16384 * np.sqrt(depth)
    return float(typical * 10 ** rng.uniform(-1.5, 0.3) / 32767)


def _bias64(b, rng, in_scale, wq, n):
    scales = (np.float32(in_scale) * np.asarray(wq["scale"], np.float32)).astype(np.float32)
    data = rng.integers(-(2 ** 30), 2 ** 30, size=n).astype(np.int64)
    return b.add_constant("bias", data, quantization={
        "scale": scales, "zero_point": np.zeros(len(scales), np.int64)})


def conv_2d(b, rng, depthwise=False, geometry=None):
    n, h, w, cin, kh, kw, sh, sw, dh, dw, padding, oh, ow = (geometry or conv_geometry)(rng)
    act = str(rng.choice(ACTIVATIONS))
    mult = 1 if geometry else int(rng.integers(1, 4))
    cout = cin * mult if depthwise else channels(rng, 9)
    per_channel = bool(rng.random() < 0.7)
    axis = 3 if depthwise else 0
    wshape = (1, kh, kw, cout) if depthwise else (cout, kh, kw, cin)
    wq = weights_q(rng, cout, axis, per_channel)
    f = b.add_constant("filter", rand_i8(rng, wshape, -127), quantization=wq)
    iq = _input_q(rng)
    depth = kh * kw * (1 if depthwise else cin)
    oq = {"scale": [out_scale16(iq["scale"][0], wq["scale"], depth, rng)], "zero_point": [0]}
    x = b.add_input("x", [n, h, w, cin], "int16", iq)
    inputs = [x, f, _bias64(b, rng, iq["scale"][0], wq, cout)]   # LiteRT needs the bias
    y = b.add_tensor("y", [n, oh, ow, cout], "int16", oq)
    b.add_operator("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", inputs, [y],
                   conv_options(depthwise, padding, sh, sw, dh, dw, act, mult), version=4)
    b.mark_outputs(y)
    return [int16_input(rng, (n, h, w, cin), iq)]


def depthwise_conv_2d(b, rng):
    return conv_2d(b, rng, depthwise=True,
                   geometry=depthwise_geometry if rng.random() < 0.5 else None)


def fully_connected(b, rng):
    rank = int(rng.integers(1, 4))
    shape = [int(d) for d in rng.integers(1, 7, size=rank)]
    shape[-1] = channels(rng)
    depth, units = shape[-1], channels(rng, 10)
    keep = bool(rng.random() < 0.5) and rank > 1
    wq = weights_q(rng, units, 0, bool(rng.random() < 0.5))
    iq = _input_q(rng)
    oq = {"scale": [out_scale16(iq["scale"][0], wq["scale"], depth, rng)], "zero_point": [0]}
    x = b.add_input("x", shape, "int16", iq)
    w = b.add_constant("w", rand_i8(rng, (units, depth), -127), quantization=wq)
    bias = _bias64(b, rng, iq["scale"][0], wq, units) if rng.random() < 0.8 else -1
    out_shape = shape[:-1] + [units] if keep else [int(np.prod(shape)) // depth, units]
    y = b.add_tensor("y", out_shape, "int16", oq)
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y],
                   {"fused_activation_function": str(rng.choice(ACTIVATIONS)),
                    "keep_num_dims": keep}, version=7)
    b.mark_outputs(y)
    return [int16_input(rng, shape, iq)]


def _shape(rng):
    return [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]


def quantize(b, rng):
    """float32 -> int16, int8 -> int16, int16 -> int8 and int16 -> int16."""
    shape = _shape(rng)
    kind = int(rng.integers(0, 4))
    oq = act_q16(rng) if kind != 2 else {"scale": [float(10 ** rng.uniform(-3, -1))],
                                         "zero_point": [int(rng.integers(-128, 128))]}
    otype = "int8" if kind == 2 else "int16"
    if kind == 0:
        x = b.add_input("x", shape, "float32")
        if rng.random() < 0.5:
            data = (rng.standard_normal(shape) * 12000 * oq["scale"][0]).astype(np.float32)
        else:   # image-like, on the rounding ties of float32 division
            k = rng.integers(0, 256, size=shape).astype(np.float32)
            data = k / np.float32(255)
            oq = {"scale": [float(np.float32(1 / 32767))], "zero_point": [0]}
    elif kind == 1:
        iq = {"scale": [float(10 ** rng.uniform(-3, -1))],
              "zero_point": [int(rng.integers(-128, 128))]}
        oq = {"scale": [float(iq["scale"][0] * 10 ** rng.uniform(-2.5, 0))], "zero_point": [0]}
        x = b.add_input("x", shape, "int8", iq)
        data = rand_i8(rng, shape)
    else:
        iq = act_q16(rng)
        if kind == 2:
            oq["scale"] = [float(iq["scale"][0] * 10 ** rng.uniform(0.5, 3))]
        x = b.add_input("x", shape, "int16", iq)
        data = int16_input(rng, shape, iq)
    y = b.add_tensor("y", shape, otype, oq)
    b.add_operator("QUANTIZE", [x], [y])
    b.mark_outputs(y)
    return [data]


def dequantize(b, rng):
    shape = _shape(rng)
    q = act_q16(rng)
    x = b.add_input("x", shape, "int16", q)
    y = b.add_tensor("y", shape, "float32")
    b.add_operator("DEQUANTIZE", [x], [y], version=4)
    b.mark_outputs(y)
    return [int16_input(rng, shape, q)]


def _pool(b, rng, op):
    in_shape, out_shape, options = pool_geometry(rng)
    q = _input_q(rng)
    x = b.add_input("x", in_shape, "int16", q)
    y = b.add_tensor("y", out_shape, "int16", q)
    b.add_operator(op, [x], [y], options, version=3)
    b.mark_outputs(y)
    return [int16_input(rng, in_shape, q)]


def average_pool_2d(b, rng):
    return _pool(b, rng, "AVERAGE_POOL_2D")


def max_pool_2d(b, rng):
    return _pool(b, rng, "MAX_POOL_2D")


def pad(b, rng):
    shape, q = _shape(rng), _input_q(rng)
    x = b.add_input("x", shape, "int16", q)
    pads = rng.integers(0, 3, size=(len(shape), 2)).astype(np.int32)
    p = b.add_constant("paddings", pads)
    y = b.add_tensor("y", [d + int(pads[i].sum()) for i, d in enumerate(shape)], "int16", q)
    b.add_operator("PAD", [x, p], [y], version=4)
    b.mark_outputs(y)
    return [int16_input(rng, shape, q)]


def reshape(b, rng):
    shape, q = _shape(rng), _input_q(rng)
    x = b.add_input("x", shape, "int16", q)
    out = [int(np.prod(shape))]
    s = b.add_constant("shape", np.array(out, np.int32))
    y = b.add_tensor("y", out, "int16", q)
    b.add_operator("RESHAPE", [x, s], [y], {"new_shape": out})
    b.mark_outputs(y)
    return [int16_input(rng, shape, q)]


def concatenation(b, rng):
    rank = int(rng.integers(1, 5))
    base = [int(d) for d in rng.integers(1, 5, size=rank)]
    axis = int(rng.integers(0, rank))
    q = _input_q(rng)
    shapes = []
    for _ in range(int(rng.integers(1, 5))):
        s = list(base)
        s[axis] = int(rng.integers(1, 5))
        shapes.append(s)
    xs = [b.add_input(f"x{i}", s, "int16", q) for i, s in enumerate(shapes)]
    out = list(base)
    out[axis] = sum(s[axis] for s in shapes)
    y = b.add_tensor("y", out, "int16", q)
    b.add_operator("CONCATENATION", xs, [y], {"axis": axis}, version=3)
    b.mark_outputs(y)
    return [int16_input(rng, s, q) for s in shapes]


def _binary(b, rng, op):
    (sa, sb), out = _broadcast_pair(rng)
    qa, qb = _input_q(rng), _input_q(rng)
    if op == "ADD":   # near the sum's size; LiteRT needs 2 max(s_a, s_b) < 2^15 s_out
        lo = np.log10(max(qa["scale"][0], qb["scale"][0]))
        oq = act_q16(rng, lo - 0.3, lo + 1)
        options = {"pot_scale_int16": False}   # LiteRT's general 16-bit path
    else:
        lo = np.log10(qa["scale"][0] * qb["scale"][0] * 32768)
        oq = act_q16(rng, lo - 1, lo + 0.3)
        options = {}
    x = b.add_input("a", sa, "int16", qa)
    z = b.add_input("b", sb, "int16", qb)
    y = b.add_tensor("y", out, "int16", oq)
    b.add_operator(op, [x, z], [y], {"fused_activation_function": str(rng.choice(ACTIVATIONS)),
                                     **options}, version=3 if op == "ADD" else 4)
    b.mark_outputs(y)
    return [int16_input(rng, sa, qa), int16_input(rng, sb, qb)]


def add(b, rng):
    return _binary(b, rng, "ADD")


def mul(b, rng):
    return _binary(b, rng, "MUL")


def mean(b, rng):
    shape, axes, keep, out = _reduction_geometry(rng)
    iq = _input_q(rng)
    lo = np.log10(iq["scale"][0])
    x = b.add_input("x", shape, "int16", iq)
    ax = b.add_constant("axes", np.array(axes, np.int32))
    y = b.add_tensor("y", out, "int16", act_q16(rng, lo - 1, lo + 1))
    b.add_operator("MEAN", [x, ax], [y], {"keep_dims": keep}, version=3)
    b.mark_outputs(y)
    return [int16_input(rng, shape, iq)]


# The quantization TFLite fixes for int16 LOGISTIC, TANH and SOFTMAX outputs.
FIXED_OUT16 = {"scale": [2 ** -15], "zero_point": [0]}


def table_input_q(rng):
    """Input scales for LOGISTIC / TANH: powers of two that select the
    kernel's exact factor (2^-12; TANH also 2^-11) or a general rescale,
    8 / 32767 (a +-8 range, which TFLite's CheckedLog2 takes for 2^-12),
    image-like ranges, general ones, and saturating ones (most of the int16
    range beyond the sigmoid table's +-10.7)."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        s = float(rng.choice([2 ** -12, 2 ** -11, 8 / 32767, 4 / 32767, 2 ** -10, 2 ** -14]))
        return {"scale": [s], "zero_point": [0]}
    if kind == 1:
        return image_q16(rng)
    return act_q16(rng, -5.5, -2.5) if kind == 2 else act_q16(rng, -3, -0.3)


def _table_activation(b, rng, op):
    shape, q = _shape(rng), table_input_q(rng)
    x = b.add_input("x", shape, "int16", q)
    y = b.add_tensor("y", shape, "int16", FIXED_OUT16)
    b.add_operator(op, [x], [y])
    b.mark_outputs(y)
    return [int16_input(rng, shape, q)]


def logistic(b, rng):
    return _table_activation(b, rng, "LOGISTIC")


def tanh(b, rng):
    return _table_activation(b, rng, "TANH")


def softmax(b, rng):
    """Rows of 1 to 40 (sometimes a few hundred) over the last axis, beta
    around 1, input scales from fine (small differences, flat rows) to coarse
    (most differences past exp(-10))."""
    shape = _shape(rng)
    shape[-1] = int(rng.integers(1, 41)) if rng.random() < 0.85 else int(rng.integers(100, 400))
    beta = float(rng.choice([1.0, 1.0, 0.5, 2.0, rng.uniform(0.05, 3.0)]))
    q = image_q16(rng) if rng.random() < 0.3 else act_q16(rng, -5.5, -2.5)
    x = b.add_input("x", shape, "int16", q)
    y = b.add_tensor("y", shape, "int16", FIXED_OUT16)
    b.add_operator("SOFTMAX", [x], [y], {"beta": beta})
    b.mark_outputs(y)
    return [int16_input(rng, shape, q)]


INT16_OPS = {
    "LOGISTIC": logistic,
    "TANH": tanh,
    "SOFTMAX": softmax,
    "MEAN": mean,
    "ADD": add,
    "MUL": mul,
    "AVERAGE_POOL_2D": average_pool_2d,
    "MAX_POOL_2D": max_pool_2d,
    "PAD": pad,
    "RESHAPE": reshape,
    "CONCATENATION": concatenation,
    "CONV_2D": conv_2d,
    "DEPTHWISE_CONV_2D": depthwise_conv_2d,
    "FULLY_CONNECTED": fully_connected,
    "QUANTIZE": quantize,
    "DEQUANTIZE": dequantize,
}


def int16_cases(op: str, count: int, seed: int = 0):
    for i in range(count):
        rng = np.random.default_rng([seed, i, sum(map(ord, op)), 16])
        b = ModelBuilder()
        inputs = INT16_OPS[op](b, rng)
        yield f"{op.lower()}_int16x8_{i}", b.build(), inputs
