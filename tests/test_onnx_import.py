"""ONNX import: CNNs built with onnx.helper against onnxruntime, and the node
test cases that ship with the onnx package."""
import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from conftest import run_mote  # noqa: E402
from mote.converter import convert  # noqa: E402
from mote.converter.importers.onnx import OnnxImportError, import_onnx  # noqa: E402


def nchw_cnn(rng):
    """Conv+BN+ReLU, depthwise conv + Clip(0,6), max pool, residual add,
    global average pool, flatten, Gemm, softmax: NCHW, opset 13."""
    def init(name, arr):
        return numpy_helper.from_array(np.asarray(arr, np.float32), name)
    inits = [init("w1", rng.standard_normal((8, 3, 3, 3)) * 0.3), init("b1", rng.standard_normal(8)),
             init("g", rng.uniform(0.5, 1.5, 8)), init("be", rng.standard_normal(8)),
             init("mu", rng.standard_normal(8) * 0.1), init("var", rng.uniform(0.5, 2, 8)),
             init("wd", rng.standard_normal((8, 1, 3, 3)) * 0.3),
             init("wf", rng.standard_normal((10, 8)) * 0.3), init("bf", rng.standard_normal(10))]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "g", "be", "mu", "var"], ["bn"]),
        helper.make_node("Relu", ["bn"], ["r1"]),
        helper.make_node("Conv", ["r1", "wd"], ["d1"], group=8, pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["d1", "lo", "hi"], ["d2"]),
        helper.make_node("Add", ["r1", "d2"], ["res"]),
        helper.make_node("MaxPool", ["res"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["p"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["flat"]),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"]),
    ]
    inits += [init("lo", 0.0), init("hi", 6.0)]
    graph = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 10])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


def test_cnn_matches_onnxruntime_without_transposes():
    ort = pytest.importorskip("onnxruntime")
    rng = np.random.default_rng(0)
    model = nchw_cnn(rng)
    g = import_onnx(model)
    tflite = convert(model)
    from mote.converter.tflite import flatbuf
    ops = [flatbuf.decode(tflite)["operator_codes"][o["opcode_index"]]["builtin_code"]
           for o in flatbuf.decode(tflite)["subgraphs"][0]["operators"]]
    assert 39 not in ops   # no TRANSPOSE anywhere
    assert g.tensors["x"].shape == (1, 8, 8, 3)   # NHWC at the edge
    sess = ort.InferenceSession(model.SerializeToString())
    for k in range(5):
        x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
        want = sess.run(None, {"x": x})[0]
        got = run_mote(tflite, [x.transpose(0, 2, 3, 1)])[0]
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_grouped_conv_matches_onnxruntime():
    ort = pytest.importorskip("onnxruntime")
    rng = np.random.default_rng(1)
    w = numpy_helper.from_array(rng.standard_normal((6, 2, 3, 3)).astype(np.float32), "w")
    node = helper.make_node("Conv", ["x", "w"], ["y"], group=2, pads=[1, 1, 1, 1])
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 5, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, 5, 5])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    x = rng.standard_normal((1, 4, 5, 5)).astype(np.float32)
    want = ort.InferenceSession(model.SerializeToString()).run(None, {"x": x})[0]
    got = run_mote(convert(model), [x.transpose(0, 2, 3, 1)])[0].transpose(0, 3, 1, 2)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_unknown_op_is_named():
    node = helper.make_node("Einsum", ["x", "x"], ["y"], equation="ij,ij->ij", name="my_einsum")
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 2])])
    with pytest.raises(OnnxImportError, match="'Einsum' \\(node 'my_einsum'\\) is not supported"):
        import_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))


def test_dynamic_shape_needs_input_shapes():
    node = helper.make_node("Relu", ["x"], ["y"])
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "L"])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "L"])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(OnnxImportError, match="dynamic dimension 1 \\(L\\); give its shape"):
        import_onnx(model)
    g = import_onnx(model, input_shapes={"x": [2, 5]})
    assert g.tensors["x"].shape == (2, 5)


SUPPORTED = ["Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Clip", "LeakyRelu",
             "PRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Softmax", "MaxPool",
             "AveragePool", "GlobalAveragePool", "ReduceMean", "BatchNormalization", "Concat",
             "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Pad", "Transpose", "Identity",
             "Dropout", "Constant", "Resize", "LRN", "Upsample", "Max", "Min",
             "Exp", "Log", "Sqrt", "Floor", "LogSoftmax",
             "ReduceMax", "ReduceSum", "GlobalMaxPool", "Gelu", "ArgMax", "ArgMin",
             "LpNormalization"]


def node_cases():
    from onnx.backend.test.case.node import collect_testcases
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = collect_testcases()
    out = []
    for case in cases:
        ops = {n.op_type for n in case.model.graph.node}
        if len(ops) == 1 and ops.pop() in SUPPORTED:
            out.append(case)
    return out


# Cases whose expected outputs onnx writes rounded to 4 decimals: they hold
# to half the last digit (onnxruntime and numpy agree with Mote to 1e-7).
ROUNDED_EXPECTATIONS = {"test_averagepool_2d_ceil_last_window_starts_on_pad": 5e-5}


def run_node_case(case):
    """Converts one ONNX node test and runs it on Mote; True if every output
    matches the expected one (4-D tensors compared in NCHW)."""
    import onnx as _onnx
    model = case.model
    if any(not isinstance(o, np.ndarray) for _, outs in case.data_sets for o in outs):
        return None   # sequence or optional outputs: not tensors
    inits = {i.name for i in model.graph.initializer}
    real_inputs = [vi.name for vi in model.graph.input if vi.name not in inits]
    for inputs, outputs in case.data_sets:
        feeds = dict(zip(real_inputs, inputs))
        # Non-float inputs (axes, pads, shapes) become constants of the model.
        m = _onnx.ModelProto.FromString(model.SerializeToString())
        node_inputs = list(m.graph.node[0].input)
        runtime_input = node_inputs[0] if node_inputs else None
        keep = []
        for vi in list(m.graph.input):
            val = feeds.get(vi.name)
            if val is None:
                continue
            if vi.name == runtime_input and np.asarray(val).dtype == np.float32:
                keep.append(vi.name)
            else:   # weights, axes, pads, shapes: constants of the converted model
                m.graph.initializer.append(numpy_helper.from_array(np.asarray(val), vi.name))
                m.graph.input.remove(vi)
        g = import_onnx(m)
        tflite = convert(g)
        xs = [feeds[k].transpose(0, 2, 3, 1) if k in g.channels_last else feeds[k] for k in keep]
        got = run_mote(tflite, xs)
        for name, g_out, want in zip(g.outputs, got, outputs):
            if name in g.channels_last:
                g_out = g_out.transpose(0, 3, 1, 2)
            atol = ROUNDED_EXPECTATIONS.get(case.name, 1e-5)
            if g_out.shape != want.shape or not np.allclose(g_out, want, rtol=1e-4, atol=atol):
                return False
    return True


def test_onnx_node_test_cases():
    """Node cases that ship with onnx, for the supported ops: each either runs
    and matches the expected outputs, or is refused with an import error.
    A wrong answer fails the test; the pass count is printed for the notes."""
    passed, refused, wrong = [], [], []
    for case in node_cases():
        try:
            ok = run_node_case(case)
        except (OnnxImportError, ValueError) as e:   # clear refusal
            refused.append((case.name, str(e)[:80]))
            continue
        if ok is None:
            continue
        (passed if ok else wrong).append(case.name)
    print(f"\nONNX node cases: {len(passed)} passed, {len(refused)} refused, {len(wrong)} wrong "
          f"of {len(passed) + len(refused) + len(wrong)} tried")
    assert not wrong, wrong
    assert len(passed) >= 218


def _model(nodes, inputs, output, opset=13, inits=()):
    """A model whose output shape is what onnxruntime computes."""
    ort = pytest.importorskip("onnxruntime")
    vis = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs]

    def make(shape):
        graph = helper.make_graph(nodes, "g", vis, [helper.make_tensor_value_info(
            output, TensorProto.FLOAT, shape)], list(inits))
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                 ir_version=7)
    feeds = {n: np.zeros(s, np.float32) for n, s in inputs}
    shape = ort.InferenceSession(make(None).SerializeToString()).run(None, feeds)[0].shape
    return make(list(shape))


def _check_against_onnxruntime(model, x, rtol=1e-5):
    ort = pytest.importorskip("onnxruntime")
    want = ort.InferenceSession(model.SerializeToString()).run(None, {"x": x})[0]
    g = import_onnx(model)
    got = run_mote(convert(g), [x.transpose(0, 2, 3, 1)])[0]
    if g.outputs[0] in g.channels_last:
        got = got.transpose(0, 3, 1, 2)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)
    return g


@pytest.mark.parametrize("pads,ceil", [([1, 1, 1, 1], 0), ([0, 0, 1, 1], 0), ([2, 0, 1, 2], 0),
                                       ([0, 0, 0, 0], 1), ([1, 1, 0, 0], 1)])
def test_max_pool_explicit_pads_pad_with_the_lowest_float(pads, ceil):
    """All-negative inputs: a zero pad would win every window it touches."""
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                            pads=pads, ceil_mode=ceil)
    model = _model([node], [("x", [1, 3, 10, 9])], "y")
    x = -np.random.default_rng(0).uniform(1, 2, (1, 3, 10, 9)).astype(np.float32)
    g = _check_against_onnxruntime(model, x)
    assert [n.op for n in g.nodes] == ["PADV2", "MAX_POOL_2D"]


@pytest.mark.parametrize("include", [0, 1])
def test_average_pool_explicit_pads_count_include_pad(include):
    node = helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                            pads=[1, 1, 1, 1], count_include_pad=include)
    model = _model([node], [("x", [1, 3, 8, 8])], "y")
    x = np.random.default_rng(1).uniform(1, 2, (1, 3, 8, 8)).astype(np.float32)
    _check_against_onnxruntime(model, x)


@pytest.mark.parametrize("size,opset", [(5, 9), (3, 13), (1, 13)])
def test_lrn_matches_onnxruntime(size, opset):
    node = helper.make_node("LRN", ["x"], ["y"], size=size, alpha=0.01, beta=0.6, bias=1.5)
    model = _model([node], [("x", [1, 9, 4, 5])], "y", opset)
    x = (np.random.default_rng(2).standard_normal((1, 9, 4, 5)) * 3).astype(np.float32)
    g = _check_against_onnxruntime(model, x)
    assert [n.op for n in g.nodes] == ["LOCAL_RESPONSE_NORMALIZATION"]


def test_lrn_even_size_is_refused():
    node = helper.make_node("LRN", ["x"], ["y"], size=4, name="norm")
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 9, 4, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 9, 4, 5])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(OnnxImportError, match="'norm' \\(LRN\\): only an odd size"):
        import_onnx(model)


def _conv(rng, name, cin, cout):
    return numpy_helper.from_array((rng.standard_normal((cout, cin, 3, 3)) * 0.3).astype(np.float32),
                                   name)


def test_dropout_with_an_unused_mask():
    rng = np.random.default_rng(3)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Dropout", ["c"], ["y", "mask"], ratio=0.3)]
    model = _model(nodes, [("x", [1, 2, 5, 5])], "y", 9, [_conv(rng, "w", 2, 4)])
    _check_against_onnxruntime(model, rng.standard_normal((1, 2, 5, 5)).astype(np.float32))
    used = [helper.make_node("Dropout", ["x"], ["d", "mask"], name="drop"),
            helper.make_node("Cast", ["mask"], ["m"], to=TensorProto.FLOAT),
            helper.make_node("Add", ["d", "m"], ["y"])]
    with pytest.raises(OnnxImportError, match="'drop' \\(Dropout\\): the mask output 'mask' is used"):
        import_onnx(_model(used, [("x", [1, 2, 5, 5])], "y", 12))


def test_shape_subgraphs_fold_into_constants():
    """torch's flatten (Shape, Gather, Unsqueeze, Concat -> Reshape) and a Pad
    whose pads come from ConstantOfShape: no Shape op reaches the IR."""
    rng = np.random.default_rng(4)
    i64 = lambda n, v: numpy_helper.from_array(np.array(v, np.int64), n)  # noqa: E731
    nodes = [helper.make_node("ConstantOfShape", ["four"], ["zeros"],
                              value=numpy_helper.from_array(np.array([0], np.int64))),
             helper.make_node("Concat", ["zeros", "hw"], ["pads"], axis=0),
             helper.make_node("Pad", ["x", "pads"], ["p"]),
             helper.make_node("Conv", ["p", "w"], ["c"]),
             helper.make_node("Shape", ["c"], ["shape"]),
             helper.make_node("Gather", ["shape", "zero"], ["n"], axis=0),
             helper.make_node("Unsqueeze", ["n", "axis0"], ["n1"]),
             helper.make_node("Concat", ["n1", "minus1"], ["target"], axis=0),
             helper.make_node("Reshape", ["c", "target"], ["y"])]
    # pads: 4 zeros (nothing before any axis), then H and W padded by 1 after
    inits = [i64("four", [4]), i64("hw", [0, 0, 1, 1]), i64("zero", 0),
             i64("axis0", [0]), i64("minus1", [-1]), _conv(rng, "w", 2, 3)]
    model = _model(nodes, [("x", [1, 2, 5, 5])], "y", 13, inits)
    g = _check_against_onnxruntime(model, rng.standard_normal((1, 2, 5, 5)).astype(np.float32))
    assert "SHAPE" not in [n.op for n in g.nodes]


def test_reshape_of_a_constant_weight_is_folded():
    """Inception v2's weight: Reshape(constant, constant) feeding a Conv."""
    rng = np.random.default_rng(5)
    w = (rng.standard_normal((4, 2, 3, 3)) * 0.3).astype(np.float32)
    nodes = [helper.make_node("Reshape", ["wflat", "wshape"], ["w"]),
             helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])]
    inits = [numpy_helper.from_array(w.reshape(-1), "wflat"),
             numpy_helper.from_array(np.array(w.shape, np.int64), "wshape")]
    model = _model(nodes, [("x", [1, 2, 6, 6])], "y", 13, inits)
    g = _check_against_onnxruntime(model, rng.standard_normal((1, 2, 6, 6)).astype(np.float32))
    assert [n.op for n in g.nodes] == ["CONV_2D"]


def test_old_opsets_are_upgraded():
    """Opset 7 BatchNormalization (spatial), opset 9 Upsample, opset 2 Pad
    with attribute pads and a non-zero value (PADV2)."""
    rng = np.random.default_rng(6)
    stats = [numpy_helper.from_array(rng.uniform(0.5, 1.5, 2).astype(np.float32), n)
             for n in ("s", "b", "m", "v")]
    bn = helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], spatial=1)
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    _check_against_onnxruntime(_model([bn], [("x", [1, 2, 4, 4])], "y", 7, stats), x)
    up = helper.make_node("Upsample", ["x", "scales"], ["y"], mode="nearest")
    scales = numpy_helper.from_array(np.array([1, 1, 2, 3], np.float32), "scales")
    _check_against_onnxruntime(_model([up], [("x", [1, 2, 4, 4])], "y", 9, [scales]), x)
    pad = helper.make_node("Pad", ["x"], ["y"], pads=[0, 0, 1, 2, 0, 0, 2, 1], value=0.5)
    g = _check_against_onnxruntime(_model([pad], [("x", [1, 2, 4, 4])], "y", 2), x)
    assert [n.op for n in g.nodes] == ["PADV2"]


def test_unnamed_nodes_are_named_by_index_and_op():
    nodes = [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Einsum", ["r", "r"], ["y"],
                                                                      equation="ij,ij->ij")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 2])])
    with pytest.raises(OnnxImportError, match="'Einsum' \\(node 'Einsum_1'\\) is not supported"):
        import_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))


def test_int8_model_with_max_pool_pads_is_bit_exact(litert_available):
    """PADV2's lowest-float pad becomes int8 -128 with the output's
    quantization; image-like inputs."""
    from conftest import run_litert
    rng = np.random.default_rng(7)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("MaxPool", ["c"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                              pads=[1, 1, 1, 1])]
    model = _model(nodes, [("x", [1, 2, 8, 8])], "y", 13, [_conv(rng, "w", 2, 4)])
    cal = (rng.integers(0, 256, (8, 8, 8, 2)) / 255.0).astype(np.float32)
    tflite = convert(model, quantize="int8", representative_data=cal)
    for x in [cal[:1], (rng.integers(0, 256, (1, 8, 8, 2)) / 127.5 - 1).astype(np.float32)]:
        want = run_litert(tflite, [x], reference_kernels=True)[0]
        np.testing.assert_array_equal(run_mote(tflite, [x])[0], want)


@pytest.mark.parametrize("lo,hi", [(-1.0, 2.5), (None, 0.5), (-0.25, None), (None, None)])
def test_clip_any_bounds_float_and_int8(lo, hi, litert_available):
    """Clip as MAXIMUM / MINIMUM with constant bounds; in int8 the bounds take
    the output's quantization and the file is bit-exact with LiteRT."""
    from conftest import run_litert
    rng = np.random.default_rng(8)
    names = ["x", "lo" if lo is not None else "", "hi" if hi is not None else ""]
    inits = [numpy_helper.from_array(np.array(v, np.float32), n)
             for n, v in (("lo", lo), ("hi", hi)) if v is not None]
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Clip", ["c"] + names[1:], ["y"])]
    model = _model(nodes, [("x", [1, 2, 6, 6])], "y", 13, inits + [_conv(rng, "w", 2, 3)])
    _check_against_onnxruntime(model, rng.standard_normal((1, 2, 6, 6)).astype(np.float32))
    cal = (rng.integers(0, 256, (6, 6, 6, 2)) / 127.5 - 1).astype(np.float32)
    tflite = convert(model, quantize="int8", representative_data=cal)
    for x in [cal[:1], rng.standard_normal((1, 6, 6, 2)).astype(np.float32)]:
        np.testing.assert_array_equal(run_mote(tflite, [x])[0],
                                      run_litert(tflite, [x], reference_kernels=True)[0])


def test_div_by_an_activation_and_log_softmax():
    """Div whose divisor is computed (DIV, not a MUL by a reciprocal), and
    LogSoftmax over the channels of an NCHW tensor."""
    rng = np.random.default_rng(9)
    nodes = [helper.make_node("Exp", ["x"], ["e"]),
             helper.make_node("Div", ["x", "e"], ["d"]),
             helper.make_node("LogSoftmax", ["d"], ["y"], axis=1)]
    model = _model(nodes, [("x", [1, 5, 3, 4])], "y")
    g = _check_against_onnxruntime(model, rng.standard_normal((1, 5, 3, 4)).astype(np.float32))
    assert [n.op for n in g.nodes] == ["EXP", "DIV", "LOG_SOFTMAX"]


def test_global_max_pool_and_reduce_sum(litert_available):
    """GlobalMaxPool (REDUCE_MAX over H and W) then ReduceSum over the
    channels: float against onnxruntime; the int8 file (both in int8) within
    one output quantum of LiteRT's builtin kernels (its reference SUM kernel
    returns garbage in LiteRT 2.3; tests/test_ops_int8.py checks Mote's SUM
    against TFLite's reference arithmetic)."""
    from conftest import run_litert
    rng = np.random.default_rng(10)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("GlobalMaxPool", ["c"], ["m"]),
             helper.make_node("ReduceSum", ["m", "axes"], ["y"], keepdims=1)]
    inits = [_conv(rng, "w", 2, 6), numpy_helper.from_array(np.array([1], np.int64), "axes")]
    model = _model(nodes, [("x", [1, 2, 6, 6])], "y", 13, inits)
    g = _check_against_onnxruntime(model, rng.standard_normal((1, 2, 6, 6)).astype(np.float32))
    assert [n.op for n in g.nodes] == ["CONV_2D", "REDUCE_MAX", "SUM"]
    cal = (rng.integers(0, 256, (6, 6, 6, 2)) / 255.0).astype(np.float32)
    tflite = convert(model, quantize="int8", representative_data=cal, float_fallback=False)
    from mote.runtime import Interpreter
    step = [d["quantization"][0] for d in Interpreter(model_content=tflite).get_tensor_details()
            if d["name"] == "y/int8"]
    assert len(step) == 1
    for x in [cal[:1], rng.standard_normal((1, 6, 6, 2)).astype(np.float32)]:
        np.testing.assert_allclose(run_mote(tflite, [x])[0], run_litert(tflite, [x])[0],
                                   rtol=0, atol=step[0] * 1.001)


@pytest.mark.parametrize("shape, axis", [((2, 6, 3, 4), 1), ((3, 7), -1)])
def test_lp_normalization_matches_onnxruntime(shape, axis):
    model = _model([helper.make_node("LpNormalization", ["x"], ["y"], axis=axis, p=2)],
                   [("x", shape)], "y")
    ort = pytest.importorskip("onnxruntime")
    x = (np.random.default_rng(0).integers(0, 256, shape) / 255.0).astype(np.float32)
    want = ort.InferenceSession(model.SerializeToString()).run(None, {"x": x})[0]
    g = import_onnx(model)
    got = run_mote(convert(g), [x.transpose(0, 2, 3, 1) if len(shape) == 4 else x])[0]
    if g.outputs[0] in g.channels_last:
        got = got.transpose(0, 3, 1, 2)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_lp_normalization_other_p_or_axis_refused():
    for kwargs, message in (({"axis": 1, "p": 1}, "only p=2"), ({"axis": 0}, "only the last axis")):
        model = _model([helper.make_node("LpNormalization", ["x"], ["y"], **kwargs)],
                       [("x", (3, 7))], "y")
        with pytest.raises(OnnxImportError, match=message):
            import_onnx(model)


@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("axis, keepdims", [(1, 1), (2, 0), (3, 1), (0, 0)])
def test_arg_min_max_of_nchw_matches_onnxruntime(op, axis, keepdims):
    """4-D inputs are stored NHWC: the axis moves, and without keepdims an
    axis other than the channels needs the NCHW order back. Values from few
    levels, so ties occur (both pick the first index)."""
    ort = pytest.importorskip("onnxruntime")
    shape = (2, 3, 4, 5)
    out = [d for i, d in enumerate(shape) if i != axis] if not keepdims else \
        [1 if i == axis else d for i, d in enumerate(shape)]
    graph = helper.make_graph(
        [helper.make_node(op, ["x"], ["y"], axis=axis, keepdims=keepdims)], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.INT64, out)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=7)
    x = (np.random.default_rng(1).integers(0, 4, shape) / 255.0).astype(np.float32)
    want = ort.InferenceSession(model.SerializeToString()).run(None, {"x": x})[0]
    g = import_onnx(model)
    got = run_mote(convert(g), [x.transpose(0, 2, 3, 1)])[0]
    if g.outputs[0] in g.channels_last:
        got = got.transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(got, want)
