"""The array module of the reference path, chosen once.

`xp` is cupy when it imports and a CUDA device is present, numpy otherwise.
MOTE_DEVICE=cpu forces numpy; MOTE_DEVICE=gpu requires cupy and a device and
fails clearly without them. Every other module of `models` does its array
math through `xp`.
"""
from __future__ import annotations

import os

import numpy


def _select(want: str):
    want = want.strip().lower() or "auto"
    if want not in ("auto", "cpu", "gpu"):
        raise ValueError(f"MOTE_DEVICE={want!r}; expected 'cpu', 'gpu' or unset")
    if want == "cpu":
        return numpy, "cpu"
    reason = ""
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() > 0:
            return cupy, "gpu"
        reason = "cupy sees no CUDA device"
    except Exception as e:   # not installed, or no driver
        reason = f"cupy is unavailable ({type(e).__name__}: {e})"
    if want == "gpu":
        raise RuntimeError(f"MOTE_DEVICE=gpu but {reason}")
    return numpy, "cpu"


xp, device = _select(os.environ.get("MOTE_DEVICE", ""))


def to_numpy(a):
    """A host numpy array of `a` (a no-op on numpy)."""
    return a.get() if hasattr(a, "get") else numpy.asarray(a)


def asarray(a, dtype=None):
    """`a` on the selected device."""
    return xp.asarray(a, dtype=dtype)
