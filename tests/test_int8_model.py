"""A small int8 CNN end to end, and files with bad quantization parameters."""
import numpy as np
import pytest

from mote import runtime as pyruntime
from conftest import run_litert, run_mote
from mote.converter.tflite.builder import ModelBuilder


def q(scale, zp=0):
    return {"scale": [scale], "zero_point": [zp]}


def small_cnn(seed: int) -> bytes:
    """conv -> depthwise -> residual add -> max pool -> mean -> fully connected
    -> softmax, int8 throughout, float in and out through QUANTIZE and
    DEQUANTIZE, with seeded random weights and quantization."""
    rng = np.random.default_rng(seed)
    b = ModelBuilder()

    def wq(n, axis):
        return {"scale": (10 ** rng.uniform(-2.5, -1.5, n)).astype(np.float32),
                "zero_point": np.zeros(n, np.int64), "quantized_dimension": axis}

    def bias(name, in_scale, w, n):
        scales = (np.float32(in_scale) * w["scale"]).astype(np.float32)
        return b.add_constant(name, rng.integers(-500, 500, n).astype(np.int32),
                              quantization={"scale": scales, "zero_point": np.zeros(n, np.int64)})

    s_in, s1, s2, s3 = 0.02, 0.05, 0.05, 0.06
    x = b.add_input("image", [1, 8, 8, 1], "float32")
    xq = b.add_tensor("image_q", [1, 8, 8, 1], "int8", q(s_in, -10))
    b.add_operator("QUANTIZE", [x], [xq])
    w1 = wq(8, 0)
    c1 = b.add_tensor("conv1", [1, 8, 8, 8], "int8", q(s1, -128))
    b.add_operator("CONV_2D", [xq, b.add_constant("w1", rng.integers(-127, 128, (8, 3, 3, 1)).astype(np.int8), quantization=w1),
                               bias("b1", s_in, w1, 8)], [c1],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1, "fused_activation_function": "RELU6"}, version=3)
    w2 = wq(8, 3)
    d1 = b.add_tensor("dw", [1, 8, 8, 8], "int8", q(s2, -128))
    b.add_operator("DEPTHWISE_CONV_2D", [c1, b.add_constant("w2", rng.integers(-127, 128, (1, 3, 3, 8)).astype(np.int8), quantization=w2),
                                         bias("b2", s1, w2, 8)], [d1],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1, "depth_multiplier": 1,
                    "fused_activation_function": "RELU6"}, version=3)
    r = b.add_tensor("residual", [1, 8, 8, 8], "int8", q(s3, -100))
    b.add_operator("ADD", [c1, d1], [r], version=2)
    p = b.add_tensor("pool", [1, 4, 4, 8], "int8", q(s3, -100))
    b.add_operator("MAX_POOL_2D", [r], [p], {"padding": "VALID", "stride_w": 2, "stride_h": 2,
                                             "filter_width": 2, "filter_height": 2}, version=2)
    g = b.add_tensor("mean", [1, 8], "int8", q(0.03, -90))
    b.add_operator("MEAN", [p, b.add_constant("axes", np.array([1, 2], np.int32))], [g], version=2)
    w3 = wq(10, 0)
    logits = b.add_tensor("logits", [1, 10], "int8", q(0.1, 3))
    b.add_operator("FULLY_CONNECTED", [g, b.add_constant("w3", rng.integers(-127, 128, (10, 8)).astype(np.int8), quantization=w3),
                                       bias("b3", 0.03, w3, 10)], [logits], version=4)
    probs = b.add_tensor("probs_q", [1, 10], "int8", q(1 / 256, -128))
    b.add_operator("SOFTMAX", [logits], [probs], {"beta": 1.0}, version=2)
    out = b.add_tensor("probs", [1, 10], "float32")
    b.add_operator("DEQUANTIZE", [probs], [out], version=2)
    b.mark_outputs(out)
    return b.build()


def test_int8_cnn_bit_exact_with_litert_reference(litert_available):
    for seed in range(10):
        model = small_cnn(seed)
        for k in range(10):
            x = np.random.default_rng([seed, k]).uniform(-2.5, 2.5, (1, 8, 8, 1)).astype(np.float32)
            want = run_litert(model, [x], reference_kernels=True)[0]
            got = run_mote(model, [x])[0]
            np.testing.assert_array_equal(got, want, err_msg=f"seed {seed} input {k}")


def one_fc(in_q=None, w_q=None, out_q=None, bias_scale=None):
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "int8", in_q or q(0.1, 0))
    wq = w_q or {"scale": [0.01, 0.02], "zero_point": [0, 0], "quantized_dimension": 0}
    w = b.add_constant("w", np.ones((2, 4), np.int8), quantization=wq)
    bs = bias_scale if bias_scale is not None else np.float32(0.1) * np.asarray(wq["scale"], np.float32)
    bias = b.add_constant("bias", np.zeros(2, np.int32),
                          quantization={"scale": bs, "zero_point": [0] * len(bs)})
    y = b.add_tensor("y", [1, 2], "int8", out_q or q(0.5, 0))
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y], version=4)
    b.mark_outputs(y)
    return b.build()


@pytest.mark.parametrize("model, message", [
    (one_fc(in_q=q(0.0, 0)), "input 'x': scale 0 must be finite and > 0"),
    (one_fc(in_q=q(-0.1, 0)), "scale -0.1 must be finite and > 0"),
    (one_fc(in_q=q(float("nan"), 0)), "must be finite and > 0"),
    (one_fc(out_q=q(0.5, 200)), "output 'y': zero point 200 must be one value in [-128, 127]"),
    (one_fc(w_q={"scale": [0.01, 0.02, 0.03], "zero_point": [0, 0, 0], "quantized_dimension": 0}),
     "weights 'w': 3 scales, expected 1 or 2"),
    (one_fc(w_q={"scale": [0.01, 0.02], "zero_point": [0, 0], "quantized_dimension": 1}),
     "per-channel scales along dim 1, expected dim 0"),
    (one_fc(w_q={"scale": [0.01, 0.02], "zero_point": [0, 5], "quantized_dimension": 0}),
     "zero_point[1] = 5, but int8 weights are symmetric"),
    (one_fc(bias_scale=np.array([0.001, 0.5], np.float32)), "bias 'bias': scale[1] = 0.5, expected input scale x weight scale = 0.002"),
])
def test_bad_quantization_parameters(model, message):
    with pytest.raises(pyruntime.InvalidModelError) as e:
        pyruntime.Interpreter(model_content=model)
    assert message in str(e.value) and "op 0 (FULLY_CONNECTED v4)" in str(e.value)


@pytest.mark.parametrize("op, out_q, message", [
    ("SOFTMAX", q(1 / 128, -128), "must have scale 0.00390625 and zero point -128"),
    ("LOGISTIC", q(1 / 256, 0), "must have scale 0.00390625 and zero point -128"),
    ("TANH", q(1 / 256, 0), "must have scale 0.0078125 and zero point 0"),
])
def test_fixed_output_parameters(op, out_q, message):
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "int8", q(0.1, 0))
    y = b.add_tensor("y", [1, 4], "int8", out_q)
    b.add_operator(op, [x], [y], {"beta": 1.0} if op == "SOFTMAX" else None)
    b.mark_outputs(y)
    with pytest.raises(pyruntime.InvalidModelError, match=message):
        pyruntime.Interpreter(model_content=b.build())
