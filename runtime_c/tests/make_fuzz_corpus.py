"""Writes the seed corpus of the libFuzzer target (runtime_c/tests/fuzz_model.c):
one-op models of every op the runtime runs (float32, int8 and hybrid, from the
seeded generators in tests/op_cases.py and tests/op_cases_int8.py) and the
zoo's .tflite files, each followed by input bytes and the 8-byte trailer the
target reads its choices from (see fuzz_model.c).

    python runtime_c/tests/make_fuzz_corpus.py OUT_DIR [--per-op N]

Needs numpy and the converter (the repository on sys.path); not LiteRT.
"""
from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from op_cases import FLOAT_OPS, float_cases  # noqa: E402
from op_cases_int8 import HYBRID_OPS, INT8_OPS, int8_cases  # noqa: E402

# Float values that break careless casts and comparisons.
SPECIALS = np.array([np.nan, np.inf, -np.inf, 3e38, -3e38, 1e-45, -0.0, 2.5e9], np.float32)


def trailer(flags, arena_mode, delta, probes, msg_size_index, quant_capacity, in_bytes):
    return struct.pack("<BBHBBH", flags, arena_mode, delta, probes | msg_size_index << 4,
                       quant_capacity, in_bytes)


def seed(model: bytes, inputs, rng, special=False) -> bytes:
    parts = []
    for x in inputs:
        x = np.ascontiguousarray(x)
        if special and x.dtype == np.float32:
            x = SPECIALS[np.arange(x.size) % len(SPECIALS)].reshape(x.shape)
        parts.append(x.tobytes())
    data = b"".join(parts)[:65535]
    # The third interpreter: a bigger arena (required + delta or + 16 delta),
    # misaligned, maybe with the other PRESERVE_ALL_TENSORS setting.
    arena_mode = int(rng.choice([0, 3])) | int(rng.integers(0, 2)) << 2 | int(rng.integers(0, 16)) << 4
    return model + data + trailer(int(rng.integers(0, 2)), arena_mode, int(rng.integers(16, 64)), 7,
                                  int(rng.integers(0, 16)), int(rng.integers(0, 5)), len(data))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--per-op", type=int, default=3, help="models per op and type (default 3)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    count = 0

    def write(name, data):
        nonlocal count
        (args.out / name).write_bytes(data)
        count += 1

    suites = [(FLOAT_OPS, lambda op, n: float_cases(op, n, seed=7), ""),
              (INT8_OPS, lambda op, n: int8_cases(op, n, seed=7), ""),
              (HYBRID_OPS, lambda op, n: int8_cases(op, n, seed=7, table=HYBRID_OPS), "hybrid_")]
    for ops, cases, prefix in suites:
        for op in sorted(ops):
            for name, model, inputs in cases(op, args.per_op):
                write(f"{prefix}{name}", seed(model, inputs, rng))
                write(f"{prefix}{name}_special", seed(model, inputs, rng, special=True))
    for path in sorted((ROOT / "models" / "zoo").glob("*.tflite")):
        model = path.read_bytes()
        write(path.stem, model + trailer(0, 0, 0, 7, 13, 4, 0))
        write(path.stem + "_preserve", model + trailer(1, 4, 100, 0, 0, 0, 0))
    print(f"{count} seeds in {args.out}")


if __name__ == "__main__":
    main()
