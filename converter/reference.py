"""Reference executor of the IR: runs a float graph with numpy (or any module
with numpy's API, such as cupy, passed as `xp`). Used for calibration and to
check that every pass keeps the graph's outputs (in float64).

    outputs = run(graph, {input_name: array}, dtype=np.float64)
    values = run(graph, feeds, keep_all=True)   # every tensor, for calibration
"""
from __future__ import annotations

import numpy as np

from . import ir
from .errors import ConversionError

_ACTIVATIONS = {"NONE": (None, None), "RELU": (0.0, None), "RELU6": (0.0, 6.0),
                "RELU_N1_TO_1": (-1.0, 1.0)}


def _act(xp, y, name):
    try:
        lo, hi = _ACTIVATIONS[name or "NONE"]
    except KeyError:
        raise ConversionError(f"fused activation {name!r} is not supported") from None
    return y if lo is None and hi is None else xp.clip(y, lo, hi if hi is not None else xp.inf)


def _pad_amounts(size, k, stride, dilation, padding):
    eff = (k - 1) * dilation + 1
    out = -(-size // stride) if padding == "SAME" else (size - eff + stride) // stride
    total = max((out - 1) * stride + eff - size, 0) if padding == "SAME" else 0
    return out, total // 2, total - total // 2


def _windows(xp, x, kh, kw, o, fill):
    """Padded input and the geometry of a strided, dilated window op."""
    _, h, w, _ = x.shape
    sh, sw = o.get("stride_h", 1), o.get("stride_w", 1)
    dh, dw = o.get("dilation_h_factor", 1), o.get("dilation_w_factor", 1)
    oh, pt, pb = _pad_amounts(h, kh, sh, dh, o.get("padding", "SAME"))
    ow, pl, pr = _pad_amounts(w, kw, sw, dw, o.get("padding", "SAME"))
    xpad = xp.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill)

    def tap(ky, kx):
        y0, x0 = ky * dh, kx * dw
        return xpad[:, y0:y0 + (oh - 1) * sh + 1:sh, x0:x0 + (ow - 1) * sw + 1:sw, :]
    return tap


def conv_2d(xp, x, w, b, o):
    cout, kh, kw, _ = w.shape
    tap = _windows(xp, x, kh, kw, o, 0.0)
    y = sum(tap(ky, kx) @ w[:, ky, kx, :].T for ky in range(kh) for kx in range(kw))
    return _act(xp, y + (b if b is not None else 0), o.get("fused_activation_function"))


def depthwise_conv_2d(xp, x, w, b, o):
    _, kh, kw, cout = w.shape
    x = xp.repeat(x, cout // x.shape[3], axis=3)
    tap = _windows(xp, x, kh, kw, o, 0.0)
    y = sum(tap(ky, kx) * w[0, ky, kx, :] for ky in range(kh) for kx in range(kw))
    return _act(xp, y + (b if b is not None else 0), o.get("fused_activation_function"))


def _pool(xp, x, o, average):
    kh, kw = o["filter_height"], o["filter_width"]
    if average:
        tap = _windows(xp, x, kh, kw, o, 0.0)
        ones = _windows(xp, xp.ones_like(x), kh, kw, o, 0.0)
        y = sum(tap(a, c) for a in range(kh) for c in range(kw)) / \
            sum(ones(a, c) for a in range(kh) for c in range(kw))
    else:
        tap = _windows(xp, x, kh, kw, o, -xp.inf)
        y = tap(0, 0)
        for a in range(kh):
            for c in range(kw):
                y = xp.maximum(y, tap(a, c))
    return _act(xp, y, o.get("fused_activation_function"))


def _resize(xp, x, size, o, bilinear):
    """TFLite's resize conventions (align_corners, half_pixel_centers)."""
    _, ih, iw, _ = x.shape
    oh, ow = (int(v) for v in np.asarray(size))
    align, half = bool(o.get("align_corners")), bool(o.get("half_pixel_centers"))

    def scale(i, out):   # in float32, as TFLite
        return np.float32(i - 1) / np.float32(out - 1) if align and out > 1 else \
            np.float32(i) / np.float32(out)

    def axis(n_in, n_out):
        pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5 if half else 0.0)) * scale(n_in, n_out)
        if not bilinear:
            idx = np.floor(pos + np.float32(0.5)) if align else np.floor(pos)   # ties up, as roundf
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


def _eval(xp, node, args, out_shape, dtype):
    op, o = node.op, node.options
    a = args
    if op == "CONV_2D":
        return conv_2d(xp, a[0], a[1], a[2] if len(a) > 2 else None, o)
    if op == "DEPTHWISE_CONV_2D":
        return depthwise_conv_2d(xp, a[0], a[1], a[2] if len(a) > 2 else None, o)
    if op == "FULLY_CONNECTED":
        w = a[1]
        y = a[0].reshape(-1, w.shape[1]) @ w.T
        if len(a) > 2 and a[2] is not None:
            y = y + a[2]
        return _act(xp, y, o.get("fused_activation_function")).reshape(out_shape)
    if op in ("ADD", "SUB", "MUL"):
        y = a[0] + a[1] if op == "ADD" else (a[0] - a[1] if op == "SUB" else a[0] * a[1])
        return _act(xp, y, o.get("fused_activation_function"))
    if op == "AVERAGE_POOL_2D":
        return _pool(xp, a[0], o, True)
    if op == "MAX_POOL_2D":
        return _pool(xp, a[0], o, False)
    if op == "MEAN":
        axes = tuple(int(v) % a[0].ndim for v in np.atleast_1d(np.asarray(a[1])))
        return xp.mean(a[0], axis=axes, keepdims=bool(o.get("keep_dims"))).reshape(out_shape)
    if op == "PAD":
        return xp.pad(a[0], [(int(p[0]), int(p[1])) for p in np.asarray(a[1])])
    if op in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"):
        return _resize(xp, a[0], a[1], o, op == "RESIZE_BILINEAR")
    if op == "TRANSPOSE":
        return xp.transpose(a[0], [int(p) for p in np.asarray(a[1])])
    if op == "CONCATENATION":
        return xp.concatenate(a, axis=o.get("axis", 0))
    if op in ("RESHAPE", "QUANTIZE", "DEQUANTIZE"):
        return a[0].reshape(out_shape).astype(dtype)
    if op == "SOFTMAX":
        z = (a[0] - a[0].max(axis=-1, keepdims=True)) * o.get("beta", 1.0)
        e = xp.exp(z)
        return e / e.sum(axis=-1, keepdims=True)
    if op == "LOGISTIC":
        return 1 / (1 + xp.exp(-a[0]))
    if op == "TANH":
        return xp.tanh(a[0])
    if op == "RELU":
        return xp.maximum(a[0], 0)
    if op == "RELU6":
        return xp.clip(a[0], 0, 6)
    if op == "BATCH_NORM":
        x, gamma, beta, mean, var = a
        return (x - mean) / xp.sqrt(var + o.get("epsilon", 1e-5)) * gamma + beta
    if op in ("DROPOUT", "IDENTITY"):
        return a[0]
    if op == "PRELU":
        return xp.where(a[0] >= 0, a[0], a[0] * a[1])
    raise ConversionError(f"node {node.name or node.outputs[0]!r}: op {op} has no reference "
                          f"implementation in the converter")


def _misfit(node, args, want, why) -> ConversionError:
    shapes = ", ".join("-" if a is None else str(list(a.shape)) for a in args)
    return ConversionError(f"node {node.name or node.outputs[0]!r} ({node.op}): inputs of shape "
                           f"{shapes} and options {node.options} do not give its output shape "
                           f"{list(want)} ({why})")


def run(g: ir.Graph, feeds: dict, dtype=np.float64, xp=np, keep_all: bool = False) -> dict:
    """Runs every node in order; returns the graph outputs (or every tensor)."""
    values = {}
    for name in g.inputs:
        if name not in feeds:
            raise ConversionError(f"missing input {name!r}; the graph's inputs are {g.inputs}")
        x = xp.asarray(feeds[name], dtype=dtype)
        want = tuple(g.tensors[name].shape)
        if tuple(x.shape) != want:
            raise ConversionError(f"input {name!r}: expected shape {list(want)}, got {list(x.shape)}")
        values[name] = x
    for node in g.nodes:
        args = []
        for i in node.inputs:
            if i is None:
                args.append(None)
            elif i in values:
                args.append(values[i])
            else:
                t = g.tensors.get(i)
                if t is None or t.data is None:
                    raise ConversionError(f"node {node.name!r} reads {i!r} before it is computed")
                args.append(xp.asarray(t.data) if t.dtype in ("int32", "int64")
                            else xp.asarray(t.data, dtype=dtype))
        out = node.outputs[0]
        want = tuple(g.tensors[out].shape)
        try:
            y = _eval(xp, node, args, want, dtype)
        except (ValueError, IndexError, TypeError, ZeroDivisionError) as e:   # operands that do not fit
            raise _misfit(node, args, want, e) from e
        if tuple(y.shape) != want:
            raise _misfit(node, args, want, f"it computes shape {list(y.shape)}")
        values[out] = y
    return values if keep_all else {o: values[o] for o in g.outputs}
