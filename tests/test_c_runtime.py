"""The C tests (runtime_c/tests/test_runtime.c) over LiteRT-checked cases:
natively, under AddressSanitizer + UBSan, under valgrind, and cross-compiled
for aarch64 and 32-bit armv7 Linux under qemu-user; and libFuzzer on the
whole C API, seeded with one-op models of every op. Outside CI a missing
toolchain skips its test; in CI (CI=true) it fails, since .ci/run installs
them."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import need, run_litert
from control_flow_models import cases as control_flow_cases
from op_cases import FLOAT_OPS, float_cases
from op_cases_int8 import HYBRID_OPS, INT8_OPS, int8_cases
from op_cases_int16 import INT16_OPS, int16_cases, large_cases

ROOT = Path(__file__).resolve().parents[1]
CASES_PER_OP = 5
FLOAT_TOLERANCE = 1e-5   # as in test_ops_float.py


@pytest.fixture(scope="session")
def case_dir(tmp_path_factory, litert_available):
    d = tmp_path_factory.mktemp("c_cases")
    lines = []
    suites = [(FLOAT_OPS, float_cases, FLOAT_TOLERANCE, False),
              (INT8_OPS, int8_cases, 0, True),   # int8: byte-exact with the reference kernels
              (INT16_OPS, int16_cases, 0, True)]   # 16x8 likewise

    def add(name, model, inputs, tolerance, reference):
        (d / f"{name}.tflite").write_bytes(model)
        for i, x in enumerate(inputs):
            (d / f"{name}.in{i}.bin").write_bytes(np.ascontiguousarray(x).tobytes())
        for i, y in enumerate(run_litert(model, inputs, reference_kernels=reference)):
            (d / f"{name}.out{i}.bin").write_bytes(np.ascontiguousarray(y).tobytes())
        lines.append(f"{name} {tolerance}")
    for ops, cases, tolerance, reference in suites:
        for op in sorted(ops):
            for name, model, inputs in cases(op, CASES_PER_OP, seed=1):
                add(name, model, inputs, tolerance, reference)
    # 16x8 shapes that take the fast kernels' every way (tests/op_cases_int16.py: LARGE_*)
    for name, model, inputs in large_cases(seed=1):
        add(name, model, inputs, 0, True)
    # hybrid ops (int8 weights, float activations): float results within the
    # float tolerance of LiteRT's float model with the weights dequantized
    from test_ops_int8 import dequantized_float_model
    for op in sorted(HYBRID_OPS):
        for name, model, inputs in int8_cases(op, CASES_PER_OP, seed=1, table=HYBRID_OPS):
            name = f"hybrid_{name}"
            (d / f"{name}.tflite").write_bytes(model)
            (d / f"{name}.in0.bin").write_bytes(np.ascontiguousarray(inputs[0]).tobytes())
            (want,) = run_litert(dequantized_float_model(model), inputs)
            (d / f"{name}.out0.bin").write_bytes(np.ascontiguousarray(want).tobytes())
            lines.append(f"{name} {FLOAT_TOLERANCE}")
    # WHILE / IF / CALL_ONCE models and TensorFlow's LSTM forms (tests/control_flow_models.py)
    for name, model, inputs, int8 in control_flow_cases():
        add(name, model, inputs, 0 if int8 else FLOAT_TOLERANCE, int8)
    (d / "cases.txt").write_text("\n".join(lines) + "\n")
    return d


def make(target, case_dir):
    r = subprocess.run(["make", "-C", str(ROOT / "runtime_c"), target, f"CASES={case_dir}"],
                       capture_output=True, text=True, timeout=1200)
    tail = (r.stdout + r.stderr)[-6000:]
    assert r.returncode == 0, f"make {target} failed:\n{tail}"
    assert " 0 failed" in r.stdout, tail
    return r.stdout


def test_c_native(case_dir):
    need("cc", "make")
    out = make("test", case_dir)
    count = CASES_PER_OP * (len(FLOAT_OPS) + len(INT8_OPS) + len(INT16_OPS) + len(HYBRID_OPS)) + \
        len(list(control_flow_cases())) + len(list(large_cases()))
    assert f"{count} cases" in out


def test_c_sanitizers(case_dir):
    need("cc", "make")
    make("sanitize", case_dir)


def test_c_thread_sanitizer(case_dir):
    """A data race reported makes the run exit 66 (ThreadSanitizer's default),
    which fails make."""
    need("clang", "make")
    make("tsan", case_dir)


def test_c_aarch64_qemu(case_dir):
    """Twice: on a CPU with the dot-product extension (qemu's `max`), where the
    SDOT int8 GEMM is chosen at run time, and on a Cortex-A53 (no SDOT), where
    the NEON smlal one runs in its place; both byte-equal to LiteRT and `_ref`."""
    need("aarch64-linux-gnu-gcc", "qemu-aarch64", "make")
    out = make("cross-aarch64", case_dir)
    runs = [line.split()[2:] for line in out.splitlines() if line.startswith("kernels chosen:")]
    assert len(runs) == 2, out[-3000:]
    with_dot, without_dot = runs
    for op in ("conv2d_s8", "fully_connected_s8"):
        assert f"{op}_4x16_neondot" in with_dot, f"SDOT {op} not chosen on -cpu max: {with_dot}"
        assert f"{op}_4x16_neondot" not in without_dot, f"SDOT {op} chosen on a Cortex-A53"
        assert f"{op}_4x8_neon" in without_dot, f"no NEON {op} on a Cortex-A53: {without_dot}"
    for kernel in ("conv2d_s16_4x8_neon", "fully_connected_s16_4x8_neon",
                   "depthwise_conv2d_s16_neon",   # 16x8, chosen on every NEON CPU
                   "transpose_conv_f32_4x8_neon", "transpose_conv_f32_4x1_neon",
                   "conv2d_f32_4x1_neon"):   # float: out_c > 4, and at most 4
        assert kernel in with_dot and kernel in without_dot, f"{kernel} not chosen: {runs}"
    assert out.count(" 0 failed") == 2, out[-3000:]


def test_c_armv7_qemu(case_dir):
    need("arm-linux-gnueabihf-gcc", "qemu-arm", "make")
    make("cross-armv7", case_dir)


def test_c_armv7_dsp_qemu(case_dir):
    """armv7 without NEON: the int8 CONV_2D and FULLY_CONNECTED cases run the
    `_dsp` kernels of Cortex-M4/M7/M33 (SMLAD; the same C as on the
    microcontroller), byte-equal to LiteRT and `_ref`. (The random int8
    DEPTHWISE_CONV_2D cases here have no channel count that is a multiple of
    4; test_cortex_m checks that variant on the M4F.)"""
    need("arm-linux-gnueabihf-gcc", "qemu-arm", "make")
    out = make("cross-armv7-dsp", case_dir)
    runs = [line.split()[2:] for line in out.splitlines() if line.startswith("kernels chosen:")]
    assert len(runs) == 1, out[-3000:]
    for kernel in ("conv2d_s8_dsp", "fully_connected_s8_dsp"):
        assert kernel in runs[0], f"{kernel} not chosen: {runs[0]}"


def test_c_valgrind(case_dir):
    need("valgrind", "cc", "make")
    make("valgrind", case_dir)


def test_c_fuzz_model_loader():
    """libFuzzer on the whole C API (runtime_c/tests/fuzz_model.c) for 30 s, seeded with
    one-op models of every op (runtime_c/tests/make_fuzz_corpus.py); the long campaign
    is `make -C runtime_c fuzz-campaign RUNS=...`."""
    need("clang", "make")
    r = subprocess.run(["make", "-C", str(ROOT / "runtime_c"), "fuzz", "FUZZ_SECONDS=30",
                        f"PYTHON={sys.executable}"], capture_output=True, text=True, timeout=600)
    tail = (r.stdout + r.stderr)[-4000:]
    assert r.returncode == 0 and "stat::number_of_executed_units" in tail, tail


def three_op_model(with_add: bool) -> bytes:
    """conv -> fully connected -> softmax (float32), optionally with an ADD."""
    from mote.converter.tflite.builder import ModelBuilder
    rng = np.random.default_rng(3)
    b = ModelBuilder()
    x = b.add_input("x", [1, 4, 4, 2], "float32")
    c = b.add_tensor("c", [1, 4, 4, 3], "float32")
    b.add_operator("CONV_2D", [x, b.add_constant("w", rng.standard_normal((3, 3, 3, 2)).astype(
        np.float32)), -1], [c], {"padding": "SAME", "stride_w": 1, "stride_h": 1})
    if with_add:
        a = b.add_tensor("a", [1, 4, 4, 3], "float32")
        b.add_operator("ADD", [c, c], [a])
        c = a
    f = b.add_tensor("f", [1, 5], "float32")
    b.add_operator("FULLY_CONNECTED", [c, b.add_constant("fw", rng.standard_normal((5, 48)).astype(
        np.float32)), -1], [f])
    y = b.add_tensor("y", [1, 5], "float32")
    b.add_operator("SOFTMAX", [f], [y], {"beta": 1.0})
    b.mark_outputs(y)
    return b.build()


def test_build_with_only_the_ops_a_model_uses(tmp_path):
    """make op-subset: a library listing CONV_2D, FULLY_CONNECTED and SOFTMAX runs a
    model of those ops (on 1 or 2 threads), refuses one with an ADD by name, and is much
    smaller."""
    need("cc", "make", "size")
    r = subprocess.run(["make", "-C", str(ROOT / "runtime_c"), "op-subset"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    sizes = {line.split()[-1]: int(line.split()[0]) for line in r.stdout.splitlines()
             if line.strip().endswith("run_model") and line.split()[0].isdigit()}
    subset, full = sizes["build/subset/run_model"], sizes["build/all-ops/run_model"]
    assert subset < 0.7 * full, sizes
    runner = ROOT / "runtime_c/build/subset/run_model"
    for with_add in (False, True):
        path = tmp_path / f"model_{with_add}.tflite"
        path.write_bytes(three_op_model(with_add))
        out = subprocess.run([str(runner), str(path)], capture_output=True, text=True).stdout
        if with_add:
            assert out.startswith("MOTE_ERROR_UNSUPPORTED") and "(ADD v1)" in out, out
        else:
            assert out.startswith("ok "), out
            threaded = subprocess.run([str(runner), str(path), "--threads", "2"],
                                      capture_output=True, text=True).stdout
            assert threaded == out, (threaded, out)


FUZZ_TRAILER = 16   # runtime_c/tests/fuzz_model.c: [model | input bytes | trailer]


@pytest.mark.parametrize("path", sorted((ROOT / "runtime_c/tests/fuzz_regressions").iterdir()),
                         ids=lambda p: p.name)
def test_fuzz_regression_in_python(path):
    """Each input that once found a bug in the C runtime (the model part of it) is
    refused with a message through the Python bindings, or runs."""
    from mote import runtime as pyruntime
    data = path.read_bytes()
    size = len(data) - FUZZ_TRAILER
    in_bytes = int.from_bytes(data[size + 6:size + 8], "little") if size >= 0 else 0
    model = data[:max(0, size - in_bytes)] if size >= 0 else data
    try:
        it = pyruntime.Interpreter(model_content=model)
        it.allocate_tensors()
        it.invoke()
    except pyruntime.MoteError as e:
        assert str(e)
