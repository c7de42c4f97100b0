"""Every activation of a float graph, sample by sample: what calibration
measures and what `mote compare` holds the quantized model against.

Two engines compute them:

- "runtime": the graph is written as a float .tflite and run on Mote's C
  runtime with every tensor kept in its own memory (preserve_all_tensors), so
  each intermediate tensor can be read after invoke(). One invoke of a
  MediaPipe-sized model takes milliseconds where the reference executor takes
  tens to hundreds.
- "reference": the converter's numpy executor (reference.py), which needs no
  compiled code and runs every op of the catalogue.

"auto" takes the runtime when it is built and runs every op of the graph, the
reference executor otherwise. Both compute in float32; they differ only in
the order of float32 sums (a few ulps).

    for values in float_activations(graph, feeds):   # feeds: list of {input: array}
        values["conv1"]                               # float32, the tensor's shape
"""
from __future__ import annotations

import os

import numpy as np

from . import ir, reference
from .errors import ConversionError

ENGINES = ("auto", "runtime", "reference")


def host_threads() -> int:
    """Threads for the converter's own runs of a model (calibration, auto's
    trials, budget and compare evaluations): the cores this process may use.
    Every thread count gives the same bytes (tests/test_threads.py), so the
    converted file does not depend on it."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):   # not Linux
        return max(1, os.cpu_count() or 1)


def computed_float_tensors(g: ir.Graph) -> list:
    """Names of the float32 tensors the graph computes (not its constants)."""
    return [name for name, t in g.tensors.items() if t.dtype == "float32" and not t.is_constant]


def _runtime_interpreter(g: ir.Graph, engine: str):
    """An Interpreter keeping every tensor of the graph written as float
    .tflite, or None where "auto" falls back to the reference executor."""
    try:
        from ..runtime import Interpreter, errors
    except ImportError as e:   # the converter works without the compiled runtime
        if engine == "runtime":
            raise ConversionError(f"engine 'runtime' needs Mote's C runtime (mote.runtime): {e}") from e
        return None
    from .tflite.writer import write_tflite
    try:
        it = Interpreter(model_content=write_tflite(g), preserve_all_tensors=True,
                         num_threads=host_threads())
        it.allocate_tensors()
    except errors.MoteError as e:   # an op or type the runtime does not run
        if engine == "runtime":
            raise ConversionError(f"the C runtime cannot run this graph: {e}") from e
        return None
    return it


def float_activations(g: ir.Graph, feeds: list, engine: str = "auto"):
    """Yields, for each feed dict {input name: array of the input's shape},
    {tensor name: float32 array} for every tensor of computed_float_tensors(g).
    With the runtime engine the arrays are views that the next sample
    overwrites: copy what you keep."""
    if engine not in ENGINES:
        raise ConversionError(f"engine {engine!r}; expected one of {ENGINES}")
    names = computed_float_tensors(g)
    it = None if engine == "reference" else _runtime_interpreter(g, engine)
    if it is None:
        for feed in feeds:
            values = reference.run(g, feed, dtype=np.float32, keep_all=True)
            yield {name: values[name] for name in names if name in values}
        return
    index = {d["name"]: d["index"] for d in it.get_tensor_details()}
    from .tflite.builder import DTYPES
    inputs = [(index[name], name, DTYPES[g.tensors[name].dtype]) for name in g.inputs]
    views = {name: it.tensor(index[name])() for name in names if name in index}
    for feed in feeds:
        for i, name, dtype in inputs:   # float32, or integer indices (GATHER)
            it.set_tensor(i, np.asarray(feed[name], dtype))
        it.reset_all_variables()   # each feed starts from zero state, as reference.run does
        it.invoke()
        yield views
