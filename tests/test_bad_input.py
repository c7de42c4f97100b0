"""Bad models and bad calls: clear errors, never a crash."""
import struct

import numpy as np
import pytest

from mote import runtime as pyruntime
from mote.converter.tflite import flatbuf
from mote.converter.tflite.builder import ModelBuilder
from mote.runtime import Interpreter
from conftest import run_mote
from op_cases import sparse_weights_model


def small_model():
    b = ModelBuilder()
    x = b.add_input("x", [1, 4, 4, 2], "float32")
    f = b.add_constant("filter", np.ones((3, 2, 2, 2), np.float32))
    bias = b.add_constant("bias", np.zeros(3, np.float32))
    y = b.add_tensor("y", [1, 3, 3, 3], "float32")
    b.add_operator("CONV_2D", [x, f, bias], [y], {"padding": "VALID", "stride_w": 1,
                                                  "stride_h": 1})
    z = b.add_tensor("z", [1, 27], "float32")
    b.add_operator("RESHAPE", [y], [z], {"new_shape": [1, 27]})
    b.mark_outputs(z)
    return b


def error_of(model: bytes) -> pyruntime.MoteError:
    with pytest.raises(pyruntime.MoteError) as e:
        Interpreter(model_content=model)
    assert str(e.value), "errors must carry a message"
    return e.value


def test_every_truncation_is_refused():
    data = small_model().build()
    for n in range(len(data)):
        err = error_of(data[:n])
        assert isinstance(err, ValueError) and isinstance(err, pyruntime.InvalidModelError), n


def test_flipped_bytes_error_or_run():
    data = small_model().build()
    for pos in range(len(data)):
        corrupt = bytearray(data)
        corrupt[pos] ^= 0xFF
        try:
            it = Interpreter(model_content=bytes(corrupt))
        except pyruntime.MoteError:
            continue
        it.allocate_tensors()
        it.invoke()   # whatever was accepted must run


def test_not_a_tflite_file():
    assert "not a TFLite model" in str(error_of(b"hello, this is not a model at all"))


def test_root_offset_out_of_range():
    data = bytearray(small_model().build())
    data[0:4] = struct.pack("<I", len(data) + 100)
    assert "root table offset" in str(error_of(bytes(data)))


def test_element_count_overflow():
    b = small_model()
    b.add_tensor("huge", [2 ** 31 - 1] * 4, "float32")
    assert "more bytes than this machine can address" in str(error_of(b.build()))


def test_buffer_shorter_than_tensor():
    b = small_model()
    b.buffers[1]["data"] = b.buffers[1]["data"][:8]
    msg = str(error_of(b.build()))
    assert "'filter'" in msg and "needs 96 bytes" in msg and "holds 8" in msg


def test_tensor_index_out_of_range():
    b = small_model()
    b.operators[0]["inputs"] = np.array([0, 1, 99], np.int32)
    msg = str(error_of(b.build()))
    assert "99" in msg and "expected a tensor index" in msg


def test_unknown_op_names_op_version_and_types():
    b = ModelBuilder()
    x = b.add_input("x", [1, 2, 2, 1], "float32")
    axis = b.add_constant("axis", np.array([1], np.int32))
    y = b.add_tensor("y", [1, 2, 2, 1], "float32")
    b.add_operator("REVERSE_V2", [x, axis], [y], version=3)
    b.mark_outputs(y)
    err = error_of(b.build())
    assert isinstance(err, pyruntime.UnsupportedError)
    assert "REVERSE_V2 v3" in str(err) and "FLOAT32, INT32 -> FLOAT32" in str(err)


def test_custom_op_is_named():
    m = small_model().model_dict()
    m["operator_codes"][0] = {"builtin_code": 32, "deprecated_builtin_code": 32,
                              "custom_code": "MyFancyOp"}
    err = error_of(flatbuf.encode(m))
    assert isinstance(err, pyruntime.UnsupportedError) and "MyFancyOp" in str(err)


def test_unsupported_type_lists_types():
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "int16")
    w = b.add_constant("w", np.ones((2, 4), np.int16))
    y = b.add_tensor("y", [1, 2], "int16")
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [y])
    b.mark_outputs(y)
    msg = str(error_of(b.build()))
    assert "FULLY_CONNECTED" in msg and "INT16, INT16, - -> INT16" in msg


def test_wrong_output_shape_in_file():
    b = small_model()
    b.tensors[3]["shape"] = [1, 2, 2, 3]
    msg = str(error_of(b.build()))
    assert "op 0 (CONV_2D v1)" in msg and "expected shape [1, 3, 3, 3], got [1, 2, 2, 3]" in msg


def test_read_before_write():
    b = small_model()
    b.inputs = []
    assert "before any op writes it" in str(error_of(b.build()))


def test_concatenation_activation_refused():
    b = ModelBuilder()
    x = b.add_input("x", [2], "float32")
    y = b.add_tensor("y", [4], "float32")
    b.add_operator("CONCATENATION", [x, x], [y], {"axis": 0, "fused_activation_function": "RELU"})
    b.mark_outputs(y)
    assert "NONE (0) only" in str(error_of(b.build()))


def test_wrong_input_dtype_and_shape():
    it = Interpreter(model_content=small_model().build())
    idx = it.get_input_details()[0]["index"]
    with pytest.raises(ValueError, match="expects dtype float32, got float64"):
        it.set_tensor(idx, np.zeros((1, 4, 4, 2)))
    with pytest.raises(ValueError, match=r"expects shape \[1, 4, 4, 2\], got \[4, 4, 2\]"):
        it.set_tensor(idx, np.zeros((4, 4, 2), np.float32))
    with pytest.raises(pyruntime.InvalidArgumentError, match="not a model input"):
        it.set_tensor(2, np.zeros(3, np.float32))


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="no_such_model.tflite"):
        Interpreter(model_path="/nonexistent/no_such_model.tflite")


def test_arena_reuses_memory_by_lifetime():
    # x -> RELU -> a -> RELU -> b -> RELU -> c, each 128 bytes. The graph input x
    # stays alive throughout; a and c never live at the same time, so they share.
    b = ModelBuilder()
    t = [b.add_input("x", [1, 4, 4, 2], "float32")]
    for name in "abc":
        t.append(b.add_tensor(name, [1, 4, 4, 2], "float32"))
        b.add_operator("RELU", [t[-2]], [t[-1]])
    b.mark_outputs(t[-1])
    model = b.build()
    shared = Interpreter(model_content=model).arena_bytes
    separate = Interpreter(model_content=model, preserve_all_tensors=True).arena_bytes
    assert separate - shared == 128
    tables = shared - 3 * 128
    assert 0 < tables < 4096


def test_sparse_tensor_read_by_another_op_refused_by_name():
    """A sparse constant (TFLite sparsity) is DENSIFY's to read: any other
    reader is refused naming the tensor, not with a buffer-size complaint."""
    with pytest.raises(pyruntime.InvalidModelError,
                       match="reads tensor 1 'w', which is stored sparse; only DENSIFY reads"):
        Interpreter(model_content=sparse_weights_model())


@pytest.mark.parametrize("change, message", [
    (lambda sp: sp.update(traversal_order=np.array([1, 0], np.int32)),
     "level 0 is DENSE of size 3; expected 8"),
    (lambda sp: sp["dim_metadata"][0].update(dense_size=7), "level 0 is DENSE of size 7"),
    (lambda sp: sp["dim_metadata"][1]["array_indices"][1].update(
        values=np.array([9, 9, 9, 9, 9, 9, 9, 9], np.uint8)), "outside the tensor"),
    (lambda sp: sp["dim_metadata"][1]["array_segments"][1].update(
        values=np.array([0, 8, 200, 3], np.uint8)), "reads past its segments"),
    (lambda sp: sp.update(dim_metadata=sp["dim_metadata"][:1]), "1 dim metadata for 2 dims"),
])
def test_corrupt_sparsity_refused_by_densify(change, message):
    """Every index of a sparse tensor is checked before DENSIFY writes: a
    clear error naming the tensor, never a read or write out of bounds."""
    import op_cases
    rng = np.random.default_rng(0)
    b = ModelBuilder()
    dense = np.arange(1, 25, dtype=np.float32).reshape(3, 8)
    dense[:, ::2] = 0
    w = op_cases.sparse_constant(b, rng, "w", dense, 1)
    d = b.add_tensor("d", [3, 8], "float32")
    b.add_operator("DENSIFY", [w], [d])
    x = b.add_input("x", [3, 8], "float32")
    y = b.add_tensor("y", [3, 8], "float32")
    b.add_operator("ADD", [x, d], [y])
    b.mark_outputs(y)
    m = b.model_dict()
    np.testing.assert_array_equal(run_mote(flatbuf.encode(m), [np.zeros((3, 8), np.float32)])[0],
                                  dense)
    change(m["subgraphs"][0]["tensors"][w]["sparsity"])
    with pytest.raises(pyruntime.InvalidModelError, match=f"input 'w': sparsity .*{message}"):
        Interpreter(model_content=flatbuf.encode(m))


def test_gather_index_out_of_range_fails_the_invoke():
    """Computed GATHER indices are checked before any row is read (as
    LiteRT's kernel refuses them too)."""
    b = ModelBuilder()
    x = b.add_input("x", [3, 2], "float32")
    i = b.add_input("i", [2], "int32")
    y = b.add_tensor("y", [2, 2], "float32")
    b.add_operator("GATHER", [x, i], [y], {"axis": 0})
    b.mark_outputs(y)
    model = b.build()
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_array_equal(run_mote(model, [x, np.array([2, 0], np.int32)])[0],
                                  x[[2, 0]])
    with pytest.raises(pyruntime.InvalidArgumentError, match=r"indices 'i'\[1\] = 3 is outside "
                                                          r"\[0, 3\)"):
        run_mote(model, [x, np.array([0, 3], np.int32)])


def test_space_to_depth_block_size_overflow_refused():
    """A block size whose square times the channels passes int32 is refused,
    also when the input is empty (the check once formed C b^2 in 64 bits,
    which overflows for a block size near 2^31: the model was accepted)."""
    b = ModelBuilder()
    x = b.add_input("x", [1, 0, 0, 4], "float32")
    y = b.add_tensor("y", [1, 0, 0, 4], "float32")
    b.add_operator("SPACE_TO_DEPTH", [x], [y], {"block_size": 2**31 - 1})
    b.mark_outputs(y)
    assert "block size 2147483647" in str(error_of(b.build()))


def _one_op(op, in_shape, in_dtype, out_shape, out_dtype, options=None, extra=(), in_q=None,
            out_q=None):
    b = ModelBuilder()
    x = b.add_input("x", in_shape, in_dtype, in_q)
    ins = [x] + [b.add_constant(name, value) for name, value in extra]
    y = b.add_tensor("y", out_shape, out_dtype, out_q)
    b.add_operator(op, ins, [y], options)
    b.mark_outputs(y)
    return b.build()


@pytest.mark.parametrize("op", ["ARG_MAX", "ARG_MIN"])
def test_arg_min_max_bad_inputs(op):
    axis = [("axis", np.array([1], np.int32))]
    # an INT32 input: not a type Mote's kernel takes
    err = error_of(_one_op(op, [2, 3], "int32", [2], "int64", {"output_type": "INT64"}, axis))
    assert "FLOAT32 or INT8 input, INT32 or INT64 output" in str(err)
    # a FLOAT32 output
    err = error_of(_one_op(op, [2, 3], "float32", [2], "float32", {"output_type": "INT64"}, axis))
    assert "INT32 or INT64 output" in str(err)
    # output_type disagrees with the output tensor
    err = error_of(_one_op(op, [2, 3], "float32", [2], "int32", {"output_type": "INT64"}, axis))
    assert "output 'y' is INT32 but the options' output_type is type 4" in str(err)
    # axis 2 of a rank-2 input
    err = error_of(_one_op(op, [2, 3], "float32", [2], "int64", {"output_type": "INT64"},
                           [("axis", np.array([2], np.int32))]))
    assert "axis" in str(err) and "2" in str(err)


def test_l2_normalization_bad_inputs():
    # an int8 output not quantized 1/128, 0 as TFLite fixes it
    q = {"scale": [0.1], "zero_point": [3]}
    err = error_of(_one_op("L2_NORMALIZATION", [2, 4], "int8", [2, 4], "int8", in_q=q, out_q=q))
    assert "int8 output must have scale 0.0078125 and zero point 0, got 0.1 and 3" in str(err)
    # a fused activation (TFLite's kernel applies none)
    err = error_of(_one_op("L2_NORMALIZATION", [2, 4], "float32", [2, 4], "float32",
                           {"fused_activation_function": "RELU"}))
    assert "fused activation 1; only NONE is supported" in str(err)
    # an INT32 input
    err = error_of(_one_op("L2_NORMALIZATION", [2, 4], "int32", [2, 4], "int32"))
    assert "FLOAT32 or INT8 input and output" in str(err)


@pytest.mark.parametrize("op", ["LOGISTIC", "TANH", "SOFTMAX"])
def test_int16_capable_activation_names_every_type_it_takes(op):
    # an INT32 input: the message lists INT16 too (16x8 models use it)
    err = error_of(_one_op(op, [2, 4], "int32", [2, 4], "int32"))
    assert "FLOAT32, INT8 or INT16 input and output" in str(err)

def test_gather_bad_batch_dims():
    params = [("indices", np.zeros((3, 2), np.int32))]
    # batch_dims beyond the axis
    err = error_of(_one_op("GATHER", [2, 3], "float32", [2, 2], "float32",
                           {"axis": 0, "batch_dims": 1}, [("indices", np.zeros((2, 2), np.int32))]))
    assert "batch_dims 1: expected 0 to 0" in str(err)
    # batch sizes that differ between params and indices
    err = error_of(_one_op("GATHER", [2, 3], "float32", [2, 2], "float32",
                           {"axis": 1, "batch_dims": 1}, params))
    assert "batch dim 0: params 'x' has 2, indices 'indices' 3" in str(err)


def _int8(scale, zero_point):
    return {"scale": [scale], "zero_point": [zero_point]}


def test_int8_domain_errors_fail_the_invoke():
    """int8 DIV by a real 0 and SQRT / RSQRT of a negative real fail the
    invoke with the element, as LiteRT's kernels refuse them."""
    b = ModelBuilder()
    x = b.add_input("x", [3], "int8", _int8(0.1, 0))
    d = b.add_input("d", [3], "int8", _int8(0.1, 5))
    y = b.add_tensor("y", [3], "int8", _int8(0.1, 0))
    b.add_operator("DIV", [x, d], [y], version=2)
    b.mark_outputs(y)
    x = np.array([1, 2, 3], np.int8)
    run_mote(b.build(), [x, np.array([6, 7, 8], np.int8)])
    with pytest.raises(pyruntime.InvalidArgumentError,
                       match=r"divisor 'd'\[1\] = 5 is its zero point: division by zero"):
        run_mote(b.build(), [x, np.array([6, 5, 8], np.int8)])
    for op in ("SQRT", "RSQRT"):
        model = _one_op(op, [3], "int8", [3], "int8", in_q=_int8(0.1, -10),
                        out_q=_int8(0.1, -128))
        run_mote(model, [np.array([-10, 0, 100], np.int8)])
        with pytest.raises(pyruntime.InvalidArgumentError,
                           match=r"input 'x'\[2\] = -11 is below its zero point -10"):
            run_mote(model, [np.array([0, 1, -11], np.int8)])


def test_squared_difference_int8_output_scale_too_small_refused():
    q = _int8(0.5, 0)
    b = ModelBuilder()
    x = b.add_input("a", [2], "int8", q)
    z = b.add_input("b", [2], "int8", q)
    y = b.add_tensor("y", [2], "int8", _int8(1e-5, 0))
    b.add_operator("SQUARED_DIFFERENCE", [x, z], [y], version=2)
    b.mark_outputs(y)
    assert "output scale 1e-05 is too small for input scales 0.5 and 0.5" in str(error_of(b.build()))


def test_pad_int64_paddings_that_overflow_their_sum_refused():
    """Two INT64 counts were added before they were checked: 2^63 - 6 and 10
    wrap to a negative sum, which passed, and the model was accepted with a
    padded size of 8 and -6 elements before the input (found by the fuzzer;
    UB, and a write before the output in a build without sanitizers)."""
    pads = np.array([[2**63 - 6, 10]], np.int64)
    err = error_of(_one_op("PAD", [4], "float32", [8], "float32", None, [("pads", pads)]))
    assert "paddings of dim 0 are (9223372036854775802, 10)" in str(err)
    pads = np.array([[2**31 - 1, 2**31 - 1]], np.int64)   # each fits int32, the size does not
    err = error_of(_one_op("PAD", [4], "float32", [8], "float32", None, [("pads", pads)]))
    assert "below 2^31" in str(err)
