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
             "Dropout", "Constant", "Resize"]


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


def run_node_case(case):
    """Converts one ONNX node test and runs it on Mote; True if every output
    matches the expected one (4-D tensors compared in NCHW)."""
    import onnx as _onnx
    model = case.model
    if model.opset_import[0].version < 13:
        return None
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
            if g_out.shape != want.shape or not np.allclose(g_out, want, rtol=1e-4, atol=1e-5):
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
    assert len(passed) >= 100
