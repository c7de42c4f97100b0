"""The `mote` command line.

    mote run MODEL.tflite [--input x.npy ...] [--repeat N] [--threads N]
    mote inspect MODEL.tflite
    mote convert SOURCE -o OUT.tflite [--quantize none|float16|dynamic|int8|int16x8]
                 [--calibration DATA.npy|digits] [--per-tensor] [--int8-io]
                 [--method minmax|percentile|mse|kl|auto] [--bias-correction] [--no-equalize]
                 [--adaround]
                 [--max-drop POINTS --eval X.npy|digits --labels Y.npy | --min-sqnr DB --eval X]
                 [--fallback float|int16x8]
                 (SOURCE: a float .tflite, an ONNX model or a trained graph .npz)
    mote train NAME [-o DIR|FILE.npz] [--epochs N]   (zoo models, on digits)
    mote compare MODEL [--quantized Q.tflite] [--inputs X.npy|X.npz|IMAGE_DIR|digits]
                 [--preprocess 0..1|-1..1|imagenet|0..255] [--labels Y.npy]
                 [--calibration DATA] [--method M] [--limit N] [--report DIR]
                 (MODEL: float .tflite, .onnx or trained graph .npz)
    mote demo                                     (compare on the shipped MobileNet-style model)
    mote bench MODEL.tflite [--runs N] [--threads N]  (Mote against LiteRT; Mote's per-op profile)
    mote codegen MODEL.tflite [-o DIR] [--name NAME]  (firmware sources: the model as a C array,
                                                   its op list; see runtime_c/ports/cortex_m)
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from .codegen import operator_code
from .compare import PREPROCESS
from .converter.convert import DEFAULT_METHOD
from .converter.errors import ConversionError
from .converter.ranges import METHODS
from .converter.tflite import flatbuf, schema
from .converter.tflite.builder import DTYPES

from .runtime import errors
from .runtime._mote import ffi, lib
from .runtime.interpreter import Interpreter, verify


def _random_input(detail: dict, rng: np.random.Generator) -> np.ndarray:
    dtype = np.dtype(detail["dtype"])
    shape = tuple(int(d) for d in detail["shape"])
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -128), min(info.max, 127) + 1, shape).astype(dtype)
    return np.zeros(shape, dtype)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes end in one line on stderr (and exit status 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _int_at_least(lo: int):
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = None
        if n is None or n < lo:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {lo}, got {text!r}")
        return n
    return parse


def _read_model(path: str) -> bytes:
    """The bytes of a model file: every subcommand reports a missing or
    unreadable one with the same line."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise errors.InvalidArgumentError(f"model file not found: {path!r}") from None
    except OSError as e:
        raise errors.InvalidArgumentError(f"cannot read model file {path!r}: "
                                          f"{e.strerror or e}") from None


def _load_array(path: str, flag: str, expected: str):
    """A numeric array from a .npy file the user named (for .npz files, a dict
    of them); anything else is refused with what was expected."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise errors.InvalidArgumentError(f"{flag} {path!r}: file not found; expected "
                                          f"{expected}") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        raise errors.InvalidArgumentError(f"{flag} {path!r} is not a numpy array file; "
                                          f"expected {expected}") from None
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            arrays = {k: loaded[k] for k in loaded.files}
    else:
        arrays = {None: loaded}
    for key, a in arrays.items():
        if a.dtype.kind not in "biuf":
            raise errors.InvalidArgumentError(
                f"{flag} {path!r}{'' if key is None else f' entry {key!r}'} holds "
                f"{a.dtype} values; expected {expected}")
    return arrays[None] if None in arrays else arrays


def _output_file(path: str) -> str:
    """An output path whose folder exists, checked before any work is done."""
    out = Path(path)
    if out.is_dir():
        raise errors.InvalidArgumentError(f"output {path!r} is a folder; expected a file name")
    if not out.parent.is_dir():
        raise errors.InvalidArgumentError(f"output folder {str(out.parent)!r} does not exist")
    return path


def _load_input(path: str, detail: dict) -> np.ndarray:
    x = _load_array(path, "--input", f"an .npy array of shape {list(map(int, detail['shape']))}")
    if isinstance(x, dict):
        raise errors.InvalidArgumentError(f"--input {path!r} is an .npz archive; expected one "
                                          f".npy array per --input")
    want = tuple(int(d) for d in detail["shape"])
    if x.shape != want and x.size == int(np.prod(want)):
        x = x.reshape(want)
    return x.astype(detail["dtype"], copy=False) if x.dtype.kind == np.dtype(detail["dtype"]).kind else x


def cmd_run(args) -> int:
    it = Interpreter(model_content=_read_model(args.model), num_threads=args.threads)
    it.allocate_tensors()
    inputs = it.get_input_details()
    if args.input and len(args.input) != len(inputs):
        raise errors.InvalidArgumentError(
            f"the model has {len(inputs)} input(s), got {len(args.input)} --input file(s)")
    rng = np.random.default_rng(args.seed)
    for i, d in enumerate(inputs):
        x = _load_input(args.input[i], d) if args.input else _random_input(d, rng)
        it.set_tensor(d["index"], x)
        source = args.input[i] if args.input else f"random (seed {args.seed})"
        print(f"input  {d['name']!r} {list(map(int, d['shape']))} "
              f"{np.dtype(d['dtype']).name}: {source}")
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        it.invoke()
        times.append(time.perf_counter() - t0)
    np.set_printoptions(precision=4, suppress=True, threshold=20, edgeitems=5)
    for d in it.get_output_details():
        y = it.get_tensor(d["index"])
        print(f"output {d['name']!r} {list(y.shape)} {y.dtype.name}:")
        print(f"  {y}")
        flat = y.reshape(-1)
        if y.ndim >= 1 and 1 < y.shape[-1] <= 1000 and y.shape[-1] == flat.size:
            top = np.argsort(-flat)[:3]
            print("  top-3: " + ", ".join(f"class {int(k)} ({flat[k]:.4f})" for k in top))
    ms = np.array(times) * 1e3
    print(f"invoke: {ms.mean():.3f} ms mean, {ms.min():.3f} ms min over {len(ms)} run(s), "
          f"{args.threads} thread(s); arena {it.arena_bytes} bytes")
    return 0


def cmd_inspect(args) -> int:
    data = _read_model(args.model)
    verify(data)
    m = flatbuf.decode(data)
    sg = m["subgraphs"][0]
    codes = m["operator_codes"]
    tensors = sg["tensors"]
    print(f"{args.model}: {len(data)} bytes, schema v{m['version']}, "
          f"{len(m['subgraphs'])} subgraph(s), description {m.get('description')!r}")
    print(f"\ntensors ({len(tensors)}):")
    tensor_types = schema.load().enums["TensorType"]
    for i, t in enumerate(tensors):
        shape = [int(d) for d in (t["shape"] if t["shape"] is not None else [])]
        buf = m["buffers"][t["buffer"]] if t["buffer"] < len(m["buffers"]) else {}
        const = buf.get("data") is not None and len(buf["data"]) > 0
        q = t.get("quantization") or {}
        scales = q.get("scale")
        qs = f" q(scale x{len(scales)}, axis {q.get('quantized_dimension', 0)})" \
            if scales is not None and len(scales) > 1 else \
            (f" q(scale {float(scales[0]):.6g}, zp {int(q['zero_point'][0])})"
             if scales is not None and len(scales) == 1 else "")
        print(f"  {i:4d} {tensor_types.name_of(t['type']):8s} {str(shape):20s}"
              f"{' const' if const else '      '} {t['name']}{qs}")
    print(f"\nops ({len(sg['operators'] or [])}):")
    unsupported = []
    for i, op in enumerate(sg["operators"] or []):
        c = codes[op["opcode_index"]]
        name, _, ok = operator_code(c)
        if not ok:
            unsupported.append(f"op {i} ({name} v{c['version']})")
        print(f"  {i:4d} {name:20s} v{c['version']}  in {list(map(int, op['inputs']))} "
              f"out {list(map(int, op['outputs']))}{'' if ok else '  UNSUPPORTED'}")
    print()
    try:
        it = Interpreter(model_content=data)
        total = sum(int(np.prod(t["shape"] if t["shape"] is not None else [])) *
                    np.dtype(DTYPES.get(tensor_types.name_of(t["type"]).lower(), np.uint8)).itemsize
                    for t in tensors if not _is_const(m, t))
        print(f"runs on Mote: arena {it.arena_bytes} bytes "
              f"(all activations together: {total} bytes; "
              f"weights repacked for fast kernels: {it.packed_weight_bytes} bytes)")
        print("compute functions chosen for this CPU: " +
              ", ".join(f"op {o['index']} {o['kernel']}" for o in it.ops() if o["kernel"]))
    except errors.MoteError as e:
        print(f"does not run on Mote: {e}")
        if unsupported:
            print("unsupported ops: " + ", ".join(unsupported))
        return 1
    return 0


def _is_const(m, t) -> bool:
    buf = m["buffers"][t["buffer"]]
    return buf.get("data") is not None and len(buf["data"]) > 0


def _load_calibration(path: str):
    if path == "digits":   # a built-in dataset: its first 200 training images
        from .models import datasets
        return datasets.digits()[0][0][:200]
    return _load_array(path, "--calibration", "an .npy array of input samples, shape [N, ...input "
                       "shape] (an .npz: one such array per input name), or 'digits'")


def _summary(before: bytes, after: bytes) -> str:
    m = flatbuf.decode(after)
    sg = m["subgraphs"][0]
    types = schema.load().enums["TensorType"]
    ops: dict = {}
    for op in sg["operators"] or []:
        code = m["operator_codes"][op["opcode_index"]]
        name = ffi.string(lib.mote_op_name(max(int(code["builtin_code"]),
                                               int(code["deprecated_builtin_code"])))).decode()
        ops[name] = ops.get(name, 0) + 1
    by_type: dict = {}
    for t in sg["tensors"]:
        by_type.setdefault(types.name_of(t["type"]), []).append(t["name"])
    lines = [f"ops: {sum(ops.values())} (" + ", ".join(f"{k} x{v}" for k, v in sorted(ops.items())) + ")",
             f"size: {len(before):,} -> {len(after):,} bytes ({len(after) / len(before):.0%})"]
    for k, names in sorted(by_type.items()):
        shown = ", ".join(names[:6]) + (f", ... ({len(names) - 6} more)" if len(names) > 6 else "")
        lines.append(f"{k} tensors ({len(names)}): {shown}")
    return "\n".join(lines)


def cmd_convert(args) -> int:
    from .converter import convert
    from tqdm import tqdm
    for flag, modes in CONVERT_FLAG_MODES.items():
        if getattr(args, flag.lstrip("-").replace("-", "_")) not in (None, False) and \
                args.quantize not in modes:
            named = " or ".join([", ".join(modes[:-1]), modes[-1]] if len(modes) > 1 else modes)
            raise errors.InvalidArgumentError(f"{flag} applies to --quantize {named}, not "
                                              f"{args.quantize}")
    budget = args.max_drop is not None or args.min_sqnr is not None
    _check_budget_flags(args, budget)
    before = _read_model(args.source)
    _output_file(args.output)
    data = _load_calibration(args.calibration) if args.calibration else None
    progress = (lambda it: tqdm(it, desc="calibrating", unit="sample")) if data is not None else None
    from .converter.quantize import UnquantizableOps
    options = dict(per_channel=not args.per_tensor, io_dtype="int8" if args.int8_io else "float32",
                   calibration=args.method, progress=progress,
                   bias_correction=args.bias_correction, equalize=args.equalize)
    if args.adaround and budget:
        raise errors.InvalidArgumentError("--adaround does not combine with --max-drop/--min-sqnr "
                                          "(the budget converts with nearest rounding)")
    if args.adaround:   # on the reference path's array module: cupy on a GPU, else numpy
        from .models.backend import xp
        options.update(adaround=True, xp=xp)
    try:
        if budget:
            from .budget import quantize_within_budget
            x, labels = _load_eval(args)
            if data is None:
                raise ConversionError("int8 quantization needs representative data: give "
                                      "--calibration")
            result = quantize_within_budget(args.source, data, x, labels, max_drop=args.max_drop,
                                            min_sqnr=args.min_sqnr,
                                            fallback=args.fallback or "float", **options)
            out = result.model
        else:
            out = convert(args.source, quantize=args.quantize, representative_data=data,
                          float_fallback=args.float_fallback, **options)
    except UnquantizableOps as e:
        raise UnquantizableOps(e.ops, flag="--float-fallback") from None
    Path(args.output).write_bytes(out)
    print(f"wrote {args.output}")
    if budget:
        print(result)
    print(_summary(before, out))
    return 0


def _check_budget_flags(args, budget: bool) -> None:
    """--max-drop / --min-sqnr need --eval, one of them at a time, and
    --max-drop needs labels (from --labels or a built-in dataset)."""
    if args.max_drop is not None and args.min_sqnr is not None:
        raise errors.InvalidArgumentError("--max-drop and --min-sqnr are two budgets; give one")
    if not budget:
        for flag in ("eval", "labels", "fallback"):
            if getattr(args, flag) is not None:
                raise errors.InvalidArgumentError(f"--{flag} applies to --max-drop or --min-sqnr")
        return
    if args.eval is None:
        raise errors.InvalidArgumentError("--max-drop/--min-sqnr measure the model on evaluation "
                                          "data: give --eval X.npy (or 'digits')")
    if args.max_drop is not None and args.labels is None and args.eval != "digits":
        raise errors.InvalidArgumentError(f"--max-drop {args.max_drop} needs labels for --eval "
                                          f"{args.eval!r}: give --labels Y.npy (integer classes, "
                                          f"one per sample)")
    if args.max_drop is not None and args.max_drop < 0:
        raise errors.InvalidArgumentError(f"--max-drop {args.max_drop}: expected accuracy points "
                                          f">= 0")


def _load_eval(args):
    """(samples, labels or None) for --eval and --labels."""
    if args.eval == "digits":   # the built-in test images and their labels
        from .models import datasets
        (_, _), (x, y) = datasets.digits()
        return x, (y if args.labels is None else _load_labels(args.labels))
    x = _load_array(args.eval, "--eval", "an .npy array of evaluation samples, shape [N, ...input "
                    "shape] (an .npz: one such array per input name), or 'digits'")
    return x, (None if args.labels is None else _load_labels(args.labels))


# Options that only mean something for some --quantize modes.
FULL_INTEGER = ("int8", "int16x8")
CONVERT_FLAG_MODES = {"--calibration": FULL_INTEGER, "--method": FULL_INTEGER,
                      "--int8-io": FULL_INTEGER, "--float-fallback": FULL_INTEGER,
                      "--per-tensor": ("dynamic",) + FULL_INTEGER,
                      "--bias-correction": FULL_INTEGER, "--equalize": FULL_INTEGER,
                      "--adaround": ("int8",),
                      "--max-drop": ("int8",), "--min-sqnr": ("int8",), "--fallback": ("int8",)}


def cmd_train(args) -> int:
    """-o names a folder (NAME.npz, .png, .json go in it) or the trained
    graph's file itself (OUT.npz, with OUT.png and OUT.json beside it)."""
    from .models.zoo.train import train
    out = Path(args.out)
    if out.suffix.lower() != ".npz":
        metrics = train(args.name, out, args.seed, args.epochs)
        written = out / args.name
    else:
        _output_file(args.out)
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            metrics = train(args.name, tmp, args.seed, args.epochs)
            for ext in (".npz", ".png", ".json"):
                shutil.move(str(Path(tmp) / (args.name + ext)), str(out.with_suffix(ext)))
        written = out.with_suffix("")
    print(f"{args.name}: float test accuracy {metrics['float_test_accuracy']:.4f} after "
          f"{metrics['epochs']} epochs ({metrics['train_seconds']} s on {metrics['device']}); "
          f"wrote {written}.npz, .png, .json")
    return 0


def _compare_data(args, input_shapes: list):
    """(inputs, labels, calibration, what the inputs are, what the calibration
    is) for `mote compare` from its flags."""
    from .models import datasets
    sample_shapes = [tuple(s[1:]) for s in input_shapes]
    source = args.inputs
    if source is None:
        if sample_shapes != [(8, 8, 1)]:
            raise errors.InvalidArgumentError(
                f"no --inputs given and the model's input {list(input_shapes[0])} is not the "
                f"built-in digits' [1, 8, 8, 1]; give --inputs X.npy, an .npz or an image folder")
        source = "digits"
    if source in datasets.DATASETS:
        (x_train, _), (x_test, y_test) = datasets.load(source)
        labels = y_test if args.labels is None else _load_labels(args.labels)
        if args.calibration is None:
            return (x_test, labels, x_train[:200], f"the {len(x_test)} {source} test images",
                    f"the first 200 {source} training images")
        return (x_test, labels, _load_calibration(args.calibration),
                f"the {len(x_test)} {source} test images", args.calibration)
    if Path(source).is_dir():
        from .compare import load_images
        if args.preprocess is None:
            raise errors.InvalidArgumentError(
                f"--inputs {source!r} is an image folder: say how pixels map to the model's "
                f"input with --preprocess {{0..1,-1..1,imagenet,0..255}}")
        if len(input_shapes) != 1:
            raise errors.InvalidArgumentError(f"an image folder feeds one input; the model has "
                                              f"{len(input_shapes)}")
        x, names = load_images(source, input_shapes[0], args.preprocess)
        what = f"{len(names)} images of {source} ({args.preprocess})"
    else:
        if args.preprocess is not None:
            raise errors.InvalidArgumentError("--preprocess applies to an image folder given as "
                                              "--inputs")
        x = _load_array(source, "--inputs", "an .npy array of input samples [N, ...input shape] "
                        "(an .npz: one per input name), an image folder, or 'digits'")
        what = f"the samples of {source}"
    labels = None if args.labels is None else _load_labels(args.labels)
    if args.calibration is None:
        return x, labels, x, what, "the inputs"
    return x, labels, _load_calibration(args.calibration), what, args.calibration


def _load_labels(path: str) -> np.ndarray:
    y = _load_array(path, "--labels", "an .npy array of integer class labels, one per sample")
    if isinstance(y, dict) or y.dtype.kind not in "iu":
        raise errors.InvalidArgumentError(f"--labels {path!r}: expected an .npy array of integer "
                                          f"class labels, one per sample")
    return y


def _limited(data, n):
    if n is None or data is None:
        return data
    return {k: v[:n] for k, v in data.items()} if isinstance(data, dict) else data[:n]


def cmd_compare(args) -> int:
    from .converter.convert import load
    from . import compare as cmp
    from tqdm import tqdm
    _read_model(args.model)
    quantized = _read_model(args.quantized) if args.quantized else None
    g = load(args.model)
    x, labels, calibration, what, calibration_what = _compare_data(
        args, [g.tensors[n].shape for n in g.inputs])
    if calibration is x:   # calibrating on the inputs: on those compared
        calibration = _limited(x, args.limit)
    x, labels = _limited(x, args.limit), _limited(labels, args.limit)
    out = Path(args.report)
    if out.exists() and not out.is_dir():
        raise errors.InvalidArgumentError(f"--report {args.report!r} is a file; expected a folder")
    if quantized is None:
        print(f"converting {args.model} to int8 ({args.method}; calibration: {calibration_what})")
    r = cmp.compare_models(g, quantized, x, labels, calibration=calibration, method=args.method,
                           progress=lambda it: tqdm(it, desc="comparing", unit="sample"))
    r.float_model, r.quantized_model = args.model, args.quantized or r.quantized_model
    print(f"inputs: {what}")
    print(r)
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{Path(args.model).stem}_compare.html"
    r.to_html(page)
    print(f"wrote {page}")
    return 0


def cmd_demo(args) -> int:
    from .models.zoo.train import HERE
    return cmd_compare(argparse.Namespace(
        model=str(HERE / "mobilenet_style.npz"), quantized=None, inputs=None, labels=None,
        calibration=None, preprocess=None, method=DEFAULT_METHOD, limit=None, report=args.report))


def _op_profile(it: Interpreter, runs: int) -> list:
    """Median seconds of each op over `runs` profiled invokes."""
    samples = [it.invoke_profiled() for _ in range(runs)]
    return list(np.median(np.array(samples), axis=0))


def _print_profile(it: Interpreter, op_seconds: list, invoke_ms: float) -> None:
    """Per-op rows in run order, then the time per op type (as LiteRT's
    benchmark_model --enable_op_profiling prints them)."""
    tensors = it.get_tensor_details()
    total = sum(op_seconds) or 1.0
    print(f"\nper-op profile (Mote, median per op; sum {sum(op_seconds) * 1e3:.3f} ms, "
          f"unprofiled invoke {invoke_ms:.3f} ms):")
    print(f"  {'op':>4s}  {'type':20s} {'kernel':26s} {'output':36s} {'ms':>9s} {'share':>6s}")
    by_type = {}
    for op, sec in zip(it.ops(), op_seconds):
        out = tensors[op["outputs"][0]] if op["outputs"] else None
        where = f"{out['name'][:20]} {list(map(int, out['shape']))}" if out else ""
        # Ops whose inputs are all constant ran once at create and cost nothing here.
        ms = f"{sec * 1e3:9.3f}" if sec else f"{'create':>9s}"
        print(f"  {op['index']:4d}  {op['name']:20s} {op['kernel'] or '-':26s} {where:36s} "
              f"{ms} {100 * sec / total:5.1f}%")
        n, t = by_type.get(op["name"], (0, 0.0))
        by_type[op["name"]] = (n + 1, t + sec)
    print("\nby op type:")
    for name, (n, sec) in sorted(by_type.items(), key=lambda kv: -kv[1][1]):
        print(f"  {name:20s} {n:4d} op(s) {sec * 1e3:9.3f} ms {100 * sec / total:5.1f}%")


def cmd_bench(args) -> int:
    """Times Mote and LiteRT on the same file in this process and prints the
    ratio (LiteRT, the peer, must be installed: pip install ai-edge-litert),
    then where Mote's time goes, op by op."""
    try:
        from ai_edge_litert import interpreter as litert
    except ImportError as e:
        raise errors.InvalidArgumentError("mote bench compares against LiteRT: "
                                          "pip install ai-edge-litert") from e
    data = _read_model(args.model)
    rng = np.random.default_rng(0)
    mote = Interpreter(model_content=data, num_threads=args.threads)
    inputs = [_random_input(d, rng) for d in mote.get_input_details()]
    peers = {"mote": mote,
             "litert (default kernels)": litert.Interpreter(model_content=data,
                                                            num_threads=args.threads),
             "litert (reference kernels)": litert.Interpreter(
                 model_content=data, experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)}
    times, cannot = {}, {}
    for name, it in peers.items():
        try:
            it.allocate_tensors()
        except RuntimeError as e:   # a custom op LiteRT's reference kernels lack
            if name == "mote":
                raise
            cannot[name] = str(e).splitlines()[0]
            continue
        for d, x in zip(it.get_input_details(), inputs):
            it.set_tensor(d["index"], x)
        it.invoke()   # warm-up
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            it.invoke()
            runs.append(time.perf_counter() - t0)
        times[name] = float(np.median(runs)) * 1e3
    print(f"{args.model}: median of {args.runs} invokes, {args.threads} thread(s) (reference "
          f"kernels: one), same inputs")
    for name, ms in times.items():
        print(f"  {name:28s} {ms:9.3f} ms   Mote / this = {times['mote'] / ms:5.2f}")
    for name, why in cannot.items():
        print(f"  {name:28s} cannot run this model: {why}")
    print(f"  Mote arena: {mote.arena_bytes:,} bytes (of which weights repacked for fast "
          f"kernels: {mote.packed_weight_bytes:,})")
    _print_profile(mote, _op_profile(mote, args.runs), times["mote"])
    return 0


# What the "tools" extra installs (pyproject.toml): training, compare, progress bars
# (PIL comes with matplotlib).
TOOL_PACKAGES = {"tqdm", "sklearn", "matplotlib", "PIL"}


def cmd_codegen(args) -> int:
    from . import codegen
    out = Path(args.out)
    if not out.is_dir():
        raise errors.InvalidArgumentError(f"output folder {args.out!r} does not exist")
    name = args.name or Path(args.model).stem
    if codegen.c_identifier(name) != name:
        raise errors.InvalidArgumentError(f"--name {name!r} is not a C identifier; expected "
                                          f"letters, digits and _ (for example "
                                          f"{codegen.c_identifier(name)!r})")
    model = _read_model(args.model)
    for path, text in codegen.generate(model, name, source=args.model).items():
        (out / path).write_text(text)
        print(out / path)
    return 0


def main(argv=None) -> int:
    parser = _Parser(prog="mote", description="Mote: run .tflite models on a "
                                     "small C runtime.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run a model on random or .npy input; print outputs and timing")
    p.add_argument("model")
    p.add_argument("--input", action="append", help=".npy file for each input, in order")
    p.add_argument("--repeat", type=_int_at_least(1), default=10, help="invokes to time (default 10)")
    p.add_argument("--seed", type=_int_at_least(0), default=0, help="seed of random inputs")
    p.add_argument("--threads", type=_int_at_least(1), default=1,
                   help="num_threads: each op's work split over N threads, same results "
                   "(default 1)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("inspect", help="tensors, ops, arena bytes, and what is unsupported")
    p.add_argument("model")
    p.set_defaults(func=cmd_inspect)
    p = sub.add_parser("convert", help="convert and quantize a model to .tflite")
    p.add_argument("source", help="the model: a float .tflite file, an ONNX model (.onnx) or a "
                   "Mote trained graph (.npz)")
    p.add_argument("-o", "--output", required=True, help="the .tflite file to write")
    p.add_argument("--quantize", choices=["none", "float16", "dynamic", "int8", "int16x8"],
                   default="none", help="int16x8: TFLite's 16x8 mode (int16 activations, int8 "
                   "weights) for the ops that have it, int8 for the rest")
    p.add_argument("--calibration", help=".npy array [N, ...] of input samples (.npz: one per "
                   "input name); needed for --quantize int8 and int16x8")
    p.add_argument("--method", "--calibration-method", choices=METHODS,
                   help="how each activation's int8 range is chosen from the calibration data: "
                   "minmax, percentile (99.99), mse or kl (entropy) for every tensor, or auto "
                   "(percentile or mse, with or without bias correction: whichever int8 model "
                   "is nearest the float one on the first calibration samples; default auto, "
                   "minmax for int16x8)")
    p.add_argument("--bias-correction", action=argparse.BooleanOptionalAction,
                   help="each layer's bias absorbs the mean output shift its int8 weights cause "
                   "on the calibration data (default off; with --method auto, on where it brings "
                   "the calibration outputs closer to the float model's)")
    p.add_argument("--adaround", action=argparse.BooleanOptionalAction,
                   help="AdaRound: round each conv/depthwise/FC weight up or down as learned, "
                   "layer by layer, to keep the layer's output on the calibration data closest "
                   "to the float model's (cupy on a GPU, else numpy; default off)")
    p.add_argument("--equalize", action=argparse.BooleanOptionalAction,
                   help="cross-layer equalization: rescale conv/depthwise pairs (no activation or "
                   "RELU between; pairs through RELU6 are left alone) so their weights' channel "
                   "ranges match; the float model is unchanged (default on for int8)")
    p.add_argument("--max-drop", type=float, metavar="POINTS", help="accuracy budget: keep the "
                   "fewest layers in float so that top-1 accuracy on --eval (with --labels) is at "
                   "most POINTS percent below the float model's")
    p.add_argument("--min-sqnr", type=float, metavar="DB", help="accuracy budget: keep the fewest "
                   "layers in float so that every output reaches DB dB SQNR against the float "
                   "model on --eval")
    p.add_argument("--fallback", choices=["float", "int16x8"], help="where --max-drop / "
                   "--min-sqnr put a sensitive layer: float (the default) or 16x8 first (int16 "
                   "activations; float only for layers without a 16x8 kernel, or if 16x8 is not "
                   "enough)")
    p.add_argument("--eval", help="evaluation samples for --max-drop / --min-sqnr (.npy/.npz, or "
                   "'digits': its test images and labels)")
    p.add_argument("--labels", help=".npy of integer class labels of the --eval samples")
    p.add_argument("--per-tensor", action="store_true", help="one weight scale per tensor")
    p.add_argument("--int8-io", action="store_true", help="int8 model inputs and outputs")
    p.add_argument("--float-fallback", action="store_true",
                   help="keep ops without int8 kernels in float (DEQUANTIZE/QUANTIZE around them)")
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("train", help="train a zoo model on digits (reference path, numpy or cupy)")
    from .models.zoo.definitions import ZOO
    p.add_argument("name", choices=sorted(ZOO))
    p.add_argument("-o", "--out", default=".", help="a folder (default: here) for NAME.npz, .png "
                   "and .json, or the trained graph's file name OUT.npz")
    p.add_argument("--epochs", type=_int_at_least(1))
    p.add_argument("--seed", type=_int_at_least(0), default=0)
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("compare", help="float vs quantized model on your data: per-output and "
                       "per-layer error, accuracy, an HTML report")
    p.add_argument("model", help="the float model: a .tflite, an ONNX model (.onnx) or a Mote "
                   "trained graph (.npz)")
    p.add_argument("--quantized", "--tflite", help="the quantized .tflite; default: convert the "
                   "float model to int8 now")
    p.add_argument("--inputs", help="samples: an .npy array [N, ...input shape] (.npz: one per "
                   "input name), a folder of images (with --preprocess), or 'digits' (the default "
                   "for 8x8x1 inputs)")
    p.add_argument("--preprocess", choices=sorted(PREPROCESS),
                   help="pixels k in [0, 255] of an image folder to inputs: k/255, k/127.5-1, "
                   "ImageNet mean/std, or k")
    p.add_argument("--labels", help=".npy of integer class labels, one per sample")
    p.add_argument("--calibration", help="calibration samples when converting now (.npy/.npz or "
                   "'digits'); default: the inputs")
    p.add_argument("--method", "--calibration-method", choices=METHODS, default=DEFAULT_METHOD,
                   help=f"activation ranges when converting now (default {DEFAULT_METHOD})")
    p.add_argument("--limit", type=_int_at_least(1), help="use the first N samples")
    p.add_argument("--report", default="mote_report", help="folder for the HTML report")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("bench", help="time Mote against LiteRT on the same .tflite")
    p.add_argument("model")
    p.add_argument("--runs", type=_int_at_least(1), default=20, help="timed invokes (default 20)")
    p.add_argument("--threads", type=_int_at_least(1), default=1,
                   help="num_threads for Mote and LiteRT's default kernels (default 1)")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("codegen", help="firmware sources for a model: the model as an aligned "
                       "C array and the list of ops it uses (so only those are linked)")
    p.add_argument("model")
    p.add_argument("-o", "--out", default=".", help="folder for NAME.c, NAME.h and NAME_ops.h "
                   "(default: here)")
    p.add_argument("--name", help="C name of the model (default: the file's stem)")
    p.set_defaults(func=cmd_codegen)
    p = sub.add_parser("demo", help="convert the shipped MobileNet-style model to int8, run it on "
                       "the C runtime and compare with float")
    p.add_argument("--report", default="mote_report")
    p.set_defaults(func=cmd_demo)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ModuleNotFoundError as e:
        if e.name not in TOOL_PACKAGES:
            raise
        print(f"mote {args.command}: error: needs {e.name}, which comes with the tools extra: "
              f"pip install \"mote[tools]\"", file=sys.stderr)
        return 2
    except (errors.MoteError, ConversionError, OSError) as e:
        print(f"mote {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
