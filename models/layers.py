"""Layers of the reference path: NHWC, written once against `xp` (numpy or
cupy). Each layer owns its forward and its local backward:

    out, cache = layer.forward(inputs, training)
    input_grads, param_grads = layer.backward(cache, grad_out)

Weights use TFLite's layouts (Dense [out, in], Conv2D [out, kh, kw, in],
DepthwiseConv2D [1, kh, kw, in * multiplier]) so a trained graph converts
without reshuffling. Gradients are checked against finite differences in
float64 (tests/test_layers.py). The forward of convolutions and pools is the
converter's (converter/windows.py), so training and the converter's
reference executor compute them with the same code.
"""
from __future__ import annotations

import math

import numpy

from ..converter import windows
from ..converter.windows import Window2D

from .backend import xp


class Layer:
    """Base class. `params` are trained; `state` (batch-norm statistics) is
    updated by forward in training mode and saved with the weights."""
    op = ""
    n_inputs = 1

    def __init__(self, name=None):
        self.name = name
        self.params = {}
        self.state = {}

    def __call__(self, *inputs):
        """Applies the layer to symbolic inputs (models.graph.Symbol)."""
        from .graph import Symbol
        if self.n_inputs >= 0 and len(inputs) != self.n_inputs:
            raise ValueError(f"{self.op} takes {self.n_inputs} input(s), got {len(inputs)}")
        return Symbol(self, list(inputs), self.output_shape([s.shape for s in inputs]))

    def build(self, input_shapes, rng):
        """Creates parameters for inputs of these shapes (batch dim excluded)."""

    def output_shape(self, input_shapes):
        return input_shapes[0]

    def config(self) -> dict:
        return {}

    def forward(self, inputs, training):
        raise NotImplementedError

    def backward(self, cache, grad):
        raise NotImplementedError


class _Windowed(Layer):
    """Convolutions and pools: the window geometry and the forward are the
    converter's (converter/windows.py, the one copy of that array math); the
    backward walks the same taps."""

    def _window(self, shape) -> Window2D:
        return Window2D(shape, self.kernel, self.strides, self.dilation, self.padding)

    def output_shape(self, input_shapes):
        h, w, c = input_shapes[0]
        win = self._window((1, h, w, c))
        return (win.out_h, win.out_w, self._out_channels(c))

    def _bias(self):
        return self.params["bias"] if self.use_bias else None


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


class Conv2D(_Windowed):
    op = "Conv2D"

    def __init__(self, filters, kernel_size, strides=1, padding="same", dilation=1,
                 use_bias=True, name=None):
        super().__init__(name)
        self.filters, self.kernel = filters, _pair(kernel_size)
        self.strides, self.padding, self.dilation = _pair(strides), padding, _pair(dilation)
        self.use_bias = use_bias

    def _out_channels(self, c):
        return self.filters

    def config(self):
        return {"filters": self.filters, "kernel_size": list(self.kernel),
                "strides": list(self.strides), "padding": self.padding,
                "dilation": list(self.dilation), "use_bias": self.use_bias}

    def build(self, input_shapes, rng):
        c = input_shapes[0][-1]
        fan_in = self.kernel[0] * self.kernel[1] * c
        self.params["kernel"] = xp.asarray(rng.normal(0, math.sqrt(2 / fan_in),
                                                      (self.filters, *self.kernel, c)))
        if self.use_bias:
            self.params["bias"] = xp.zeros(self.filters)

    def forward(self, inputs, training):
        win = self._window(inputs[0].shape)
        y, xpad = windows.conv_2d(xp, inputs[0], self.params["kernel"], self._bias(), win)
        return y, (xpad, win)

    def backward(self, cache, grad):
        xpad, win = cache
        w = self.params["kernel"]
        gw = xp.zeros_like(w)
        gx = xp.zeros_like(xpad)
        g2 = grad.reshape(-1, grad.shape[-1])
        for ky, kx in win.taps():
            sl = win.tap(ky, kx)
            gw[:, ky, kx, :] = g2.T @ xpad[sl].reshape(-1, xpad.shape[-1])
            gx[sl] += grad @ w[:, ky, kx, :]
        pg = {"kernel": gw}
        if self.use_bias:
            pg["bias"] = g2.sum(axis=0)
        return [win.unpad(gx)], pg


class DepthwiseConv2D(_Windowed):
    op = "DepthwiseConv2D"

    def __init__(self, kernel_size, strides=1, padding="same", depth_multiplier=1, dilation=1,
                 use_bias=True, name=None):
        super().__init__(name)
        self.kernel, self.strides = _pair(kernel_size), _pair(strides)
        self.padding, self.multiplier, self.dilation = padding, depth_multiplier, _pair(dilation)
        self.use_bias = use_bias

    def _out_channels(self, c):
        return c * self.multiplier

    def config(self):
        return {"kernel_size": list(self.kernel), "strides": list(self.strides),
                "padding": self.padding, "depth_multiplier": self.multiplier,
                "dilation": list(self.dilation), "use_bias": self.use_bias}

    def build(self, input_shapes, rng):
        c = input_shapes[0][-1] * self.multiplier
        fan_in = self.kernel[0] * self.kernel[1]
        self.params["kernel"] = xp.asarray(rng.normal(0, math.sqrt(2 / fan_in), (1, *self.kernel, c)))
        if self.use_bias:
            self.params["bias"] = xp.zeros(c)

    def forward(self, inputs, training):
        win = self._window(inputs[0].shape)
        y, xpad = windows.depthwise_conv_2d(xp, inputs[0], self.params["kernel"], self._bias(), win)
        return y, (xpad, win)

    def backward(self, cache, grad):
        xpad, win = cache
        w = self.params["kernel"]
        gw = xp.zeros_like(w)
        gx = xp.zeros_like(xpad)
        for ky, kx in win.taps():
            sl = win.tap(ky, kx)
            gw[0, ky, kx, :] = (grad * xpad[sl]).sum(axis=(0, 1, 2))
            gx[sl] += grad * w[0, ky, kx, :]
        gx = win.unpad(gx)
        n, h, wd, cm = gx.shape
        gx = gx.reshape(n, h, wd, cm // self.multiplier, self.multiplier).sum(axis=4)
        pg = {"kernel": gw}
        if self.use_bias:
            pg["bias"] = grad.sum(axis=(0, 1, 2))
        return [gx], pg


class Dense(Layer):
    op = "Dense"

    def __init__(self, units, use_bias=True, name=None):
        super().__init__(name)
        self.units, self.use_bias = units, use_bias

    def config(self):
        return {"units": self.units, "use_bias": self.use_bias}

    def output_shape(self, input_shapes):
        return (*input_shapes[0][:-1], self.units)

    def build(self, input_shapes, rng):
        n_in = input_shapes[0][-1]
        self.params["kernel"] = xp.asarray(rng.normal(0, math.sqrt(2 / (n_in + self.units)),
                                                      (self.units, n_in)))
        if self.use_bias:
            self.params["bias"] = xp.zeros(self.units)

    def forward(self, inputs, training):
        x = inputs[0]
        y = x @ self.params["kernel"].T
        if self.use_bias:
            y = y + self.params["bias"]
        return y, x

    def backward(self, x, grad):
        g2 = grad.reshape(-1, grad.shape[-1])
        pg = {"kernel": g2.T @ x.reshape(-1, x.shape[-1])}
        if self.use_bias:
            pg["bias"] = g2.sum(axis=0)
        return [grad @ self.params["kernel"]], pg


class BatchNormalization(Layer):
    """Normalizes the last axis with batch statistics in training (keeping
    moving averages) and the moving averages in inference."""
    op = "BatchNormalization"

    def __init__(self, momentum=0.9, epsilon=1e-3, name=None):
        super().__init__(name)
        self.momentum, self.epsilon = momentum, epsilon

    def config(self):
        return {"momentum": self.momentum, "epsilon": self.epsilon}

    def build(self, input_shapes, rng):
        c = input_shapes[0][-1]
        self.params = {"gamma": xp.ones(c), "beta": xp.zeros(c)}
        self.state = {"moving_mean": xp.zeros(c), "moving_variance": xp.ones(c)}

    def forward(self, inputs, training):
        x = inputs[0]
        axes = tuple(range(x.ndim - 1))
        if training:
            mean, var = x.mean(axis=axes), x.var(axis=axes)
            m = self.momentum
            self.state["moving_mean"] = m * self.state["moving_mean"] + (1 - m) * mean
            self.state["moving_variance"] = m * self.state["moving_variance"] + (1 - m) * var
        else:
            mean, var = self.state["moving_mean"], self.state["moving_variance"]
        inv = 1 / xp.sqrt(var + self.epsilon)
        xhat = (x - mean) * inv
        return xhat * self.params["gamma"] + self.params["beta"], (xhat, inv, training, axes)

    def backward(self, cache, grad):
        xhat, inv, training, axes = cache
        pg = {"gamma": (grad * xhat).sum(axis=axes), "beta": grad.sum(axis=axes)}
        gxhat = grad * self.params["gamma"]
        if not training:
            return [gxhat * inv], pg
        n = xhat.size // xhat.shape[-1]
        gx = inv / n * (n * gxhat - gxhat.sum(axis=axes) - xhat * (gxhat * xhat).sum(axis=axes))
        return [gx], pg


class _Elementwise(Layer):
    def backward(self, cache, grad):
        return [grad * cache], {}


class ReLU(_Elementwise):
    op = "ReLU"

    def forward(self, inputs, training):
        x = inputs[0]
        return xp.maximum(x, 0), (x > 0).astype(x.dtype)


class ReLU6(_Elementwise):
    op = "ReLU6"

    def forward(self, inputs, training):
        x = inputs[0]
        return xp.clip(x, 0, 6), ((x > 0) & (x < 6)).astype(x.dtype)


def _sigmoid(z):
    return 1 / (1 + xp.exp(-z))


class Sigmoid(_Elementwise):
    op = "Sigmoid"

    def forward(self, inputs, training):
        y = _sigmoid(inputs[0])
        return y, y * (1 - y)


class Tanh(_Elementwise):
    op = "Tanh"

    def forward(self, inputs, training):
        y = xp.tanh(inputs[0])
        return y, 1 - y * y


class Softmax(Layer):
    op = "Softmax"

    def forward(self, inputs, training):
        z = inputs[0] - inputs[0].max(axis=-1, keepdims=True)
        e = xp.exp(z)
        y = e / e.sum(axis=-1, keepdims=True)
        return y, y

    def backward(self, y, grad):
        return [y * (grad - (grad * y).sum(axis=-1, keepdims=True))], {}


class _Pool(_Windowed):
    def __init__(self, pool_size=2, strides=None, padding="valid", name=None):
        super().__init__(name)
        self.kernel = _pair(pool_size)
        self.strides = _pair(strides if strides is not None else pool_size)
        self.padding, self.dilation = padding, (1, 1)

    def _out_channels(self, c):
        return c

    def config(self):
        return {"pool_size": list(self.kernel), "strides": list(self.strides),
                "padding": self.padding}


class MaxPool(_Pool):
    op = "MaxPool"

    def forward(self, inputs, training):
        win = self._window(inputs[0].shape)
        y, xpad = windows.max_pool_2d(xp, inputs[0], win)
        return y, (xpad, win, y)

    def backward(self, cache, grad):
        xpad, win, y = cache
        gx = xp.zeros_like(xpad)
        taken = xp.zeros(y.shape, dtype=bool)   # the gradient goes to the first maximum
        for ky, kx in win.taps():
            sl = win.tap(ky, kx)
            hit = (xpad[sl] == y) & ~taken
            gx[sl] += grad * hit
            taken |= hit
        return [win.unpad(gx)], {}


class AveragePool(_Pool):
    """Averages over the window's elements inside the input (padding excluded,
    as TFLite)."""
    op = "AveragePool"

    def forward(self, inputs, training):
        win = self._window(inputs[0].shape)
        y, count = windows.average_pool_2d(xp, inputs[0], win)
        return y, (win.padded_shape(inputs[0].shape), win, count)

    def backward(self, cache, grad):
        shape, win, count = cache
        gx = xp.zeros(shape)
        g = grad / count
        for ky, kx in win.taps():
            gx[win.tap(ky, kx)] += g
        return [win.unpad(gx)], {}


class GlobalAveragePool(Layer):
    op = "GlobalAveragePool"

    def output_shape(self, input_shapes):
        return (input_shapes[0][-1],)

    def forward(self, inputs, training):
        x = inputs[0]
        return x.mean(axis=(1, 2)), x.shape

    def backward(self, shape, grad):
        return [xp.broadcast_to(grad[:, None, None, :] / (shape[1] * shape[2]), shape).copy()], {}


class Reshape(Layer):
    op = "Reshape"

    def __init__(self, target_shape, name=None):
        super().__init__(name)
        self.target = tuple(target_shape)

    def config(self):
        return {"target_shape": list(self.target)}

    def output_shape(self, input_shapes):
        size = math.prod(input_shapes[0])
        if math.prod(d for d in self.target if d != -1) == 0 or \
                (-1 not in self.target and math.prod(self.target) != size):
            raise ValueError(f"cannot reshape {input_shapes[0]} to {self.target}")
        known = math.prod(d for d in self.target if d != -1)
        return tuple(size // known if d == -1 else d for d in self.target)

    def forward(self, inputs, training):
        x = inputs[0]
        return x.reshape((x.shape[0], *self.target)), x.shape

    def backward(self, shape, grad):
        return [grad.reshape(shape)], {}


class Flatten(Reshape):
    op = "Flatten"

    def __init__(self, name=None):
        super().__init__((-1,), name)

    def config(self):
        return {}


class Add(Layer):
    op = "Add"
    n_inputs = 2

    def forward(self, inputs, training):
        return inputs[0] + inputs[1], None

    def backward(self, cache, grad):
        return [grad, grad], {}


class Concatenate(Layer):
    op = "Concatenate"
    n_inputs = -1   # any number

    def __init__(self, axis=-1, name=None):
        super().__init__(name)
        self.axis = axis

    def config(self):
        return {"axis": self.axis}

    def output_shape(self, input_shapes):
        ax = self.axis % len(input_shapes[0])
        out = list(input_shapes[0])
        out[ax] = sum(s[ax] for s in input_shapes)
        return tuple(out)

    def forward(self, inputs, training):
        return xp.concatenate(inputs, axis=self.axis), [x.shape[self.axis] for x in inputs]

    def backward(self, sizes, grad):
        cuts, total = [], 0
        for s in sizes[:-1]:
            total += s
            cuts.append(total)
        return xp.split(grad, cuts, axis=self.axis), {}


class Dropout(Layer):
    """Drops a fraction `rate` of activations in training (scaling the rest by
    1 / (1 - rate)); the identity in inference."""
    op = "Dropout"

    def __init__(self, rate=0.5, seed=0, name=None):
        super().__init__(name)
        self.rate = rate
        self.rng = xp.random.RandomState(seed) if hasattr(xp.random, "RandomState") else None
        self.seed = seed

    def config(self):
        return {"rate": self.rate, "seed": self.seed}

    def forward(self, inputs, training):
        x = inputs[0]
        if not training or self.rate == 0:
            return x, None
        keep = ((self.rng.random_sample(x.shape) >= self.rate) / (1 - self.rate)).astype(x.dtype)
        return x * keep, keep

    def backward(self, keep, grad):
        return [grad if keep is None else grad * keep], {}


class _Recurrent(Layer):
    """A recurrent layer over [batch, time, features], with backward through
    time. Gate blocks are stacked on the first axis of the weights: kernel
    [gates * units, in], recurrent_kernel [gates * units, units], bias
    [gates * units]. State starts at zero for each sequence. return_sequences:
    every step's output [batch, time, units], or only the last [batch, units].
    A subclass gives its gates, its initial bias and one step forward and back."""
    gates = 0

    def __init__(self, units, return_sequences=False, name=None):
        super().__init__(name)
        self.units, self.return_sequences = units, return_sequences

    def config(self):
        return {"units": self.units, "return_sequences": self.return_sequences}

    def output_shape(self, input_shapes):
        if len(input_shapes[0]) != 2:
            raise ValueError(f"{self.op} takes samples of shape [time, features], got "
                             f"{list(input_shapes[0])}")
        return (input_shapes[0][0], self.units) if self.return_sequences else (self.units,)

    def _initial_bias(self):
        return numpy.zeros(self.gates * self.units)

    def build(self, input_shapes, rng):
        n_in, u, g = input_shapes[0][-1], self.units, self.gates
        self.params["kernel"] = xp.asarray(rng.normal(0, math.sqrt(1 / n_in), (g * u, n_in)))
        self.params["recurrent_kernel"] = xp.asarray(rng.normal(0, math.sqrt(1 / u), (g * u, u)))
        self.params["bias"] = xp.asarray(self._initial_bias())

    def forward(self, inputs, training):
        x = inputs[0]
        z_in = x @ self.params["kernel"].T + self.params["bias"]   # [n, time, gates * u], at once
        state = self._zero_state(x)
        hs, caches = [], []
        for t in range(x.shape[1]):
            h, state, cache = self._step(z_in[:, t], state)
            hs.append(h)
            caches.append(cache)
        y = xp.stack(hs, axis=1) if self.return_sequences else hs[-1]
        return y, (x, caches)

    def backward(self, cache, grad):
        x, caches = cache
        last = x.shape[1] - 1
        gr = xp.zeros_like(self.params["recurrent_kernel"])
        gz = xp.zeros((x.shape[0], x.shape[1], self.gates * self.units), dtype=x.dtype)
        g_state = None
        for t in reversed(range(x.shape[1])):
            g_out = grad[:, t] if self.return_sequences else (grad if t == last else 0)
            gz[:, t], g_state = self._step_back(caches[t], g_out, g_state, gr)
        gz2 = gz.reshape(-1, gz.shape[-1])
        return [gz @ self.params["kernel"]], {"kernel": gz2.T @ x.reshape(-1, x.shape[-1]), "recurrent_kernel": gr,
                      "bias": gz2.sum(axis=0)}


class LSTM(_Recurrent):
    """Long short-term memory, gates in TFLite's order (input, forget, cell,
    output), so the converter cuts each gate's block out for
    UNIDIRECTIONAL_SEQUENCE_LSTM:
        i, f, o = sigmoid(.), g = tanh(.)   of  W x + R h + b, per gate
        c = f * c + i * g;  h = o * tanh(c)."""
    op = "LSTM"
    gates = 4

    def _initial_bias(self):
        bias = super()._initial_bias()
        bias[self.units:2 * self.units] = 1.0   # forget gate open at the start: gradients reach early steps
        return bias

    def _zero_state(self, x):
        zero = xp.zeros((x.shape[0], self.units), dtype=x.dtype)
        return zero, zero

    def _step(self, z_in, state):
        u, (h_prev, c_prev) = self.units, state
        z = z_in + h_prev @ self.params["recurrent_kernel"].T
        i, f = _sigmoid(z[:, :u]), _sigmoid(z[:, u:2 * u])
        g, o = xp.tanh(z[:, 2 * u:3 * u]), _sigmoid(z[:, 3 * u:])
        c = f * c_prev + i * g
        tanh_c = xp.tanh(c)
        h = o * tanh_c
        return h, (h, c), (i, f, g, o, c_prev, h_prev, tanh_c)

    def _step_back(self, cache, g_out, g_state, gr):
        i, f, g, o, c_prev, h_prev, tanh_c = cache
        gh_next, gc_next = g_state if g_state is not None else (0, 0)
        gh = gh_next + g_out
        gc = gc_next + gh * o * (1 - tanh_c * tanh_c)
        gz = xp.concatenate([gc * g * i * (1 - i), gc * c_prev * f * (1 - f),
                             gc * i * (1 - g * g), gh * tanh_c * o * (1 - o)], axis=1)
        gr += gz.T @ h_prev
        return gz, (gz @ self.params["recurrent_kernel"], gc * f)


class GRU(_Recurrent):
    """Gated recurrent unit (Cho et al. 2014; Keras's reset_after=False, ONNX's
    linear_before_reset=0), gates in ONNX's order (update, reset, new):
        z, r = sigmoid(W x + R h + b) per gate
        n = tanh(W_n x + R_n (r * h) + b_n);  h = (1 - z) * n + z * h.
    TFLite has no builtin GRU: the converter does not write it yet."""
    op = "GRU"
    gates = 3

    def _zero_state(self, x):
        return xp.zeros((x.shape[0], self.units), dtype=x.dtype)

    def _step(self, z_in, h_prev):
        u, r_k = self.units, self.params["recurrent_kernel"]
        zr = _sigmoid(z_in[:, :2 * u] + h_prev @ r_k[:2 * u].T)
        z, r = zr[:, :u], zr[:, u:]
        n = xp.tanh(z_in[:, 2 * u:] + (r * h_prev) @ r_k[2 * u:].T)
        h = (1 - z) * n + z * h_prev
        return h, h, (z, r, n, h_prev)

    def _step_back(self, cache, g_out, g_state, gr):
        z, r, n, h_prev = cache
        u, r_k = self.units, self.params["recurrent_kernel"]
        gh = (g_state if g_state is not None else 0) + g_out
        gn = gh * (1 - z) * (1 - n * n)
        g_rh = gn @ r_k[2 * u:]
        gz = xp.concatenate([gh * (h_prev - n) * z * (1 - z), g_rh * h_prev * r * (1 - r), gn],
                            axis=1)
        gr[:2 * u] += gz[:, :2 * u].T @ h_prev
        gr[2 * u:] += gn.T @ (r * h_prev)
        return gz, gh * z + g_rh * r + gz[:, :2 * u] @ r_k[:2 * u]

LAYERS = {cls.op: cls for cls in (Conv2D, DepthwiseConv2D, Dense, BatchNormalization, ReLU, ReLU6,
                                  Sigmoid, Tanh, Softmax, MaxPool, AveragePool, GlobalAveragePool,
                                  Reshape, Flatten, Add, Concatenate, Dropout, LSTM, GRU)}


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of integer labels under softmax(logits), and its
    gradient with respect to the logits."""
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - xp.log(xp.exp(z).sum(axis=-1, keepdims=True))
    n = logits.shape[0]
    loss = -logp[xp.arange(n), labels].mean()
    grad = xp.exp(logp)
    grad[xp.arange(n), labels] -= 1
    return loss, grad / n
