"""What the benchmarks download and what they measure with, one copy for all
of them: wheels from PyPI (`pip download --no-deps`, kept in a cache folder,
never installed or committed), scikit-image's sample photos read from its
wheel, and the SQNR of a quantized output.

    path = pip_wheel("mediapipe==0.10.14", cache)      # the .whl, downloaded once
    img = photo("astronaut.png", cache)                 # HxWx3 uint8
"""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

SKIMAGE = "scikit-image==0.25.2"


def pip_wheel(requirement: str, cache: Path) -> Path:
    """The wheel of `requirement` ("name==version") in `cache`, downloaded
    there first if absent (binary wheels for CPython 3.11 on manylinux x86-64,
    whatever this machine is: the files inside are what the benchmarks use)."""
    name, version = requirement.split("==")
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(cache.glob(pattern))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                        "--only-binary=:all:", "--python-version", "3.11", "--platform",
                        "manylinux2014_x86_64", "-d", str(cache), requirement], check=True)
        found = sorted(cache.glob(pattern))
    return found[0]


def photo(file: str, cache: Path) -> np.ndarray:
    """scikit-image's sample photo `file` (skimage/data/<file> of its wheel)
    as HxWx3 uint8: grey photos repeated over three channels, alpha dropped
    (the pixels skimage.data's loaders give)."""
    from PIL import Image
    with zipfile.ZipFile(pip_wheel(SKIMAGE, cache)) as z:
        im = Image.open(io.BytesIO(z.read("skimage/data/" + file)))
        return np.asarray(im.convert("RGB"), np.uint8)


def sqnr_db(f: np.ndarray, q: np.ndarray) -> float:
    """10 log10(sum f^2 / sum (f - q)^2), f the float model's output and q the
    quantized one's (inf when they are equal). A 5-D q of an ONNX model's
    NCHW output comes NHWC from Mote: transposed to f's layout first."""
    if f.shape != q.shape and f.ndim == 5 and q.ndim == 5:
        q = q.transpose(0, 1, 4, 2, 3)
    noise = float(np.sum((f - q) ** 2))
    signal = float(np.sum(f ** 2))
    return float("inf") if noise == 0 else 10 * np.log10(max(signal, 1e-30) / noise)
