"""Interpreter(num_threads=N): the same bytes for every thread count.

Each op's compute function runs over ranges of its output, split across the
optional pthread pool; the C tests also split every op's work unevenly and in
reverse order (runtime_c/tests/test_runtime.c). Here whole models large
enough to be split run with 1, 2 and 3 threads; the pool itself runs with a
yield at random between its atomic steps, natively, under ThreadSanitizer and
under qemu for aarch64 and armv7 (runtime_c/tests/pool_interleavings.c).
"""
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import need

from mote.converter import convert
from mote.converter.tflite.builder import ModelBuilder
from mote.models.zoo.train import HERE as ZOO
from mote.runtime import Interpreter

ROOT = Path(__file__).resolve().parents[1]


def run(model, x, threads):
    it = Interpreter(model_content=model, num_threads=threads)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def mobile_block(seed: int) -> bytes:
    """conv 3x3 s2 -> depthwise 3x3 -> conv 1x1 -> ADD -> mean -> FC (float)."""
    rng = np.random.default_rng(seed)
    b = ModelBuilder()

    def const(name, *shape):
        return b.add_constant(name, (rng.standard_normal(shape) * 0.2).astype(np.float32))

    x = b.add_input("x", [2, 48, 48, 3], "float32")
    c1 = b.add_tensor("c1", [2, 24, 24, 32], "float32")
    b.add_operator("CONV_2D", [x, const("w1", 32, 3, 3, 3), const("b1", 32)], [c1],
                   {"padding": "SAME", "stride_w": 2, "stride_h": 2,
                    "fused_activation_function": "RELU6"})
    d1 = b.add_tensor("d1", [2, 24, 24, 32], "float32")
    b.add_operator("DEPTHWISE_CONV_2D", [c1, const("w2", 1, 3, 3, 32), const("b2", 32)], [d1],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1, "depth_multiplier": 1})
    p1 = b.add_tensor("p1", [2, 24, 24, 32], "float32")
    b.add_operator("CONV_2D", [d1, const("w3", 32, 1, 1, 32), const("b3", 32)], [p1],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1})
    r = b.add_tensor("r", [2, 24, 24, 32], "float32")
    b.add_operator("ADD", [p1, c1], [r])
    m = b.add_tensor("m", [2, 32], "float32")
    b.add_operator("MEAN", [r, b.add_constant("axes", np.array([1, 2], np.int32))], [m])
    y = b.add_tensor("y", [2, 10], "float32")
    b.add_operator("FULLY_CONNECTED", [m, const("fw", 10, 32), const("fb", 10)], [y])
    b.mark_outputs(y)
    return b.build()


def data_ops_block() -> bytes:
    """The ops that move, pool, reduce or map data (float), each on enough elements
    that MOTE_PARALLEL_MIN_WORK lets the pool split it: PAD -> MAX_POOL 3x3 ->
    AVERAGE_POOL 2x2 s2 -> RESIZE_BILINEAR x2 -> RELU, RELU6, HARD_SWISH ->
    CONCATENATION, then TRANSPOSE -> RESIZE_NEAREST_NEIGHBOR -> RESHAPE -> SOFTMAX and
    LOGISTIC -> TANH -> MEAN over H, W. Int8 conversion adds QUANTIZE and DEQUANTIZE
    at the float input and outputs."""
    b = ModelBuilder()
    n, h, w, c = 2, 48, 48, 16

    def op(name, inputs, shape, options=None, version=1):
        t = b.add_tensor(f"t{len(b.tensors)}", shape, "float32")
        b.add_operator(name, inputs, [t], options, version)
        return t

    x = b.add_input("x", [n, h, w, c], "float32")
    padded = op("PAD", [x, b.add_constant("pads", np.array([[0, 0], [1, 1], [1, 1], [0, 0]],
                                                          np.int32))], [n, h + 2, w + 2, c])
    pool = {"padding": "VALID", "fused_activation_function": "NONE"}
    mx = op("MAX_POOL_2D", [padded], [n, h, w, c],
            dict(pool, stride_w=1, stride_h=1, filter_width=3, filter_height=3))
    avg = op("AVERAGE_POOL_2D", [mx], [n, h // 2, w // 2, c],
             dict(pool, stride_w=2, stride_h=2, filter_width=2, filter_height=2))
    up = op("RESIZE_BILINEAR", [avg, b.add_constant("size", np.array([h, w], np.int32))],
            [n, h, w, c], {"half_pixel_centers": True}, version=3)
    acts = [op(name, [up], [n, h, w, c]) for name in ("RELU", "RELU6", "HARD_SWISH")]
    cat = op("CONCATENATION", acts, [n, h, w, 3 * c], {"axis": 3})
    tr = op("TRANSPOSE", [cat, b.add_constant("perm", np.array([0, 2, 1, 3], np.int32))],
            [n, w, h, 3 * c])
    near = op("RESIZE_NEAREST_NEIGHBOR", [tr, b.add_constant("size2", np.array([h // 2, w],
                                                                              np.int32))],
              [n, h // 2, w, 3 * c], version=3)
    rows = op("RESHAPE", [near, b.add_constant("shape", np.array([-1, 3 * c], np.int32))],
              [n * h // 2 * w, 3 * c])
    soft = op("SOFTMAX", [rows], [n * h // 2 * w, 3 * c], {"beta": 1.0})
    squashed = op("TANH", [op("LOGISTIC", [cat], [n, h, w, 3 * c])], [n, h, w, 3 * c])
    avg_hw = op("MEAN", [squashed, b.add_constant("axes", np.array([1, 2], np.int32))],
                [n, 3 * c])
    b.mark_outputs(soft, avg_hw)
    return b.build()


DATA_OPS = {"PAD", "MAX_POOL_2D", "AVERAGE_POOL_2D", "RESIZE_BILINEAR", "RELU", "RELU6", "LOGISTIC",
            "TANH", "HARD_SWISH", "CONCATENATION", "TRANSPOSE", "RESIZE_NEAREST_NEIGHBOR",
            "RESHAPE", "SOFTMAX", "MEAN"}


@pytest.mark.parametrize("block", [mobile_block, data_ops_block])
@pytest.mark.parametrize("int8", [False, True], ids=["float32", "int8"])
def test_thread_counts_give_the_same_bytes(int8, block):
    model = block(0) if block is mobile_block else block()
    shape = Interpreter(model_content=model).get_input_details()[0]["shape"]
    rng = np.random.default_rng(1)
    x = (rng.integers(0, 256, shape) / 255.0).astype(np.float32)
    if int8:
        model = convert(model, "int8", np.concatenate([x, x[:1]]), io_dtype="float32")
    if block is data_ops_block:
        ops = {op["name"] for op in Interpreter(model_content=model).ops()}
        threaded = DATA_OPS | ({"QUANTIZE", "DEQUANTIZE"} if int8 else set())
        assert threaded <= ops, f"the model lacks {sorted(threaded - ops)}"
    want = run(model, x, 1)
    for threads in (2, 3):
        got = run(model, x, threads)
        for g, w in zip(got, want):
            assert np.array_equal(g, w), f"{threads} threads change the output"


def test_zoo_model_with_threads():
    float_model = convert(str(ZOO / "mobilenet_style.npz"))
    x = np.random.default_rng(2).uniform(0, 1, (1, 8, 8, 1)).astype(np.float32)
    assert np.array_equal(run(float_model, x, 2)[0], run(float_model, x, 1)[0])


def test_bad_thread_count_is_refused():
    with pytest.raises(ValueError, match="num_threads"):
        Interpreter(model_content=mobile_block(0), num_threads=0)


@pytest.mark.parametrize("build", ["native", "tsan", "aarch64", "armv7"])
def test_pool_runs_every_item_once_in_any_interleaving(build, tmp_path):
    """Before the fix a worker still claiming from one job could read the next
    job's item count and claim that job's items under the old job's number:
    items ran twice and the next job ended early (first seen in CI under
    qemu-aarch64; here within a few hundred jobs)."""
    tools, settings = {
        "native": (["cc"], ["CC=cc"]),
        "tsan": (["clang"], ["CC=clang", "OPT=-O1 -g", "EXTRA_CFLAGS=-fsanitize=thread",
                             "EXTRA_LDFLAGS=-fsanitize=thread"]),
        "aarch64": (["aarch64-linux-gnu-gcc", "qemu-aarch64"],
                    ["CC=aarch64-linux-gnu-gcc", "EXTRA_LDFLAGS=-static",
                     "RUNNER=qemu-aarch64 -cpu max"]),
        "armv7": (["arm-linux-gnueabihf-gcc", "qemu-arm"],
                  ["CC=arm-linux-gnueabihf-gcc", "EXTRA_LDFLAGS=-static", "RUNNER=qemu-arm"]),
    }[build]
    need(*tools, "make")
    r = subprocess.run(["make", "-C", str(ROOT / "runtime_c"), "pool-interleavings",
                        f"BUILD={tmp_path}", *settings], capture_output=True, text=True,
                       timeout=600)
    out = (r.stdout + r.stderr)[-4000:]
    assert r.returncode == 0 and "every item once" in r.stdout, out
    assert "ThreadSanitizer" not in out, out
