"""Fuzzing the converter's importers: valid models (float .tflite, ONNX,
trained graphs) mutated at random, byte by byte and field by field, then
converted (float, dynamic, int8). The converter either converts or refuses
with its own error type (ConversionError, or the runtime verifier's
MoteError for a malformed .tflite); any other exception is a bug to fix at
its source. Seeded, so a failure reproduces; the case name says which
mutation of which model failed."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest

from mote import runtime as pyruntime
from mote.converter import ConversionError, convert
from mote.converter.tflite import flatbuf
from mote.models.zoo import make_example
from mote.models.zoo.train import HERE as ZOO
from op_cases import float_cases, sparse_weights_model

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

REFUSALS = (ConversionError, pyruntime.MoteError)
MUTANTS_PER_SEED = 100
MODES = ({"quantize": "none"}, {"quantize": "dynamic"}, {"quantize": "int8"})


# -- seeds: valid models -----------------------------------------------------------

def tflite_seeds():
    yield "example_cnn", make_example.OUT.read_bytes()
    for op in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "MEAN", "PAD",
               "CONCATENATION", "RESHAPE", "SOFTMAX", "RESIZE_BILINEAR", "TRANSPOSE", "DEQUANTIZE"):
        name, data, _ = next(float_cases(op, 1, seed=7))
        yield name, data


def onnx_seeds():
    rng = np.random.default_rng(0)

    def init(name, shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.3).astype(np.float32), name)

    def model(name, nodes, x_shape, y_shape, inits):
        graph = helper.make_graph(nodes, name,
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
                                  inits)
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)

    yield "onnx_conv", model("conv", [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["p"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], transB=1),
    ], [1, 3, 6, 6], [1, 4], [init("w", (8, 3, 3, 3)), init("b", (8,)), init("wf", (4, 8)),
                              init("bf", (4,))])
    yield "onnx_depthwise", model("dw", [
        helper.make_node("Conv", ["x", "wd"], ["d"], group=3, pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["d", "g", "be", "mu", "var"], ["n"]),
        helper.make_node("Add", ["x", "n"], ["a"]),
        helper.make_node("AveragePool", ["a"], ["y"], kernel_shape=[2, 2], strides=[2, 2]),
    ], [1, 3, 4, 4], [1, 3, 2, 2], [init("wd", (3, 1, 3, 3)), init("g", (3,)), init("be", (3,)),
                                    init("mu", (3,)), numpy_helper.from_array(
                                        np.ones(3, np.float32), "var")])
    yield "onnx_mlp", model("mlp", [
        helper.make_node("MatMul", ["x", "w"], ["m"]),
        helper.make_node("Add", ["m", "b"], ["a"]),
        helper.make_node("Sigmoid", ["a"], ["s"]),
        helper.make_node("Reshape", ["s", "shape"], ["r"]),
        helper.make_node("Softmax", ["r"], ["y"], axis=-1),
    ], [1, 6], [1, 5], [init("w", (6, 5)), init("b", (5,)),
                        numpy_helper.from_array(np.array([1, 5], np.int64), "shape")])


def npz_seeds():
    for name in ("softmax_regression", "mlp", "small_cnn"):
        yield name, (ZOO / f"{name}.npz").read_bytes()


# -- mutations -------------------------------------------------------------------

def mutate_bytes(data: bytes, rng) -> bytes:
    """One of: bit flips, a truncation, an inserted or deleted run of bytes,
    a 32-bit word overwritten with an edge value."""
    b = bytearray(data)
    kind = rng.integers(5)
    if kind == 0:
        for pos in rng.integers(0, len(b), rng.integers(1, 9)):
            b[pos] ^= 1 << int(rng.integers(8))
    elif kind == 1:
        del b[int(rng.integers(len(b))):]
    elif kind == 2:
        pos = int(rng.integers(len(b) + 1))
        b[pos:pos] = rng.integers(0, 256, rng.integers(1, 64), dtype=np.uint8).tobytes()
    elif kind == 3:
        pos = int(rng.integers(len(b)))
        del b[pos:pos + int(rng.integers(1, 64))]
    else:
        pos = int(rng.integers(0, max(1, len(b) - 4)))
        value = int(rng.choice([0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, len(b), len(b) * 4]))
        b[pos:pos + 4] = value.to_bytes(4, "little")
    return bytes(b)


EDGE_INTS = [0, -1, 1, 2, 3, 7, 255, 2 ** 31 - 1, -2 ** 31]


def mutate_tflite(data: bytes, rng, subgraph: int = 0) -> bytes:
    """One field of the decoded model (of its subgraph `subgraph`) changed,
    then encoded again."""
    m = flatbuf.decode(data)
    sg = m["subgraphs"][subgraph]
    t = sg["tensors"][int(rng.integers(len(sg["tensors"])))]
    op = sg["operators"][int(rng.integers(len(sg["operators"])))]
    kind = rng.integers(8)
    if kind == 0 and t["shape"] is not None and len(t["shape"]):
        t["shape"] = np.array(t["shape"])
        t["shape"][int(rng.integers(len(t["shape"])))] = int(rng.choice(EDGE_INTS[:7]))
    elif kind == 1:
        t["type"] = int(rng.integers(0, 18))
    elif kind == 2:
        t["sparsity"] = {}
    elif kind == 3:
        key = str(rng.choice(["inputs", "outputs"]))
        op[key] = np.array(op[key])
        op[key][int(rng.integers(len(op[key])))] = int(rng.choice([-1, 0, len(sg["tensors"]) - 1]))
    elif kind == 4 and op.get("builtin_options") and op["builtin_options"][1]:
        table, values = op["builtin_options"]
        field = str(rng.choice(sorted(values)))
        v = values[field]
        if isinstance(v, (bool, np.bool_)):
            values[field] = not v
        elif not isinstance(v, (np.ndarray, list)):   # values every integer field's type holds
            values[field] = type(v)(rng.choice([-1, 0, 1, 2, 3, 7, 100]))
    elif kind == 5:
        code = m["operator_codes"][op["opcode_index"]]
        code["builtin_code"] = code["deprecated_builtin_code"] = int(rng.integers(0, 127))
    elif kind == 6:
        buf = m["buffers"][int(rng.integers(len(m["buffers"])))]
        if buf.get("data") is not None:
            buf["data"] = buf["data"][:int(rng.integers(len(buf["data"]) + 1))]
    else:
        sg[str(rng.choice(["inputs", "outputs"]))] = np.array(
            rng.integers(-1, len(sg["tensors"]), rng.integers(0, 3)), np.int32)
    return flatbuf.encode(m)


def mutate_onnx(model, rng):
    """One attribute, shape, dtype or initializer of a copy of `model` changed."""
    m = onnx.ModelProto.FromString(model.SerializeToString())
    g = m.graph
    kind = rng.integers(6)
    node = g.node[int(rng.integers(len(g.node)))]
    if kind == 0 and len(node.attribute):
        a = node.attribute[int(rng.integers(len(node.attribute)))]
        if a.type == onnx.AttributeProto.INT:
            a.i = int(rng.choice(EDGE_INTS[:7]))
        elif a.type == onnx.AttributeProto.INTS and len(a.ints):
            a.ints[int(rng.integers(len(a.ints)))] = int(rng.choice(EDGE_INTS[:7]))
        elif a.type == onnx.AttributeProto.FLOAT:
            a.f = float(rng.choice([0.0, -1.0, np.inf, np.nan]))
    elif kind == 1:
        dims = g.input[0].type.tensor_type.shape.dim
        dims[int(rng.integers(len(dims)))].dim_value = int(rng.choice([0, 1, 2, 5, 9]))
    elif kind == 2 and len(g.initializer):
        init = g.initializer[int(rng.integers(len(g.initializer)))]
        arr = numpy_helper.to_array(init)
        arr = arr.astype(rng.choice([np.float64, np.int64, np.int8, np.float16, np.bool_]))
        init.CopyFrom(numpy_helper.from_array(arr, init.name))
    elif kind == 3 and len(g.initializer):
        del g.initializer[int(rng.integers(len(g.initializer)))]
    elif kind == 4 and len(g.initializer):
        init = g.initializer[int(rng.integers(len(g.initializer)))]
        arr = numpy_helper.to_array(init).ravel()
        arr = arr[:int(rng.integers(arr.size + 1))]
        init.CopyFrom(numpy_helper.from_array(arr, init.name))
    else:
        node.op_type = str(rng.choice(["Relu", "Conv", "Gemm", "MatMul", "Add", "Softmax",
                                       "Flatten", "Reshape", "Pad", "Transpose", "Clip"]))
    return m


def mutate_trained_graph(data: bytes, path, rng) -> None:
    """The trained graph's JSON or one variable changed, written to `path`."""
    with np.load(io.BytesIO(data)) as z:
        arrays = {k: z[k] for k in z.files}
    graph = json.loads(arrays["__graph__"].tobytes().decode())
    kind = rng.integers(4)
    node = graph["nodes"][int(rng.integers(len(graph["nodes"])))]
    if kind == 0 and node["config"]:
        key = str(rng.choice(sorted(node["config"])))
        node["config"][key] = [0, -1, 3, None, "same", [1], [0, 0], "x"][int(rng.integers(8))]
    elif kind == 1:
        node["shape"] = [int(v) for v in rng.integers(0, 5, rng.integers(0, 4))]
    elif kind == 2:
        node["inputs"] = [str(rng.choice(["nope"] + [n["name"] for n in graph["nodes"]]))]
    else:
        key = str(rng.choice([k for k in arrays if k.startswith("var/")]))
        arrays[key] = arrays[key].ravel()[:int(rng.integers(arrays[key].size + 1))]
        graph["variables"][key[4:]]["shape"] = list(arrays[key].shape)
    arrays["__graph__"] = np.frombuffer(json.dumps(graph).encode(), np.uint8)
    np.savez(path, **arrays)


# -- the harness -----------------------------------------------------------------

def mutants(tmp_path):
    """(case name, source for convert) for every mutant of every seed."""
    rng = np.random.default_rng(2024)
    for name, data in tflite_seeds():
        for k in range(MUTANTS_PER_SEED):
            yield f"{name}/bytes{k}", mutate_bytes(data, rng)
            yield f"{name}/fields{k}", mutate_tflite(data, rng)
    for name, model in onnx_seeds():
        raw = model.SerializeToString()
        for k in range(MUTANTS_PER_SEED):
            path = tmp_path / f"{name}_bytes{k}.onnx"
            path.write_bytes(mutate_bytes(raw, rng))
            yield f"{name}/bytes{k}", path
            yield f"{name}/fields{k}", mutate_onnx(model, rng)
    for name, data in npz_seeds():
        for k in range(MUTANTS_PER_SEED):
            path = tmp_path / f"{name}_bytes{k}.npz"
            path.write_bytes(mutate_bytes(data, rng))
            yield f"{name}/bytes{k}", path
            path = tmp_path / f"{name}_fields{k}.npz"
            mutate_trained_graph(data, path, rng)
            yield f"{name}/fields{k}", path


def calibration_for(source):
    """Four random samples shaped like the model's (first) input (none if that
    is too large to calibrate here: refused as empty). Random data may well be
    refused for a mutant's odd input."""
    from mote.converter.convert import load
    g = load(source)
    shape = tuple(g.tensors[g.inputs[0]].shape) if g.inputs else ()
    count = 4 if np.prod(shape, dtype=np.float64) <= 1e5 else 0
    return np.random.default_rng(0).standard_normal((count,) + shape).astype(np.float32)


@pytest.mark.filterwarnings("error::RuntimeWarning")   # numpy's warnings mean NaN slipped through
def test_mutated_models_convert_or_are_refused_clearly(tmp_path):
    tried, escapes = 0, []
    for case, source in mutants(tmp_path):
        for mode in MODES:
            tried += 1
            try:
                extra = {"representative_data": calibration_for(source)} \
                    if mode["quantize"] == "int8" else {}
                convert(source, **mode, **extra)
            except REFUSALS as e:
                assert str(e), f"{case} {mode}: an error without a message"
            except Exception as e:   # noqa: BLE001 - the point: nothing else may escape
                escapes.append(f"{case} {mode['quantize']}: {type(e).__name__}: {e}")
    assert tried == 3 * 2 * MUTANTS_PER_SEED * (13 + 3 + 3)
    assert not escapes, f"{len(escapes)} of {tried} conversions escaped:\n" + "\n".join(escapes)


def test_sparse_tensor_is_refused_by_name():
    with pytest.raises(ConversionError, match=r"tensor 1 'w' \(FLOAT32 \[2, 4\]\) \(stored "
                                              r"sparse\): sparsity with traversal order \[\]"):
        convert(sparse_weights_model(), quantize="int8", representative_data=np.ones((2, 1, 4)))
