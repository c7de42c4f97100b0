"""Training on digits reaches a stated accuracy in a bounded number of
epochs; runs are repeatable from the seed; mote train writes its artifacts;
the cupy path agrees with numpy when a GPU is present."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from mote.models import datasets
from mote.models.training import SGD, Adam, accuracy, fit
from mote.models.zoo.definitions import lstm, mlp, softmax_regression
from mote.cli import main


def test_mlp_reaches_85_percent_in_15_epochs():
    train, test = datasets.digits()
    model = mlp()
    history = fit(model, train, test, epochs=15, batch_size=32, optimizer=Adam(2e-3), progress=False)
    assert history["test_accuracy"][-1] >= 0.85
    assert accuracy(model, *test) == history["test_accuracy"][-1]


def test_lstm_reads_digits_row_by_row_to_85_percent_in_5_epochs():
    """The zoo's sequence model (8 steps of 8 pixels): backward through time
    trains it (its initial accuracy is chance, about 10%)."""
    train, test = datasets.digits()
    model = lstm()
    assert accuracy(model, *test) < 0.3
    history = fit(model, train, test, epochs=5, batch_size=32, optimizer=Adam(1e-2),
                  schedule="cosine", progress=False)
    assert history["test_accuracy"][-1] >= 0.85


def test_same_seed_same_run():
    train, _ = datasets.digits()
    runs = []
    for _ in range(2):
        model = softmax_regression()
        fit(model, (train[0][:300], train[1][:300]), epochs=2, optimizer=SGD(0.05, momentum=0.9),
            seed=5, progress=False)
        runs.append(model.variables()["logits/kernel"])
    np.testing.assert_array_equal(runs[0], runs[1])


def test_bad_training_data():
    with pytest.raises(ValueError, match="300 samples but 299 labels"):
        fit(softmax_regression(), (np.zeros((300, 8, 8, 1)), np.zeros(299, int)), progress=False)
    with pytest.raises(ValueError, match="the training set is empty"):
        fit(softmax_regression(), (np.zeros((0, 8, 8, 1)), np.zeros(0, int)), progress=False)


def test_mote_train_writes_artifacts(tmp_path, capsys):
    assert main(["train", "softmax_regression", "-o", str(tmp_path), "--epochs", "3"]) == 0
    assert "float test accuracy" in capsys.readouterr().out
    metrics = json.loads((tmp_path / "softmax_regression.json").read_text())
    assert metrics["epochs"] == 3 and 0 < metrics["float_test_accuracy"] <= 1
    assert (tmp_path / "softmax_regression.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "softmax_regression.npz").stat().st_size > 0


def test_device_selection_errors():
    code = "import models.backend"
    env = dict(os.environ, MOTE_DEVICE="tpu")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "MOTE_DEVICE='tpu'; expected 'cpu', 'gpu'" in r.stderr
    env["MOTE_DEVICE"] = "cpu"
    r = subprocess.run([sys.executable, "-c", code + "; print(models.backend.device)"], env=env,
                       capture_output=True, text=True)
    assert r.stdout.strip() == "cpu"


@pytest.mark.gpu
def test_cupy_matches_numpy():
    cupy = pytest.importorskip("cupy")
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            pytest.skip("no CUDA device")
    except Exception as e:   # no driver
        pytest.skip(f"no CUDA device ({e})")
    code = ("import numpy as np\n"
            "from models import datasets, backend\n"
            "from models.zoo.definitions import small_cnn\n"
            "from models.training import Adam, fit\n"
            "train, test = datasets.digits()\n"
            "m = small_cnn()\n"
            "fit(m, (train[0][:256], train[1][:256]), epochs=2, optimizer=Adam(1e-3), progress=False)\n"
            "np.save('/tmp/mote_gpu_check_' + backend.device + '.npy', m.predict(test[0][:64]))\n")
    for device in ("cpu", "gpu"):
        r = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, MOTE_DEVICE=device),
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    a, b = np.load("/tmp/mote_gpu_check_cpu.npy"), np.load("/tmp/mote_gpu_check_gpu.npy")
    # float32 on two devices: summation order differs, so results agree to
    # float32 rounding amplified over two epochs of training.
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)
