"""mote compare on a shipped zoo model: every number it reports is
recomputed here independently (accuracy from the labels, SQNR from the
tensors), and the zoo models meet their stated accuracy."""
import json

import numpy as np
import pytest

from mote.converter import convert
from mote import compare
from mote.models import datasets, saving
from mote.models.zoo.train import HERE
from mote.runtime import Interpreter
from mote.cli import main

MOBILENET = HERE / "mobilenet_style.npz"


@pytest.fixture(scope="module")
def report():
    (x_train, _), (x_test, y_test) = datasets.digits()
    tflite = convert(str(MOBILENET), quantize="int8", representative_data=x_train[:200])
    return compare.compare(str(MOBILENET), tflite, x_test[:120], y_test[:120]), tflite, x_test[:120], y_test[:120]


def test_accuracies_recomputed_from_labels(report):
    r, tflite, x, y = report
    float_pred = saving.load(MOBILENET).predict(x).argmax(-1)
    it = Interpreter(model_content=tflite)
    it.allocate_tensors()
    q = []
    for i in range(len(x)):
        it.set_tensor(it.get_input_details()[0]["index"], x[i:i + 1])
        it.invoke()
        q.append(it.get_tensor(it.get_output_details()[0]["index"])[0].argmax())
    q = np.array(q)
    assert r["float_accuracy"] == pytest.approx((float_pred == y).mean())
    assert r["quantized_accuracy"] == pytest.approx((q == y).mean())
    assert r["agreement"] == pytest.approx((q == float_pred).mean())
    # 8 bits cost this model at most 2 points of accuracy on these images.
    assert r["float_accuracy"] - r["quantized_accuracy"] <= 0.02


def test_sqnr_recomputed_from_tensors(report):
    r, tflite, x, _ = report
    worst = r["layers"][0]
    assert worst["sqnr_db"] == min(row["sqnr_db"] for row in r["layers"])
    from mote.converter import passes, reference
    from mote.converter.importers.mote_graph import import_trained_graph
    g = passes.optimize(import_trained_graph(str(MOBILENET)))
    it = Interpreter(model_content=tflite, preserve_all_tensors=True)
    it.allocate_tensors()
    d = next(t for t in it.get_tensor_details() if t["name"] == worst["layer"])
    s, z = d["quantization"]
    signal = noise = 0.0
    for i in range(len(x)):
        it.set_tensor(it.get_input_details()[0]["index"], x[i:i + 1])
        it.invoke()
        f = reference.run(g, {g.inputs[0]: x[i:i + 1]}, keep_all=True)[worst["layer"]]
        deq = (it.get_tensor(d["index"]).astype(np.float64) - z) * s
        signal += np.sum(np.asarray(f, np.float64) ** 2)
        noise += np.sum((np.asarray(f, np.float64).reshape(deq.shape) - deq) ** 2)
    assert worst["sqnr_db"] == pytest.approx(10 * np.log10(signal / noise), abs=0.05)


@pytest.mark.parametrize("name, floor", [("mobilenet_style", 0.97), ("small_cnn", 0.95),
                                         ("mlp", 0.88), ("softmax_regression", 0.85)])
def test_shipped_zoo_models_reach_their_accuracy(name, floor):
    (_, _), (x_test, y_test) = datasets.digits()
    model = saving.load(HERE / f"{name}.npz")
    acc = float((model.predict(x_test).argmax(-1) == y_test).mean())
    assert acc >= floor
    assert json.loads((HERE / f"{name}.json").read_text())["float_test_accuracy"] == pytest.approx(acc)


def test_compare_cli_writes_plot_and_html(tmp_path, capsys):
    small = tmp_path / "sr.npz"
    small.write_bytes((HERE / "softmax_regression.npz").read_bytes())
    assert main(["compare", str(small), "--report", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "quantized accuracy" in out and "SQNR dB" in out
    assert (tmp_path / "r" / "sr_compare.html").read_text().count("<tr>") >= 2
    assert (tmp_path / "r" / "sr_sqnr.png").read_bytes()[:4] == b"\x89PNG"
