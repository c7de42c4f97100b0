"""UNIDIRECTIONAL_SEQUENCE_LSTM: the float32 kernel against LiteRT's
reference kernels on random LSTMs (CIFG, peepholes, projection, layer
normalization, clipping, time-major), its state kept across invokes and reset
as LiteRT keeps and resets it, what it refuses, the zoo's sequence model
converted from its trained graph, and ONNX LSTM nodes against onnxruntime."""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from op_cases import float_cases, unidirectional_sequence_lstm
from mote.converter import reference
from mote.converter.convert import convert, load
from mote.converter.errors import ConversionError
from mote.converter.tflite.builder import ModelBuilder
from mote.models import datasets, layers as L, saving
from mote.models.graph import Input, Model
from mote.models.zoo.train import HERE as ZOO
from mote.runtime import Interpreter, UnsupportedError, InvalidModelError

OP = "UNIDIRECTIONAL_SEQUENCE_LSTM"
RTOL = 1e-5


def assert_close(got, want, context, rtol=RTOL):
    assert got.shape == want.shape, f"{context}: shape {got.shape} vs LiteRT {want.shape}"
    scale = max(1.0, float(np.abs(want).max()))
    diff = float(np.abs(got.astype(np.float64) - want).max())
    assert diff <= rtol * scale, f"{context}: max |mote - litert| = {diff:g} > {rtol * scale:g}"


def litert_interpreter(model):
    from ai_edge_litert import interpreter as litert
    it = litert.Interpreter(model_content=model,
                            experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    return it


def mote_interpreter(model):
    it = Interpreter(model_content=model)
    it.allocate_tensors()
    return it


def invoke(it, x):
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


def features(model_seed):
    """Which optional parts a case of op_cases has (for the coverage check)."""
    rng = np.random.default_rng([11, model_seed, sum(map(ord, OP))])
    b = ModelBuilder()
    unidirectional_sequence_lstm(b, rng)
    ins = list(b.operators[0]["inputs"])
    opts = b.operators[0]["builtin_options"][1]
    return {"cifg": ins[1] < 0, "peephole": ins[10] >= 0, "projection": ins[16] >= 0,
            "layer_norm": ins[21] >= 0, "time_major": opts["time_major"],
            "cell_clip": opts["cell_clip"] > 0, "proj_clip": opts["proj_clip"] > 0}


def test_random_lstms_match_litert_reference_kernels(litert_available):
    seen = {}
    for k, (name, model, inputs) in enumerate(float_cases(OP, 60, seed=11)):
        want = run_litert(model, inputs, reference_kernels=True)[0]
        assert_close(run_mote(model, inputs)[0], want, name)
        for f, on in features(k).items():
            seen[f] = seen.get(f, 0) + on
    assert all(seen.values()), f"a variant no case covered: {seen}"


def test_state_is_kept_across_invokes_and_reset_as_in_litert(litert_available):
    for name, model, inputs in float_cases(OP, 8, seed=5):
        ours, theirs = mote_interpreter(model), litert_interpreter(model)
        rng = np.random.default_rng(3)
        xs = [inputs[0]] + [rng.standard_normal(inputs[0].shape).astype(np.float32)
                            for _ in range(2)]
        outs = []
        for k, x in enumerate(xs):   # each invoke continues from the state the last one left
            outs.append(invoke(ours, x))
            assert_close(outs[-1], invoke(theirs, x), f"{name} invoke {k + 1}")
        fresh = invoke(mote_interpreter(model), xs[1])
        assert np.abs(fresh - outs[1]).max() > 1e-4, f"{name}: the state changed nothing"
        ours.reset_all_variables()
        theirs.reset_all_variables()
        again = invoke(ours, xs[0])
        np.testing.assert_array_equal(again, outs[0])
        assert_close(again, invoke(theirs, xs[0]), f"{name} after reset")


def lstm_model(options=None, state_variable=True, n_in=3, n_cell=4):
    """A plain LSTM (no optional parts), its options overridden by `options`."""
    b = ModelBuilder()
    rng = np.random.default_rng(0)
    x = b.add_input("x", [1, 2, n_in], "float32")

    def const(name, shape):
        return b.add_constant(name, rng.standard_normal(shape).astype(np.float32))
    ins = [x] + [const(f"w{k}", [n_cell, n_in]) for k in range(4)]
    ins += [const(f"r{k}", [n_cell, n_cell]) for k in range(4)] + [-1] * 3
    ins += [const(f"b{k}", [n_cell]) for k in range(4)] + [-1, -1]
    if state_variable:
        ins += [b.add_tensor(k, [1, n_cell], "float32", variable=True) for k in "hc"]
    else:   # the state as graph inputs: LiteRT's kernel needs variable tensors
        ins += [b.add_input(k, [1, n_cell], "float32") for k in "hc"]
    ins += [-1] * 4
    y = b.add_tensor("y", [1, 2, n_cell], "float32")
    b.add_operator(OP, ins, [y], {"fused_activation_function": "TANH", **(options or {})})
    b.mark_outputs(y)
    return b.build()


def test_refusals_name_what_was_given():
    with pytest.raises(UnsupportedError, match="fused activation NONE: LiteRT's kernel then "
                                               "outputs output_gate \\* cell_gate"):
        mote_interpreter(lstm_model({"fused_activation_function": "NONE"}))
    with pytest.raises(UnsupportedError, match="diagonal_recurrent_tensors is set"):
        mote_interpreter(lstm_model({"diagonal_recurrent_tensors": True}))
    with pytest.raises(InvalidModelError, match="input 18 'h' \\(output state\\) must be a "
                                                "variable tensor"):
        mote_interpreter(lstm_model(state_variable=False))
    with pytest.raises(InvalidModelError, match="cell_clip -1 and proj_clip 0: expected >= 0"):
        mote_interpreter(lstm_model({"cell_clip": -1.0}))
    with pytest.raises(ConversionError, match="fused activation NONE is not supported"):
        g = load(lstm_model({"fused_activation_function": "NONE"}))
        reference.run(g, {g.inputs[0]: np.zeros((1, 2, 3))})


# -- the zoo's sequence model, from its trained graph ---------------------------------------

def test_zoo_lstm_converts_to_float_and_matches_litert_and_the_reference(litert_available):
    source = ZOO / "lstm.npz"
    model = convert(str(source))
    graph = load(str(source))
    layer_model = saving.load(source)
    _, (x_test, y_test) = datasets.digits()
    ours, theirs = mote_interpreter(model), litert_interpreter(model)
    agree = 0
    for i in range(0, len(x_test), 3):
        x = x_test[i:i + 1]
        ours.reset_all_variables()
        theirs.reset_all_variables()
        got = invoke(ours, x)
        assert_close(got, invoke(theirs, x), f"sample {i}", rtol=1e-4)
        want = reference.run(graph, {graph.inputs[0]: x})[graph.outputs[0]]
        assert_close(got, want, f"sample {i} against the reference executor", rtol=1e-4)
        assert_close(got, layer_model.predict(x), f"sample {i} against the layers", rtol=1e-4)
        agree += int(got.argmax() == y_test[i])
    assert agree / len(range(0, len(x_test), 3)) >= 0.9


def test_lstm_returning_only_its_last_step_is_refused_clearly(tmp_path):
    x = Input((4, 3), name="x")
    model = Model(x, L.Dense(2)(L.LSTM(5)(x)), name="last_step")
    saving.save(model, tmp_path / "m.npz")
    with pytest.raises(ConversionError, match="LSTM 'lstm_1' returns only its last step"):
        convert(str(tmp_path / "m.npz"))


def test_calibration_and_compare_run_each_sample_from_zero_state(litert_available):
    """The runtime engine resets the LSTM's state between samples, so it
    agrees with LiteRT reset before each sample, and mote compare's int8
    side does the same."""
    from mote import compare
    from mote.converter.activations import float_activations
    graph = load(str(ZOO / "lstm.npz"))
    theirs = litert_interpreter(convert(str(ZOO / "lstm.npz")))
    _, (x_test, y_test) = datasets.digits()
    feeds = [{graph.inputs[0]: x_test[i:i + 1]} for i in range(4)]
    for feed, got in zip(feeds, float_activations(graph, feeds, "runtime")):
        theirs.reset_all_variables()
        want = invoke(theirs, feed[graph.inputs[0]])
        assert_close(got[graph.outputs[0]], want, "runtime engine", rtol=1e-4)
    out = compare.compare_models(str(ZOO / "lstm.npz"), None, x_test[:60], y_test[:60]).outputs[0]
    assert out.float_accuracy >= 0.9 and out.quantized_accuracy >= out.float_accuracy - 0.05


# -- ONNX LSTM nodes, against onnxruntime -------------------------------------------------

def onnx_lstm(rng, steps, batches, n_in, hidden, layout=0, bias=True, peephole=False,
              zero_initial=False, use_last=False):
    """A one-node ONNX model: x -> LSTM -> y (and y_h if use_last)."""
    from onnx import TensorProto, helper, numpy_helper
    x_shape = [batches, steps, n_in] if layout else [steps, batches, n_in]
    y_shape = [batches, steps, 1, hidden] if layout else [steps, 1, batches, hidden]
    state_shape = [batches, 1, hidden] if layout else [1, batches, hidden]
    arrays = {"W": rng.standard_normal((1, 4 * hidden, n_in)) * 0.5,
              "R": rng.standard_normal((1, 4 * hidden, hidden)) * 0.5}
    if bias:
        arrays["B"] = rng.standard_normal((1, 8 * hidden)) * 0.5
    if zero_initial:
        arrays["h0"] = arrays["c0"] = np.zeros(state_shape)
    if peephole:
        arrays["P"] = rng.standard_normal((1, 3 * hidden)) * 0.5
    names = [k if k in arrays or k == "x" else "" for k in
             ("x", "W", "R", "B", "sequence_lens", "h0", "c0", "P")]
    while not names[-1]:
        names.pop()
    node = helper.make_node("LSTM", names, ["y", "y_h" if use_last else ""], name="lstm",
                            hidden_size=hidden, layout=layout)
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)]
    if use_last:
        outputs.append(helper.make_tensor_value_info("y_h", TensorProto.FLOAT, state_shape))
    graph = helper.make_graph(
        [node], "lstm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)], outputs,
        [numpy_helper.from_array(np.asarray(v, np.float32), k) for k, v in arrays.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)],
                             ir_version=8), x_shape


def test_onnx_lstm_matches_onnxruntime():
    """Random shapes, with and without bias, peepholes and (zero) initial
    states. onnxruntime runs only layout 0 (time-major): a layout-1 model is
    checked against its layout-0 twin (same weights) on the transposed input."""
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    for case in range(12):
        rng = np.random.default_rng(case)
        steps, batches, n_in, hidden = (int(v) for v in rng.integers(1, 6, 4))
        kw = dict(bias=case % 3 != 0, peephole=case % 4 == 1, zero_initial=case % 5 == 2)
        layout = case % 2
        model, x_shape = onnx_lstm(np.random.default_rng(100 + case), steps, batches, n_in,
                                   hidden, layout=layout, **kw)
        twin, _ = onnx_lstm(np.random.default_rng(100 + case), steps, batches, n_in, hidden, **kw)
        x = rng.standard_normal(x_shape).astype(np.float32)
        x_time_major = x.transpose(1, 0, 2) if layout else x
        want = ort.InferenceSession(twin.SerializeToString()).run(None, {"x": x_time_major})[0]
        got = run_mote(convert(model), [x])[0]
        if layout:   # [batch, time, 1, hidden] -> ONNX layout 0's [time, 1, batch, hidden]
            got = got.transpose(1, 2, 0, 3)
        assert_close(got, want, f"case {case} {kw} layout {layout}, steps {steps} batches "
                                f"{batches}", rtol=1e-4)


def test_onnx_lstm_refusals_name_the_node():
    pytest.importorskip("onnx")
    from mote.converter.importers.onnx import OnnxImportError
    rng = np.random.default_rng(0)
    model, _ = onnx_lstm(rng, 3, 1, 2, 4, use_last=True)
    with pytest.raises(OnnxImportError, match="node 'lstm' \\(LSTM\\): Y_h and Y_c are not "
                                              "supported"):
        convert(model)
    model, _ = onnx_lstm(rng, 3, 1, 2, 4)
    model.graph.node[0].attribute.append(
        __import__("onnx").helper.make_attribute("direction", "reverse"))
    with pytest.raises(OnnxImportError, match="direction b?'reverse'"):
        convert(model)


def test_gru_layer_matches_onnxruntime():
    """The reference path's GRU against onnxruntime's GRU node
    (linear_before_reset=0, gate blocks z, r, h as the layer stacks them)."""
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(9)
    for steps, batches, n_in, units in [(1, 1, 2, 3), (5, 2, 3, 4), (7, 3, 1, 5)]:
        layer = L.GRU(units, return_sequences=True)
        layer.build([(steps, n_in)], rng)
        layer.params["bias"] = rng.standard_normal(3 * units)
        x = rng.standard_normal((batches, steps, n_in)).astype(np.float32)
        arrays = {"W": layer.params["kernel"][None], "R": layer.params["recurrent_kernel"][None],
                  "B": np.concatenate([layer.params["bias"], np.zeros(3 * units)])[None]}
        node = helper.make_node("GRU", ["x", "W", "R", "B"], ["y"], hidden_size=units)
        graph = helper.make_graph(
            [node], "gru", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                          [steps, batches, n_in])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [steps, 1, batches, units])],
            [numpy_helper.from_array(np.asarray(v, np.float32), k) for k, v in arrays.items()])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], ir_version=8)
        want = ort.InferenceSession(model.SerializeToString()).run(
            None, {"x": x.transpose(1, 0, 2)})[0][:, 0].transpose(1, 0, 2)
        got = layer.forward([x.astype(np.float64)], False)[0]
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        last = L.GRU(units)
        last.params = layer.params
        np.testing.assert_array_equal(last.forward([x.astype(np.float64)], False)[0], got[:, -1])
