"""Small cases whose expected outputs were computed by hand."""
import numpy as np

from mote.converter.tflite.builder import ModelBuilder
from conftest import run_mote


def one_op(op, x, out_shape, consts=(), options=None, version=1):
    b = ModelBuilder()
    xi = b.add_input("x", x.shape, x.dtype)
    ins = [xi] + [b.add_constant(f"c{i}", c) for i, c in enumerate(consts)]
    y = b.add_tensor("y", out_shape, "float32")
    b.add_operator(op, ins, [y], options, version)
    b.mark_outputs(y)
    return run_mote(b.build(), [x])[0]


def test_conv_valid_with_bias():
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    got = one_op("CONV_2D", x, [1, 2, 2, 1], [np.ones((1, 2, 2, 1), np.float32),
                                              np.array([1], np.float32)],
                 {"padding": "VALID", "stride_w": 1, "stride_h": 1})
    # each output is the sum of a 2x2 block plus 1: 1+2+4+5+1 = 13, ...
    np.testing.assert_array_equal(got.ravel(), [13, 17, 25, 29])


def test_conv_same_padding_counts_neighbours():
    x = np.ones((1, 3, 3, 1), np.float32)
    got = one_op("CONV_2D", x, [1, 3, 3, 1], [np.ones((1, 3, 3, 1), np.float32),
                                              np.zeros(1, np.float32)],
                 {"padding": "SAME", "stride_w": 1, "stride_h": 1})
    np.testing.assert_array_equal(got.reshape(3, 3), [[4, 6, 4], [6, 9, 6], [4, 6, 4]])


def test_depthwise_multiplier_orders_channels():
    x = np.array([2, 3], np.float32).reshape(1, 1, 1, 2)
    w = np.array([1, 10, 100, 1000], np.float32).reshape(1, 1, 1, 4)
    got = one_op("DEPTHWISE_CONV_2D", x, [1, 1, 1, 4], [w, np.zeros(4, np.float32)],
                 {"padding": "VALID", "stride_w": 1, "stride_h": 1, "depth_multiplier": 2})
    # output channel o reads input channel o // 2
    np.testing.assert_array_equal(got.ravel(), [2, 20, 300, 3000])


def test_average_pool_same_ignores_padding():
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    got = one_op("AVERAGE_POOL_2D", x, [1, 2, 2, 1], options={
        "padding": "SAME", "stride_w": 2, "stride_h": 2, "filter_width": 2, "filter_height": 2})
    # windows {1,2,4,5}, {3,6}, {7,8}, {9}
    np.testing.assert_array_equal(got.ravel(), [3, 4.5, 7.5, 9])


def test_max_pool_relu6():
    x = np.array([-5, 7, 1, 2], np.float32).reshape(1, 2, 2, 1)
    got = one_op("MAX_POOL_2D", x, [1, 1, 1, 1], options={
        "padding": "VALID", "stride_w": 1, "stride_h": 1, "filter_width": 2, "filter_height": 2,
        "fused_activation_function": "RELU6"})
    np.testing.assert_array_equal(got.ravel(), [6])


def test_softmax_of_log_three():
    x = np.array([[0, np.log(3)]], np.float32)
    got = one_op("SOFTMAX", x, [1, 2], options={"beta": 1.0})
    np.testing.assert_allclose(got.ravel(), [0.25, 0.75], rtol=1e-6)


def test_mean_over_rows():
    x = np.array([[1, 2], [3, 5]], np.float32)
    got = one_op("MEAN", x, [2], [np.array([1], np.int32)])
    np.testing.assert_array_equal(got, [1.5, 4])


def test_pad_before_and_after():
    x = np.array([1, 2], np.float32)
    got = one_op("PAD", x, [5], [np.array([[1, 2]], np.int32)])
    np.testing.assert_array_equal(got, [0, 1, 2, 0, 0])


def test_add_broadcasts_row_over_matrix():
    b = ModelBuilder()
    a = b.add_input("a", [2, 3], "float32")
    c = b.add_constant("row", np.array([10, 20, 30], np.float32))
    y = b.add_tensor("y", [2, 3], "float32")
    b.add_operator("ADD", [a, c], [y])
    b.mark_outputs(y)
    got = run_mote(b.build(), [np.array([[1, 2, 3], [4, 5, 6]], np.float32)])[0]
    np.testing.assert_array_equal(got, [[11, 22, 33], [14, 25, 36]])


def test_float16_dequantize_is_exact():
    # 2^-24 is the smallest float16 subnormal; 65504 the largest finite value.
    values = np.array([0.5, -2.0, 65504.0, 2.0 ** -24, -0.0], np.float16)
    b = ModelBuilder()
    x = b.add_input("x", [5], "float32")
    w = b.add_constant("w16", values)
    wf = b.add_tensor("w", [5], "float32")
    b.add_operator("DEQUANTIZE", [w], [wf])
    y = b.add_tensor("y", [5], "float32")
    b.add_operator("ADD", [x, wf], [y])
    b.mark_outputs(y)
    got = run_mote(b.build(), [np.zeros(5, np.float32)])[0]
    np.testing.assert_array_equal(got, [0.5, -2.0, 65504.0, 2.0 ** -24, 0.0])
