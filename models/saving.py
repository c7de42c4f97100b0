"""Trained graphs on disk (the format is documented in docs/formats.md): one
.npz holding the graph as JSON and every variable, plus the optimizer state
and training history that freezing drops."""
from __future__ import annotations

import json

import numpy

from ..converter.importers.mote_graph import FORMAT, VERSION, read_trained_graph

from . import layers as L
from .graph import InputLayer, Model, Symbol


def save(model: Model, path, optimizer=None, history=None) -> None:
    nodes = []
    for s in model.symbols:
        nodes.append({"name": s.layer.name, "op": s.layer.op,
                      "inputs": [i.layer.name for i in s.inputs],
                      "config": s.layer.config(), "shape": list(s.shape)})
    variables = {}
    arrays = {}
    for layer in model.layers:
        for store, trainable in ((layer.params, True), (layer.state, False)):
            for k, v in store.items():
                key = f"{layer.name}/{k}"
                arr = numpy.asarray(v.get() if hasattr(v, "get") else v, dtype=numpy.float32)
                variables[key] = {"shape": list(arr.shape), "trainable": trainable}
                arrays["var/" + key] = arr
    training = {"loss": "softmax_cross_entropy"}
    if optimizer is not None:
        training["optimizer"] = optimizer.config()
        for k, v in optimizer.state().items():
            arrays["opt/" + k] = numpy.asarray(v, numpy.float32)
        training["optimizer_state"] = sorted(k for k in arrays if k.startswith("opt/"))
    if history is not None:
        training["history"] = history
    graph = {"format": FORMAT, "version": VERSION, "name": model.name,
             "inputs": [s.layer.name for s in model.input_symbols],
             "output": model.output_symbol.layer.name, "nodes": nodes,
             "variables": variables, "training": training}
    arrays["__graph__"] = numpy.frombuffer(json.dumps(graph).encode(), numpy.uint8)
    with open(path, "wb") as f:
        numpy.savez_compressed(f, **arrays)


def load(path) -> Model:
    graph, arrays = read_trained_graph(path)
    symbols = {}
    for node in graph["nodes"]:
        if node["op"] == "Input":
            layer = InputLayer(node["config"]["shape"], node["name"])
            symbols[node["name"]] = Symbol(layer, [], layer.shape)
            continue
        cls = L.LAYERS.get(node["op"])
        if cls is None:
            raise ValueError(f"{path}: node {node['name']!r} has unknown layer type {node['op']!r}; "
                             f"known: {sorted(L.LAYERS)}")
        layer = cls(**node["config"], name=node["name"])
        symbols[node["name"]] = layer(*[symbols[i] for i in node["inputs"]])
    model = Model([symbols[n] for n in graph["inputs"]], symbols[graph["output"]],
                  name=graph.get("name", "model"))
    model.set_variables(arrays)
    model.history = graph["training"].get("history")
    return model
