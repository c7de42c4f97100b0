"""Float (reference path) against quantized (.tflite on the C runtime):
accuracy, agreement, and the quantization error of every layer as SQNR
(signal-to-quantization-noise ratio, 10 log10(sum f^2 / sum (f - q)^2) in dB,
f the float tensor, q the dequantized int8 one)."""
from __future__ import annotations

import html
import numpy

from .models.backend import to_numpy


def _float_tensors(graph, x):
    from .converter import reference
    return reference.run(graph, {graph.inputs[0]: x}, dtype=numpy.float32, keep_all=True)


def compare(trained_path, tflite: bytes, x, y, progress=None) -> dict:
    """Runs the trained graph (reference path) and the .tflite (C runtime) on
    every sample of x and compares them."""
    from .converter import passes
    from .converter.importers.mote_graph import import_trained_graph
    from .runtime import Interpreter
    from .models import saving
    model = saving.load(trained_path)
    float_logits = model.predict(x)
    float_graph = passes.optimize(import_trained_graph(trained_path))
    it = Interpreter(model_content=tflite, preserve_all_tensors=True)
    it.allocate_tensors()
    details = it.get_tensor_details()
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    def float_name(name):   # the quantized twin of a float edge tensor is "<name>/int8"
        return name[:-len("/int8")] if name.endswith("/int8") else name

    layers = {d["index"]: d for d in details
              if d["dtype"] == numpy.int8 and float_name(d["name"]) in float_graph.tensors
              and not float_graph.tensors[float_name(d["name"])].is_constant
              and len(d["quantization_parameters"]["scales"]) == 1}
    signal = {k: 0.0 for k in layers}
    noise = {k: 0.0 for k in layers}
    quant_logits = []
    samples = range(len(x))
    for i in (progress(samples) if progress else samples):
        sample = x[i:i + 1].astype(numpy.float32)
        if inp["dtype"] == numpy.int8:
            s, z = inp["quantization"]
            sample = numpy.clip(numpy.round(sample / s) + z, -128, 127).astype(numpy.int8)
        it.set_tensor(inp["index"], sample)
        it.invoke()
        q = it.get_tensor(out["index"]).astype(numpy.float32)
        if out["dtype"] == numpy.int8:
            s, z = out["quantization"]
            q = (q - z) * s
        quant_logits.append(q[0])
        floats = _float_tensors(float_graph, x[i:i + 1].astype(numpy.float32))
        for k, d in layers.items():
            s, z = d["quantization"]
            deq = (it.get_tensor(k).astype(numpy.float64) - z) * s
            f = to_numpy(floats[float_name(d["name"])]).astype(numpy.float64).reshape(deq.shape)
            signal[k] += float(numpy.sum(f * f))
            noise[k] += float(numpy.sum((f - deq) ** 2))
    quant_logits = numpy.array(quant_logits)
    fp, qp = float_logits.argmax(-1), quant_logits.argmax(-1)
    table = sorted(({"layer": layers[k]["name"], "shape": [int(v) for v in layers[k]["shape"]],
                     "sqnr_db": float(10 * numpy.log10(signal[k] / noise[k])) if noise[k] > 0 else float("inf")}
                    for k in layers), key=lambda r: r["sqnr_db"])
    return {"samples": int(len(x)), "float_accuracy": float((fp == y).mean()),
            "quantized_accuracy": float((qp == y).mean()), "agreement": float((fp == qp).mean()),
            "layers": table}


def format_report(r: dict) -> str:
    lines = [f"samples: {r['samples']}",
             f"float accuracy:     {r['float_accuracy']:.4f}",
             f"quantized accuracy: {r['quantized_accuracy']:.4f}  "
             f"(drop {r['float_accuracy'] - r['quantized_accuracy']:+.4f})",
             f"agreement:          {r['agreement']:.4f}",
             "", "per-layer quantization error (worst first):",
             f"  {'SQNR dB':>8}  layer"]
    lines += [f"  {row['sqnr_db']:8.2f}  {row['layer']} {row['shape']}" for row in r["layers"]]
    return "\n".join(lines)


def write_plot(r: dict, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = r["layers"]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.5))
    ax.barh([row["layer"] for row in rows], [row["sqnr_db"] for row in rows])
    ax.invert_yaxis()
    ax.set_xlabel("SQNR (dB), higher is better")
    ax.set_title(f"float {r['float_accuracy']:.3f} vs int8 {r['quantized_accuracy']:.3f} accuracy")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_html(r: dict, path: str, plot_name: str | None = None) -> None:
    rows = "".join(f"<tr><td>{html.escape(row['layer'])}</td><td>{row['shape']}</td>"
                   f"<td>{row['sqnr_db']:.2f}</td></tr>" for row in r["layers"])
    img = f'<img src="{html.escape(plot_name)}" alt="SQNR per layer">' if plot_name else ""
    with open(path, "w") as f:
        f.write(f"""<!doctype html><html><head><meta charset="utf-8"><title>Mote compare</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:2px 10px;text-align:left}}</style></head>
<body><h1>Float vs quantized</h1>
<p>{r['samples']} samples. Float accuracy {r['float_accuracy']:.4f}, quantized accuracy
{r['quantized_accuracy']:.4f}, agreement {r['agreement']:.4f}.</p>{img}
<h2>Per-layer quantization error (worst first)</h2>
<table><tr><th>layer</th><th>shape</th><th>SQNR (dB)</th></tr>{rows}</table></body></html>""")
