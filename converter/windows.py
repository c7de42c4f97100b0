"""Window ops on arrays: the geometry of TFLite's SAME / VALID windows and the
NHWC forward of convolution, depthwise convolution and pooling, written once
against an array module `xp` (numpy, or cupy on a GPU).

    win = Window2D(x.shape, kernel=(3, 3), strides=(2, 2), padding="SAME")
    y, xpad = conv_2d(xp, x, w, b, win)      # w: [Cout, KH, KW, Cin]

Two parts use this one copy: the converter's reference executor
(converter/reference.py, which runs graphs for calibration and pass checks)
and the training layers (models/layers.py, whose backward walks the same
taps). It lives in the converter because the converter is the lower layer
and must not depend on models; models importing it keeps every dependency
pointing down (ARCHITECTURE.md allows models -> converter for the
trained-graph format; this shared numeric kernel is the one other use, and
the least bad one: the alternative is two copies of the same math that
drift apart). It imports nothing but the array module it is handed.
"""
from __future__ import annotations


def window(size: int, k: int, stride: int = 1, dilation: int = 1, padding: str = "SAME"):
    """(out, before, after) along one spatial axis of a window op.

    SAME: out = ceil(size / stride); the padding that centres the windows is
    split with the odd element after (TFLite's rule). VALID: no padding, out =
    floor((size - effective_k) / stride) + 1 with effective_k = (k - 1) *
    dilation + 1. Raises ValueError for another padding, or a VALID window
    that fits nowhere in the input."""
    eff = (k - 1) * dilation + 1
    mode = padding.upper() if isinstance(padding, str) else padding
    if mode == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + eff - size, 0)
        return out, total // 2, total - total // 2
    if mode != "VALID":
        raise ValueError(f"padding {padding!r}; expected 'SAME' or 'VALID'")
    out = (size - eff + stride) // stride
    if out < 1:
        raise ValueError(f"window {k} (dilation {dilation}) does not fit an input of size {size}")
    return out, 0, 0


class Window2D:
    """A strided, dilated 2-D window over an NHWC input: output size, the
    padding widths, and one strided view of the padded input per kernel tap."""

    def __init__(self, in_shape, kernel, strides=(1, 1), dilations=(1, 1), padding="SAME"):
        _, h, w, _ = in_shape
        self.kernel, self.strides, self.dilations = tuple(kernel), tuple(strides), tuple(dilations)
        self.out_h, top, bottom = window(h, kernel[0], strides[0], dilations[0], padding)
        self.out_w, left, right = window(w, kernel[1], strides[1], dilations[1], padding)
        self.pads = ((0, 0), (top, bottom), (left, right), (0, 0))

    @classmethod
    def from_options(cls, in_shape, kernel, options: dict) -> "Window2D":
        """From TFLite option names (stride_h, dilation_h_factor, padding, ...)."""
        o = options
        return cls(in_shape, kernel, (o.get("stride_h", 1), o.get("stride_w", 1)),
                   (o.get("dilation_h_factor", 1), o.get("dilation_w_factor", 1)),
                   o.get("padding", "SAME"))

    def taps(self):
        return [(ky, kx) for ky in range(self.kernel[0]) for kx in range(self.kernel[1])]

    def tap(self, ky: int, kx: int):
        """The index of tap (ky, kx) in the padded input: [N, out_h, out_w, C]."""
        y0, x0 = ky * self.dilations[0], kx * self.dilations[1]
        sy, sx = self.strides
        return (slice(None), slice(y0, y0 + (self.out_h - 1) * sy + 1, sy),
                slice(x0, x0 + (self.out_w - 1) * sx + 1, sx), slice(None))

    def pad(self, xp, x, fill=0.0):
        return xp.pad(x, self.pads, constant_values=fill)

    def padded_shape(self, shape):
        return tuple(d + a + b for d, (a, b) in zip(shape, self.pads))

    def unpad(self, g):
        """The part of a padded-input-shaped array that covers the input."""
        (_, _), (top, bottom), (left, right), _ = self.pads
        return g[:, top:g.shape[1] - bottom, left:g.shape[2] - right, :]


def _add_bias(y, b):
    return y if b is None else y + b


def conv_2d(xp, x, w, b, win: Window2D):
    """y[n, i, j, o] = sum over taps and input channels of xpad * w[o, ky, kx, c],
    plus b[o]. Returns (y, padded input)."""
    xpad = win.pad(xp, x)
    y = 0
    for ky, kx in win.taps():
        y = y + xpad[win.tap(ky, kx)] @ w[:, ky, kx, :].T
    return _add_bias(y, b), xpad


def depthwise_conv_2d(xp, x, w, b, win: Window2D):
    """Each input channel c feeds outputs c * m ... c * m + m - 1 (m the depth
    multiplier, w: [1, KH, KW, C * m]). Returns (y, padded repeated input)."""
    xpad = win.pad(xp, xp.repeat(x, w.shape[3] // x.shape[3], axis=3))
    y = 0
    for ky, kx in win.taps():
        y = y + xpad[win.tap(ky, kx)] * w[0, ky, kx, :]
    return _add_bias(y, b), xpad


def max_pool_2d(xp, x, win: Window2D):
    """The window maximum (padding never wins). Returns (y, padded input)."""
    xpad = win.pad(xp, x, -xp.inf)
    y = None
    for ky, kx in win.taps():
        t = xpad[win.tap(ky, kx)]
        y = t if y is None else xp.maximum(y, t)
    return y, xpad


def average_pool_2d(xp, x, win: Window2D):
    """The mean over the window's elements inside the input (padding is not
    counted, as TFLite). Returns (y, count [1, out_h, out_w, 1])."""
    xpad = win.pad(xp, x)
    ones = win.pad(xp, xp.ones_like(x[:1, :, :, :1]))
    total, count = 0, 0
    for ky, kx in win.taps():
        total = total + xpad[win.tap(ky, kx)]
        count = count + ones[win.tap(ky, kx)]
    return total / count, count
