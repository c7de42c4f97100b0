"""Clipping ranges of int8 activations: from a tensor's calibration values to
the [lo, hi] its 256 levels cover (docs/quantization.md, "Choosing the
range").

Every method trades two errors: a wide range rounds every value coarsely (the
step is (hi - lo) / 255), a narrow one clips the values outside it. Given the
values a tensor took on the calibration data:

- "minmax": [min, max], nothing clipped;
- "percentile": the 0.01st and 99.99th percentiles;
- "mse": the range whose int8 quantization of the values has the least mean
  squared error (searched over 40 clips of max |value|);
- "kl": the range whose quantized histogram is closest to the float one in
  KL divergence (TensorRT's entropy calibration, for asymmetric int8);
- "auto" (quantize.py) tries percentile and mse for the whole model and keeps
  the one whose int8 model is nearest the float one on calibration samples.

    lo, hi = RANGE_METHODS["mse"](values)       # values: float array, any shape
    y = fake_quantize(values, lo, hi)          # what int8 makes of them, in float
"""
from __future__ import annotations

import numpy as np

from .errors import ConversionError

PERCENTILE = 99.99
# Fine histogram bins for "kl", and how many of them a candidate range must
# span at least (TensorRT starts its search at 128 bins for 128 levels).
KL_BINS = 8192
KL_MIN_BINS = 256


def activation_quantization(lo: float, hi: float):
    """Asymmetric int8: the range widened to contain 0, 256 levels."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi - lo < 1e-8:
        hi = lo + 1e-8
    scale = (hi - lo) / 255.0
    zp = int(np.clip(np.round(-128 - lo / scale), -128, 127))
    return {"scale": [np.float32(scale)], "zero_point": [zp]}


def fake_quantize(values, lo: float, hi: float) -> np.ndarray:
    """`values` quantized to int8 with the range [lo, hi] (as
    activation_quantization sets it) and back to float64."""
    q = activation_quantization(lo, hi)
    s, z = float(q["scale"][0]), q["zero_point"][0]
    return (np.clip(np.round(np.asarray(values, np.float64) / s) + z, -128, 127) - z) * s


def minmax_range(values: np.ndarray):
    return float(np.min(values)), float(np.max(values))


def percentile_range(values: np.ndarray, percentile: float = PERCENTILE):
    lo, hi = np.percentile(values, [100 - percentile, percentile])   # one partition for both
    return float(lo), float(hi)


def _clips(values: np.ndarray, steps: int):
    """(lo, hi, candidate ranges [max(lo, -c), min(hi, c)]) for c from max
    |value| down to 5% of it: the ranges every search below tries."""
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    return lo, hi, [(max(lo, -c), min(hi, c)) for c in np.linspace(1.0, 0.05, steps) * max(-lo, hi)]


# Values the searches below score their candidates on (a random subset past
# that: the error estimates move by well under 1%).
SEARCH_VALUES = 1 << 16
MSE_BINS = 2048


def subsample(values: np.ndarray, n: int = SEARCH_VALUES) -> np.ndarray:
    """At most n of `values`, drawn at random (the same draw every time)."""
    return values if values.size <= n else \
        values[np.random.default_rng(0).integers(0, values.size, n)]


def mse_range(values: np.ndarray, steps: int = 40):
    """The clipping range [max(lo, -c), min(hi, c)] whose int8 quantization of
    `values` has the least mean squared error, c searched from max |value|
    down: clipping a few outliers buys a finer step for everything else.
    The errors are summed over a histogram of MSE_BINS fine bins (each value
    counted at its bin's centre; a step of the widest candidate spans 8 of
    them), every candidate at once."""
    values = np.asarray(values).ravel()
    lo, hi, candidates = _clips(values, steps)
    if hi - lo < 1e-12:
        return lo, hi
    width = (hi - lo) / MSE_BINS
    sample = np.asarray(subsample(values), np.float64)   # float32 extremes overflow differences
    counts = np.bincount(np.clip(((sample - lo) * (1 / width)).astype(np.intp), 0, MSE_BINS - 1),
                         minlength=MSE_BINS)
    used = np.flatnonzero(counts)
    x, n = lo + (used + 0.5) * width, counts[used].astype(np.float64)
    a, b = np.array(candidates).T
    # activation_quantization's grid for each candidate (a <= 0 <= b here), as columns
    step = np.maximum(b - a, 1e-8)[:, None] / 255
    zp = np.clip(np.round(-128 - a[:, None] / step), -128, 127)
    scale = step.astype(np.float32).astype(np.float64)
    err = ((np.clip(np.round(x / scale) + zp, -128, 127) - zp) * scale - x) ** 2 @ n
    return candidates[int(np.argmin(err))]


def kl_range(values: np.ndarray, steps: int = 32):
    """The clipping range whose int8 version of the values' histogram is
    closest to the histogram itself (least KL(P || Q)). P: the histogram of
    the values over KL_BINS fine bins, the mass outside a candidate range
    piled onto its edge bins (clipping moves it there); Q: the histogram
    inside the range merged into the range's 255 steps, each step's mass
    spread evenly over the fine bins of it that P uses (the values rounding
    could have produced). Q leaves the clipped mass out, as TensorRT's
    entropy calibration does: that is what makes clipping cost. Candidates:
    [max(lo, -c), min(hi, c)] for c from max |value| down, geometrically, to
    ranges spanning KL_MIN_BINS fine bins."""
    values = np.asarray(values, np.float64).ravel()
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    if hi - lo < 1e-12:
        return lo, hi
    top = max(-lo, hi)
    candidates = [(lo, hi)] + [(max(lo, -c), min(hi, c))
                               for c in np.geomspace(top, top * KL_MIN_BINS / KL_BINS, steps)[1:]]
    hist, edges = np.histogram(values, KL_BINS, (lo, hi))
    hist = hist.astype(np.float64)
    best, best_kl = (lo, hi), np.inf
    for a, b in candidates:
        i0 = int(np.clip(np.searchsorted(edges, a, "right") - 1, 0, KL_BINS - 1))
        i1 = int(np.clip(np.searchsorted(edges, b, "left"), i0 + 1, KL_BINS))
        if i1 - i0 < KL_MIN_BINS // 2:
            continue
        p = hist[i0:i1].copy()
        p[0] += hist[:i0].sum()
        p[-1] += hist[i1:].sum()
        # Fine bin k of the range falls into step floor(k * 255 / n).
        step = (np.arange(i1 - i0) * 255) // (i1 - i0)
        used = (p > 0).astype(np.float64)
        mass = np.bincount(step, hist[i0:i1], 255)
        count = np.bincount(step, used, 255)
        q = np.where(used > 0, mass[step] / np.maximum(count[step], 1), 0.0)
        nz = p > 0
        if q.sum() <= 0:   # every value clipped
            continue
        pn, qn = p[nz] / p.sum(), q[nz] / q.sum()
        with np.errstate(divide="ignore"):   # clipped mass where Q has none: infinitely far
            kl = float(np.sum(pn * np.log(pn / qn)))
        if kl < best_kl:
            best, best_kl = (a, b), kl
    return best


RANGE_METHODS = {"minmax": minmax_range, "percentile": percentile_range, "mse": mse_range,
                 "kl": kl_range}
METHODS = (*RANGE_METHODS, "auto")


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ConversionError(f"calibration method {method!r} is not one of "
                              f"{', '.join(repr(m) for m in METHODS)}")
