"""mote compare (mote.compare.compare_models and the CLI) on any model and
data: every number it reports is recomputed here independently (numpy
float64 on known arrays; the float model on LiteRT and the int8 one on
LiteRT's reference kernels; per-layer tensors from the reference executor),
layers are matched on the zoo and on a MediaPipe model, and every input a
user can get wrong is one line and a non-zero exit."""
import json
import zipfile

import numpy as np
import pytest

from mote import compare
from mote.cli import main
from mote.converter import convert
from mote.converter.tflite import flatbuf, schema
from mote.models import datasets, saving
from mote.models.zoo.train import HERE
from mote.runtime import Interpreter

from conftest import ZOO_MODELS, image_like
from test_converted_models import THIRD_PARTY, third_party_wheel

MOBILENET = HERE / "mobilenet_style.npz"


def test_error_sums_match_hand_computation():
    f = np.array([1.0, 2.0, 3.0, 4.0])
    q = np.array([1.0, 2.0, 3.0, 5.0])
    s = compare.ErrorSums()
    s.add(f[:2], q[:2])    # two samples, summed as one
    s.add(f[2:], q[2:])
    assert s.sqnr_db == pytest.approx(10 * np.log10(30 / 1))   # 14.7712 dB
    assert s.sqnr_db == pytest.approx(14.771212547, abs=1e-9)
    assert s.max_abs_error == 1.0 and s.mean_abs_error == 0.25
    rng = np.random.default_rng(0)
    f, q = rng.standard_normal(1000), rng.standard_normal(1000)
    s = compare.ErrorSums()
    s.add(f.astype(np.float32), q.astype(np.float32))
    f64, q64 = f.astype(np.float32).astype(np.float64), q.astype(np.float32).astype(np.float64)
    assert s.sqnr_db == pytest.approx(10 * np.log10(np.sum(f64 ** 2) / np.sum((f64 - q64) ** 2)),
                                      abs=1e-9)
    assert s.mean_abs_error == pytest.approx(np.mean(np.abs(f64 - q64)), rel=1e-12)
    assert compare.sqnr_db(4.0, 0.0) == float("inf") and compare.sqnr_db(0.0, 1.0) == float("-inf")


@pytest.fixture(scope="module")
def digits_report():
    (x_train, _), (x_test, y_test) = datasets.digits()
    x, y = x_test[:120], y_test[:120]
    tflite = convert(str(MOBILENET), quantize="int8", representative_data=x_train[:200])
    return compare.compare_models(str(MOBILENET), tflite, x, y), tflite, x, y


def test_outputs_recomputed_with_litert(digits_report, litert_available):
    """Float model on LiteRT, int8 model on LiteRT's reference kernels, the
    metrics in numpy float64: the report's agree (the float runtimes differ
    by float32 rounding only)."""
    from conftest import run_litert
    r, tflite, x, y = digits_report
    float_tflite = convert(str(MOBILENET))
    f = np.stack([run_litert(float_tflite, [x[i:i + 1]])[0][0] for i in range(len(x))]).astype(np.float64)
    q = np.stack([run_litert(tflite, [x[i:i + 1]], reference_kernels=True)[0][0]
                  for i in range(len(x))]).astype(np.float64)
    (o,) = r.outputs
    assert o.name == "logits" and o.shape == [1, 10]
    assert o.sqnr_db == pytest.approx(10 * np.log10(np.sum(f ** 2) / np.sum((q - f) ** 2)), abs=0.01)
    assert o.max_abs_error == pytest.approx(np.max(np.abs(q - f)), rel=1e-3)
    assert o.mean_abs_error == pytest.approx(np.mean(np.abs(q - f)), rel=1e-3)
    assert o.top1_agreement == pytest.approx(np.mean(f.argmax(-1) == q.argmax(-1)))
    assert o.float_accuracy == pytest.approx(np.mean(f.argmax(-1) == y))
    assert o.quantized_accuracy == pytest.approx(np.mean(q.argmax(-1) == y))
    # The trained graph's own predictions give the same float accuracy.
    assert o.float_accuracy == pytest.approx(np.mean(saving.load(MOBILENET).predict(x).argmax(-1) == y))
    # 8 bits cost this model at most 2 points of accuracy on these images.
    assert o.float_accuracy - o.quantized_accuracy <= 0.02


def test_worst_layer_sqnr_recomputed_from_tensors(digits_report, litert_available):
    """The worst layer's SQNR from its float64 values (the reference executor
    in float64) and its int8 tensor on LiteRT's reference kernels."""
    from ai_edge_litert import interpreter as litert
    r, tflite, x, _ = digits_report
    worst = r.layers[0]
    assert [row.sqnr_db for row in r.layers] == sorted(row.sqnr_db for row in r.layers)
    from mote.converter import passes, reference
    from mote.converter.importers.mote_graph import import_trained_graph
    g = passes.optimize(import_trained_graph(str(MOBILENET)))
    it = litert.Interpreter(model_content=tflite, experimental_preserve_all_tensors=True,
                            experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    d = next(t for t in it.get_tensor_details() if t["name"] == worst.name)
    s, z = d["quantization"]
    signal = noise = 0.0
    for i in range(len(x)):
        it.set_tensor(it.get_input_details()[0]["index"], x[i:i + 1])
        it.invoke()
        f = np.asarray(reference.run(g, {g.inputs[0]: x[i:i + 1]}, keep_all=True)[worst.name],
                       np.float64)
        deq = (it.get_tensor(d["index"]).astype(np.float64) - z) * s
        signal += np.sum(f ** 2)
        noise += np.sum((f.reshape(deq.shape) - deq) ** 2)
    assert worst.sqnr_db == pytest.approx(10 * np.log10(signal / noise), abs=0.05)
    assert worst.float_values.size > 0 and worst.float_values.size == worst.quantized_values.size


def quantized_activations(tflite: bytes) -> set:
    """Names of the file's quantized (computed) activation tensors, read from
    the flatbuffer: int8, one scale, no data; an edge's int8 twin "<name>/int8"
    counted under <name>."""
    m = flatbuf.decode(tflite)
    int8 = schema.load().enums["TensorType"].values["INT8"]
    names = set()
    for t in m["subgraphs"][0]["tensors"]:
        data = m["buffers"][t["buffer"]].get("data")
        q = t.get("quantization") or {}
        if t["type"] == int8 and (data is None or len(data) == 0) and len(q.get("scale") or []) == 1:
            names.add(t["name"][:-len("/int8")] if t["name"].endswith("/int8") else t["name"])
    return names


@pytest.mark.parametrize("model", ZOO_MODELS, ids=lambda p: p.stem)
def test_every_quantized_activation_of_the_zoo_is_matched(model):
    shape = Interpreter(model_content=convert(str(model))).get_input_details()[0]["shape"]
    x = image_like(shape, 6)
    tflite = convert(str(model), "int8", x)
    r = compare.compare_models(str(model), tflite, x)
    assert {row.name for row in r.layers} == quantized_activations(tflite)
    assert all(np.isfinite(row.sqnr_db) and row.sqnr_db > 10 for row in r.layers), \
        [(row.name, row.sqnr_db) for row in r.layers]


def mediapipe_model(member: str) -> bytes:
    requirement = "mediapipe==0.10.14"
    with zipfile.ZipFile(third_party_wheel(requirement, THIRD_PARTY[requirement][0])) as wheel:
        return wheel.read(member)


def test_mediapipe_layers_matched_and_converted_now(tmp_path):
    model = mediapipe_model("mediapipe/modules/face_detection/face_detection_short_range.tflite")
    path = tmp_path / "face_detection_short_range.tflite"
    path.write_bytes(model)
    x = image_like([1, 128, 128, 3], 4, pixel_range="-1..1")
    r = compare.compare_models(str(path), None, x)   # converted now, calibrated on x
    tflite = convert(model, "int8", x, float_fallback=True)
    names = quantized_activations(tflite)
    assert len(names) > 60 and {row.name for row in r.layers} == names
    assert [o.name for o in r.outputs] == ["regressors", "classificators"]
    assert r.outputs[1].top1_agreement is None and r.outputs[0].top1_agreement is not None
    assert all(np.isfinite(o.sqnr_db) and o.sqnr_db > 5 for o in r.outputs)
    r.to_html(tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "classificators" in page


def tiny_model() -> bytes:
    """A float RELU over [1, 2]: a model no digits image fits."""
    from mote.converter.tflite.builder import ModelBuilder
    b = ModelBuilder()
    x = b.add_input("x", [1, 2], "float32")
    y = b.add_tensor("y", [1, 2], "float32")
    b.add_operator("RELU", [x], [y])
    b.mark_outputs(y)
    return b.build()


def tiny_int8() -> bytes:
    return convert(tiny_model(), "int8", np.array([[[-1.0, 1.0]]], np.float32))


def test_labels_and_inputs_are_checked():
    x = image_like([1, 8, 8, 1], 5)
    with pytest.raises(ValueError, match="got 4 labels for 5 samples"):
        compare.compare_models(str(MOBILENET), None, x, np.zeros(4, np.int64))
    with pytest.raises(ValueError, match=r"labels range over \[0, 10\]; output 'logits' has 10"):
        compare.compare_models(str(MOBILENET), None, x, np.array([0, 1, 2, 3, 10]))
    with pytest.raises(ValueError, match=r"inputs for input 'image' has shape \[5, 8, 8, 3\]"):
        compare.compare_models(str(MOBILENET), None, np.zeros((5, 8, 8, 3), np.float32))
    with pytest.raises(ValueError, match=r"float model input 'image' has shape \[1, 8, 8, 1\], the "
                                         r"quantized model's 'x' \[1, 2\]"):
        compare.compare_models(str(MOBILENET), tiny_int8(), x)


@pytest.mark.parametrize("name, floor", [("mobilenet_style", 0.97), ("small_cnn", 0.95),
                                         ("mlp", 0.88), ("softmax_regression", 0.85),
                                         ("lstm", 0.93)])
def test_shipped_zoo_models_reach_their_accuracy(name, floor):
    (_, _), (x_test, y_test) = datasets.digits()
    model = saving.load(HERE / f"{name}.npz")
    acc = float((model.predict(x_test).argmax(-1) == y_test).mean())
    assert acc >= floor
    assert json.loads((HERE / f"{name}.json").read_text())["float_test_accuracy"] == pytest.approx(acc)


# -- the CLI ------------------------------------------------------------------

def test_cli_on_digits_by_default_writes_html(tmp_path, capsys):
    small = tmp_path / "sr.npz"
    small.write_bytes((HERE / "softmax_regression.npz").read_bytes())
    assert main(["compare", str(small), "--report", str(tmp_path / "r"), "--limit", "50"]) == 0
    out = capsys.readouterr().out
    assert "quantized accuracy" in out and "SQNR dB" in out and "samples: 50" in out
    page = (tmp_path / "r" / "sr_compare.html").read_text()
    assert page.count("<tr>") >= 3 and "What the numbers mean" in page


def test_cli_on_npy_inputs_labels_and_given_quantized_model(tmp_path, capsys):
    (x_train, _), (x_test, y_test) = datasets.digits()
    np.save(tmp_path / "x.npy", x_test[:40])
    np.save(tmp_path / "y.npy", y_test[:40])
    q = tmp_path / "q.tflite"
    q.write_bytes(convert(str(HERE / "small_cnn.npz"), "int8", x_train[:100]))
    assert main(["compare", str(HERE / "small_cnn.npz"), "--quantized", str(q), "--inputs",
                 str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy"),
                 "--report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "samples: 40" in out and "float accuracy:" in out and "converting" not in out
    assert (tmp_path / "small_cnn_compare.html").exists()


def test_cli_on_an_image_folder(tmp_path, capsys):
    import matplotlib.image
    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):   # 20x24 RGB photos for an 8x8 grey model: resized and made grey
        matplotlib.image.imsave(folder / f"img{i}.png", rng.uniform(0, 1, (20, 24, 3)))
    (folder / "notes.txt").write_text("not an image")
    argv = ["compare", str(HERE / "small_cnn.npz"), "--inputs", str(folder), "--report",
            str(tmp_path)]
    assert "--preprocess" in one_error_line(capsys, argv)
    assert main(argv + ["--preprocess", "0..1"]) == 0
    out = capsys.readouterr().out
    assert "3 images of" in out and "samples: 3" in out
    x, names = compare.load_images(folder, [1, 8, 8, 1], "-1..1")
    assert names == ["img0.png", "img1.png", "img2.png"] and x.shape == (3, 8, 8, 1)
    assert x.min() >= -1 and x.max() <= 1 and x.dtype == np.float32
    x, _ = compare.load_images(folder, [1, 3, 8, 8], "imagenet")
    assert x.shape == (3, 3, 8, 8)


def test_cli_on_an_onnx_float_model(tmp_path, capsys):
    pytest.importorskip("onnx")
    import onnx
    from test_onnx_import import nchw_cnn
    path = tmp_path / "cnn.onnx"
    onnx.save(nchw_cnn(np.random.default_rng(0)), str(path))
    # The converter stores ONNX's NCHW activations NHWC: inputs are [N, 8, 8, 3].
    np.save(tmp_path / "x.npy", image_like([1, 8, 8, 3], 8))
    assert main(["compare", str(path), "--inputs", str(tmp_path / "x.npy"), "--report",
                 str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "probs [1, 10]" in out and "samples: 8" in out
    assert (tmp_path / "cnn_compare.html").exists()


def one_error_line(capsys, argv, status=2) -> str:
    try:
        code = main(argv)
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()[-1] if captured.err.strip() else ""
    assert code == status, captured.err
    assert err.startswith("mote compare: error: ") and "Traceback" not in captured.err, captured.err
    return err


@pytest.mark.parametrize("case, message", [
    ("missing inputs", "--inputs '{tmp}/none.npy': file not found"),
    ("wrong shape", "inputs for input 'image' has shape [4, 9, 9, 1]; expected samples of shape "
                    "[1, 8, 8, 1]"),
    ("strings", "holds <U1 values"),
    ("empty", "inputs for input 'image' is empty"),
    ("float labels", "--labels '{tmp}/yf.npy': expected an .npy array of integer class labels"),
    ("mismatched pair", "expected the same model twice"),
    ("empty folder", "holds no images"),
    ("not digits", "no --inputs given and the model's input [1, 2] is not the built-in digits'"),
    ("report is a file", "is a file; expected a folder"),
])
def test_cli_errors_are_one_line(tmp_path, capsys, case, message):
    np.save(tmp_path / "x9.npy", np.zeros((4, 9, 9, 1), np.float32))
    np.save(tmp_path / "s.npy", np.array(["a", "b"]))
    np.save(tmp_path / "e.npy", np.zeros((0, 8, 8, 1), np.float32))
    np.save(tmp_path / "x.npy", np.zeros((4, 8, 8, 1), np.float32))
    np.save(tmp_path / "yf.npy", np.zeros(4, np.float32))
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("")
    model = str(HERE / "small_cnn.npz")
    argv = {
        "missing inputs": [model, "--inputs", str(tmp_path / "none.npy")],
        "wrong shape": [model, "--inputs", str(tmp_path / "x9.npy")],
        "strings": [model, "--inputs", str(tmp_path / "s.npy")],
        "empty": [model, "--inputs", str(tmp_path / "e.npy")],
        "float labels": [model, "--inputs", str(tmp_path / "x.npy"), "--labels",
                         str(tmp_path / "yf.npy")],
        "mismatched pair": [model, "--quantized", str(tmp_path / "q.tflite"),
                            "--inputs", str(tmp_path / "x.npy")],
        "empty folder": [model, "--inputs", str(tmp_path / "empty"), "--preprocess", "0..1"],
        "not digits": [str(tmp_path / "tiny.tflite")],
        "report is a file": [model, "--report", str(tmp_path / "file"), "--limit", "2"],
    }[case]
    (tmp_path / "q.tflite").write_bytes(tiny_int8())
    (tmp_path / "tiny.tflite").write_bytes(tiny_model())
    assert message.format(tmp=tmp_path) in one_error_line(capsys, ["compare"] + argv)


def test_int8_io_model_is_fed_and_read_through_its_quantization():
    """A quantized model with int8 inputs and outputs: the float samples are
    quantized for it and its outputs dequantized, so it measures as the same
    model with float edges."""
    (x_train, _), (x_test, y_test) = datasets.digits()
    r = {io: compare.compare_models(str(MOBILENET), convert(str(MOBILENET), "int8", x_train[:200],
                                                            io_dtype=io), x_test[:60], y_test[:60])
         for io in ("float32", "int8")}
    assert r["int8"].outputs[0].sqnr_db == pytest.approx(r["float32"].outputs[0].sqnr_db, abs=1e-3)
    assert r["int8"].outputs[0].quantized_accuracy == r["float32"].outputs[0].quantized_accuracy
    assert [row.name for row in r["int8"].layers] == [row.name for row in r["float32"].layers]
