"""The C benchmark tool runtime_c/tools/mote_bench.c, built for this machine
and by the aarch64 and armv7 cross compilers (run under qemu-user): it runs
(not timed here) and its outputs on its fixed inputs equal the Python
binding's: int8 byte for byte, float32 within the SIMD kernels' tolerance.
Outside CI a missing toolchain skips its test; in CI it fails."""
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import need
from mote.runtime.interpreter import Interpreter
from test_cortex_m import MODELS, firmware_inputs

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "runtime_c"
FLOAT_TOLERANCE = 1e-5   # SIMD against portable float kernels, as in test_ops_float.py

TARGETS = {
    "native": ("bench", "build/host/mote_bench", [], ["cc"]),
    "aarch64_qemu": ("bench-aarch64", "build/aarch64/mote_bench", ["qemu-aarch64"],
                     ["aarch64-linux-gnu-gcc", "qemu-aarch64"]),
    "armv7_qemu": ("bench-armv7", "build/armv7/mote_bench", ["qemu-arm"],
                   ["arm-linux-gnueabihf-gcc", "qemu-arm"]),
}




@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench_models")
    paths = {}
    for name in ("small_cnn int8", "example_cnn float32"):
        paths[name] = folder / (name.replace(" ", "_") + ".tflite")
        paths[name].write_bytes(MODELS[name]())
    return paths


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_mote_bench(target, models):
    make_target, binary, runner, tools = TARGETS[target]
    need(*tools, "make")
    r = subprocess.run(["make", "-C", str(RUNTIME), make_target], capture_output=True, text=True,
                       timeout=1200)
    assert r.returncode == 0, f"make {make_target} failed:\n{(r.stdout + r.stderr)[-4000:]}"
    for name, path in models.items():
        r = subprocess.run([*runner, str(RUNTIME / binary), str(path), "--runs", "3"],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"{target} {name}: {r.stdout}{r.stderr}"
        assert re.search(r"^arena \d+ bytes$", r.stdout, flags=re.M), r.stdout
        assert re.search(r"^invoke [0-9.]+ ms \(mean of 3\)", r.stdout, flags=re.M), r.stdout
        it = Interpreter(model_path=str(path))
        it.allocate_tensors()
        for d, x in zip(it.get_input_details(), firmware_inputs(it)):
            it.set_tensor(d["index"], x)
        it.invoke()
        found = dict(re.findall(r"^output (\d+) ([0-9a-f]*)$", r.stdout, flags=re.M))
        for i, d in enumerate(it.get_output_details()):
            want = it.get_tensor(d["index"])
            got = np.frombuffer(bytes.fromhex(found[str(i)]), want.dtype).reshape(want.shape)
            if want.dtype == np.float32:
                np.testing.assert_allclose(got, want, rtol=0,
                                           atol=FLOAT_TOLERANCE * max(1, np.abs(want).max()))
            else:
                assert got.tobytes() == want.tobytes(), f"{target} {name} output {i} differs"


def test_mote_bench_usage_errors():
    need("cc", "make")
    r = subprocess.run(["make", "-C", str(RUNTIME), "bench"], capture_output=True, text=True,
                       timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    tool = str(RUNTIME / "build" / "host" / "mote_bench")
    for args, code, text in [([], 2, "no model given"), (["m.tflite", "--runs", "0"], 2,
                                                         "whole number"),
                             (["/nonexistent.tflite"], 2, "cannot read"),
                             ([__file__], 1, "not a TFLite model")]:
        r = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == code and text in r.stderr, (args, r.returncode, r.stderr)
