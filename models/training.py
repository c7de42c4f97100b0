"""Optimizers and the training loop."""
from __future__ import annotations

import numpy

from . import layers as L
from .backend import to_numpy, xp


class SGD:
    """Gradient descent with momentum and (decoupled) weight decay."""

    def __init__(self, learning_rate=0.01, momentum=0.0, weight_decay=0.0):
        self.lr, self.momentum, self.wd = learning_rate, momentum, weight_decay
        self.velocity = {}

    def config(self):
        return {"type": "SGD", "learning_rate": self.lr, "momentum": self.momentum,
                "weight_decay": self.wd}

    def step(self, layer, name, grad):
        p = layer.params[name]
        key = (layer.name, name)
        v = self.velocity.get(key, 0.0) * self.momentum - self.lr * grad
        self.velocity[key] = v
        layer.params[name] = p + v - self.lr * self.wd * p

    def state(self):
        return {f"{a}/{b}/velocity": to_numpy(v) for (a, b), v in self.velocity.items()}


class Adam:
    def __init__(self, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.0):
        self.lr, self.b1, self.b2, self.eps, self.wd = learning_rate, beta1, beta2, epsilon, weight_decay
        self.m, self.v, self.t = {}, {}, {}

    def config(self):
        return {"type": "Adam", "learning_rate": self.lr, "beta1": self.b1, "beta2": self.b2,
                "epsilon": self.eps, "weight_decay": self.wd}

    def step(self, layer, name, grad):
        key = (layer.name, name)
        t = self.t[key] = self.t.get(key, 0) + 1
        m = self.m[key] = self.b1 * self.m.get(key, 0.0) + (1 - self.b1) * grad
        v = self.v[key] = self.b2 * self.v.get(key, 0.0) + (1 - self.b2) * grad * grad
        mhat, vhat = m / (1 - self.b1 ** t), v / (1 - self.b2 ** t)
        p = layer.params[name]
        layer.params[name] = p - self.lr * (mhat / (xp.sqrt(vhat) + self.eps) + self.wd * p)

    def state(self):
        out = {f"{a}/{b}/m": to_numpy(v) for (a, b), v in self.m.items()}
        out.update({f"{a}/{b}/v": to_numpy(v) for (a, b), v in self.v.items()})
        return out


def accuracy(model, x, y, batch_size=256) -> float:
    return float((model.predict(x, batch_size).argmax(-1) == y).mean())


def fit(model, train, test=None, epochs=10, batch_size=32, optimizer=None, seed=0, progress=True,
        schedule="constant", augment=None):
    """Trains on (x, y) with softmax cross-entropy. Returns the history:
    per-epoch loss, train accuracy and (if given) test accuracy.

    schedule: "constant" or "cosine" (the learning rate decays to 0 over the
    epochs). augment: f(x_batch, rng) -> x_batch, applied to training batches."""
    import math
    from tqdm import tqdm
    x, y = train
    if len(x) == 0:
        raise ValueError("the training set is empty")
    if len(x) != len(y):
        raise ValueError(f"{len(x)} samples but {len(y)} labels")
    optimizer = optimizer or Adam()
    rng = numpy.random.default_rng(seed)
    history = {"loss": [], "train_accuracy": [], "test_accuracy": []}
    base_lr = optimizer.lr
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"schedule {schedule!r}; expected 'constant' or 'cosine'")
    for epoch in range(epochs):
        if schedule == "cosine":
            optimizer.lr = base_lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
        order = rng.permutation(len(x))
        total, batches = 0.0, range(0, len(x), batch_size)
        bar = tqdm(batches, desc=f"epoch {epoch + 1}/{epochs}", disable=not progress, leave=False)
        for start in bar:
            idx = order[start:start + batch_size]
            batch = augment(x[idx], rng) if augment else x[idx]
            logits, trace = model.forward(xp.asarray(batch), training=True)
            loss, grad = L.softmax_cross_entropy(logits, xp.asarray(y[idx]))
            grads = model.backward(trace, grad)
            for layer in model.layers:
                for name, g in grads.get(layer.name, {}).items():
                    optimizer.step(layer, name, g)
            total += float(loss) * len(idx)
        history["loss"].append(total / len(x))
        history["train_accuracy"].append(accuracy(model, x, y))
        if test is not None:
            history["test_accuracy"].append(accuracy(model, *test))
        if progress:
            msg = f"epoch {epoch + 1}/{epochs}: loss {history['loss'][-1]:.4f}, train accuracy " \
                  f"{history['train_accuracy'][-1]:.4f}"
            if test is not None:
                msg += f", test accuracy {history['test_accuracy'][-1]:.4f}"
            tqdm.write(msg)
    optimizer.lr = base_lr
    return history


def random_shift(x, rng, pixels=1):
    """Shifts each image by up to `pixels` in each direction (zero fill)."""
    out = numpy.zeros_like(x)
    h, w = x.shape[1:3]
    for i, (dy, dx) in enumerate(rng.integers(-pixels, pixels + 1, (len(x), 2))):
        out[i, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            x[i, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def plot_history(history: dict, path: str, title: str = "") -> None:
    """Loss and accuracy per epoch, as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = range(1, len(history["loss"]) + 1)
    a.plot(epochs, history["loss"])
    a.set_xlabel("epoch")
    a.set_ylabel("training loss")
    b.plot(epochs, history["train_accuracy"], label="train")
    if history.get("test_accuracy"):
        b.plot(epochs, history["test_accuracy"], label="test")
    b.set_xlabel("epoch")
    b.set_ylabel("accuracy")
    b.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
