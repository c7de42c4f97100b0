"""Trained graphs: save -> load gives identical outputs; the converter
freezes them and the float .tflite matches the reference path on Mote and
LiteRT; bad files give clear errors."""
import json

import numpy as np
import pytest

from conftest import run_litert, run_mote
from mote.converter import convert
from mote.converter.importers.mote_graph import import_trained_graph
from mote.models import layers as L
from mote.models.graph import Input, Model
from mote.models.saving import load, save
from mote.models.training import Adam, fit


def small_model(seed=0):
    x = Input((8, 8, 1))
    h = L.ReLU6()(L.BatchNormalization()(L.Conv2D(8, 3, use_bias=False)(x)))
    r = L.ReLU6()(L.BatchNormalization()(L.DepthwiseConv2D(3)(h)))
    h = L.Add()(h, r)
    h = L.MaxPool(2)(h)
    h = L.Dropout(0.2)(L.GlobalAveragePool()(h))
    return Model(x, L.Dense(10)(h), seed=seed)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (64, 8, 8, 1))
    y = rng.integers(0, 10, 64)
    m = small_model()
    opt = Adam(1e-2)
    history = fit(m, (x, y), epochs=2, batch_size=16, optimizer=opt, progress=False)
    path = tmp_path_factory.mktemp("graphs") / "small.npz"
    save(m, path, opt, history)
    return m, path, x.astype(np.float32)


def test_save_load_identical_outputs(trained):
    m, path, x = trained
    again = load(path)
    np.testing.assert_array_equal(m.predict(x), again.predict(x))
    assert again.history["loss"] and len(again.history["loss"]) == 2


def test_converted_float_model_matches_reference_path(trained, litert_available):
    m, path, x = trained
    g = import_trained_graph(path)
    assert {n.op for n in g.nodes} >= {"BATCH_NORM", "DROPOUT"}
    tflite = convert(str(path))
    want = m.predict(x[:8])
    for k in range(8):
        for got in (run_mote(tflite, [x[k:k + 1]])[0], run_litert(tflite, [x[k:k + 1]])[0]):
            np.testing.assert_allclose(got, want[k:k + 1], rtol=1e-4, atol=1e-5)


def test_frozen_graph_has_no_training_nodes(trained):
    from mote.converter import passes
    g = passes.optimize(import_trained_graph(trained[1]))
    ops = [n.op for n in g.nodes]
    assert "BATCH_NORM" not in ops and "DROPOUT" not in ops and ops.count("RELU6") == 0


def test_corrupt_and_unknown(trained, tmp_path):
    _, path, _ = trained
    bad = tmp_path / "bad.npz"
    bad.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="not a readable Mote trained graph"):
        load(bad)
    with pytest.raises(ValueError, match="not a readable Mote trained graph"):
        import_trained_graph(bad)
    z = dict(np.load(path))
    graph = json.loads(z["__graph__"].tobytes())
    graph["nodes"][1]["op"] = "FancyLayer"
    z["__graph__"] = np.frombuffer(json.dumps(graph).encode(), np.uint8)
    unknown = tmp_path / "unknown.npz"
    np.savez(unknown, **z)
    with pytest.raises(ValueError, match="unknown layer type 'FancyLayer'"):
        load(unknown)
    with pytest.raises(ValueError, match="unknown layer type 'FancyLayer'"):
        convert(str(unknown))


def test_dataset_shape_mismatch(trained):
    m, _, _ = trained
    with pytest.raises(ValueError, match=r"expected samples of shape \[8, 8, 1\], got data of shape \[4, 64\]"):
        m.predict(np.zeros((4, 64), np.float32))
