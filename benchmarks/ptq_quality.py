"""Post-training quantization quality of Mote's converter, method by method:
SQNR of each output of MediaPipe's float models quantized to int8, against
the float model, on photos (crops of scikit-image's sample photos; the
calibration and evaluation crops come from disjoint sets of photos), and
accuracy of the digits zoo models.

    python benchmarks/ptq_quality.py [--calibration 64] [--eval 64] [--models face,hand,digits]
    python benchmarks/ptq_quality.py --budget hand:12   (the accuracy budget: --min-sqnr 12 dB)
    python benchmarks/ptq_quality.py --int16x8 face:22  (int8 vs 16x8 vs the budget with each
                                                          fallback, and the digits zoo)

The MediaPipe and scikit-image wheels are downloaded with `pip download
--no-deps` (cached in ~/.cache/mote-tests, as the tests do); nothing is
installed. Both models run on Mote's C runtime: the float .tflite for the
reference outputs, the int8 one for the quantized outputs.
SQNR = 10 log10(sum f^2 / sum (f - q)^2) over every evaluation crop.
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
from mote.runtime import Interpreter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_data import photo, pip_wheel, sqnr_db  # noqa: E402  (a sibling script)

CACHE = pathlib.Path(os.environ.get("MOTE_TEST_CACHE", pathlib.Path.home() / ".cache" / "mote-tests"))
MEDIAPIPE = "mediapipe==0.10.14"
MODELS = {   # short name -> (file in the MediaPipe wheel, pixel range of its input)
    "face_detection_short_range": ("mediapipe/modules/face_detection/face_detection_short_range.tflite",
                                   "-1..1"),
    "hand_landmark_lite": ("mediapipe/modules/hand_landmark/hand_landmark_lite.tflite", "0..1"),
}
# scikit-image's photos, split once: calibration crops come from the first
# set, evaluation crops from the second.
CALIBRATION_PHOTOS = ("astronaut.png", "coffee.png", "chelsea.png", "motorcycle_left.png",
                      "camera.png", "rocket.jpg", "hubble_deep_field.jpg", "coins.png", "brick.png")
EVAL_PHOTOS = ("motorcycle_right.png", "retina.jpg", "ihc.png", "gravel.png", "grass.png",
               "moon.png", "page.png", "text.png", "clock_motion.png", "cell.png")
# Each configuration: (label, convert keyword arguments). Bias correction and
# equalization: equalization is on by default, bias correction off; the
# single-method rows turn both off.
PLAIN = {"bias_correction": False, "equalize": False}
CONFIGS = [("minmax", {"calibration": "minmax", **PLAIN}),
           ("percentile", {"calibration": "percentile", **PLAIN}),
           ("mse", {"calibration": "mse", **PLAIN}),
           ("kl", {"calibration": "kl", **PLAIN}),
           ("default: minmax + CLE", {"calibration": "minmax", "bias_correction": False}),
           ("auto", {"calibration": "auto", **PLAIN}),
           ("auto + bias corr.", {"calibration": "auto", "equalize": False}),
           ("auto + CLE", {"calibration": "auto", "bias_correction": False}),
           ("auto + CLE + bias corr.", {"calibration": "auto", "bias_correction": True})]


def photo_crops(names, n: int, size: tuple, pixel_range: str, seed: int) -> np.ndarray:
    """n square crops (random place and size, 40-100% of the short side) of
    scikit-image's photos `names`, in turn, resized (bilinear) to `size`
    (height, width), RGB, as the model's input: k/255 or k/127.5 - 1."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    photos = [Image.fromarray(photo(name, CACHE)) for name in names]
    out = []
    for k in range(n):
        im = photos[k % len(photos)]
        side = int(min(im.size) * rng.uniform(0.4, 1.0))
        x0, y0 = rng.integers(0, im.size[0] - side + 1), rng.integers(0, im.size[1] - side + 1)
        crop = im.crop((x0, y0, x0 + side, y0 + side)).resize(size[::-1], Image.BILINEAR)
        out.append(np.asarray(crop, np.float64))
    k = np.stack(out)
    return (k / 255.0 if pixel_range == "0..1" else k / 127.5 - 1.0).astype(np.float32)


def run_model(model: bytes, x: np.ndarray) -> tuple:
    """(every output of `model` for each sample of x, float64, [N, ...]; output names)."""
    it = Interpreter(model_content=model)
    it.allocate_tensors()
    d_in = it.get_input_details()[0]
    outs = [[] for _ in it.get_output_details()]
    for sample in x:
        it.set_tensor(d_in["index"], sample[None])
        it.invoke()
        for k, d in enumerate(it.get_output_details()):
            outs[k].append(it.get_tensor(d["index"]).astype(np.float64))
    return [np.stack(o) for o in outs], [d["name"] for d in it.get_output_details()]


def mediapipe_rows(name: str, n_cal: int, n_eval: int) -> list:
    member, pixel_range = MODELS[name]
    with zipfile.ZipFile(pip_wheel(MEDIAPIPE, CACHE)) as z:
        source = z.read(member)
    float_model = convert(source)
    it = Interpreter(model_content=float_model)
    _, h, w, _ = it.get_input_details()[0]["shape"]
    cal = photo_crops(CALIBRATION_PHOTOS, n_cal, (h, w), pixel_range, seed=0)
    ev = photo_crops(EVAL_PHOTOS, n_eval, (h, w), pixel_range, seed=1)
    want, names = run_model(float_model, ev)
    rows = []
    for label, kwargs in CONFIGS:
        t0 = time.perf_counter()
        q = convert(source, "int8", cal, **kwargs)
        seconds = time.perf_counter() - t0
        got, _ = run_model(q, ev)
        rows.append((label, [sqnr_db(f, g) for f, g in zip(want, got)], seconds))
        print(f"  {name} {label}: " + ", ".join(f"{n} {s:.2f} dB" for n, s in
                                                 zip(names, rows[-1][1])) + f" ({seconds:.1f} s)",
              flush=True)
    return names, rows


def budget(name: str, min_sqnr: float, n_cal: int, n_eval: int) -> None:
    """mote.budget on a MediaPipe model: the fewest layers in float for every
    output to reach min_sqnr dB on the evaluation crops."""
    from mote.budget import quantize_within_budget
    member, pixel_range = MODELS[name]
    with zipfile.ZipFile(pip_wheel(MEDIAPIPE, CACHE)) as z:
        source = z.read(member)
    it = Interpreter(model_content=convert(source))
    _, h, w, _ = it.get_input_details()[0]["shape"]
    cal = photo_crops(CALIBRATION_PHOTOS, n_cal, (h, w), pixel_range, seed=0)
    ev = photo_crops(EVAL_PHOTOS, n_eval, (h, w), pixel_range, seed=1)
    t0 = time.perf_counter()
    r = quantize_within_budget(source, cal, ev, min_sqnr=min_sqnr)
    print(f"{name}, --min-sqnr {min_sqnr}: {time.perf_counter() - t0:.0f} s\n{r}")
    print("most sensitive layers (min output SQNR with only that layer in float): " +
          ", ".join(f"{n} ({op}) {v:.2f}" for n, op, v in r.sensitivity[:5] if v is not None))


def sixteen(name: str, min_sqnr: float, n_cal: int, n_eval: int) -> None:
    """int8, 16x8 and the budget (fallback float, then int16x8) on a MediaPipe
    model: each output's SQNR on the evaluation crops, and the file size."""
    from mote.budget import quantize_within_budget
    member, pixel_range = MODELS[name]
    with zipfile.ZipFile(pip_wheel(MEDIAPIPE, CACHE)) as z:
        source = z.read(member)
    float_model = convert(source)
    _, h, w, _ = Interpreter(model_content=float_model).get_input_details()[0]["shape"]
    cal = photo_crops(CALIBRATION_PHOTOS, n_cal, (h, w), pixel_range, seed=0)
    ev = photo_crops(EVAL_PHOTOS, n_eval, (h, w), pixel_range, seed=1)
    want, names = run_model(float_model, ev)
    print(f"| {name} | " + " | ".join(names) + " | bytes | layers in 16x8 / float |")
    models = [("int8", convert(source, "int8", cal, float_fallback=True), ""),
              ("int16x8", convert(source, "int16x8", cal, float_fallback=True), "all that can")]
    for fallback in ("float", "int16x8"):
        t0 = time.perf_counter()
        r = quantize_within_budget(source, cal, ev, min_sqnr=min_sqnr, fallback=fallback)
        models.append((f"budget {min_sqnr:g} dB, fallback {fallback} "
                       f"({time.perf_counter() - t0:.0f} s)", r.model,
                       f"{len(r.int16_layers)} / {len(r.float_layers)}"))
    for label, model, layers in models:
        got, _ = run_model(model, ev)
        print(f"| {label} | " + " | ".join(f"{sqnr_db(f, g):.2f}" for f, g in zip(want, got)) +
              f" | {len(model):,} | {layers} |", flush=True)


def digits_sixteen() -> None:
    """The digits zoo in int8 and 16x8: accuracy and logits SQNR on the test set."""
    from mote.models import datasets
    from mote.models.zoo.train import HERE
    (x_train, _), (x_test, y_test) = datasets.digits()
    print("| digits model | float acc. | int8 acc. / SQNR | 16x8 acc. / SQNR | int8 / 16x8 bytes |")
    for name in ("mobilenet_style", "small_cnn", "mlp", "softmax_regression"):
        source = str(HERE / f"{name}.npz")
        f, _ = run_model(convert(source), x_test)
        cells = []
        sizes = []
        for mode in ("int8", "int16x8"):
            q = convert(source, mode, x_train[:200])
            got, _ = run_model(q, x_test)
            acc = float(np.mean(got[0].reshape(len(y_test), -1).argmax(-1) == y_test))
            cells.append(f"{acc:.4f} / {sqnr_db(f[0], got[0]):.2f}")
            sizes.append(f"{len(q):,}")
        acc = float(np.mean(f[0].reshape(len(y_test), -1).argmax(-1) == y_test))
        print(f"| {name} | {acc:.4f} | " + " | ".join(cells) + f" | {' / '.join(sizes)} |",
              flush=True)


def digits_rows(per_channel: bool) -> list:
    from mote.models import datasets
    from mote.models.zoo.train import HERE
    (x_train, _), (x_test, y_test) = datasets.digits()
    cal = x_train[:200]
    rows = []
    for name in ("mobilenet_style", "small_cnn", "mlp", "softmax_regression"):
        source = str(HERE / f"{name}.npz")
        row = {"float": _accuracy(convert(source), x_test, y_test)}
        for label, kwargs in CONFIGS:
            row[label] = _accuracy(convert(source, "int8", cal, per_channel=per_channel, **kwargs),
                                   x_test, y_test)
        rows.append((name, row))
        print(f"  {name} ({'per-channel' if per_channel else 'per-tensor'} weights): " +
              ", ".join(f"{k} {v:.4f}" for k, v in row.items()), flush=True)
    return rows


def _accuracy(model: bytes, x, y) -> float:
    out, _ = run_model(model, x)
    return float(np.mean(out[0].reshape(len(y), -1).argmax(-1) == y))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", type=int, default=64, help="calibration crops")
    ap.add_argument("--eval", type=int, default=64, help="evaluation crops")
    ap.add_argument("--models", default="face,hand,digits")
    ap.add_argument("--budget", help="MODEL:DB, e.g. hand:12: run the accuracy budget instead")
    ap.add_argument("--int16x8", help="MODEL:DB, e.g. face:22: int8 vs 16x8 vs the budget with "
                    "each fallback, then the digits zoo in int8 and 16x8")
    args = ap.parse_args(argv)
    if args.int16x8:
        short, db = args.int16x8.split(":")
        sixteen(next(n for n in MODELS if n.startswith(short)), float(db), args.calibration,
                args.eval)
        digits_sixteen()
        return
    if args.budget:
        short, db = args.budget.split(":")
        name = next(n for n in MODELS if n.startswith(short))
        budget(name, float(db), args.calibration, args.eval)
        return
    chosen = args.models.split(",")
    tables = []
    for name in MODELS:
        if name.split("_")[0] in chosen:
            tables.append((name,) + mediapipe_rows(name, args.calibration, args.eval))
    if tables:
        print(f"\nSQNR (dB) of each output against the float model, {args.eval} evaluation crops, "
              f"{args.calibration} calibration crops (other photos); conversion time")
        for name, names, rows in tables:
            print(f"| {name} | " + " | ".join(names) + " | mean | time |")
            for label, sqnrs, seconds in rows:
                print(f"| {label} | " + " | ".join(f"{s:.2f}" for s in sqnrs) +
                      f" | {np.mean(sqnrs):.2f} | {seconds:.1f} s |")
    if "digits" in chosen:
        for per_channel in (True, False):
            rows = digits_rows(per_channel)
            print(f"\ndigits test accuracy ({'per-channel' if per_channel else 'per-tensor'} "
                  f"weights), 200 calibration images")
            print("| model | float | " + " | ".join(label for label, _ in CONFIGS) + " |")
            for name, row in rows:
                print(f"| {name} | " + " | ".join(f"{v:.4f}" for v in row.values()) + " |")


if __name__ == "__main__":
    main()
