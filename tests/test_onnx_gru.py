"""ONNX GRU nodes, unrolled by the importer into FULLY_CONNECTED / LOGISTIC /
TANH / MUL / ADD / SUB steps (TFLite has no GRU op), against onnxruntime:
both linear_before_reset settings, with and without bias, zero initial
state, Y and Y_h, layouts 0 and 1; and what is refused."""
import numpy as np
import pytest

from conftest import run_mote
from mote.converter.convert import convert


def onnx_gru(rng, steps, batches, n_in, hidden, layout=0, bias=True, before_reset=0,
             zero_initial=False, outputs=("y",)):
    from onnx import TensorProto, helper, numpy_helper
    x_shape = [batches, steps, n_in] if layout else [steps, batches, n_in]
    shapes = {"y": [batches, steps, 1, hidden] if layout else [steps, 1, batches, hidden],
              "y_h": [batches, 1, hidden] if layout else [1, batches, hidden]}
    arrays = {"W": rng.standard_normal((1, 3 * hidden, n_in)) * 0.6,
              "R": rng.standard_normal((1, 3 * hidden, hidden)) * 0.6}
    if bias:
        arrays["B"] = rng.standard_normal((1, 6 * hidden)) * 0.6
    if zero_initial:
        arrays["h0"] = np.zeros(shapes["y_h"])
    names = [k if k in arrays or k == "x" else "" for k in ("x", "W", "R", "B", "seq", "h0")]
    while not names[-1]:
        names.pop()
    out_names = [o if o in outputs else "" for o in ("y", "y_h")]
    while not out_names[-1]:
        out_names.pop()
    node = helper.make_node("GRU", names, out_names, name="gru", hidden_size=hidden,
                            layout=layout, linear_before_reset=before_reset)
    graph = helper.make_graph(
        [node], "gru", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, shapes[o]) for o in outputs],
        [numpy_helper.from_array(np.asarray(v, np.float32), k) for k, v in arrays.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)],
                             ir_version=8), x_shape


def test_onnx_gru_matches_onnxruntime():
    """onnxruntime runs layout 0 only: a layout-1 model is checked against its
    layout-0 twin (same weights) on the transposed input."""
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    for case in range(12):
        rng = np.random.default_rng(case)
        steps, batches, n_in, hidden = (int(v) for v in rng.integers(1, 6, 4))
        kw = dict(bias=case % 3 != 0, before_reset=case % 2, zero_initial=case % 5 == 2,
                  outputs=("y", "y_h") if case % 4 == 3 else ("y",))
        layout = int(case % 4 >= 2)
        model, x_shape = onnx_gru(np.random.default_rng(50 + case), steps, batches, n_in,
                                  hidden, layout=layout, **kw)
        twin, _ = onnx_gru(np.random.default_rng(50 + case), steps, batches, n_in, hidden, **kw)
        x = rng.standard_normal(x_shape).astype(np.float32)
        wants = ort.InferenceSession(twin.SerializeToString()).run(
            None, {"x": x.transpose(1, 0, 2) if layout else x})
        gots = run_mote(convert(model), [x])
        assert len(gots) == len(wants)
        for k, (got, want) in enumerate(zip(gots, wants)):
            if layout:   # back to layout 0's axes: y [time, 1, batch, hidden], y_h [1, batch, hidden]
                got = got.transpose(1, 2, 0, 3) if got.ndim == 4 else got.transpose(1, 0, 2)
            assert got.shape == want.shape, (case, k, got.shape, want.shape)
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5,
                                       err_msg=f"case {case} {kw} layout {layout} output {k}")


def test_onnx_gru_refusals_name_the_node():
    pytest.importorskip("onnx")
    from onnx import helper, numpy_helper
    from mote.converter.importers.onnx import OnnxImportError
    model, _ = onnx_gru(np.random.default_rng(0), 3, 1, 2, 4)
    model.graph.node[0].attribute.append(helper.make_attribute("direction", "reverse"))
    with pytest.raises(OnnxImportError, match="node 'gru' \\(GRU\\): direction b?'reverse'"):
        convert(model)
    model, _ = onnx_gru(np.random.default_rng(0), 3, 1, 2, 4, zero_initial=True)
    for init in model.graph.initializer:
        if init.name == "h0":
            init.CopyFrom(numpy_helper.from_array(np.ones((1, 1, 4), np.float32), "h0"))
    with pytest.raises(OnnxImportError, match="node 'gru' \\(GRU\\): initial state 'h0' must be "
                                              "zero"):
        convert(model)
