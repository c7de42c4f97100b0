"""Float model against its quantized twin, on the user's data: what 8 bits
cost, output by output and layer by layer (as LiteRT's QuantizationDebugger).

    from mote.compare import compare_models
    report = compare_models("model.onnx", "model_int8.tflite", x)   # x: [N, ...input shape]
    report.outputs[0].sqnr_db, report.layers[0].name                 # worst layer first
    report.to_html("report.html")

The float model (.tflite, .onnx or a Mote trained graph) runs on Mote's C
runtime with every tensor kept (converter/activations.py; the numpy
reference executor where the runtime lacks an op); the quantized .tflite runs
on the C runtime with preserve_all_tensors, so its intermediate tensors can
be read after each invoke without rewriting the model. Layers are matched by
name: the converter keeps every float tensor's name on its quantized
version, and a float model input or output's int8 twin is "<name>/int8".

The numbers, f the float tensor and q the quantized one dequantized
((q_int - zero_point) * scale), summed over every sample:
- SQNR (signal-to-quantization-noise ratio) = 10 log10(sum f^2 / sum (f - q)^2)
  in dB; each bit of precision is worth about 6 dB.
- max / mean abs error = max / mean |f - q|, in the tensor's own units.
- top-1 agreement: how often argmax over the last axis is the same.
- accuracy (with labels): how often argmax of the labelled output equals the label.
"""
from __future__ import annotations

import base64
import html
import io
import os
from dataclasses import dataclass, field

import numpy as np

from .converter.convert import DEFAULT_METHOD
from .runtime.errors import InvalidArgumentError

# Values kept per layer (from the first samples) for the float vs int8 scatter.
SCATTER_POINTS = 20_000
# Errors kept per output for its histogram.
HISTOGRAM_POINTS = 200_000


def sqnr_db(signal: float, noise: float) -> float:
    """10 log10(signal / noise) for sums of squares; +inf when there is no noise."""
    if noise == 0:
        return float("inf")
    if signal == 0:
        return float("-inf")
    return float(10 * np.log10(signal / noise))


class ErrorSums:
    """Running float64 sums of one tensor's quantization error over samples."""

    def __init__(self):
        self.signal = self.noise = self.abs_error = 0.0
        self.max_abs_error = 0.0
        self.count = 0

    def add(self, f: np.ndarray, q: np.ndarray) -> None:
        f = np.asarray(f, np.float64).ravel()
        err = np.asarray(q, np.float64).ravel() - f
        self.signal += float(f @ f)
        self.noise += float(err @ err)
        self.abs_error += float(np.abs(err).sum())
        self.max_abs_error = max(self.max_abs_error, float(np.abs(err).max(initial=0.0)))
        self.count += f.size

    @property
    def sqnr_db(self) -> float:
        return sqnr_db(self.signal, self.noise)

    @property
    def mean_abs_error(self) -> float:
        return self.abs_error / self.count if self.count else 0.0


@dataclass
class OutputStats:
    name: str
    shape: list
    sqnr_db: float
    max_abs_error: float
    mean_abs_error: float
    top1_agreement: float | None          # None where the last axis has one value
    float_accuracy: float | None = None   # with labels, on the labelled output
    quantized_accuracy: float | None = None
    errors: np.ndarray = field(default=None, repr=False)   # q - f, a sample of them


@dataclass
class LayerStats:
    name: str
    shape: list
    dtype: str
    sqnr_db: float
    max_abs_error: float
    mean_abs_error: float
    float_values: np.ndarray = field(default=None, repr=False)      # for the scatter
    quantized_values: np.ndarray = field(default=None, repr=False)


@dataclass
class Report:
    samples: int
    outputs: list           # OutputStats, in the model's output order
    layers: list            # LayerStats, worst SQNR first
    float_model: str = ""
    quantized_model: str = ""

    def __str__(self) -> str:
        return format_report(self)

    def to_html(self, path) -> None:
        write_html(self, path)


def _describe(model) -> str:
    if isinstance(model, (str, os.PathLike)):
        return os.fspath(model)
    if isinstance(model, (bytes, bytearray, memoryview)):
        return f"{len(model):,} bytes of .tflite"
    return type(model).__name__


def _quantize_input(x: np.ndarray, detail: dict) -> np.ndarray:
    """A float sample as the quantized model's input wants it."""
    dtype = np.dtype(detail["dtype"])
    if dtype.kind == "f":
        return x.astype(dtype)
    s, z = detail["quantization"]
    info = np.iinfo(dtype)
    return np.clip(np.round(x / np.float32(s)) + z, info.min, info.max).astype(dtype)


def _dequantize(values: np.ndarray, detail: dict) -> np.ndarray:
    if np.dtype(detail["dtype"]).kind == "f":
        return values.astype(np.float64)
    s, z = detail["quantization"]
    return (values.astype(np.float64) - z) * s


def _check_pair(g, quant_inputs: list, quant_outputs: list) -> None:
    """The quantized model must take and give what the float one does."""
    def shapes(names):
        return [list(map(int, g.tensors[n].shape)) for n in names]
    for what, names, details in (("input", g.inputs, quant_inputs),
                                 ("output", g.outputs, quant_outputs)):
        if len(names) != len(details):
            raise InvalidArgumentError(
                f"the float model has {len(names)} {what}(s) {shapes(names)}, the quantized model "
                f"{len(details)} {[list(map(int, d['shape'])) for d in details]}; expected the "
                f"same model twice")
        for name, d in zip(names, details):
            want, got = list(map(int, g.tensors[name].shape)), list(map(int, d["shape"]))
            if want != got:
                raise InvalidArgumentError(
                    f"float model {what} {name!r} has shape {want}, the quantized model's "
                    f"{d['name']!r} {got}; expected the same model twice")


def _shared_layers(g, details: list) -> list:
    """Quantized tensors of the .tflite that carry a float tensor of `g` the
    graph computes, by the converter's naming (an edge tensor's int8 twin is
    "<name>/int8")."""
    from .converter.activations import computed_float_tensors
    computed = set(computed_float_tensors(g))
    shared = []
    for d in details:
        name = d["name"][:-len("/int8")] if d["name"].endswith("/int8") else d["name"]
        if (np.dtype(d["dtype"]).kind in "iu" and name in computed
                and len(d["quantization_parameters"]["scales"]) == 1):
            shared.append((name, d))
    return shared


def _labels(labels, n: int, output: OutputStats | None):
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise InvalidArgumentError(f"labels hold {labels.dtype} values; expected integer class "
                                   f"indices, one per sample")
    labels = labels.reshape(-1)
    if labels.size != n:
        raise InvalidArgumentError(f"got {labels.size} labels for {n} samples; expected one per sample")
    if output is None:
        raise InvalidArgumentError("labels given, but no model output has classes on its last axis")
    classes = output.shape[-1]
    if labels.min() < 0 or labels.max() >= classes:
        raise InvalidArgumentError(f"labels range over [{labels.min()}, {labels.max()}]; output "
                                   f"{output.name!r} has {classes} classes")
    return labels


def compare_models(float_model, quant_model=None, inputs=None, labels=None, *, calibration=None,
                   method: str = DEFAULT_METHOD, progress=None, engine: str = "auto") -> Report:
    """Runs both models on every sample of `inputs` (an array [N, ...input
    shape], or a dict / list of such arrays per input) and measures the
    quantized one against the float one.

    float_model: a .tflite, .onnx or trained graph (.npz) path, .tflite bytes
    or an IR graph. quant_model: a quantized .tflite (path or bytes); None
    converts float_model to int8 now, calibrated on `calibration` (default:
    the inputs themselves) with `method`. labels: integer classes [N] for the
    first output with classes on its last axis. progress wraps the sample
    loop (e.g. tqdm)."""
    from .converter import ConversionError, convert
    from .converter.activations import float_activations, host_threads
    from .converter.convert import load
    from .converter.passes import optimize
    from .converter.quantize import _samples
    from .runtime import Interpreter
    if inputs is None:
        raise InvalidArgumentError("compare_models needs inputs: an array [N, ...input shape], "
                                   "or one per input (a dict by name or a list)")
    g = optimize(load(float_model))
    feeds = _samples(g, inputs, what="inputs")
    if quant_model is None:
        try:
            quant_bytes = convert(g, "int8", inputs if calibration is None else calibration,
                                  calibration=method, float_fallback=True, calibration_engine=engine)
        except ConversionError as e:
            raise ConversionError(f"converting the float model to int8: {e}") from e
    elif isinstance(quant_model, (bytes, bytearray, memoryview)):
        quant_bytes = bytes(quant_model)
    else:
        with open(quant_model, "rb") as f:
            quant_bytes = f.read()
    it = Interpreter(model_content=quant_bytes, preserve_all_tensors=True,
                     num_threads=host_threads())
    it.allocate_tensors()
    q_inputs, q_outputs = it.get_input_details(), it.get_output_details()
    _check_pair(g, q_inputs, q_outputs)
    layers = _shared_layers(g, it.get_tensor_details())
    layer_sums = {name: ErrorSums() for name, _ in layers}
    scatter = {name: ([], []) for name, _ in layers}
    output_sums = [ErrorSums() for _ in g.outputs]
    float_out = [[] for _ in g.outputs]
    quant_out = [[] for _ in g.outputs]
    rng = np.random.default_rng(0)
    samples = list(range(len(feeds)))
    floats = float_activations(g, feeds, engine)
    for i in (progress(samples) if progress else samples):
        f_values = next(floats)
        for name, d in zip(g.inputs, q_inputs):
            it.set_tensor(d["index"], _quantize_input(feeds[i][name], d))
        it.reset_all_variables()   # each sample is a sequence of its own, as in the float run
        it.invoke()
        for k, (name, d) in enumerate(zip(g.outputs, q_outputs)):
            f = np.array(f_values[name], np.float64)
            q = _dequantize(it.get_tensor(d["index"]), d).reshape(f.shape)
            output_sums[k].add(f, q)
            float_out[k].append(f[0] if f.shape[:1] == (1,) else f)
            quant_out[k].append(q[0] if q.shape[:1] == (1,) else q)
        for name, d in layers:
            f = np.asarray(f_values[name], np.float64).ravel()
            q = _dequantize(it.tensor(d["index"])(), d).ravel()
            layer_sums[name].add(f, q)
            kept_f, kept_q = scatter[name]
            room = SCATTER_POINTS - sum(map(len, kept_f))
            if room > 0:
                pick = rng.choice(f.size, min(room, f.size, SCATTER_POINTS // 8), replace=False)
                kept_f.append(f[pick].astype(np.float32))
                kept_q.append(q[pick].astype(np.float32))
    floats.close()
    outputs = []
    for k, (name, d) in enumerate(zip(g.outputs, q_outputs)):
        f, q = np.stack(float_out[k]), np.stack(quant_out[k])
        top1 = (float(np.mean(f.argmax(-1) == q.argmax(-1)))
                if f.ndim >= 2 and f.shape[-1] > 1 else None)
        err = (q - f).ravel()
        if err.size > HISTOGRAM_POINTS:
            err = rng.choice(err, HISTOGRAM_POINTS, replace=False)
        s = output_sums[k]
        outputs.append(OutputStats(name, list(map(int, d["shape"])), s.sqnr_db, s.max_abs_error,
                                   s.mean_abs_error, top1, errors=err.astype(np.float32)))
    if labels is not None:
        k = next((k for k, o in enumerate(outputs) if o.top1_agreement is not None
                  and int(np.prod(o.shape)) == o.shape[-1] * max(o.shape[0], 1)), None)
        y = _labels(labels, len(feeds), outputs[k] if k is not None else None)
        f, q = np.stack(float_out[k]), np.stack(quant_out[k])
        f_pred, q_pred = f.reshape(len(y), -1).argmax(-1), q.reshape(len(y), -1).argmax(-1)
        outputs[k].float_accuracy = float(np.mean(f_pred == y))
        outputs[k].quantized_accuracy = float(np.mean(q_pred == y))
    table = [LayerStats(name, list(map(int, d["shape"])), np.dtype(d["dtype"]).name,
                        layer_sums[name].sqnr_db, layer_sums[name].max_abs_error,
                        layer_sums[name].mean_abs_error,
                        np.concatenate(scatter[name][0]) if scatter[name][0] else np.zeros(0),
                        np.concatenate(scatter[name][1]) if scatter[name][1] else np.zeros(0))
             for name, d in layers]
    table.sort(key=lambda row: row.sqnr_db)
    return Report(len(feeds), outputs, table, _describe(float_model),
                  "converted now (int8, " + method + ")" if quant_model is None
                  else _describe(quant_model))


def format_report(r: Report) -> str:
    lines = [f"samples: {r.samples}", "", "outputs (quantized against float):",
             f"  {'SQNR dB':>8} {'max abs err':>12} {'mean abs err':>12} {'top-1 agree':>11}  output"]
    for o in r.outputs:
        top1 = "-" if o.top1_agreement is None else f"{o.top1_agreement:.4f}"
        lines.append(f"  {o.sqnr_db:8.2f} {o.max_abs_error:12.5g} {o.mean_abs_error:12.5g} "
                     f"{top1:>11}  {o.name} {o.shape}")
        if o.float_accuracy is not None:
            lines.append(f"           float accuracy:     {o.float_accuracy:.4f}")
            lines.append(f"           quantized accuracy: {o.quantized_accuracy:.4f}  "
                         f"(drop {o.float_accuracy - o.quantized_accuracy:+.4f})")
    lines += ["", f"per-layer quantization error, worst first ({len(r.layers)} layers both "
              f"models have):", f"  {'SQNR dB':>8}  layer"]
    lines += [f"  {row.sqnr_db:8.2f}  {row.name} {row.shape}" for row in r.layers]
    return "\n".join(lines)


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


# The bar chart shows at most this many layers (the worst ones); the table has all.
BARS_SHOWN = 60


def _plots(r: Report) -> dict:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plots = {}
    rows = r.layers[:BARS_SHOWN]
    if rows:
        fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 1.6))
        finite = [row.sqnr_db if np.isfinite(row.sqnr_db) else 0.0 for row in rows]
        ax.barh([row.name[-48:] for row in rows], finite,
                color=["#c0392b" if v < 20 else "#e67e22" if v < 30 else "#27ae60" for v in finite])
        ax.invert_yaxis()
        ax.set_xlabel("SQNR (dB), higher is better")
        ax.set_title(f"per-layer SQNR, worst {len(rows)} of {len(r.layers)} layers")
        ax.tick_params(axis="y", labelsize=7)
        fig.tight_layout()
        plots["layers"] = _png(fig)
    if r.outputs:
        fig, axes = plt.subplots(1, len(r.outputs), figsize=(4 * len(r.outputs), 3), squeeze=False)
        for ax, o in zip(axes[0], r.outputs):
            ax.hist(o.errors, bins=80, color="#2c7fb8")
            ax.set_yscale("log")
            ax.set_title(o.name[-40:], fontsize=9)
            ax.set_xlabel("quantized - float")
        fig.tight_layout()
        plots["histograms"] = _png(fig)
    worst = next((row for row in r.layers if row.float_values is not None
                  and row.float_values.size), None)
    if worst is not None:
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.scatter(worst.float_values, worst.quantized_values, s=2, alpha=0.3)
        lo = float(min(worst.float_values.min(), worst.quantized_values.min()))
        hi = float(max(worst.float_values.max(), worst.quantized_values.max()))
        ax.plot([lo, hi], [lo, hi], color="#c0392b", linewidth=1)
        ax.set_xlabel("float value")
        ax.set_ylabel("quantized value (dequantized)")
        ax.set_title(f"worst layer: {worst.name[-40:]} ({worst.sqnr_db:.1f} dB)", fontsize=9)
        fig.tight_layout()
        plots["scatter"] = _png(fig)
    return plots


def write_html(r: Report, path) -> None:
    """One self-contained HTML file: the tables, the plots as embedded PNGs,
    and what the numbers mean."""
    plots = _plots(r)
    esc = html.escape

    def img(key, alt):
        return f'<img src="data:image/png;base64,{plots[key]}" alt="{alt}">' if key in plots else ""

    def num(v, fmt=".2f"):
        return "-" if v is None else format(v, fmt)
    out_rows = "".join(
        f"<tr><td>{esc(o.name)}</td><td>{o.shape}</td><td>{num(o.sqnr_db)}</td>"
        f"<td>{num(o.max_abs_error, '.5g')}</td><td>{num(o.mean_abs_error, '.5g')}</td>"
        f"<td>{num(o.top1_agreement, '.4f')}</td><td>{num(o.float_accuracy, '.4f')}</td>"
        f"<td>{num(o.quantized_accuracy, '.4f')}</td></tr>" for o in r.outputs)
    layer_rows = "".join(
        f"<tr><td>{esc(row.name)}</td><td>{row.shape}</td><td>{row.dtype}</td>"
        f"<td>{num(row.sqnr_db)}</td><td>{num(row.max_abs_error, '.5g')}</td>"
        f"<td>{num(row.mean_abs_error, '.5g')}</td></tr>" for row in r.layers)
    worst = r.layers[0] if r.layers else None
    summary = (f"The worst layer is <b>{esc(worst.name)}</b> at {worst.sqnr_db:.1f} dB: quantization "
               f"error usually starts there, and layers after it inherit it." if worst else
               "The two models share no quantized tensor by name, so there is no per-layer view.")
    with open(path, "w") as f:
        f.write(f"""<!doctype html><html><head><meta charset="utf-8"><title>Mote compare</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}td,th{{padding:2px 10px;text-align:left}}
table{{border-collapse:collapse}}tr:nth-child(even){{background:#f3f3f3}}</style></head>
<body><h1>Float vs quantized</h1>
<p>Float model: {esc(r.float_model)}. Quantized model: {esc(r.quantized_model)}. {r.samples} samples.</p>
<h2>What the numbers mean</h2>
<ul><li><b>SQNR</b> (signal-to-quantization-noise ratio) = 10 log10(&Sigma; f&sup2; / &Sigma; (f &minus; q)&sup2;)
over all samples, f the float model's tensor, q the quantized model's, dequantized. Each bit of
precision is worth about 6 dB: above 30 dB the quantized tensor is close to the float one, 20&ndash;30 dB
is usually fine for classification, below 15&ndash;20 dB the error is visible in outputs.</li>
<li><b>max / mean abs error</b>: the largest and the average |f &minus; q|, in the output's own units.</li>
<li><b>top-1 agreement</b>: how often the largest value along the last axis is at the same place
(the same class for a classifier).</li>
<li><b>accuracy</b> (when labels are given): how often that place is the label, for each model.</li></ul>
<h2>Outputs</h2>
<table><tr><th>output</th><th>shape</th><th>SQNR (dB)</th><th>max abs error</th><th>mean abs error</th>
<th>top-1 agreement</th><th>float accuracy</th><th>quantized accuracy</th></tr>{out_rows}</table>
<p>Histograms of the output errors (quantized &minus; float; log scale): a narrow peak at 0 is good,
long tails mean some values are clipped or coarsely rounded.</p>{img("histograms", "output errors")}
<h2>Per-layer quantization error (worst first)</h2>
<p>{summary} Red bars are below 20 dB, orange below 30 dB.</p>{img("layers", "SQNR per layer")}
<p>Float against quantized values of the worst layer: points on the red line are exact; horizontal
bands are the int8 steps; a flat cut at either end means the range was clipped.</p>
{img("scatter", "float vs quantized, worst layer")}
<table><tr><th>layer</th><th>shape</th><th>type</th><th>SQNR (dB)</th><th>max abs error</th>
<th>mean abs error</th></tr>{layer_rows}</table></body></html>""")


# How 8-bit pixels become model inputs: k in [0, 255] -> value.
PREPROCESS = {
    "0..1": lambda k: k / 255.0,
    "-1..1": lambda k: k / 127.5 - 1.0,
    "0..255": lambda k: k,
    "imagenet": lambda k: (k / 255.0 - np.array([0.485, 0.456, 0.406])[:k.shape[-1]]) /
                          np.array([0.229, 0.224, 0.225])[:k.shape[-1]],
}
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def load_images(folder, input_shape, preprocess: str) -> tuple:
    """The images of `folder` (sorted by file name) as an array [N, ...input
    shape], resized (bilinear) to the input's height and width, grey or RGB
    as its channels say, NHWC or NCHW as its shape says, and mapped by
    `preprocess` (a key of PREPROCESS). Returns (array, file names)."""
    from PIL import Image   # comes with matplotlib, the tools extra
    if preprocess not in PREPROCESS:
        raise InvalidArgumentError(f"preprocessing {preprocess!r}; expected one of "
                                   f"{sorted(PREPROCESS)}")
    shape = [int(d) for d in input_shape]
    if len(shape) == 4 and shape[3] in (1, 3):
        (_, h, w, c), channels_first = shape, False
    elif len(shape) == 4 and shape[1] in (1, 3):
        (_, c, h, w), channels_first = shape, True
    else:
        raise InvalidArgumentError(f"the model's input has shape {shape}; images need an input "
                                   f"[1, H, W, 1 or 3] (or [1, 1 or 3, H, W])")
    if not os.path.isdir(folder):
        raise InvalidArgumentError(f"image folder {os.fspath(folder)!r} does not exist")
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith(IMAGE_EXTENSIONS))
    if not names:
        raise InvalidArgumentError(f"image folder {os.fspath(folder)!r} holds no images; expected "
                                   f"files ending in {', '.join(IMAGE_EXTENSIONS)}")
    pixels = []
    for name in names:
        try:
            with Image.open(os.path.join(folder, name)) as im:
                im = im.convert("L" if c == 1 else "RGB").resize((w, h), Image.BILINEAR)
                pixels.append(np.asarray(im, np.float64).reshape(h, w, c))
        except OSError as e:
            raise InvalidArgumentError(f"cannot read image {os.path.join(os.fspath(folder), name)!r}: "
                                       f"{e}") from None
    x = PREPROCESS[preprocess](np.stack(pixels)).astype(np.float32)
    return (x.transpose(0, 3, 1, 2) if channels_first else x), names
