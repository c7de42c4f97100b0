"""Seeded random int8 one-op models for bit-exact tests against LiteRT's
reference kernels. Scales span several orders of magnitude, zero points
cover [-128, 127], weights are per-tensor or per-channel.

`int8_cases(op, count, seed)` yields (name, tflite_bytes, [inputs]).
"""
from __future__ import annotations

import numpy as np

from mote.converter.tflite.builder import ModelBuilder
from op_cases import (ACTIVATIONS, _broadcast_pair, channels, conv_geometry, conv_options,
                      depthwise_geometry, pool_geometry)


def act_q(rng, lo=-3.0, hi=0.5):
    """Activation quantization: scale 10^U(lo, hi), zero point anywhere."""
    return {"scale": [float(10 ** rng.uniform(lo, hi))], "zero_point": [int(rng.integers(-128, 128))]}


def rand_i8(rng, shape, lo=-128):
    return rng.integers(lo, 128, size=shape).astype(np.int8)


def weights_q(rng, channels, axis, per_channel):
    n = channels if per_channel else 1
    return {"scale": (10 ** rng.uniform(-3.5, -0.5, n)).astype(np.float32),
            "zero_point": np.zeros(n, np.int64), "quantized_dimension": axis}


def out_scale_for(in_scale, w_scales, depth, rng):
    """An output scale in the range the accumulators reach (sometimes
    saturating), so the rescale is exercised rather than always clamped."""
    typical = in_scale * float(np.max(w_scales)) * 127 * 40 * np.sqrt(depth)
    return float(typical * 10 ** rng.uniform(-1.5, 0.5) / 127)


def _bias(b, rng, in_scale, wq, channels):
    scales = (np.float32(in_scale) * np.asarray(wq["scale"], np.float32)).astype(np.float32)
    if len(scales) == 1:
        scales = scales[:1]
    data = rng.integers(-(2 ** 14), 2 ** 14, size=channels).astype(np.int32)
    return b.add_constant("bias", data, quantization={
        "scale": scales, "zero_point": np.zeros(len(scales), np.int64)})


def fully_connected(b, rng):
    rank = int(rng.integers(1, 4))
    shape = [int(d) for d in rng.integers(1, 7, size=rank)]
    shape[-1] = channels(rng)      # sometimes 8-40: several panels and input blocks
    depth, units = shape[-1], channels(rng, 10)
    keep = bool(rng.random() < 0.5) and rank > 1
    per_channel = bool(rng.random() < 0.5)
    iq = act_q(rng)
    wq = weights_q(rng, units, 0, per_channel)
    oq = {"scale": [out_scale_for(iq["scale"][0], wq["scale"], depth, rng)],
          "zero_point": [int(rng.integers(-128, 128))]}
    x = b.add_input("x", shape, "int8", iq)
    w = b.add_constant("w", rand_i8(rng, (units, depth), -127), quantization=wq)
    bias = _bias(b, rng, iq["scale"][0], wq, units) if rng.random() < 0.8 else -1
    out_shape = shape[:-1] + [units] if keep else [int(np.prod(shape)) // depth, units]
    y = b.add_tensor("y", out_shape, "int8", oq)
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y],
                   {"fused_activation_function": str(rng.choice(ACTIVATIONS)),
                    "keep_num_dims": keep}, version=5 if keep else 4)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def conv_2d(b, rng, depthwise=False, hybrid=False, geometry=None):
    n, h, w, cin, kh, kw, sh, sw, dh, dw, padding, oh, ow = (geometry or conv_geometry)(rng)
    act = str(rng.choice(ACTIVATIONS))
    mult = 1 if geometry else int(rng.integers(1, 4))
    # int8: sometimes 8-40 output channels (several GEMM panels); hybrid keeps
    # few, so its float comparison stays within the tests' rounding bound
    cout = cin * mult if depthwise else int(rng.integers(1, 9)) if hybrid else channels(rng, 9)
    per_channel = hybrid or bool(rng.random() < 0.7)
    axis = 3 if depthwise else 0
    wshape = (1, kh, kw, cout) if depthwise else (cout, kh, kw, cin)
    wq = weights_q(rng, cout, axis, per_channel)
    f = b.add_constant("filter", rand_i8(rng, wshape, -127), quantization=wq)
    options = conv_options(depthwise, padding, sh, sw, dh, dw, act, mult)
    op = "DEPTHWISE_CONV_2D" if depthwise else "CONV_2D"
    if hybrid:
        x = b.add_input("x", [n, h, w, cin], "float32")
        bias = b.add_constant("bias", rng.standard_normal(cout).astype(np.float32))
        y = b.add_tensor("y", [n, oh, ow, cout], "float32")
        b.add_operator(op, [x, f, bias], [y], options, version=6 if depthwise else 5)
        b.mark_outputs(y)
        return [rng.standard_normal((n, h, w, cin)).astype(np.float32)]
    iq = act_q(rng)
    depth = kh * kw * (1 if depthwise else cin)
    oq = {"scale": [out_scale_for(iq["scale"][0], wq["scale"], depth, rng)],
          "zero_point": [int(rng.integers(-128, 128))]}
    x = b.add_input("x", [n, h, w, cin], "int8", iq)
    bias = _bias(b, rng, iq["scale"][0], wq, cout)
    y = b.add_tensor("y", [n, oh, ow, cout], "int8", oq)
    b.add_operator(op, [x, f, bias], [y], options, version=3)
    b.mark_outputs(y)
    return [rand_i8(rng, (n, h, w, cin))]


def hybrid_fully_connected(b, rng):
    depth, units, batch = int(rng.integers(1, 40)), int(rng.integers(1, 10)), int(rng.integers(1, 4))
    wq = weights_q(rng, units, 0, bool(rng.random() < 0.5))
    x = b.add_input("x", [batch, depth], "float32")
    w = b.add_constant("w", rand_i8(rng, (units, depth), -127), quantization=wq)
    bias = b.add_constant("bias", rng.standard_normal(units).astype(np.float32))
    y = b.add_tensor("y", [batch, units], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y],
                   {"fused_activation_function": str(rng.choice(ACTIVATIONS))}, version=3)
    b.mark_outputs(y)
    return [rng.standard_normal((batch, depth)).astype(np.float32)]


def hybrid_conv_2d(b, rng):
    return conv_2d(b, rng, hybrid=True)


def hybrid_depthwise_conv_2d(b, rng):
    return conv_2d(b, rng, depthwise=True, hybrid=True)


def depthwise_conv_2d(b, rng):
    """Half the cases any geometry and multiplier, half real models' shapes
    (depth multiplier 1, 3x3 or 5x5: the vectorized kernels')."""
    return conv_2d(b, rng, depthwise=True,
                   geometry=depthwise_geometry if rng.random() < 0.5 else None)


def binary_out_scale_range(op, qa, qb):
    """log10 bounds of an output scale for ADD / SUB / MUL of inputs
    quantized `qa`, `qb`: near the result's size, so the rescale is exercised
    (ADD and SUB: TFLite needs 2 max(s_a, s_b) < 2^20 s_out)."""
    if op in ("ADD", "SUB"):
        lo = np.log10(max(qa["scale"][0], qb["scale"][0]))
        return lo - 1, lo + 1
    lo = np.log10(qa["scale"][0] * qb["scale"][0] * 128)
    return lo - 1.5, lo + 0.5


def _binary(b, rng, op):
    (sa, sb), out = _broadcast_pair(rng)
    qa, qb = act_q(rng), act_q(rng)
    oq = act_q(rng, *binary_out_scale_range(op, qa, qb))
    x = b.add_input("a", sa, "int8", qa)
    z = b.add_input("b", sb, "int8", qb)
    y = b.add_tensor("y", out, "int8", oq)
    b.add_operator(op, [x, z], [y], {"fused_activation_function": str(rng.choice(ACTIVATIONS))},
                   version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, sa), rand_i8(rng, sb)]


def add(b, rng):
    return _binary(b, rng, "ADD")


def _max_min(b, rng, op):
    """Inputs and output share one quantization, as TFLite asks."""
    (sa, sb), out = _broadcast_pair(rng)
    q = act_q(rng)
    x = b.add_input("a", sa, "int8", q)
    z = b.add_input("b", sb, "int8", q)
    y = b.add_tensor("y", out, "int8", q)
    b.add_operator(op, [x, z], [y], version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, sa), rand_i8(rng, sb)]


def maximum(b, rng):
    return _max_min(b, rng, "MAXIMUM")


def minimum(b, rng):
    return _max_min(b, rng, "MINIMUM")


def mul(b, rng):
    return _binary(b, rng, "MUL")


def sub(b, rng):
    return _binary(b, rng, "SUB")


def transpose(b, rng):
    from op_cases import transpose as float_transpose
    return float_transpose(b, rng, "int8", act_q(rng))


def _pool(b, rng, op):
    in_shape, out_shape, options = pool_geometry(rng)
    q = act_q(rng)
    x = b.add_input("x", in_shape, "int8", q)
    y = b.add_tensor("y", out_shape, "int8", q)
    b.add_operator(op, [x], [y], options, version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, in_shape)]


def average_pool_2d(b, rng):
    return _pool(b, rng, "AVERAGE_POOL_2D")


def max_pool_2d(b, rng):
    return _pool(b, rng, "MAX_POOL_2D")


def _same_q_input(b, rng):
    """Input of an op that moves data (its output is quantized alike)."""
    shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
    q = act_q(rng)
    x = b.add_input("x", shape, "int8", q)
    return shape, q, x


def pad(b, rng):
    shape, q, x = _same_q_input(b, rng)
    pads = rng.integers(0, 3, size=(len(shape), 2)).astype(np.int32)
    p = b.add_constant("paddings", pads)
    y = b.add_tensor("y", [d + int(pads[i].sum()) for i, d in enumerate(shape)], "int8", q)
    b.add_operator("PAD", [x, p], [y], version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def padv2(b, rng):
    """PADV2 with an int8 pad value quantized as the output (TFLite asks for
    the same scale and zero point); -128 is what a max pool's padding gives."""
    shape, q, x = _same_q_input(b, rng)
    pads = rng.integers(0, 3, size=(len(shape), 2)).astype(np.int32)
    p = b.add_constant("paddings", pads)
    value = -128 if rng.random() < 0.3 else int(rng.integers(-128, 128))
    v = b.add_constant("constant_values", np.array([value], np.int8), quantization=q)
    y = b.add_tensor("y", [d + int(pads[i].sum()) for i, d in enumerate(shape)], "int8", q)
    b.add_operator("PADV2", [x, p, v], [y], version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def reshape(b, rng):
    shape, q, x = _same_q_input(b, rng)
    out = [int(np.prod(shape))]
    s = b.add_constant("shape", np.array(out, np.int32))
    y = b.add_tensor("y", out, "int8", q)
    b.add_operator("RESHAPE", [x, s], [y], {"new_shape": out})
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def concatenation(b, rng):
    rank = int(rng.integers(1, 5))
    base = [int(d) for d in rng.integers(1, 5, size=rank)]
    axis = int(rng.integers(0, rank))
    q = act_q(rng)
    shapes = []
    for _ in range(int(rng.integers(1, 5))):
        s = list(base)
        s[axis] = int(rng.integers(1, 5))
        shapes.append(s)
    xs = [b.add_input(f"x{i}", s, "int8", q) for i, s in enumerate(shapes)]
    out = list(base)
    out[axis] = sum(s[axis] for s in shapes)
    y = b.add_tensor("y", out, "int8", q)
    b.add_operator("CONCATENATION", xs, [y], {"axis": axis}, version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, s) for s in shapes]


def _reduction_geometry(rng):
    """Input shape, reduced axes, keep_dims and output shape of a reduction."""
    rank = int(rng.integers(1, 5))
    shape = [int(d) for d in rng.integers(1, 7, size=rank)]
    axes = sorted(set(int(a) for a in rng.integers(0, rank, size=rng.integers(1, rank + 1))))
    keep = bool(rng.random() < 0.5)
    out = [1 if i in axes else d for i, d in enumerate(shape)] if keep else \
        [d for i, d in enumerate(shape) if i not in axes]
    return shape, axes, keep, out


def reduce_max(b, rng):
    """Input and output quantized alike, as TFLite asks."""
    shape, axes, keep, out = _reduction_geometry(rng)
    q = act_q(rng)
    x = b.add_input("x", shape, "int8", q)
    ax = b.add_constant("axes", np.array(axes, np.int32))
    y = b.add_tensor("y", out, "int8", q)
    b.add_operator("REDUCE_MAX", [x, ax], [y], {"keep_dims": keep}, version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def mean(b, rng):
    shape, axes, keep, out = _reduction_geometry(rng)
    iq = act_q(rng)
    x = b.add_input("x", shape, "int8", iq)
    ax = b.add_constant("axes", np.array(axes, np.int32))
    y = b.add_tensor("y", out, "int8", act_q(rng, np.log10(iq["scale"][0]) - 1,
                                                  np.log10(iq["scale"][0]) + 1))
    b.add_operator("MEAN", [x, ax], [y], {"keep_dims": keep}, version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def _activation(b, rng, op, out_q=None, options=None, version=2):
    shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
    iq = act_q(rng, -2, -0.5)
    x = b.add_input("x", shape, "int8", iq)
    y = b.add_tensor("y", shape, "int8", out_q or act_q(rng, np.log10(iq["scale"][0]) - 0.5,
                                                        np.log10(iq["scale"][0]) + 0.5))
    b.add_operator(op, [x], [y], options, version=version)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def relu(b, rng):
    return _activation(b, rng, "RELU")


def gelu(b, rng):
    """Every input value, exact or tanh-approximated GELU."""
    iq = act_q(rng, -2, -0.5)
    x = b.add_input("x", [256], "int8", iq)
    y = b.add_tensor("y", [256], "int8", act_q(rng, -2.5, 0))
    b.add_operator("GELU", [x], [y], {"approximate": bool(rng.random() < 0.5)}, version=2)
    b.mark_outputs(y)
    return [rng.permutation(np.arange(-128, 128)).astype(np.int8)]


def _table(op, positive=False):
    """An int8 function of one input by a table (TFLite's LUTPopulate); every
    input value appears. LOG: inputs whose real value is >= 0."""
    def case(b, rng):
        iq = act_q(rng, -2, -0.5)
        if positive:
            iq = {"scale": iq["scale"], "zero_point": [-128]}
        x = b.add_input("x", [256], "int8", iq)
        y = b.add_tensor("y", [256], "int8", act_q(rng, -2.5, 0))
        b.add_operator(op, [x], [y], version=2)
        b.mark_outputs(y)
        return [rng.permutation(np.arange(-128, 128)).astype(np.int8)]
    return case


def relu6(b, rng):
    return _activation(b, rng, "RELU6")


def logistic(b, rng):
    return _activation(b, rng, "LOGISTIC", {"scale": [1 / 256], "zero_point": [-128]})


def tanh(b, rng):
    return _activation(b, rng, "TANH", {"scale": [1 / 128], "zero_point": [0]})


def softmax(b, rng):
    return _activation(b, rng, "SOFTMAX", {"scale": [1 / 256], "zero_point": [-128]},
                       {"beta": float(rng.choice([0.5, 1.0, 2.0]))})


def log_softmax(b, rng):
    """Output fixed by TFLite at 16/256, 127; rows long enough that their
    small elements fall below the output's range."""
    return _activation(b, rng, "LOG_SOFTMAX", {"scale": [16 / 256], "zero_point": [127]})


def hard_swish(b, rng):
    return _activation(b, rng, "HARD_SWISH", version=1)


def leaky_relu(b, rng):
    return _activation(b, rng, "LEAKY_RELU", options={"alpha": float(rng.uniform(0, 0.5))})


def resize_bilinear(b, rng):
    from op_cases import resize_bilinear as r
    return r(b, rng, "int8", act_q(rng))


def resize_nearest_neighbor(b, rng):
    from op_cases import resize_nearest_neighbor as r
    return r(b, rng, "int8", act_q(rng))


def quantize(b, rng):
    shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
    oq = act_q(rng, -2, 0)
    if rng.random() < 0.5:
        x = b.add_input("x", shape, "float32")
        data = (rng.standard_normal(shape) * 50 * oq["scale"][0]).astype(np.float32)
    else:
        iq = act_q(rng, -2, 0)
        x = b.add_input("x", shape, "int8", iq)
        data = rand_i8(rng, shape)
    y = b.add_tensor("y", shape, "int8", oq)
    b.add_operator("QUANTIZE", [x], [y])
    b.mark_outputs(y)
    return [data]


def dequantize(b, rng):
    shape = [int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5))]
    x = b.add_input("x", shape, "int8", act_q(rng))
    y = b.add_tensor("y", shape, "float32")
    b.add_operator("DEQUANTIZE", [x], [y], version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def _moved(generator):
    """An op that moves data: the float case's geometry, int8 quantized alike."""
    def run(b, rng):
        import op_cases
        return getattr(op_cases, generator)(b, rng, "int8", act_q(rng))
    return run


def transpose_conv(b, rng):
    from op_cases import transpose_conv_geometry
    n, h, w, kh, kw, sh, sw, padding, oh, ow = transpose_conv_geometry(rng)
    cin, cout = channels(rng, 7), channels(rng, 9)
    per_channel = bool(rng.random() < 0.7)
    iq, wq = act_q(rng), weights_q(rng, cout, 0, per_channel)
    taps = max(1, (kh * kw) // (sh * sw))
    oq = {"scale": [out_scale_for(iq["scale"][0], wq["scale"], cin * taps, rng)],
          "zero_point": [int(rng.integers(-128, 128))]}
    act = str(rng.choice(ACTIVATIONS)) if rng.random() < 0.3 else "NONE"
    bias = _bias(b, rng, iq["scale"][0], wq, cout) if rng.random() < 0.7 or act != "NONE" \
        else None
    x = b.add_input("x", [n, h, w, cin], "int8", iq)
    f = b.add_constant("filter", rand_i8(rng, (cout, kh, kw, cin), -127), quantization=wq)
    shape = b.add_constant("output_shape", np.array([n, oh, ow, cout], np.int32))
    y = b.add_tensor("y", [n, oh, ow, cout], "int8", oq)
    b.add_operator("TRANSPOSE_CONV", [shape, f, x] + ([bias] if bias is not None else []), [y],
                   {"padding": padding, "stride_w": sw, "stride_h": sh,
                    "fused_activation_function": act}, version=4 if act != "NONE" else 3)
    b.mark_outputs(y)
    return [rand_i8(rng, (n, h, w, cin))]


def prelu(b, rng):
    """Alpha a constant with its own asymmetric quantization (as converters
    write it), per channel or broadcast from [1, 1, C]."""
    shape = [int(d) for d in rng.integers(1, 6, size=4)]
    alpha_shape = [shape[-1]] if rng.random() < 0.5 else [1, 1, shape[-1]]
    iq, aq = act_q(rng, -2, 0), act_q(rng, -3, -1)
    lo = np.log10(iq["scale"][0])
    x = b.add_input("x", shape, "int8", iq)
    a = b.add_constant("alpha", rand_i8(rng, alpha_shape), quantization=aq)
    y = b.add_tensor("y", shape, "int8", act_q(rng, lo - 0.5, lo + 0.5))
    b.add_operator("PRELU", [x, a], [y])
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


def batch_matmul(b, rng):
    from op_cases import batch_matmul_shapes
    lhs, rhs, out, options = batch_matmul_shapes(rng)
    ql, qr = act_q(rng, -2, 0), act_q(rng, -2, 0)
    k = rhs[-1] if options["adj_y"] else rhs[-2]
    lo = np.log10(ql["scale"][0] * qr["scale"][0] * 128 * np.sqrt(k))
    x = b.add_input("lhs", lhs, "int8", ql)
    y_in = b.add_input("rhs", rhs, "int8", qr)
    y = b.add_tensor("y", out, "int8", act_q(rng, lo - 0.5, lo + 1.5))
    b.add_operator("BATCH_MATMUL", [x, y_in], [y], options, version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, lhs), rand_i8(rng, rhs)]


def unidirectional_sequence_lstm(b, rng):
    """An int8 LSTM in TFLite's 8x8_16 form (lstm.cc, full integer): int8
    input, weights (symmetric, per tensor), hidden state and output, int16
    cell state with a power-of-two scale in [2^-15, 2^-9], int32 biases at
    input scale times weight scale, int16 peepholes, and the five
    intermediates (four gate ones: 2^-12, or the gates' scales under layer
    normalization; and the hidden one: quantized like the output, or its own
    with a projection). Random batch, length, CIFG, peepholes, cell clip,
    time-major, projection (to as many, fewer or more outputs than cells;
    with a bias or not; proj_clip; peepholes only with as many), layer
    normalization (gate intermediates at random scales, int16 coefficients
    near 1, biases at the coefficients' scale / 1024); image-like inputs
    (k/255 and k/127.5 - 1 steps) or random int8."""
    batches, steps, n_in, n_cell = (int(v) for v in rng.integers(1, 7, size=4))
    projection, layer_norm = (bool(v) for v in rng.random(2) < 0.3)
    n_out = int(rng.integers(1, 9)) if projection else n_cell
    cifg, peephole = (bool(v) for v in rng.random(2) < 0.3)
    peephole = peephole and n_out == n_cell
    time_major = bool(rng.random() < 0.3)
    options = {"fused_activation_function": "TANH",
               "cell_clip": float(rng.choice([0.0, 0.0, 0.0, 0.6, 3.0])), "time_major": time_major}
    if projection:
        options["proj_clip"] = float(rng.choice([0.0, 0.0, 0.1, 0.5]))
    x_shape = [steps, batches, n_in] if time_major else [batches, steps, n_in]
    image = rng.random() < 0.5
    iq = {"scale": [float(rng.choice([1 / 255, 2 / 255]))], "zero_point": [-128]} if image else \
        {"scale": [float(10 ** rng.uniform(-2.5, -0.5))], "zero_point": [int(rng.integers(-128, 128))]}
    hq = {"scale": [float(2 / 255 * 10 ** rng.uniform(-0.3, 0.3))],
          "zero_point": [int(rng.integers(-20, 21))]}
    hidden_q = {"scale": [float(2 / 255 * 10 ** rng.uniform(-0.3, 0.3))],
                "zero_point": [int(rng.integers(-20, 21))]} if projection else hq
    cell_exponent = int(rng.integers(-15, -8))
    x = b.add_input("x", x_shape, "int8", iq)
    gates = ["input", "forget", "cell", "output"]

    def weight(name, shape, present=True):
        if not present:
            return -1
        wq = {"scale": [float(10 ** rng.uniform(-2.5, -1.2))], "zero_point": [0]}
        return b.add_constant(name, rand_i8(rng, shape, -127), quantization=wq)

    ins = [x]
    ins += [weight(f"w_{g}", [n_cell, n_in], not (cifg and g == "input")) for g in gates]
    ins += [weight(f"r_{g}", [n_cell, n_out], not (cifg and g == "input")) for g in gates]
    for g in ("input", "forget", "output"):
        if peephole and not (cifg and g == "input"):
            ins.append(b.add_constant(f"p_{g}", rng.integers(-32767, 32768, n_cell).astype(np.int16),
                                      quantization={"scale": [float(10 ** rng.uniform(-5, -3.5))],
                                                    "zero_point": [0]}))
        else:
            ins.append(-1)
    # Layer norm: int16 coefficients near 1, the biases at their scale / 1024.
    ln_scales = [float(10 ** rng.uniform(-4.7, -4.3)) for _ in gates]
    for k, g in enumerate(gates):
        if cifg and g == "input":
            ins.append(-1)
            continue
        scale = np.float32(iq["scale"][0]) * np.float32(b.tensors[ins[1 + k]]["quantization"]["scale"][0])
        if layer_norm:
            scale = np.float32(ln_scales[k] / 1024)
        ins.append(b.add_constant(f"b_{g}", (rng.standard_normal(n_cell) / scale).astype(np.int32),
                                  quantization={"scale": [float(scale)], "zero_point": [0]}))
    if projection:
        pw = weight("projection", [n_out, n_cell])
        pb = -1
        if rng.random() < 0.5:
            scale = np.float32(hidden_q["scale"][0]) * \
                np.float32(b.tensors[pw]["quantization"]["scale"][0])
            pb = b.add_constant("projection_bias",
                                (rng.standard_normal(n_out) * 0.3 / scale).astype(np.int32),
                                quantization={"scale": [float(scale)], "zero_point": [0]})
        ins += [pw, pb]
    else:
        ins += [-1, -1]
    ins += [b.add_tensor("h", [batches, n_out], "int8", hq, variable=True),
            b.add_tensor("c", [batches, n_cell], "int16",
                         {"scale": [2.0 ** cell_exponent], "zero_point": [0]}, variable=True)]
    for k, g in enumerate(gates):
        if layer_norm and not (cifg and g == "input"):
            coefficients = np.round(rng.uniform(0.5, 1.5, n_cell) / ln_scales[k]).astype(np.int16)
            ins.append(b.add_constant(f"ln_{g}", coefficients, quantization={
                "scale": [ln_scales[k]], "zero_point": [0]}))
        else:
            ins.append(-1)
    gate_q = [float(10 ** rng.uniform(-4.5, -3)) if layer_norm else 2.0 ** -12 for _ in gates]
    inter = [b.add_tensor(f"intermediate_{g}", [], "int16", {"scale": [q], "zero_point": [0]})
             for g, q in zip(gates, gate_q)]
    inter.append(b.add_tensor("intermediate_hidden", [], "int8", hidden_q))
    y = b.add_tensor("y", x_shape[:2] + [n_out], "int8", hq)
    b.add_operator("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y], options, intermediates=inter)
    b.mark_outputs(y)
    if image:   # k/255 or k/127.5 - 1 quantized at 1/255 or 2/255 with zero point -128
        return [(rng.integers(0, 256, size=x_shape) - 128).astype(np.int8)]
    return [rand_i8(rng, x_shape)]


def image_or_act_q(rng, lo=-3.0, hi=0.5):
    """Half the time the quantization of image inputs (k/255: 1/255 and -128;
    k/127.5 - 1: 1/127.5 and 0), whose products and quotients land on
    rounding ties; else act_q's."""
    if rng.random() < 0.5:
        return act_q(rng, lo, hi)
    return {"scale": [1 / 255], "zero_point": [-128]} if rng.random() < 0.5 else \
        {"scale": [1 / 127.5], "zero_point": [0]}


def div(b, rng):
    """Divisors never their zero point (a real 0: LiteRT refuses it); output
    scale near the quotients' size."""
    (sa, sb), out = _broadcast_pair(rng)
    qa, qb = image_or_act_q(rng), image_or_act_q(rng)
    ratio = np.log10(qa["scale"][0] / qb["scale"][0])
    oq = act_q(rng, ratio - 0.5, ratio + 1.5)
    x = b.add_input("a", sa, "int8", qa)
    z = b.add_input("b", sb, "int8", qb)
    y = b.add_tensor("y", out, "int8", oq)
    b.add_operator("DIV", [x, z], [y], {"fused_activation_function": str(rng.choice(ACTIVATIONS))},
                   version=2)
    b.mark_outputs(y)
    divisor = rand_i8(rng, sb)
    divisor[divisor == qb["zero_point"][0]] = np.int8(qb["zero_point"][0] ^ 1)
    return [rand_i8(rng, sa), divisor]


def squared_difference(b, rng):
    """Output scale above TFLite's bound (2 max(s_a, s_b))^2 / 2^14 and near
    the squares' size."""
    (sa, sb), out = _broadcast_pair(rng)
    qa, qb = image_or_act_q(rng), image_or_act_q(rng)
    big = max(qa["scale"][0], qb["scale"][0])
    lo = np.log10(4 * big * big / 2 ** 14) + 0.1
    oq = act_q(rng, max(lo, np.log10(big * big * 100)), max(lo, np.log10(big * big * 100)) + 2)
    x = b.add_input("a", sa, "int8", qa)
    z = b.add_input("b", sb, "int8", qb)
    y = b.add_tensor("y", out, "int8", oq)
    b.add_operator("SQUARED_DIFFERENCE", [x, z], [y], version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, sa), rand_i8(rng, sb)]


def _root(op):
    """SQRT / RSQRT over every input value at or above the zero point (below
    it the real is negative: LiteRT refuses it)."""
    def case(b, rng):
        iq = image_or_act_q(rng, -3, 0)
        if iq["zero_point"][0] > 0 or rng.random() < 0.3:
            iq = {"scale": iq["scale"], "zero_point": [int(rng.integers(-128, 1))]}
        zp = iq["zero_point"][0]
        n = 128 - zp
        lo = np.log10(np.sqrt(iq["scale"][0] * 128)) if op == "SQRT" else \
            np.log10(1 / np.sqrt(iq["scale"][0]))
        x = b.add_input("x", [n], "int8", iq)
        y = b.add_tensor("y", [n], "int8", act_q(rng, lo - 2.5, lo - 1))
        b.add_operator(op, [x], [y], version=2)
        b.mark_outputs(y)
        return [rng.permutation(np.arange(zp, 128)).astype(np.int8)]
    return case


def sum_(b, rng):
    shape, axes, keep, out = _reduction_geometry(rng)
    iq = image_or_act_q(rng)
    count = int(np.prod([shape[a] for a in axes]))
    lo = np.log10(iq["scale"][0] * np.sqrt(count))
    x = b.add_input("x", shape, "int8", iq)
    ax = b.add_constant("axes", np.array(axes, np.int32))
    y = b.add_tensor("y", out, "int8", act_q(rng, lo, lo + 1.5))
    b.add_operator("SUM", [x, ax], [y], {"keep_dims": keep}, version=2)
    b.mark_outputs(y)
    return [rand_i8(rng, shape)]


INT8_OPS = {"FULLY_CONNECTED": fully_connected, "QUANTIZE": quantize, "DEQUANTIZE": dequantize,
            "CONV_2D": conv_2d, "DEPTHWISE_CONV_2D": depthwise_conv_2d, "ADD": add, "SUB": sub, "MUL": mul, "TRANSPOSE": transpose,
            "AVERAGE_POOL_2D": average_pool_2d, "MAX_POOL_2D": max_pool_2d, "PAD": pad, "PADV2": padv2,
            "MAXIMUM": maximum, "MINIMUM": minimum, "EXP": _table("EXP"),
            "LOG": _table("LOG", True), "REDUCE_MAX": reduce_max, "GELU": gelu,
            "RESHAPE": reshape, "CONCATENATION": concatenation, "MEAN": mean, "RELU": relu,
            "RELU6": relu6, "LOGISTIC": logistic, "TANH": tanh, "SOFTMAX": softmax,
            "HARD_SWISH": hard_swish, "RESIZE_BILINEAR": resize_bilinear,
            "RESIZE_NEAREST_NEIGHBOR": resize_nearest_neighbor,
            "DEPTH_TO_SPACE": _moved("depth_to_space"), "SPACE_TO_DEPTH": _moved("space_to_depth"),
            "SLICE": _moved("slice_"), "STRIDED_SLICE": _moved("strided_slice"),
            "TRANSPOSE_CONV": transpose_conv, "PRELU": prelu, "LEAKY_RELU": leaky_relu,
            "SQUEEZE": _moved("squeeze"), "EXPAND_DIMS": _moved("expand_dims"),
            "SPLIT": _moved("split"), "SPLIT_V": _moved("split_v"), "UNPACK": _moved("unpack"),
            "PACK": _moved("pack"), "GATHER": _moved("gather"), "BATCH_MATMUL": batch_matmul,
            "UNIDIRECTIONAL_SEQUENCE_LSTM": unidirectional_sequence_lstm,
            "SQUARED_DIFFERENCE": squared_difference, "SQRT": _root("SQRT"),
            "RSQRT": _root("RSQRT"), "LOG_SOFTMAX": log_softmax,
            "L2_NORMALIZATION": _moved("l2_normalization"),
            "ARG_MAX": _moved("arg_max"), "ARG_MIN": _moved("arg_min")}

# Ops whose LiteRT reference kernel cannot be the oracle everywhere (see
# tests/test_ops_int8.py): DIV (undefined shifts on tiny quotients), SUM (the
# reference kernel of LiteRT 2.3 returns garbage).
INT8_OPS_OWN_ORACLE = {"DIV": div, "SUM": sum_}


HYBRID_OPS = {"FULLY_CONNECTED": hybrid_fully_connected, "CONV_2D": hybrid_conv_2d,
              "DEPTHWISE_CONV_2D": hybrid_depthwise_conv_2d}


def int8_cases(op: str, count: int, seed: int = 0, table=None):
    for i in range(count):
        rng = np.random.default_rng([seed, i, sum(map(ord, op)), 8])
        b = ModelBuilder()
        inputs = (table or INT8_OPS)[op](b, rng)
        yield f"{op.lower()}_int8_{i}", b.build(), inputs
