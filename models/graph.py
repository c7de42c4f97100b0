"""Models as graphs of layers (a functional, Keras-like definition):

    x = Input((8, 8, 1))
    h = ReLU()(Conv2D(16, 3)(x))
    y = Dense(10)(Flatten()(h))
    model = Model(x, y, seed=0)

The converter receives this graph (saved as a trained graph, see
docs/formats.md), not a trace.
"""
from __future__ import annotations

import numpy

from . import layers as L
from .backend import to_numpy, xp


class Symbol:
    """A tensor in a model definition: the output of a layer (or an input)."""

    def __init__(self, layer, inputs, shape):
        self.layer, self.inputs, self.shape = layer, inputs, tuple(shape)


class InputLayer(L.Layer):
    op = "Input"

    def __init__(self, shape, name=None):
        super().__init__(name)
        self.shape = tuple(shape)

    def config(self):
        return {"shape": list(self.shape)}


def Input(shape, name=None) -> Symbol:
    return Symbol(InputLayer(shape, name), [], shape)


class Model:
    def __init__(self, inputs, outputs, seed: int = 0, name: str = "model", dtype="float32"):
        self.name = name
        self.dtype = xp.dtype(dtype)
        self.input_symbols = inputs if isinstance(inputs, list) else [inputs]
        self.output_symbol = outputs
        order, seen = [], set()

        def visit(s):
            if id(s) in seen:
                return
            seen.add(id(s))
            for i in s.inputs:
                visit(i)
            order.append(s)
        visit(outputs)
        self.symbols = order
        counts = {}
        for s in order:
            if s.layer.name is None:
                base = s.layer.op.lower()
                counts[base] = counts.get(base, 0) + 1
                s.layer.name = f"{base}_{counts[base]}"
        names = [s.layer.name for s in order]
        if len(set(names)) != len(names):
            raise ValueError(f"layer names must be unique, got {names}")
        rng = numpy.random.default_rng(seed)
        for s in order:
            s.layer.build([i.shape for i in s.inputs], rng)
            for store in (s.layer.params, s.layer.state):
                for k in store:
                    store[k] = store[k].astype(self.dtype)

    @property
    def layers(self):
        return [s.layer for s in self.symbols if not isinstance(s.layer, InputLayer)]

    def forward(self, inputs, training=False):
        inputs = inputs if isinstance(inputs, list) else [inputs]
        values, caches = {}, {}
        for s, x in zip(self.input_symbols, inputs):
            x = xp.asarray(x, dtype=self.dtype)
            if tuple(x.shape[1:]) != s.shape:
                raise ValueError(f"input {s.layer.name!r}: expected samples of shape {list(s.shape)}, "
                                 f"got data of shape {list(x.shape)}")
            values[id(s)] = x
        for s in self.symbols:
            if id(s) in values:
                continue
            out, cache = s.layer.forward([values[id(i)] for i in s.inputs], training)
            values[id(s)], caches[id(s)] = out, cache
        return values[id(self.output_symbol)], (values, caches)

    def backward(self, trace, grad):
        """Gradients of every parameter, {layer name: {param: grad}}."""
        values, caches = trace
        grads = {id(self.output_symbol): grad}
        out = {}
        for s in reversed(self.symbols):
            if id(s) not in grads or id(s) not in caches:
                continue
            g_in, g_params = s.layer.backward(caches[id(s)], grads.pop(id(s)))
            out[s.layer.name] = g_params
            for i, g in zip(s.inputs, g_in):
                grads[id(i)] = grads[id(i)] + g if id(i) in grads else g
        return out

    def predict(self, x, batch_size: int = 256):
        outs = [to_numpy(self.forward(x[i:i + batch_size])[0]) for i in range(0, len(x), batch_size)]
        return numpy.concatenate(outs)

    def variables(self) -> dict:
        """Every weight and statistic, by "layer/name", as numpy arrays."""
        return {f"{l.name}/{k}": to_numpy(v) for l in self.layers
                for k, v in list(l.params.items()) + list(l.state.items())}

    def set_variables(self, values: dict) -> None:
        for l in self.layers:
            for store in (l.params, l.state):
                for k in store:
                    key = f"{l.name}/{k}"
                    if key not in values:
                        raise ValueError(f"missing variable {key!r}")
                    if tuple(values[key].shape) != tuple(store[k].shape):
                        raise ValueError(f"variable {key!r}: expected shape {list(store[k].shape)}, "
                                         f"got {list(values[key].shape)}")
                    store[k] = xp.asarray(values[key], dtype=self.dtype)
