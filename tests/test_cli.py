"""`mote run` and `mote inspect` on the shipped example and on a model Mote
cannot run."""
import numpy as np

from conftest import run_litert, run_mote
from converter.tflite.builder import ModelBuilder
from models.zoo import make_example
from pyruntime.cli import main


def test_shipped_example_is_reproducible_and_matches_litert(litert_available):
    data = make_example.OUT.read_bytes()
    assert data == make_example.build(), "regenerate with python -m models.zoo.make_example"
    x = np.random.default_rng(3).standard_normal((1, 8, 8, 1)).astype(np.float32)
    got, want = run_mote(data, [x])[0], run_litert(data, [x])[0]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_run_prints_outputs_and_timing(capsys, tmp_path):
    x = np.zeros((1, 8, 8, 1), np.float32)
    np.save(tmp_path / "x.npy", x)
    assert main(["run", str(make_example.OUT), "--input", str(tmp_path / "x.npy"),
                 "--repeat", "3"]) == 0
    out = capsys.readouterr().out
    assert "output 'probabilities' [1, 10] float32" in out
    assert "over 3 run(s)" in out and "arena" in out


def test_inspect_lists_ops_and_arena(capsys):
    assert main(["inspect", str(make_example.OUT)]) == 0
    out = capsys.readouterr().out
    assert "DEPTHWISE_CONV_2D" in out and "runs on Mote: arena" in out


def test_inspect_names_unsupported_op(capsys, tmp_path):
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "float32")
    y = b.add_tensor("y", [1, 4], "float32")
    b.add_operator("EXP", [x], [y])
    b.mark_outputs(y)
    path = tmp_path / "exp.tflite"
    path.write_bytes(b.build())
    assert main(["inspect", str(path)]) == 1
    out = capsys.readouterr().out
    assert "EXP" in out and "UNSUPPORTED" in out and "unsupported ops: op 0 (EXP v1)" in out


def test_run_missing_file_is_an_error(capsys):
    assert main(["run", "/nonexistent/model.tflite"]) == 2
    assert "model file not found" in capsys.readouterr().err


def test_convert_int8_with_calibration_file(capsys, tmp_path, litert_available):
    cal = tmp_path / "cal.npy"
    np.save(cal, np.random.default_rng(0).standard_normal((16, 8, 8, 1)).astype(np.float32))
    out = tmp_path / "q.tflite"
    assert main(["convert", str(make_example.OUT), "-o", str(out), "--quantize", "int8",
                 "--calibration", str(cal)]) == 0
    text = capsys.readouterr().out
    assert "QUANTIZE x1" in text and "INT8 tensors" in text and "size: 22,976 ->" in text
    x = np.zeros((1, 8, 8, 1), np.float32)
    data = out.read_bytes()
    np.testing.assert_array_equal(run_mote(data, [x])[0],
                                  run_litert(data, [x], reference_kernels=True)[0])


def test_convert_without_calibration_is_an_error(capsys, tmp_path):
    assert main(["convert", str(make_example.OUT), "-o", str(tmp_path / "q.tflite"),
                 "--quantize", "int8"]) == 2
    assert "needs representative data" in capsys.readouterr().err


def test_bench_prints_ratios_against_litert(capsys, litert_available):
    assert main(["bench", str(make_example.OUT), "--runs", "3"]) == 0
    out = capsys.readouterr().out
    assert "litert (reference kernels)" in out and "Mote / this" in out and "Mote arena" in out
