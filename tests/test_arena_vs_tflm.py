"""Arena bytes for the int8 digits zoo models: Mote's (portable kernels, as a
microcontroller build runs them, with MOTE_REUSE_INPUT_MEMORY, which plans
the inputs as TensorFlow Lite Micro does) must not exceed TensorFlow Lite
Micro's on the same file.

TensorFlow Lite Micro's figures are checked two ways: against the numbers
measured once (below), always; and live, when the `tflite-micro` wheel is
installed (a benchmark-only dependency; the test skips, saying so, without it).
"""
import importlib.util
from pathlib import Path

import pytest

from mote.converter import convert
from mote.models import datasets
from mote.runtime.interpreter import Interpreter, OpResolverType

ROOT = Path(__file__).resolve().parents[1]

# TensorFlow Lite Micro's arena for each model, measured on x86-64 with the
# tflite-micro wheel 0.dev20261023182759 by `python benchmarks/arena_vs_tflm.py`:
# the "Arena allocation total" its RecordingMicroAllocator prints after one
# invoke (PrintAllocations), for the file `mote convert models/zoo/NAME.npz
# --quantize int8 --calibration digits` writes.
TFLM_ARENA_BYTES = {"small_cnn": 3728, "mobilenet_style": 13008}


def load_benchmark():
    spec = importlib.util.spec_from_file_location("arena_vs_tflm",
                                                  ROOT / "benchmarks" / "arena_vs_tflm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def digits_models():
    (x_train, _), _ = datasets.digits()
    return {name: convert(str(ROOT / "models" / "zoo" / f"{name}.npz"), quantize="int8",
                          representative_data=x_train[:200])
            for name in TFLM_ARENA_BYTES}


def mote_arena(model: bytes) -> int:
    return Interpreter(model_content=model, reuse_input_memory=True,
                       experimental_op_resolver_type=OpResolverType.BUILTIN_REF).arena_bytes


@pytest.mark.parametrize("name", sorted(TFLM_ARENA_BYTES))
def test_arena_at_most_tflite_micros_measured(name, digits_models):
    got = mote_arena(digits_models[name])
    assert got <= TFLM_ARENA_BYTES[name], (
        f"{name}: Mote needs {got} arena bytes, TensorFlow Lite Micro {TFLM_ARENA_BYTES[name]}")


@pytest.mark.parametrize("name", sorted(TFLM_ARENA_BYTES))
def test_arena_at_most_tflite_micros_live(name, digits_models, tmp_path):
    if importlib.util.find_spec("tflite_micro") is None:
        pytest.skip("the tflite-micro wheel is not installed (pip install tflite-micro)")
    path = tmp_path / f"{name}_int8.tflite"
    path.write_bytes(digits_models[name])
    tflm = load_benchmark().tflm_arena(path)
    got = mote_arena(digits_models[name])
    assert got <= tflm, f"{name}: Mote needs {got} arena bytes, TensorFlow Lite Micro {tflm}"
