"""The `mote` command line on the shipped example, on a model Mote cannot
run, and on every input a user can get wrong: one line on stderr and a
non-zero exit, never a traceback and never a silent success."""
import pickle

import numpy as np
import pytest

from conftest import run_litert, run_mote
from mote.converter.tflite.builder import ModelBuilder
from mote.models.zoo import make_example
from mote.cli import main


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


def test_run_with_threads_prints_the_same_outputs(capsys):
    outputs = []
    for threads in ("1", "2"):
        assert main(["run", str(make_example.OUT), "--repeat", "1", "--threads", threads]) == 0
        out = capsys.readouterr().out
        assert f"{threads} thread(s)" in out
        outputs.append(out.split("invoke:")[0])
    assert outputs[0] == outputs[1]


def test_inspect_lists_ops_and_arena(capsys):
    assert main(["inspect", str(make_example.OUT)]) == 0
    out = capsys.readouterr().out
    assert "DEPTHWISE_CONV_2D" in out and "runs on Mote: arena" in out


def test_inspect_names_unsupported_op(capsys, tmp_path):
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "float32")
    y = b.add_tensor("y", [1, 4], "float32")
    b.add_operator("SEGMENT_SUM", [x], [y])
    b.mark_outputs(y)
    path = tmp_path / "segment_sum.tflite"
    path.write_bytes(b.build())
    assert main(["inspect", str(path)]) == 1
    out = capsys.readouterr().out
    assert "SEGMENT_SUM" in out and "UNSUPPORTED" in out and \
        "unsupported ops: op 0 (SEGMENT_SUM v1)" in out


def test_inspect_knows_custom_ops_by_their_code(capsys, tmp_path):
    """MediaPipe's Convolution2DTransposeBias runs; another custom op is named
    unsupported by its custom code."""
    import op_cases
    for code, runs in (("Convolution2DTransposeBias", True), ("MaxUnpooling2D", False)):
        b = ModelBuilder()
        op_cases.convolution_2d_transpose_bias(b, np.random.default_rng(0))
        b.opcodes[0] = ("CUSTOM", 1, code)
        path = tmp_path / f"{code}.tflite"
        path.write_bytes(b.build())
        assert main(["inspect", str(path)]) == (0 if runs else 1)
        out = capsys.readouterr().out
        assert code in out and ("UNSUPPORTED" in out) != runs, out
        if not runs:
            assert f"unsupported ops: op 0 ({code} v1)" in out


def test_bench_a_model_litert_reference_kernels_cannot_run(capsys, tmp_path, litert_available):
    """MediaPipe's custom Convolution2DTransposeBias: LiteRT runs it only with
    its default kernels; bench says so instead of stopping."""
    import op_cases
    b = ModelBuilder()
    op_cases.convolution_2d_transpose_bias(b, np.random.default_rng(0))
    path = tmp_path / "custom.tflite"
    path.write_bytes(b.build())
    assert main(["bench", str(path), "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "litert (default kernels)" in out and "Mote / this" in out
    assert "litert (reference kernels)   cannot run this model: Encountered unresolved custom " \
           "op: Convolution2DTransposeBias" in out


def one_error_line(capsys, argv, status=2) -> str:
    """Runs `mote argv`, which must fail with `status` and one stderr line."""
    try:
        code = main(argv)
    except SystemExit as e:   # argparse refuses usage mistakes this way
        code = e.code
    err = capsys.readouterr().err.strip()
    assert code == status, err
    assert err.startswith(f"mote {argv[0]}: error: ") and "\n" not in err, err
    return err


@pytest.mark.parametrize("command", ["run", "inspect", "bench", "convert", "compare"])
def test_every_command_reports_a_missing_or_unreadable_model_alike(capsys, tmp_path, command):
    extra = ["-o", str(tmp_path / "q.tflite")] if command == "convert" else []
    missing = str(tmp_path / "no_such_model.tflite")
    assert one_error_line(capsys, [command, missing] + extra).endswith(
        f"error: model file not found: {missing!r}")
    assert one_error_line(capsys, [command, str(tmp_path)] + extra).endswith(
        f"error: cannot read model file {str(tmp_path)!r}: Is a directory")


@pytest.mark.parametrize("argv, message", [
    (["bench", str(make_example.OUT), "--runs", "0"], "--runs: expected a whole number >= 1, got '0'"),
    (["run", str(make_example.OUT), "--repeat", "-1"],
     "--repeat: expected a whole number >= 1, got '-1'"),
    (["run", str(make_example.OUT), "--seed", "-3"], "--seed: expected a whole number >= 0"),
    (["run", str(make_example.OUT), "--threads", "0"],
     "--threads: expected a whole number >= 1, got '0'"),
    (["train", "mlp", "--epochs", "0"], "--epochs: expected a whole number >= 1"),
    (["convert", str(make_example.OUT), "-o", "q.tflite", "--quantize", "int4"],
     "invalid choice: 'int4'"),
    (["convert", str(make_example.OUT)], "required: -o/--output"),
])
def test_usage_mistakes_are_one_line(capsys, argv, message):
    assert message in one_error_line(capsys, argv)


def test_convert_help_names_every_source_format(capsys):
    with pytest.raises(SystemExit):
        main(["convert", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "a float .tflite file, an ONNX model (.onnx) or a Mote trained graph (.npz)" in out


def convert_argv(tmp_path, *extra):
    return ["convert", str(make_example.OUT), "-o", str(tmp_path / "q.tflite"), *extra]


CALIBRATION_EXPECTED = "expected an .npy array of input samples, shape [N, ...input shape]"


@pytest.mark.parametrize("name, write, message", [
    ("cal.pkl", lambda p: p.write_bytes(pickle.dumps([1, 2])),
     "'{path}' is not a numpy array file; " + CALIBRATION_EXPECTED),
    ("cal.npy", lambda p: p.write_bytes(b""),
     "'{path}' is not a numpy array file; " + CALIBRATION_EXPECTED),
    ("cal.npy", lambda p: np.save(p, np.array(["a", "b"])),
     "'{path}' holds <U1 values; " + CALIBRATION_EXPECTED),
    ("cal.npy", lambda p: np.save(p, np.zeros((0, 8, 8, 1), np.float32)),
     "calibration data for input 'image' is empty"),
    ("cal.npy", lambda p: np.save(p, np.zeros((4, 3, 3), np.float32)),
     "calibration data for input 'image' has shape [4, 3, 3]; expected samples of shape [1, 8, 8, 1]"),
    ("cal.npz", lambda p: np.savez(p, other=np.zeros((4, 8, 8, 1), np.float32)),
     "calibration data has no samples for input(s) ['image']; it has ['other']"),
    ("cal.npy", None, "'{path}': file not found; " + CALIBRATION_EXPECTED),
])
def test_bad_calibration_data(capsys, tmp_path, name, write, message):
    path = tmp_path / name
    if write is not None:
        write(path)
    err = one_error_line(capsys, convert_argv(tmp_path, "--quantize", "int8",
                                              "--calibration", str(path)))
    assert message.format(path=path) in err
    assert not (tmp_path / "q.tflite").exists()


@pytest.mark.parametrize("extra, message", [
    (["--calibration", "digits"], "--calibration applies to --quantize int8 or int16x8, not none"),
    (["--quantize", "float16", "--int8-io"],
     "--int8-io applies to --quantize int8 or int16x8, not float16"),
    (["--method", "mse"], "--method applies to --quantize int8 or int16x8, not none"),
    (["--per-tensor"], "--per-tensor applies to --quantize dynamic, int8 or int16x8, not none"),
])
def test_convert_options_that_would_be_ignored_are_refused(capsys, tmp_path, extra, message):
    assert message in one_error_line(capsys, convert_argv(tmp_path, *extra))


def test_convert_output_must_go_to_an_existing_folder(capsys, tmp_path):
    missing = tmp_path / "no_such_folder" / "q.tflite"
    assert f"output folder {str(missing.parent)!r} does not exist" in one_error_line(
        capsys, ["convert", str(make_example.OUT), "-o", str(missing)])
    assert f"output {str(tmp_path)!r} is a folder" in one_error_line(
        capsys, ["convert", str(make_example.OUT), "-o", str(tmp_path)])


def test_corrupt_model_is_one_line_everywhere(capsys, tmp_path):
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(make_example.OUT.read_bytes()[:300])
    for argv in (["run", str(bad)], ["inspect", str(bad)], ["bench", str(bad)],
                 ["convert", str(bad), "-o", str(tmp_path / "q.tflite")]):
        assert "root table offset 16 is out of range for a 300-byte file" in \
            one_error_line(capsys, argv)


def test_run_input_must_be_an_npy_array(capsys, tmp_path):
    np.savez(tmp_path / "x.npz", x=np.zeros((1, 8, 8, 1), np.float32))
    assert "is an .npz archive; expected one .npy array per --input" in one_error_line(
        capsys, ["run", str(make_example.OUT), "--input", str(tmp_path / "x.npz")])
    (tmp_path / "x.txt").write_text("1 2 3")
    assert "is not a numpy array file; expected an .npy array of shape [1, 8, 8, 1]" in \
        one_error_line(capsys, ["run", str(make_example.OUT), "--input", str(tmp_path / "x.txt")])


def test_train_to_a_file_name_writes_that_file(capsys, tmp_path):
    out = tmp_path / "sr2.npz"
    assert main(["train", "softmax_regression", "-o", str(out), "--epochs", "1"]) == 0
    assert out.is_file() and (tmp_path / "sr2.png").is_file() and (tmp_path / "sr2.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sr2.json", "sr2.npz", "sr2.png"]
    assert f"wrote {tmp_path / 'sr2'}.npz" in capsys.readouterr().out


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


def test_convert_names_unquantizable_ops_and_the_flag(capsys, tmp_path):
    from test_converter import unquantizable_model
    source, cal = tmp_path / "m.tflite", tmp_path / "cal.npy"
    source.write_bytes(unquantizable_model())
    np.save(cal, np.zeros((2, 1, 4), np.float32))
    line = one_error_line(capsys, ["convert", str(source), "-o", str(tmp_path / "q.tflite"),
                                   "--quantize", "int8", "--calibration", str(cal)])
    assert "cannot be quantized to int8: SIN (op0), COS (op2) (--float-fallback keeps" in line


def test_convert_without_calibration_is_an_error(capsys, tmp_path):
    assert main(["convert", str(make_example.OUT), "-o", str(tmp_path / "q.tflite"),
                 "--quantize", "int8"]) == 2
    assert "needs representative data" in capsys.readouterr().err


def test_bench_prints_ratios_against_litert(capsys, litert_available):
    assert main(["bench", str(make_example.OUT), "--runs", "3"]) == 0
    out = capsys.readouterr().out
    assert "litert (reference kernels)" in out and "Mote / this" in out and "Mote arena" in out


def test_bench_profiles_every_op(capsys, litert_available):
    """The per-op profile has one row per op, in run order, naming its type;
    timings are not asserted (they are the machine's, not the code's)."""
    from mote.runtime import Interpreter
    ops = Interpreter(model_path=str(make_example.OUT)).ops()
    assert main(["bench", str(make_example.OUT), "--runs", "2", "--threads", "2"]) == 0
    out = capsys.readouterr().out
    profile = out.split("per-op profile")[1].split("by op type:")[0].splitlines()[2:]
    rows = [line.split()[:2] for line in profile if line.strip()]
    assert rows == [[str(op["index"]), op["name"]] for op in ops]
    assert all(line.rstrip().endswith("%") for line in profile if line.strip())


def test_missing_tools_extra_is_one_line(monkeypatch, capsys):
    """Without the tools extra, commands that need it say which extra to install."""
    import builtins
    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ModuleNotFoundError(f"No module named {name!r}", name="sklearn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    assert main(["train", "softmax_regression", "--epochs", "1", "-o", "/tmp/unused.npz"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and 'pip install "mote[tools]"' in err, err
