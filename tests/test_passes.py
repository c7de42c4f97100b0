"""Each pass keeps the graph's outputs (reference executor, float64) and does
its rewrite."""
import numpy as np
import pytest

from mote.converter import ir, passes, reference


def chain(ops, rng, bias=True):
    """x [1, 6, 6, 3] -> CONV_2D (3 -> 4) -> ops..., returning the graph."""
    g = ir.Graph()
    g.add_tensor(ir.Tensor("x", (1, 6, 6, 3)))
    g.add_tensor(ir.Tensor("w", (4, 3, 3, 3), data=rng.standard_normal((4, 3, 3, 3)).astype(np.float32)))
    ins = ["x", "w"]
    if bias:
        g.add_tensor(ir.Tensor("b", (4,), data=rng.standard_normal(4).astype(np.float32)))
        ins.append("b")
    g.add_tensor(ir.Tensor("c", (1, 6, 6, 4)))
    g.nodes.append(ir.Node("CONV_2D", ins, ["c"], {"padding": "SAME", "stride_w": 1, "stride_h": 1},
                           "conv"))
    last = "c"
    for k, (op, extra, options) in enumerate(ops):
        out = f"y{k}"
        g.add_tensor(ir.Tensor(out, (1, 6, 6, 4)))
        names = []
        for j, arr in enumerate(extra):
            names.append(f"{out}_p{j}")
            g.add_tensor(ir.Tensor(names[-1], arr.shape, data=arr.astype(np.float32)))
        g.nodes.append(ir.Node(op, [last] + names, [out], options, f"{op.lower()}{k}"))
        last = out
    g.inputs, g.outputs = ["x"], [last]
    return g


def bn_params(rng):
    return [rng.uniform(0.5, 2, 4), rng.standard_normal(4), rng.standard_normal(4),
            rng.uniform(0.1, 2, 4)]


def assert_same_outputs(a, b, rng):
    feed = {"x": rng.standard_normal((1, 6, 6, 3))}
    ra, rb = reference.run(a, feed), reference.run(b, feed)
    assert list(ra) == list(rb)
    for k in ra:
        np.testing.assert_allclose(rb[k], ra[k], rtol=1e-5, atol=1e-5)   # float32 weights


@pytest.mark.parametrize("bias", [True, False])
def test_fold_batch_norm_into_conv(bias):
    rng = np.random.default_rng(1)
    g = chain([("BATCH_NORM", bn_params(rng), {"epsilon": 1e-3})], rng, bias)
    folded = passes.fold_batch_norm(g)
    assert [n.op for n in folded.nodes] == ["CONV_2D"]
    assert_same_outputs(g, folded, rng)


def test_batch_norm_after_activation_becomes_mul_add():
    rng = np.random.default_rng(2)
    g = chain([("RELU", [], {}), ("BATCH_NORM", bn_params(rng), {})], rng)
    out = passes.fold_batch_norm(g)
    assert [n.op for n in out.nodes] == ["CONV_2D", "RELU", "MUL", "ADD"]
    assert_same_outputs(g, out, rng)


def test_fuse_activations_and_remove_identities():
    rng = np.random.default_rng(3)
    g = chain([("DROPOUT", [], {}), ("RELU6", [], {}), ("IDENTITY", [], {})], rng)
    out = passes.optimize(g)
    assert [n.op for n in out.nodes] == ["CONV_2D"]
    assert out.nodes[0].options["fused_activation_function"] == "RELU6"
    assert out.outputs == g.outputs
    assert_same_outputs(g, out, rng)


def test_activation_not_fused_when_the_input_has_other_readers():
    rng = np.random.default_rng(4)
    g = chain([("RELU", [], {})], rng)
    g.add_tensor(ir.Tensor("z", (1, 6, 6, 4)))
    g.nodes.append(ir.Node("ADD", ["c", "y0"], ["z"], {}, "add"))
    g.outputs = ["z"]
    out = passes.fuse_activations(g)
    assert [n.op for n in out.nodes] == ["CONV_2D", "RELU", "ADD"]
    assert_same_outputs(g, out, rng)
