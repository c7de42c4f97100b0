"""The model zoo: definitions and training recipes, all for 8x8 digits.

    softmax_regression  the classic first example: x -> softmax(x W + b),
                        plain gradient descent at 0.01
    mlp                 two hidden layers
    small_cnn           conv, pool, conv, dense
    mobilenet_style     depthwise-separable blocks with batch norm and ReLU6,
                        one residual connection
    lstm                the image read row by row: 8 steps of 8 pixels
                        through an LSTM, every step's output into the
                        classifier
"""
from __future__ import annotations

from .. import layers as L
from ..graph import Input, Model
from ..training import SGD, Adam, random_shift


def softmax_regression():
    x = Input((8, 8, 1), name="image")
    return Model(x, L.Dense(10, name="logits")(L.Flatten(name="flat")(x)), name="softmax_regression")


def mlp():
    x = Input((8, 8, 1), name="image")
    h = L.Dropout(0.2)(L.ReLU()(L.Dense(128)(L.Flatten()(x))))
    h = L.Dropout(0.2)(L.ReLU()(L.Dense(64)(h)))
    return Model(x, L.Dense(10, name="logits")(h), name="mlp")


def small_cnn():
    x = Input((8, 8, 1), name="image")
    h = L.ReLU()(L.Conv2D(16, 3)(x))
    h = L.MaxPool(2)(h)
    h = L.ReLU()(L.Conv2D(32, 3)(h))
    h = L.Dropout(0.2)(L.Flatten()(h))
    return Model(x, L.Dense(10, name="logits")(h), name="small_cnn")


def _separable(h, filters, stride):
    h = L.ReLU6()(L.BatchNormalization()(L.DepthwiseConv2D(3, strides=stride, use_bias=False)(h)))
    return L.BatchNormalization()(L.Conv2D(filters, 1, use_bias=False)(h))


def mobilenet_style(width=32):
    x = Input((8, 8, 1), name="image")
    h = L.ReLU6()(L.BatchNormalization()(L.Conv2D(width, 3, use_bias=False)(x)))
    h = L.ReLU6()(_separable(h, width, 1))
    h = L.ReLU6()(L.Add(name="residual")(h, _separable(h, width, 1)))
    h = L.ReLU6()(_separable(h, 2 * width, 2))
    h = L.ReLU6()(_separable(h, 2 * width, 1))
    h = L.Dropout(0.2)(L.GlobalAveragePool()(h))
    return Model(x, L.Dense(10, name="logits")(h), name="mobilenet_style")


def lstm(units=32):
    x = Input((8, 8, 1), name="image")
    rows = L.Reshape((8, 8), name="rows")(x)
    h = L.LSTM(units, return_sequences=True)(rows)
    return Model(x, L.Dense(10, name="logits")(L.Flatten()(h)), name="lstm")


# name -> (builder, training recipe for models.training.fit)
ZOO = {
    "softmax_regression": (softmax_regression,
                           dict(epochs=300, batch_size=32, optimizer=lambda: SGD(0.01))),
    "mlp": (mlp, dict(epochs=60, batch_size=32, optimizer=lambda: Adam(1e-3, weight_decay=1e-4),
                      schedule="cosine")),
    "small_cnn": (small_cnn, dict(epochs=30, batch_size=32, optimizer=lambda: Adam(3e-3),
                                  schedule="cosine", augment=random_shift)),
    "mobilenet_style": (mobilenet_style, dict(epochs=30, batch_size=32, optimizer=lambda: Adam(3e-3),
                                              schedule="cosine", augment=random_shift)),
    "lstm": (lstm, dict(epochs=20, batch_size=32, optimizer=lambda: Adam(1e-2), schedule="cosine")),
}
