"""Conversion time to int8 of MediaPipe-sized models: Mote calibrating on its
C runtime, Mote calibrating on the numpy reference executor, and Google's
ai-edge-quantizer (a benchmark-only peer: pip install ai-edge-quantizer; it
brings ai-edge-litert, not TensorFlow), on the same calibration images.

    python benchmarks/bench_calibration.py [--samples 100] [--rounds 3]

The MediaPipe wheel is downloaded with `pip download --no-deps` (cached in
~/.cache/mote-tests, as the tests do). MediaPipe's files carry float16
weights and no SignatureDef, which ai-edge-quantizer needs: it is fed the
float32 graph Mote's converter writes, with a "serving_default" signature
added. Each time is the median of --rounds whole conversions (load, optimize,
calibrate, quantize, write) in this process.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
import zipfile

import numpy as np

from mote.converter import convert
from mote.converter.tflite import flatbuf

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_data import pip_wheel  # noqa: E402  (a sibling script)

CACHE = pathlib.Path(os.environ.get("MOTE_TEST_CACHE", pathlib.Path.home() / ".cache" / "mote-tests"))
WHEEL = "mediapipe==0.10.14"
MODELS = {   # model -> pixel range its inputs take
    "mediapipe/modules/face_detection/face_detection_short_range.tflite": "-1..1",
    "mediapipe/modules/hand_landmark/hand_landmark_lite.tflite": "0..1",
}


def images(shape, n: int, pixel_range: str, seed: int = 0) -> np.ndarray:
    """n image-like samples: smooth 8-bit gradients plus noise, mapped as the model expects."""
    rng = np.random.default_rng(seed)
    _, h, w, c = shape
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    out = []
    for _ in range(n):
        a, b, phase = rng.uniform(-1, 1, 3)
        base = 127.5 + 100 * np.sin(3 * (a * yy + b * xx) + phase)
        k = np.clip(base[..., None] + rng.normal(0, 20, (h, w, c)), 0, 255).round()
        out.append(k)
    k = np.stack(out)
    return (k / 255.0 if pixel_range == "0..1" else k / 127.5 - 1.0).astype(np.float32)


def with_signature(model: bytes) -> bytes:
    m = flatbuf.decode(model)
    sg = m["subgraphs"][0]
    def tensor_map(indices):
        return [{"name": sg["tensors"][int(i)]["name"], "tensor_index": int(i)} for i in indices]
    m["signature_defs"] = [{"inputs": tensor_map(sg["inputs"]), "outputs": tensor_map(sg["outputs"]),
                            "signature_key": "serving_default", "subgraph_index": 0}]
    return flatbuf.encode(m)


def quantize_with_ai_edge_quantizer(model: bytes, data: np.ndarray) -> None:
    """ai-edge-quantizer's static int8 recipe (int8 weights and activations)."""
    from ai_edge_quantizer import quantizer, recipe
    name = flatbuf.decode(model)["signature_defs"][0]["inputs"][0]["name"]
    qt = quantizer.Quantizer(model)
    qt.load_quantization_recipe(recipe.static_wi8_ai8())
    result = qt.calibrate({"serving_default": [{name: x[None]} for x in data]})
    qt.quantize(result)


def median_seconds(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        import ai_edge_quantizer  # noqa: F401  (the peer; optional)
        have_peer = True
    except ImportError:
        have_peer = False
        print("ai-edge-quantizer is not installed: pip install ai-edge-quantizer to time it too")
    with zipfile.ZipFile(pip_wheel(WHEEL, CACHE)) as wheel:
        sources = {pathlib.Path(m).stem: (wheel.read(m), r) for m, r in MODELS.items()}
    print(f"int8 conversion time, {args.samples} calibration images, median of {args.rounds}")
    print(f"{'model':28s} {'method':8s} {'Mote runtime':>13s} {'Mote numpy':>11s} "
          f"{'ai-edge-quantizer':>18s}")
    for name, (source, pixel_range) in sources.items():
        float32_model = convert(source)
        shape = [int(d) for d in flatbuf.decode(float32_model)["subgraphs"][0]["tensors"][
            int(flatbuf.decode(float32_model)["subgraphs"][0]["inputs"][0])]["shape"]]
        data = images(shape, args.samples, pixel_range)
        for method in ("minmax", "mse"):
            row = {}
            for engine in ("runtime", "reference"):
                row[engine] = median_seconds(lambda: convert(
                    source, "int8", data, calibration=method, float_fallback=True,
                    bias_correction=False, equalize=False,
                    calibration_engine=engine), args.rounds)
            peer = (median_seconds(lambda: quantize_with_ai_edge_quantizer(
                with_signature(float32_model), data), args.rounds)
                    if method == "minmax" and have_peer else None)
            peer_text = "-" if peer is None else f"{peer:.2f} s"
            print(f"{name:28s} {method:8s} {row['runtime']:11.2f} s {row['reference']:9.2f} s "
                  f"{peer_text:>18s}", flush=True)


if __name__ == "__main__":
    main()
