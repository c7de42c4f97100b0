"""Writes the seed corpus of the libFuzzer target (runtime_c/tests/fuzz_model.c):
one-op models of every op the runtime runs (float32, int8 and hybrid, from the
generators in tests/op_cases.py and tests/op_cases_int8.py; some with a
SignatureDef), models with several subgraphs (WHILE, IF, CALL_ONCE and
TensorFlow's LSTM forms, tests/control_flow_models.py) and the zoo's .tflite
files, each followed by input bytes (also
NaN, infinities, huge values) and the 16-byte trailer the target reads its
choices from (see fuzz_model.c): flags, arena sizes, new input shapes.

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

from mote.converter.tflite.builder import ModelBuilder  # noqa: E402
from control_flow_models import cases as control_flow_cases  # noqa: E402
from op_cases import FLOAT_OPS  # noqa: E402
from op_cases_int8 import HYBRID_OPS, INT8_OPS, INT8_OPS_OWN_ORACLE  # noqa: E402

# Float values that break careless casts and comparisons.
SPECIALS = np.array([np.nan, np.inf, -np.inf, 3e38, -3e38, 1e-45, -0.0, 2.5e9], np.float32)


def trailer(flags, arena_mode, delta, probes, msg_size_index, quant_capacity, in_bytes,
            shape_mode=0, shape_bytes=bytes(7)):
    return struct.pack("<BBHBBHB7s", flags, arena_mode, delta, probes | msg_size_index << 4,
                       quant_capacity, in_bytes, shape_mode, shape_bytes)


def shape_choice(rng):
    """Plain mote_create for half the seeds; otherwise new input shapes: the
    batch (dim 0) or a few dims set to small sizes, or one raw shape."""
    r = rng.random()
    if r < 0.5:
        return 0, bytes(7)
    dims = bytes(int(v) for v in rng.integers(0, 4, size=6)) + bytes([0x41])
    if r < 0.75:
        return 1 | 1 << 2, dims             # batch only
    if r < 0.95:
        return 1 | int(rng.integers(1, 64)) << 2, dims
    return 2, bytes(int(v) for v in rng.integers(0, 256, size=7))


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
    # Bit 3 flips MOTE_PORTABLE_KERNELS (flags bit 1) for the third.
    arena_mode = (int(rng.choice([0, 3])) | int(rng.integers(0, 4)) << 2 |
                  int(rng.integers(0, 16)) << 4)
    probes = 7 | int(rng.integers(0, 2)) << 3    # bit 3: the third runs through a parallel-for
    return model + data + trailer(int(rng.integers(0, 4)), arena_mode, int(rng.integers(16, 64)),
                                  probes,
                                  int(rng.integers(0, 16)), int(rng.integers(0, 5)), len(data),
                                  *shape_choice(rng))


def extra_models():
    """Paths the generators do not take: per-channel int8 DEQUANTIZE of
    weights, PAD with int64 paddings, RESIZE with both corner options (refused,
    as by TFLite), and the zoo's LSTM (variable tensors) converted from its
    trained graph."""
    rng = np.random.default_rng(11)
    b = ModelBuilder()
    units, depth = 3, 4
    x = b.add_input("x", [2, depth], "float32")
    wq = b.add_constant("w_q", rng.integers(-127, 128, (units, depth)).astype(np.int8),
                        quantization={"scale": np.array([0.1, 0.02, 0.5], np.float32),
                                      "zero_point": np.zeros(units, np.int64),
                                      "quantized_dimension": 0})
    w = b.add_tensor("w", [units, depth], "float32")
    b.add_operator("DEQUANTIZE", [wq], [w], version=2)
    y = b.add_tensor("y", [2, units], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [y])
    b.mark_outputs(y)
    yield "dequantize_per_channel", b.build(), [rng.standard_normal((2, depth)).astype(np.float32)]

    b = ModelBuilder()
    x = b.add_input("x", [1, 3, 2], "float32")
    pads = b.add_constant("pads", np.array([[0, 1], [2, 0], [1, 1]], np.int64))
    y = b.add_tensor("y", [2, 5, 4], "float32")
    b.add_operator("PAD", [x, pads], [y])
    b.mark_outputs(y)
    yield "pad_int64", b.build(), [rng.standard_normal((1, 3, 2)).astype(np.float32)]

    b = ModelBuilder()
    x = b.add_input("x", [1, 2, 2, 1], "float32")
    y = b.add_tensor("y", [1, 3, 3, 1], "float32")
    b.add_operator("RESIZE_BILINEAR", [x, b.add_constant("size", np.array([3, 3], np.int32))],
                   [y], {"align_corners": True, "half_pixel_centers": True}, version=3)
    b.mark_outputs(y)
    yield "resize_both_corners", b.build(), [rng.standard_normal((1, 2, 2, 1)).astype(np.float32)]
    from mote.converter.convert import convert
    yield "zoo_lstm", convert(str(ROOT / "models" / "zoo" / "lstm.npz")), \
        [rng.random((1, 8, 8, 1)).astype(np.float32)]


def cases(table, op, count, seed_):
    """Like op_cases.float_cases / op_cases_int8.int8_cases, and the first model
    of each op also carries a SignatureDef naming its inputs and outputs."""
    for i in range(count):
        rng = np.random.default_rng([seed_, i, sum(map(ord, op))])
        b = ModelBuilder()
        inputs = table[op](b, rng)
        if i == 0:
            b.add_signature("serving_default",
                            {b.tensors[t]["name"]: t for t in b.inputs},
                            {b.tensors[t]["name"]: t for t in b.outputs})
        yield f"{op.lower()}_{i}", b.build(), inputs


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

    suites = [(FLOAT_OPS, ""), ({**INT8_OPS, **INT8_OPS_OWN_ORACLE}, "int8_"),
              (HYBRID_OPS, "hybrid_")]
    for table, prefix in suites:
        for op in sorted(table):
            for name, model, inputs in cases(table, op, args.per_op, 7):
                write(f"{prefix}{name}", seed(model, inputs, rng))
                write(f"{prefix}{name}_special", seed(model, inputs, rng, special=True))
    for name, model, inputs in extra_models():
        write(name, seed(model, inputs, rng))
    for name, model, inputs, _ in control_flow_cases():
        write(name, seed(model, inputs, rng))
    for path in sorted((ROOT / "models" / "zoo").glob("*.tflite")):
        model = path.read_bytes()
        write(path.stem, model + trailer(0, 0, 0, 7, 13, 4, 0))
        write(path.stem + "_preserve", model + trailer(1, 4, 100, 0, 0, 0, 0))
        write(path.stem + "_batch3", model + trailer(0, 0, 32, 7, 0, 1, 0, 1 | 1 << 2,
                                                     bytes([2, 0, 0, 0, 0, 0, 0])))
    print(f"{count} seeds in {args.out}")


if __name__ == "__main__":
    main()
