"""Prepare an ONNX model for import: upgrade old opsets to 13, and fold every
node whose value is known at conversion time into an initializer.

Exporters leave weights and shapes behind small subgraphs (Shape ->
Gather -> Unsqueeze -> Concat -> Reshape; ConstantOfShape -> Concat -> Pad;
a Reshape of a constant weight). Their values do not depend on the model's
input, so they are computed here once, with onnx's reference evaluator, and
the importer only ever sees constants where TFLite needs them.
"""
from __future__ import annotations

import numpy as np

from ..errors import ConversionError

IMPORT_OPSET = 13

# Nodes that have no input yet a different value at every run.
_RANDOM = {"RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike",
           "Multinomial", "Bernoulli"}


class OnnxPrepareError(ConversionError):
    """A model the preparation cannot upgrade or evaluate."""


def default_opset(model) -> int:
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)


def upgrade(model, error=OnnxPrepareError):
    """An opset < 13 model converted to opset 13 by onnx's version converter.
    Upsample (opsets 7-9) and Resize-10 scale by floor(out / scale) from the
    top-left corner; the converter's Resize-13 forgets that, so the resizes
    it writes for them are told (asymmetric coordinates, floor rounding)."""
    from onnx import helper, version_converter
    opset = default_opset(model)
    if opset >= IMPORT_OPSET:
        return model
    corner_resizes = {n.output[0] for n in model.graph.node
                      if n.op_type == "Upsample" or (n.op_type == "Resize" and opset < 11)}
    try:
        upgraded = version_converter.convert_version(model, IMPORT_OPSET)
    except Exception as e:   # the converter raises plain RuntimeErrors
        raise error(f"the ONNX model's opset {opset} cannot be upgraded to opset {IMPORT_OPSET}: "
                    f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    for node in upgraded.graph.node:
        if node.op_type == "Resize" and node.output[0] in corner_resizes:
            keep = [a for a in node.attribute
                    if a.name not in ("coordinate_transformation_mode", "nearest_mode")]
            del node.attribute[:]
            node.attribute.extend(keep + [
                helper.make_attribute("coordinate_transformation_mode", "asymmetric"),
                helper.make_attribute("nearest_mode", "floor")])
    return upgraded


def _static_shapes(model):
    from onnx import shape_inference
    try:
        inferred = shape_inference.infer_shapes(model)
    except Exception:   # strict inference runs in the importer, with a clear error
        inferred = model
    shapes = {}
    g = inferred.graph
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        dims = vi.type.tensor_type.shape.dim
        if vi.type.HasField("tensor_type") and vi.type.tensor_type.HasField("shape") and \
                all(d.HasField("dim_value") for d in dims):
            shapes[vi.name] = tuple(int(d.dim_value) for d in dims)
    return shapes


def _evaluate(node, inputs, opset_imports):
    """The outputs of one node on constant inputs, by onnx's reference evaluator."""
    from onnx import helper, numpy_helper
    from onnx.reference import ReferenceEvaluator
    names = [n for n in node.input if n]
    graph = helper.make_graph(
        [node], "fold", [], [helper.make_value_info(o, helper.TypeProto()) for o in node.output if o],
        [numpy_helper.from_array(np.asarray(inputs[n]), n) for n in dict.fromkeys(names)])
    model = helper.make_model(graph, opset_imports=list(opset_imports))
    return ReferenceEvaluator(model).run(None, {})


def _shape_of(node, shape):
    """Shape (with its opset-15 start/end) or Size of a statically shaped tensor."""
    if node.op_type == "Size":
        return np.array(int(np.prod(shape)), np.int64)
    attrs = {a.name: a.i for a in node.attribute}
    rank = len(shape)
    start = attrs.get("start", 0)
    end = attrs.get("end", rank)
    return np.array(shape[slice(start, end)], np.int64)


def name_nodes(model):
    """Every node without a name named by its op type and index ("Conv_3"),
    so that errors can say which node they mean."""
    for index, node in enumerate(model.graph.node):
        if not node.name:
            node.name = f"{node.op_type}_{index}"


def fold_constants(model, error=OnnxPrepareError):
    """`model` (not changed) with every node whose inputs are all constants,
    and every Shape / Size of a statically shaped tensor, replaced by
    initializers; repeated until nothing more folds (a fold can make a later
    shape static)."""
    import onnx
    from onnx import numpy_helper
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    outputs = {o.name for o in graph.output}
    while True:
        shapes = _static_shapes(model)
        initializers = {i.name: i for i in graph.initializer}
        consts = set(initializers)
        values = {}
        kept, folded = [], False
        for index, node in enumerate(graph.node):
            ins = [n for n in node.input if n]
            shaped = node.op_type in ("Shape", "Size") and len(ins) == 1 and ins[0] in shapes
            foldable = node.domain in ("", "ai.onnx") and node.op_type not in _RANDOM and \
                all(n in consts for n in ins) and not any(o in outputs for o in node.output) and \
                not any(a.type == onnx.AttributeProto.GRAPH for a in node.attribute)
            if not (shaped or foldable):
                kept.append(node)
                continue
            if shaped:
                results = [_shape_of(node, shapes[ins[0]])]
            else:
                for n in ins:
                    if n not in values:
                        values[n] = numpy_helper.to_array(initializers[n])
                try:
                    results = _evaluate(node, values, model.opset_import)
                except Exception as e:
                    raise error(f"node {node.name!r} ({node.op_type}, #{index}): its inputs are "
                                f"constants, yet evaluating it fails: "
                                f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
            for name, value in zip([o for o in node.output if o], results):
                value = np.asarray(value)
                graph.initializer.append(numpy_helper.from_array(value, name))
                consts.add(name)
                values[name] = value
            folded = True
        if not folded:
            return model
        del graph.node[:]
        graph.node.extend(kept)
        # Shapes recorded for folded tensors would now describe initializers.
        keep_info = [vi for vi in graph.value_info if vi.name not in consts]
        del graph.value_info[:]
        graph.value_info.extend(keep_info)
