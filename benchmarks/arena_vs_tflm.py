"""Arena bytes: Mote against TensorFlow Lite Micro on the same int8 digits
zoo models, on this (64-bit) host.

    pip install tflite-micro      (a benchmark-only dependency)
    python benchmarks/arena_vs_tflm.py

The models are the zoo's small_cnn and mobilenet_style as
`mote convert NAME.npz --quantize int8 --calibration digits` writes them.
Mote: mote_arena_required() with the portable kernels (what a
microcontroller build runs: weights used in place, nothing repacked), with
and without MOTE_REUSE_INPUT_MEMORY. TFLite Micro: the total its
RecordingMicroAllocator reports after one invoke (PrintAllocations, read in
a child process because it prints from C++).

This is a benchmark, not a test: pytest does not collect it.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mote.converter import convert                                     # noqa: E402
from mote.models import datasets                                      # noqa: E402
from mote.runtime.interpreter import Interpreter, OpResolverType      # noqa: E402

TFLM_CHILD = """
import sys
import numpy as np
from tflite_micro.python.tflite_micro import runtime
it = runtime.Interpreter.from_bytes(open(sys.argv[1], "rb").read())
d = it.get_input_details(0)
it.set_input(np.zeros(d["shape"], d["dtype"]), 0)
it.invoke()
it.print_allocations()
"""


def tflm_arena(path: Path) -> int:
    r = subprocess.run([sys.executable, "-c", TFLM_CHILD, str(path)], capture_output=True,
                       text=True, timeout=300)
    m = re.search(r"Arena allocation total (\d+) bytes", r.stdout + r.stderr)
    if r.returncode != 0 or not m:
        raise SystemExit(f"TFLite Micro did not run {path.name}: {(r.stdout + r.stderr)[-500:]}")
    return int(m.group(1))


def mote_arena(model: bytes, reuse_input_memory: bool) -> int:
    return Interpreter(model_content=model, reuse_input_memory=reuse_input_memory,
                       experimental_op_resolver_type=OpResolverType.BUILTIN_REF).arena_bytes


def main() -> int:
    (x_train, _), _ = datasets.digits()
    print("| int8 digits model | Mote | Mote, inputs' memory reused | TFLite Micro |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("small_cnn", "mobilenet_style"):
            model = convert(str(ROOT / "models" / "zoo" / f"{name}.npz"), quantize="int8",
                            representative_data=x_train[:200])
            path = Path(tmp) / f"{name}_int8.tflite"
            path.write_bytes(model)
            print(f"| `{name}` | {mote_arena(model, False):,} B | {mote_arena(model, True):,} B "
                  f"| {tflm_arena(path):,} B |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
