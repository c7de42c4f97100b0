"""Every layer's backward against central finite differences in float64,
and the model graph's chain rule on a small network."""
import numpy as np
import pytest

from mote.models import layers as L
from mote.models.graph import Input, Model


def numeric_grad(f, x, idx, eps=1e-6):
    old = x[idx]
    x[idx] = old + eps
    hi = f()
    x[idx] = old - eps
    lo = f()
    x[idx] = old
    return (hi - lo) / (2 * eps)


def check_layer(layer, shapes, training=False, seed=0):
    rng = np.random.default_rng(seed)
    layer.build([s[1:] for s in shapes], rng)
    for k in layer.params:
        layer.params[k] = layer.params[k] + rng.normal(0, 0.3, layer.params[k].shape)
    xs = [rng.standard_normal(s) for s in shapes]
    out, cache = layer.forward(xs, training)
    g = rng.standard_normal(out.shape)
    gxs, gps = layer.backward(cache, g)

    def objective():
        return float((layer.forward(xs, training)[0] * g).sum())

    for x, gx in zip(xs, gxs):
        assert gx.shape == x.shape
        for idx in list(np.ndindex(x.shape))[:: max(1, x.size // 40)]:
            assert abs(numeric_grad(objective, x, idx) - gx[idx]) <= 1e-5 * (1 + abs(gx[idx])), \
                (layer.op, "input", idx)
    for name, p in layer.params.items():
        for idx in list(np.ndindex(p.shape))[:: max(1, p.size // 40)]:
            assert abs(numeric_grad(objective, p, idx) - gps[name][idx]) <= 1e-5 * (1 + abs(gps[name][idx])), \
                (layer.op, name, idx)


@pytest.mark.parametrize("layer, shapes, training", [
    (L.Dense(5), [(3, 7)], False),
    (L.Dense(4, use_bias=False), [(2, 3, 6)], False),
    (L.Conv2D(4, 3), [(2, 5, 6, 3)], False),
    (L.Conv2D(3, (2, 3), strides=2, padding="valid"), [(2, 7, 6, 2)], False),
    (L.Conv2D(2, 3, dilation=2), [(1, 7, 7, 2)], False),
    (L.DepthwiseConv2D(3), [(2, 5, 5, 3)], False),
    (L.DepthwiseConv2D(3, strides=2, depth_multiplier=2), [(1, 6, 7, 2)], False),
    (L.BatchNormalization(), [(4, 3, 3, 5)], True),
    (L.BatchNormalization(), [(6, 4)], True),
    (L.BatchNormalization(), [(6, 4)], False),
    (L.ReLU(), [(3, 4, 4, 2)], False),
    (L.ReLU6(), [(3, 10)], False),
    (L.Sigmoid(), [(3, 10)], False),
    (L.Tanh(), [(3, 10)], False),
    (L.Softmax(), [(3, 10)], False),
    (L.MaxPool(2), [(2, 6, 6, 3)], False),
    (L.MaxPool(3, strides=2, padding="same"), [(1, 7, 5, 2)], False),
    (L.AveragePool(2), [(2, 6, 6, 3)], False),
    (L.AveragePool(3, strides=2, padding="same"), [(1, 7, 5, 2)], False),
    (L.GlobalAveragePool(), [(2, 4, 5, 3)], False),
    (L.Flatten(), [(2, 3, 3, 2)], False),
    (L.Reshape((9, 2)), [(2, 3, 3, 2)], False),
    (L.Add(), [(2, 4, 3), (2, 4, 3)], False),
    (L.Concatenate(), [(2, 3, 2), (2, 3, 4)], False),
])
def test_layer_gradients(layer, shapes, training):
    check_layer(layer, shapes, training)


@pytest.mark.parametrize("layer", [L.LSTM, L.GRU])
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("return_sequences", [False, True])
def test_recurrent_gradients_through_time(layer, seed, return_sequences):
    """Random batch, length (1 to 6 steps), features and units."""
    rng = np.random.default_rng(100 + seed)
    batch, steps, features, units = (int(v) for v in rng.integers(1, 5, 4))
    steps = [1, 2, 5, 6][seed]
    check_layer(layer(units, return_sequences=return_sequences), [(batch, steps, features)],
                seed=seed)


def test_lstm_forward_against_a_step_by_step_float64_loop():
    """The forward against the LSTM equations written out per sample and
    step in plain numpy (gate blocks i, f, c, o of the stacked weights)."""
    rng = np.random.default_rng(7)
    layer = L.LSTM(3, return_sequences=True)
    layer.build([(4, 2)], rng)
    x = rng.standard_normal((2, 4, 2))
    y = layer.forward([x], False)[0]
    w, r, b = (layer.params[k] for k in ("kernel", "recurrent_kernel", "bias"))

    def sig(v):
        return 1 / (1 + np.exp(-v))
    for n in range(2):
        h, c = np.zeros(3), np.zeros(3)
        for t in range(4):
            z = [w[k * 3:(k + 1) * 3] @ x[n, t] + r[k * 3:(k + 1) * 3] @ h + b[k * 3:(k + 1) * 3]
                 for k in range(4)]
            c = sig(z[1]) * c + sig(z[0]) * np.tanh(z[2])
            h = sig(z[3]) * np.tanh(c)
            np.testing.assert_allclose(y[n, t], h, rtol=1e-12, atol=1e-12)
    last = L.LSTM(3)
    last.params = layer.params
    np.testing.assert_array_equal(last.forward([x], False)[0], y[:, -1])


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((5, 7))
    labels = rng.integers(0, 7, 5)
    loss, grad = L.softmax_cross_entropy(logits, labels)
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert abs(loss - (-np.log(p[np.arange(5), labels]).mean())) < 1e-12
    for idx in np.ndindex(logits.shape):
        num = numeric_grad(lambda: float(L.softmax_cross_entropy(logits, labels)[0]), logits, idx)
        assert abs(num - grad[idx]) < 1e-7


def test_dropout_scales_and_masks():
    d = L.Dropout(0.25, seed=3)
    x = np.ones((200, 50))
    y, keep = d.forward([x], training=True)
    assert abs(y.mean() - 1) < 0.05 and set(np.unique(y)) <= {0.0, 1 / 0.75}
    gx, _ = d.backward(keep, np.ones_like(x))
    np.testing.assert_array_equal(gx[0], y)
    np.testing.assert_array_equal(d.forward([x], training=False)[0], x)


def test_model_chain_rule_with_residual():
    x = Input((5, 5, 2))
    h = L.Conv2D(3, 3, name="c1")(x)
    r = L.ReLU()(h)
    s = L.Add()(h, r)                  # h feeds two layers: gradients must add up
    y = L.Dense(4, name="fc")(L.Flatten()(s))
    m = Model(x, y, seed=0, dtype="float64")
    rng = np.random.default_rng(2)
    data = rng.standard_normal((2, 5, 5, 2))
    g = rng.standard_normal((2, 4))
    out, trace = m.forward(data)
    grads = m.backward(trace, g)
    w = m.layers[0].params["kernel"]
    for idx in list(np.ndindex(w.shape))[::7]:
        num = numeric_grad(lambda: float((m.forward(data)[0] * g).sum()), w, idx)
        assert abs(num - grads["c1"]["kernel"][idx]) < 1e-5 * (1 + abs(num))
