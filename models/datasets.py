"""Datasets. `digits`: scikit-learn's bundled 8x8 handwritten digits (no
download), split in order: the first 1438 samples train, the last 359 test.
Images are NHWC float32 in [0, 1]."""
from __future__ import annotations

import numpy

TRAIN_SIZE = 1438


def digits():
    """(x_train, y_train), (x_test, y_test)."""
    from sklearn.datasets import load_digits
    d = load_digits()
    x = (d.images.astype(numpy.float32) / 16.0)[..., None]
    y = d.target.astype(numpy.int64)
    return (x[:TRAIN_SIZE], y[:TRAIN_SIZE]), (x[TRAIN_SIZE:], y[TRAIN_SIZE:])


DATASETS = {"digits": digits}


def load(name: str):
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; built in: {sorted(DATASETS)}")
    return DATASETS[name]()
