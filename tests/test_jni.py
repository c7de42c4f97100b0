"""The Android demo's Java API (dev.mote.Interpreter) and JNI bridge, built and run on the host.

The Android SDK and NDK are not available here, so the bridge is built from the app's own
CMakeLists.txt (android_demo/app/src/main/cpp) with the host C compiler against the JDK's jni.h,
the Java classes (all but the Activity) with javac --release 8, and tests/jni/JniHarness.java
drives them in one JVM per test, under -Xcheck:jni. Every output is checked against the Python
binding (mote.runtime.Interpreter) on the same file: float outputs equal, int8 outputs
byte-equal, shapes, types and quantization the same; errors must be Java exceptions carrying the
runtime's own message (taken here from the Python binding), never a JVM crash.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from conftest import missing_tool, need, run_litert
from mote.converter import convert
from mote.converter.tflite.builder import ModelBuilder
from mote.models import datasets
from mote.models.zoo.train import HERE as ZOO
from mote.runtime import Interpreter, errors
from mote.runtime._mote import ffi, lib

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "android_demo"
APP = DEMO / "app" / "src" / "main"
HARNESS = Path(__file__).resolve().parent / "jni" / "JniHarness.java"
ASSET_MODEL = APP / "assets" / "small_cnn_int8.tflite"
ASSET_DIGIT = APP / "assets" / "digit.png"
EXAMPLE_CNN = ZOO / "example_cnn.tflite"

IAE = "java.lang.IllegalArgumentException"
ISE = "java.lang.IllegalStateException"
NUMPY_TYPES = {"FLOAT32": np.float32, "INT8": np.int8, "UINT8": np.uint8, "INT32": np.int32,
               "INT64": np.int64, "INT16": np.int16, "BOOL": np.bool_, "FLOAT64": np.float64,
               "FLOAT16": np.float16}


def _jdk() -> Path:
    need("javac", "cmake")      # a JDK (openjdk-17-jdk-headless), and cmake for the app's CMakeLists.txt
    home = Path(os.path.realpath(shutil.which("javac"))).parent.parent
    if not (home / "include" / "jni.h").is_file() or not (home / "bin" / "java").is_file():
        missing_tool(f"a JDK with include/jni.h and bin/java at {home} (javac's real path)")
    return home


@pytest.fixture(scope="module")
def jvm(tmp_path_factory):
    """Builds libmote_jni.so and the classes once; returns run(commands) -> {id: [lines]}."""
    home = _jdk()
    build = tmp_path_factory.mktemp("jni")
    env = dict(os.environ, JAVA_HOME=str(home))

    def step(*cmd):
        r = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True)
        assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{r.stdout}\n{r.stderr}"
        return r

    step("cmake", "-S", APP / "cpp", "-B", build / "native", "-DCMAKE_BUILD_TYPE=Release",
         "-DCMAKE_C_FLAGS=-Werror")   # the bridge compiles clean with -Wall -Wextra
    step("cmake", "--build", build / "native", "-j", "2")
    library = sorted(p for p in (APP / "java").rglob("*.java") if p.name != "MainActivity.java")
    classes = build / "classes"
    # --release 8: the API level Android's Java supports; -Werror: no lint warning either.
    step(home / "bin" / "javac", "--release", "8", "-Xlint:all", "-Werror", "-d", classes,
         *library)
    step(home / "bin" / "javac", "-Xlint:all", "-Werror", "-cp", classes, "-d", classes, HARNESS)

    def run(commands, library_dir=build / "native", extra_env=None):
        stdin = "".join("\t".join(map(str, c)) + "\n" for c in commands)
        r = subprocess.run([home / "bin" / "java", "-Xcheck:jni", "-Djava.awt.headless=true",
                            f"-Djava.library.path={library_dir}", "-cp", classes,
                            "dev.mote.hosttest.JniHarness"],
                           input=stdin, env=dict(env, **(extra_env or {})), capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, f"the JVM exited with {r.returncode}:\n{r.stdout}\n{r.stderr}"
        assert "WARNING" not in r.stdout + r.stderr, f"-Xcheck:jni warned:\n{r.stdout}{r.stderr}"
        out = {}
        for line in r.stdout.splitlines():
            key, _, text = line.partition(" ")
            out.setdefault(key, []).append(text)
        return out

    return SimpleNamespace(run=run, dir=build, jdk=home, runtime=build / "native" / "libmote.a")


# -- models and their inputs ---------------------------------------------------------------


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Shipped and zoo models, as files: float, int8 with float IO (the app's asset) and int8
    with int8 IO."""
    d = tmp_path_factory.mktemp("models")
    (x_train, _), _ = datasets.digits()
    mobilenet_int8_io = convert(str(ZOO / "mobilenet_style.npz"), quantize="int8",
                                representative_data=x_train[:200], io_dtype="int8")
    (d / "mobilenet_int8_io.tflite").write_bytes(mobilenet_int8_io)
    return {"example_cnn": EXAMPLE_CNN, "small_cnn_int8": ASSET_MODEL,
            "mobilenet_int8_io": d / "mobilenet_int8_io.tflite"}


def python_run(model: Path, inputs, resize=None, threads=1):
    it = Interpreter(model_path=str(model), num_threads=threads)
    if resize:
        it.resize_tensor_input(it.get_input_details()[resize[0]]["index"], resize[1])
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return it, [it.get_tensor(d["index"]) for d in it.get_output_details()]


def sample_inputs(model: Path, batch=None):
    """Per input: image-like values (digits k/16, k/255 ramps) and random ones, quantized for
    int8 inputs with the tensor's own parameters."""
    (_, _), (x_test, _) = datasets.digits()
    rng = np.random.default_rng(7)
    it = Interpreter(model_path=str(model))
    cases = []
    for kind in ("digit", "ramp", "random"):
        inputs = []
        for d in it.get_input_details():
            shape = list(d["shape"])
            if batch:
                shape[0] = batch
            n = int(np.prod(shape))
            if kind == "digit":
                real = np.resize(x_test[:max(shape[0], 1)], shape).astype(np.float32)
            elif kind == "ramp":
                real = (np.arange(n) % 256 / np.float32(255)).astype(np.float32).reshape(shape)
            else:
                real = rng.uniform(-1, 2, shape).astype(np.float32)
            if d["dtype"] == np.int8:
                scale, zero = d["quantization"]
                real = np.clip(np.round(real / scale) + zero, -128, 127).astype(np.int8)
            inputs.append(real.astype(d["dtype"]))
        cases.append(inputs)
    return cases


def java_run(jvm, cases, model, load="file", threads=1, io="buffer", resize=None):
    """Runs each case's inputs from Java; returns per case (tensor lines, outputs, arena)."""
    commands, dirs = [], []
    for k, inputs in enumerate(cases):
        d = Path(tempfile.mkdtemp(dir=jvm.dir))
        files = []
        for i, x in enumerate(inputs):
            (d / f"in_{i}.bin").write_bytes(np.ascontiguousarray(x).tobytes())
            files.append(d / f"in_{i}.bin")
        spec = "-" if resize is None else f"{resize[0]}:{','.join(map(str, resize[1]))}"
        commands.append([f"c{k}", "run", model, load, threads, io, spec, d, *files])
        dirs.append(d)
    out = jvm.run(commands)
    results = []
    for k, d in enumerate(dirs):
        lines = out.get(f"c{k}", [])
        assert lines and lines[-1].startswith("ok "), f"case {k}: {lines}"
        tensors = [line.split(" ", 9)[1:] for line in lines if line.startswith("tensor ")]
        n_outputs = sum(t[0] == "output" for t in tensors)
        outputs = [(d / f"out_{i}.bin").read_bytes() for i in range(n_outputs)]
        results.append((tensors, outputs, int(lines[-1].split()[1])))
    return results


def assert_same_as_python(it, py_outputs, tensors, java_outputs, java_arena):
    details = ([("input", i, d) for i, d in enumerate(it.get_input_details())] +
               [("output", i, d) for i, d in enumerate(it.get_output_details())])
    assert len(tensors) == len(details)
    for (what, i, d), t in zip(details, tensors):
        jwhat, ji, jtype, jshape, jbytes, jcount, jscale, jzero, jname = t
        assert (jwhat, int(ji)) == (what, i)
        assert NUMPY_TYPES[jtype] == d["dtype"], f"{what} {i}: {jtype} vs {d['dtype']}"
        assert jshape == "[" + ",".join(str(int(n)) for n in d["shape"]) + "]"
        itemsize = np.dtype(d["dtype"]).itemsize
        assert int(jbytes) == int(np.prod(d["shape"])) * itemsize
        assert int(jcount) == int(np.prod(d["shape"]))
        assert (np.float32(jscale), int(jzero)) == (np.float32(d["quantization"][0]),
                                                    d["quantization"][1])
        assert jname == d["name"]
    for i, (py, jbytes) in enumerate(zip(py_outputs, java_outputs)):
        java = np.frombuffer(jbytes, py.dtype).reshape(py.shape)
        if py.dtype == np.float32:
            np.testing.assert_array_equal(java, py, err_msg=f"output {i} (float, exact)")
        else:
            assert jbytes == py.tobytes(), f"output {i}: int8 bytes differ"
    assert java_arena == it.arena_bytes


@pytest.mark.parametrize("name", ["example_cnn", "small_cnn_int8", "mobilenet_int8_io"])
@pytest.mark.parametrize("load,io", [("file", "buffer"), ("heap", "array"),
                                     ("unaligned", "heapbuffer")])
def test_jni_runs_models_like_the_python_binding(jvm, models, name, load, io):
    model = models[name]
    cases = sample_inputs(model)
    for inputs, (tensors, outs, arena) in zip(cases, java_run(jvm, cases, model, load, io=io)):
        it, py = python_run(model, inputs)
        assert_same_as_python(it, py, tensors, outs, arena)


@pytest.mark.parametrize("name", ["example_cnn", "small_cnn_int8", "mobilenet_int8_io"])
def test_jni_outputs_match_litert(jvm, models, litert_available, name):
    """The same runs against an independent runtime: int8 models bit-exact with LiteRT's
    reference kernels, the float model within 1e-5."""
    model = models[name]
    cases = sample_inputs(model)
    int8 = name != "example_cnn"
    for inputs, (_, outs, _) in zip(cases, java_run(jvm, cases, model, io="array")):
        want = run_litert(model.read_bytes(), inputs, reference_kernels=int8)
        for i, (w, got) in enumerate(zip(want, outs)):
            java = np.frombuffer(got, w.dtype).reshape(w.shape)
            if int8:
                assert got == w.tobytes(), (f"{name} output {i}: "
                                            f"{np.count_nonzero(java != w)} elements differ")
            else:
                np.testing.assert_allclose(java, w, rtol=1e-5, atol=1e-5)


def test_jni_threads_give_the_same_bytes(jvm, models):
    model = models["mobilenet_int8_io"]
    cases = sample_inputs(model)
    for inputs, (tensors, outs, arena) in zip(cases, java_run(jvm, cases, model, threads=3)):
        it, py = python_run(model, inputs, threads=1)
        assert_same_as_python(it, py, tensors, outs, arena)


@pytest.mark.parametrize("io", ["buffer", "array", "autoresize"])
def test_jni_resize_input_to_a_batch(jvm, models, io):
    """resizeInput(0, [3, 8, 8, 1]), or (autoresize) a batch-3 input array, which re-plans the
    interpreter by itself as in LiteRT's Java API."""
    for name in ("example_cnn", "mobilenet_int8_io"):   # small_cnn's RESHAPE fixes the batch
        model = models[name]
        cases = sample_inputs(model, batch=3)
        results = java_run(jvm, cases, model, io=io, resize=(0, [3, 8, 8, 1]))
        for inputs, (tensors, outs, arena) in zip(cases, results):
            it, py = python_run(model, inputs, resize=(0, [3, 8, 8, 1]))
            assert py[0].shape[0] == 3
            assert_same_as_python(it, py, tensors, outs, arena)


def two_in_two_out() -> bytes:
    """x + y and x * y, float [2, 3]: runForMultipleInputsOutputs."""
    b = ModelBuilder()
    x = b.add_input("x", [2, 3], "float32")
    y = b.add_input("y", [2, 3], "float32")
    s = b.add_tensor("sum", [2, 3], "float32")
    p = b.add_tensor("product", [2, 3], "float32")
    b.add_operator("ADD", [x, y], [s], {"fused_activation_function": "NONE"})
    b.add_operator("MUL", [x, y], [p], {"fused_activation_function": "NONE"})
    b.mark_outputs(s, p)
    return b.build()


@pytest.mark.parametrize("io", ["buffer", "array"])
def test_jni_multiple_inputs_and_outputs(jvm, tmp_path, io):
    model = tmp_path / "two.tflite"
    model.write_bytes(two_in_two_out())
    x = np.array([[1.5, -2, 3], [0.25, 5, -6]], np.float32)
    y = np.array([[2, 0.5, -1], [4, 0.1, 7]], np.float32)
    [(tensors, outs, arena)] = java_run(jvm, [[x, y]], model, io=io)
    np.testing.assert_array_equal(np.frombuffer(outs[0], np.float32).reshape(2, 3), x + y)
    np.testing.assert_array_equal(np.frombuffer(outs[1], np.float32).reshape(2, 3), x * y)
    it, py = python_run(model, [x, y])
    assert_same_as_python(it, py, tensors, outs, arena)


def _make_assets():
    """android_demo/make_assets.py, which writes the app's assets."""
    sys.path.insert(0, str(DEMO))
    try:
        import make_assets
    finally:
        sys.path.remove(str(DEMO))
    return make_assets


def test_jni_demo_classifies_the_bundled_digit(jvm, tmp_path):
    """The activity's path (PNG pixels -> Digits.toModelInput -> run on the bundled model)
    gives the dataset's exact input, the Python binding's scores and the right label."""
    make_assets = _make_assets()
    x, label = make_assets.digit()
    out = jvm.run([["d", "digit", ASSET_MODEL, ASSET_DIGIT, tmp_path]])["d"]
    assert out[0].startswith(f"label {label} nanos "), out
    assert (tmp_path / "digit_input.bin").read_bytes() == x.astype(np.float32).tobytes()
    _, [scores] = python_run(ASSET_MODEL, [x])
    assert (tmp_path / "digit_scores.bin").read_bytes() == scores.tobytes()
    assert int(np.argmax(scores)) == label


def test_jni_demo_assets_are_current(tmp_path):
    """The bundled digit is what android_demo/make_assets.py writes today, and the bundled
    model computes what a fresh conversion computes. The model's bytes are not compared:
    calibration sums in float32 on the runtime's kernels, so the last bits of a scale can
    differ between CPUs; the int8 softmax output (scale 1/256) may then move by a step."""
    make_assets = _make_assets()
    hint = "regenerate with python android_demo/make_assets.py"
    assert ASSET_DIGIT.read_bytes() == make_assets.digit_png(), hint
    from mote.models import datasets
    _, (x_test, y_test) = datasets.digits()
    fresh_model = tmp_path / "fresh.tflite"
    fresh_model.write_bytes(make_assets.model_bytes())

    def scores(model):
        it = Interpreter(model_path=str(model))
        it.allocate_tensors()
        [inp], [out] = it.get_input_details(), it.get_output_details()
        rows = []
        for x in x_test:
            it.set_tensor(inp["index"], x[None])
            it.invoke()
            rows.append(it.get_tensor(out["index"]).copy())
        return np.concatenate(rows)

    bundled, fresh = scores(ASSET_MODEL), scores(fresh_model)
    assert np.abs(bundled - fresh).max() <= 2 / 256, hint
    assert np.mean(bundled.argmax(1) == fresh.argmax(1)) >= 0.99, hint


# -- errors ----------------------------------------------------------------------------------


def python_create_error(model: bytes):
    """(Java exception class, message) the runtime gives for these bytes, via the binding;
    None when they load."""
    try:
        Interpreter(model_content=model)
    except errors.MoteRuntimeError as e:
        return ISE, str(e)
    except errors.MoteError as e:
        return IAE, str(e)
    return None


def corrupt_models() -> dict:
    good = ASSET_MODEL.read_bytes()
    rng = np.random.default_rng(3)
    cases = {"empty": b"", "eight_bytes": good[:8], "garbage": bytes(range(256)) * 4}
    for n in (16, 100, len(good) // 2, len(good) - 1):
        cases[f"truncated_{n}"] = good[:n]
    for k in range(12):
        data = bytearray(good)
        for at in rng.integers(0, len(good), 4):
            data[at] ^= int(rng.integers(1, 256))
        cases[f"flipped_{k}"] = bytes(data)
    # A root table offset past the end of the file.
    data = bytearray(good)
    data[0:4] = (0x7FFFFFF0).to_bytes(4, "little")
    cases["root_offset_past_end"] = bytes(data)
    return cases


def test_jni_corrupt_models_throw_the_runtime_message(jvm, tmp_path):
    cases = corrupt_models()
    commands = []
    for name, data in cases.items():
        (tmp_path / f"{name}.tflite").write_bytes(data)
        commands.append([name, "create", tmp_path / f"{name}.tflite"])
    out = jvm.run(commands)
    for name, data in cases.items():
        expected = python_create_error(data)
        got = out[name]
        if expected is None:   # some flipped bytes leave a model that still loads
            assert name.startswith("flipped_"), f"{name} should be refused"
            assert got == ["ok"], f"{name}: Python loads it, Java gave {got}"
            continue
        assert got == [f"error {expected[0]} {expected[1]}"], f"{name}: {got} vs {expected}"
    assert out["empty"] == [f"error {IAE} model is 0 bytes; a TFLite flatbuffer has at least 8"]


def test_jni_missing_file(jvm, tmp_path):
    out = jvm.run([["m", "create", tmp_path / "missing.tflite"]])["m"]
    assert out[0].startswith(f"error {IAE} could not read the model file "), out
    assert "missing.tflite" in out[0]


def runtime_set_input_message(model: Path, nbytes: int) -> str:
    """What the runtime's mote_set_input says for an input of nbytes, called through the
    Python binding's C library."""
    it = Interpreter(model_path=str(model))
    data = ffi.new("uint8_t[]", max(nbytes, 1))
    assert lib.mote_set_input(it._it, 0, data, nbytes) == lib.MOTE_ERROR_INVALID_ARGUMENT
    return ffi.string(lib.mote_error_message(it._it)).decode()


@pytest.mark.parametrize("nbytes", [0, 252, 260])
def test_jni_wrong_input_size_throws_the_runtime_message(jvm, nbytes):
    expected = runtime_set_input_message(EXAMPLE_CNN, nbytes)
    assert f"holds 256 bytes, got {nbytes}" in expected
    out = jvm.run([["w", "input-bytes", EXAMPLE_CNN, nbytes]])["w"]
    assert out == [f"error {IAE} {expected}"]


def python_resize_error(model: Path, dims) -> str:
    it = Interpreter(model_path=str(model))
    it.resize_tensor_input(it.get_input_details()[0]["index"], dims)
    with pytest.raises(errors.MoteError) as e:
        it.allocate_tensors()
    return str(e.value)


def test_jni_bad_calls_throw_illegal_argument(jvm):
    calls = ["flat-input", "int-input", "output-shape", "short-output-buffer", "jagged-input",
             "input-index", "output-index", "two-inputs", "resize-zero", "input-name"]
    out = jvm.run([[c, "call", EXAMPLE_CNN, c] for c in calls])
    for c in calls:
        assert len(out[c]) == 1 and out[c][0].startswith(f"error {IAE} "), f"{c}: {out[c]}"
    message = {c: out[c][0][len(f"error {IAE} "):] for c in calls}
    # The runtime refuses a shape change of rank or to a zero dim, with its own message.
    assert message["flat-input"] == python_resize_error(EXAMPLE_CNN, [64])
    assert message["resize-zero"] == python_resize_error(EXAMPLE_CNN, [0, 8, 8, 1])
    assert message["int-input"] == ("input 0 'image' [1, 8, 8, 1] FLOAT32: expected float "
                                    "arrays, got int arrays")
    assert message["output-shape"] == ("output 0 'probabilities' [1, 10] FLOAT32 cannot be copied "
                                       "into a Java array of shape [10]")
    assert message["short-output-buffer"] == ("output 0 'probabilities' [1, 10] FLOAT32 holds 40 "
                                              "bytes, the ByteBuffer has 39 remaining")
    assert "not rectangular" in message["jagged-input"]
    assert message["input-index"] == "input 1 out of range [0, 1)"
    assert message["output-index"] == "output 3 out of range [0, 1)"
    assert message["two-inputs"] == "the model has 1 input(s), got 2"
    assert message["input-name"] == ("no input named 'no such input'; the inputs are 'image'")


def test_jni_close_twice_and_use_after_close(jvm):
    out = jvm.run([["l", "lifecycle", EXAMPLE_CNN]])["l"]
    assert out[0] == "closed twice"
    assert out[1:] == [f"use after close: {ISE} the Interpreter was closed"] * 5


def test_jni_bridge_under_asan(jvm, models, tmp_path):
    """The bridge rebuilt with AddressSanitizer + UBSan (the runtime's own sanitizer runs are in
    test_c_runtime.py) and loaded into the JVM with libasan preloaded: every error path above and
    a run of each model print the same as with the plain build, and no sanitizer reports."""
    libasan = subprocess.run(["cc", "-print-file-name=libasan.so"], capture_output=True,
                             text=True).stdout.strip()
    if not os.path.isabs(libasan):
        missing_tool("libasan.so for the C compiler (gcc's libasan)")
    jdk_include = jvm.jdk / "include"
    r = subprocess.run(["cc", "-std=c99", "-g", "-O1", "-shared", "-fPIC",
                        "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                        "-fno-omit-frame-pointer", f"-I{ROOT / 'runtime_c' / 'include'}",
                        f"-I{jdk_include}", f"-I{jdk_include / 'linux'}", APP / "cpp" / "mote_jni.c",
                        jvm.runtime, "-lm", "-pthread", "-o", tmp_path / "libmote_jni.so"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    commands = []
    for name, data in corrupt_models().items():
        (corrupt / f"{name}.tflite").write_bytes(data)
        commands.append([name, "create", corrupt / f"{name}.tflite"])
    commands += [[f"bytes{n}", "input-bytes", EXAMPLE_CNN, n] for n in (0, 252, 260)]
    commands += [[c, "call", EXAMPLE_CNN, c] for c in ("flat-input", "int-input", "resize-zero",
                                                       "short-output-buffer")]
    commands.append(["close", "lifecycle", EXAMPLE_CNN])

    def with_runs(out_dir):
        runs = []
        for name, model in models.items():
            inputs = sample_inputs(model)[2]
            files = []
            for i, x in enumerate(inputs):
                files.append(out_dir / f"{name}_in_{i}.bin")
                files[-1].write_bytes(x.tobytes())
            d = out_dir / name
            d.mkdir()
            runs.append([f"run_{name}", "run", model, "unaligned", 2, "array", "-", d, *files])
        return commands + runs

    (tmp_path / "plain").mkdir()
    (tmp_path / "asan").mkdir()
    plain = jvm.run(with_runs(tmp_path / "plain"))
    sanitized = jvm.run(with_runs(tmp_path / "asan"), library_dir=tmp_path,
                        extra_env={"LD_PRELOAD": libasan,
                                   "ASAN_OPTIONS": "detect_leaks=0:handle_segv=0"})
    assert sanitized == plain
    for name in models:
        assert [l for l in plain[f"run_{name}"] if l.startswith("ok")], plain[f"run_{name}"]
        assert ((tmp_path / "asan" / name / "out_0.bin").read_bytes() ==
                (tmp_path / "plain" / name / "out_0.bin").read_bytes())
