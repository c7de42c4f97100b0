"""Bit-exactness where rounding ties live: inputs users actually have.

Random floats almost never land on a rounding tie; image pixels (k/255,
k/127.5 - 1) and exhaustive int8 inputs land on them constantly. Each test
runs the same file on Mote and on LiteRT's reference kernels (the oracle) and
asks for byte-equal outputs.
"""
import numpy as np
import pytest

from conftest import assert_bit_exact
from mote.converter.tflite.builder import ModelBuilder
from op_cases_int8 import act_q

IMAGE_01 = (np.arange(256) / 255.0).astype(np.float32)            # pixels in [0, 1]
IMAGE_PM1 = (np.arange(256) / 127.5 - 1.0).astype(np.float32)     # pixels in [-1, 1]


def q(scale, zp):
    return {"scale": [float(scale)], "zero_point": [int(zp)]}


def quantize_model(in_type, in_q, out_q, n):
    b = ModelBuilder()
    x = b.add_input("x", [n], in_type, in_q)
    y = b.add_tensor("y", [n], "int8", out_q)
    b.add_operator("QUANTIZE", [x], [y])
    b.mark_outputs(y)
    return b.build()


def image_scales():
    """The input quantizations a converter gives image inputs: [0, 1] and
    [-1, 1] ranges, computed as (max - min) / 255 in float32, plus a spread."""
    yield np.float32(1 / 255), -128
    yield np.float32(2 / 255), 0
    yield np.float32(1 / 255.0), -128
    yield np.float32(2.0) / np.float32(255.0), -1
    yield np.float32(0.0039215665), -128
    yield np.float32(0.0078431377), 0
    rng = np.random.default_rng(1)
    for _ in range(30):
        yield np.float32(rng.uniform(0.5, 2.5) / 255), int(rng.integers(-128, 128))


def test_quantize_image_pixels(litert_available):
    """QUANTIZE float -> int8 on every 8-bit pixel value, both usual ranges."""
    x = np.concatenate([IMAGE_01, IMAGE_PM1, -IMAGE_01])
    for scale, zp in image_scales():
        assert_bit_exact(quantize_model("float32", None, q(scale, zp), x.size), [x],
                         f"QUANTIZE scale {scale!r} zero point {zp}")


def test_quantize_exact_ties(litert_available):
    """Values whose float32 quotient x / scale is exactly k + 0.5, and their
    float32 neighbours on either side."""
    rng = np.random.default_rng(2)
    for _ in range(20):
        scale = np.float32(10 ** rng.uniform(-3, 0))
        k = np.arange(-140, 140, dtype=np.float32) + np.float32(0.5)
        tie = (k * scale).astype(np.float32)
        x = np.concatenate([tie, np.nextafter(tie, np.float32(np.inf)),
                            np.nextafter(tie, np.float32(-np.inf))]).astype(np.float32)
        zp = int(rng.integers(-20, 20))
        assert_bit_exact(quantize_model("float32", None, q(scale, zp), x.size), [x],
                         f"QUANTIZE ties, scale {scale!r}")


def test_quantize_out_of_range_and_non_finite(litert_available):
    x = np.array([1e10, -1e10, np.inf, -np.inf, np.nan, 2.1e7, 2.2e7, -2.2e7, 3e7, 300, -300],
                 np.float32)
    for zp in (-5, 0, 5):
        assert_bit_exact(quantize_model("float32", None, q(0.01, zp), x.size), [x],
                         f"QUANTIZE out of range, zero point {zp}")


ALL_INT8 = np.arange(-128, 128, dtype=np.int8)
PAIR_A, PAIR_B = (g.ravel().astype(np.int8) for g in np.meshgrid(ALL_INT8, ALL_INT8, indexing="ij"))


def binary_model(op, qa, qb, qo, n, act="NONE"):
    b = ModelBuilder()
    x = b.add_input("a", [n], "int8", qa)
    z = b.add_input("b", [n], "int8", qb)
    y = b.add_tensor("y", [n], "int8", qo)
    b.add_operator(op, [x, z], [y], {"fused_activation_function": act}, version=2)
    b.mark_outputs(y)
    return b.build()


def test_add_reported_tie(litert_available):
    """The ADD from MediaPipe's hand_landmark_full converted to int8: the real
    result sits 8e-7 from a .5 tie."""
    model = binary_model("ADD", q(0.07542994618415833, 14), q(0.10397686809301376, 8),
                         q(0.11118505150079727, 18), PAIR_A.size)
    assert_bit_exact(model, [PAIR_A, PAIR_B], "ADD, hand_landmark parameters")


@pytest.mark.parametrize("op", ["ADD", "SUB", "MUL"])
def test_binary_every_input_pair(op, litert_available):
    """All 65,536 input pairs under seeded random quantization parameters."""
    for i in range(12):
        rng = np.random.default_rng([i, sum(map(ord, op))])
        qa, qb = act_q(rng, -2, 0), act_q(rng, -2, 0)
        if op == "MUL":
            lo = np.log10(qa["scale"][0] * qb["scale"][0] * 128)
            qo = act_q(rng, lo - 1, lo + 0.5)
        else:
            lo = np.log10(max(qa["scale"][0], qb["scale"][0]))
            qo = act_q(rng, lo - 0.5, lo + 1)
        act = ["NONE", "RELU", "RELU6"][i % 3]
        assert_bit_exact(binary_model(op, qa, qb, qo, PAIR_A.size, act), [PAIR_A, PAIR_B],
                         f"{op} case {i} ({qa}, {qb} -> {qo}, {act})")


def unary_model(op, qi, qo, out_type="int8", options=None, version=1):
    b = ModelBuilder()
    x = b.add_input("x", [256], "int8", qi)
    y = b.add_tensor("y", [256], out_type, qo)
    b.add_operator(op, [x], [y], options, version=version)
    b.mark_outputs(y)
    return b.build()


@pytest.mark.parametrize("op", ["RELU", "RELU6", "QUANTIZE", "DEQUANTIZE", "LOGISTIC", "TANH",
                                "HARD_SWISH", "LEAKY_RELU"])
def test_unary_every_input(op, litert_available):
    """All 256 int8 inputs under seeded random quantization parameters."""
    for i in range(40):
        rng = np.random.default_rng([i, sum(map(ord, op)), 1])
        qi = act_q(rng, -2.5, -0.5)
        fixed = {"LOGISTIC": q(1 / 256, -128), "TANH": q(1 / 128, 0), "DEQUANTIZE": None}
        qo = fixed[op] if op in fixed else act_q(rng, np.log10(qi["scale"][0]) - 1,
                                                  np.log10(qi["scale"][0]) + 1)
        options = {"alpha": float(rng.uniform(0, 0.5))} if op == "LEAKY_RELU" else None
        model = unary_model(op, qi, qo, "float32" if op == "DEQUANTIZE" else "int8", options,
                            version=1 if op in ("QUANTIZE", "HARD_SWISH") else 2)
        assert_bit_exact(model, [ALL_INT8], f"{op} case {i} ({qi} -> {qo})")


def test_prelu_every_input(litert_available):
    """All 256 int8 inputs against 32 alphas spanning int8, under seeded
    random quantization: the multipliers TFLite forms in float32
    (s_x / s_out and s_x s_alpha / s_out) and both rescales."""
    x = np.tile(ALL_INT8.reshape(1, 1, 256, 1), (1, 1, 1, 32))
    for i in range(30):
        rng = np.random.default_rng([i, 7])
        qi, qa = act_q(rng, -2.5, -0.5), act_q(rng, -3, -1)
        qo = act_q(rng, np.log10(qi["scale"][0]) - 1, np.log10(qi["scale"][0]) + 0.5)
        b = ModelBuilder()
        xt = b.add_input("x", list(x.shape), "int8", qi)
        alpha = b.add_constant("alpha", np.linspace(-128, 127, 32).astype(np.int8), quantization=qa)
        y = b.add_tensor("y", list(x.shape), "int8", qo)
        b.add_operator("PRELU", [xt, alpha], [y])
        b.mark_outputs(y)
        assert_bit_exact(b.build(), [x], f"PRELU case {i} ({qi}, alpha {qa} -> {qo})")


def _pow2(scale):
    return float(2.0 ** np.round(np.log2(scale)))


@pytest.fixture
def power_of_two_scales(monkeypatch):
    """Every scale a power of two: each rescale factor of a model is then an
    exact power of two and half of all results land exactly on a .5 tie,
    where single and double rounding (and ties-up and ties-away) part."""
    import op_cases_int8 as cases
    act_q, weights_q, out_scale_for = cases.act_q, cases.weights_q, cases.out_scale_for

    def pow2_act_q(rng, lo=-3.0, hi=0.5):
        qp = act_q(rng, lo, hi)
        return {"scale": [_pow2(qp["scale"][0])], "zero_point": qp["zero_point"]}

    def pow2_weights_q(rng, channels, axis, per_channel):
        qp = weights_q(rng, channels, axis, per_channel)
        qp["scale"] = np.array([_pow2(s) for s in qp["scale"]], np.float32)
        return qp

    monkeypatch.setattr(cases, "act_q", pow2_act_q)
    monkeypatch.setattr(cases, "weights_q", pow2_weights_q)
    monkeypatch.setattr(cases, "out_scale_for", lambda *a: _pow2(out_scale_for(*a)))
    return cases


@pytest.mark.parametrize("op", sorted([
    "FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "SUB", "MUL", "AVERAGE_POOL_2D",
    "MEAN", "RELU", "RELU6", "LOGISTIC", "TANH", "SOFTMAX", "QUANTIZE", "DEQUANTIZE",
    "RESIZE_BILINEAR", "HARD_SWISH", "PRELU", "TRANSPOSE_CONV", "LEAKY_RELU", "BATCH_MATMUL"]))
def test_every_int8_op_with_power_of_two_scales(op, power_of_two_scales, litert_available):
    for name, model, inputs in power_of_two_scales.int8_cases(op, 200, seed=5):
        assert_bit_exact(model, inputs, name)
