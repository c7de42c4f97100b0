"""Import an ONNX model into the IR. Older opsets are upgraded to 13 and
constant subgraphs folded first (onnx_prepare.py).

Layout: ONNX CNNs are NCHW; TFLite kernels are NHWC. Every 4-D activation is
stored NHWC in the IR and remembered as "channels-first in ONNX", so ops map
their axes instead of transposing: the model's 4-D inputs and outputs become
NHWC once, at the graph's edges, and no TRANSPOSE is left in front of any
convolution. Constants that broadcast against such tensors are permuted when
they are imported.

A forward GRU node is unrolled over its steps (TFLite has no GRU op; see
op_GRU). A forward LSTM node becomes UNIDIRECTIONAL_SEQUENCE_LSTM (gates reordered
from ONNX's i, o, f, c to TFLite's i, f, c, o). Ops without a Mote kernel, dynamic shapes that cannot be fixed, and layouts
that would need a real transpose are errors naming the op and its node.
"""
from __future__ import annotations

import numpy as np

from .. import ir
from ..errors import ConversionError
from ..windows import window
from . import onnx_prepare

NCHW_TO_NHWC = (0, 2, 3, 1)


class OnnxImportError(ConversionError):
    """An ONNX model (or node) the importer cannot translate."""


def _nhwc_axis(axis: int, rank: int) -> int:
    """ONNX axis of a channels-first 4-D tensor -> the NHWC axis."""
    axis = axis % rank
    return (0, 3, 1, 2)[axis]


class _Importer:
    def __init__(self, model, input_shapes):
        import onnx
        from onnx import numpy_helper, shape_inference
        self.onnx, self.numpy_helper = onnx, numpy_helper
        model = self._fix_inputs(onnx_prepare.upgrade(model, OnnxImportError), input_shapes or {})
        onnx_prepare.name_nodes(model)
        model = onnx_prepare.fold_constants(model, OnnxImportError)
        try:
            self.model = shape_inference.infer_shapes(model, strict_mode=True)
        except shape_inference.InferenceError as e:
            raise OnnxImportError(f"ONNX shape inference fails: {str(e).splitlines()[0]}") from None
        self.g = ir.Graph()
        self.layout = {}            # tensor -> True if channels-first in ONNX (stored NHWC)
        self.consts = {}            # ONNX name -> numpy array (initializers and Constant nodes)
        self.shapes = {}            # ONNX name -> ONNX shape (tuple of ints)
        self.explicit_pads = {}     # a PAD / PADV2 output in front of a window -> ONNX pads
        graph = self.model.graph
        for vi in list(graph.input) + list(graph.value_info) + list(graph.output):
            dims = vi.type.tensor_type.shape.dim
            if all(d.HasField("dim_value") for d in dims):
                self.shapes[vi.name] = tuple(int(d.dim_value) for d in dims)
        for init in graph.initializer:
            self.consts[init.name] = numpy_helper.to_array(init)

    def _fix_inputs(self, model, input_shapes):
        import onnx
        model = onnx.ModelProto.FromString(model.SerializeToString())
        inits = {i.name for i in model.graph.initializer}
        for vi in model.graph.input:
            if vi.name in inits:
                continue
            dims = vi.type.tensor_type.shape.dim
            fixed = input_shapes.get(vi.name)
            for k, d in enumerate(dims):
                if fixed is not None:
                    d.ClearField("dim_param")
                    d.dim_value = int(fixed[k])
                elif not d.HasField("dim_value") or d.dim_value <= 0:
                    if k == 0:
                        d.ClearField("dim_param")
                        d.dim_value = 1      # a symbolic batch becomes 1
                    else:
                        raise OnnxImportError(
                            f"input {vi.name!r} has a dynamic dimension {k} ({d.dim_param or '?'}); "
                            f"give its shape with input_shapes={{{vi.name!r}: [...]}}")
        return model

    # -- tensors ---------------------------------------------------------------

    def shape(self, name):
        if name in self.consts:
            return tuple(self.consts[name].shape)
        if name not in self.shapes:
            raise OnnxImportError(f"the shape of {name!r} is unknown after shape inference "
                                  f"(dynamic shapes are not supported)")
        return self.shapes[name]

    def activation(self, name, channels_first=None):
        """Declares an ONNX activation in the IR (NHWC if channels-first 4-D)."""
        if name in self.g.tensors:
            return name
        shape = self.shape(name)
        if channels_first is None:
            channels_first = len(shape) == 4
        self.layout[name] = channels_first
        ir_shape = tuple(shape[i] for i in NCHW_TO_NHWC) if channels_first else shape
        self.g.add_tensor(ir.Tensor(name, ir_shape, "float32"))
        return name

    def channels_first(self, name):
        """A 4-D activation for an op that needs it stored NHWC: `name`, or a
        TRANSPOSE of it where a reshape or transpose left it stored NCHW."""
        x = self.activation(name)
        if self.layout[x]:
            return x
        nhwc = self.g.unique_name(x + "/nhwc")
        self.shapes[nhwc] = self.shape(name)
        self.g.nodes.append(ir.Node("TRANSPOSE", [x, self.constant(nhwc + "/perm", np.array(
            NCHW_TO_NHWC, np.int32), "int32")], [nhwc], {}, f"{nhwc}"))
        self.activation(nhwc, True)
        return nhwc

    def constant(self, base, array, dtype="float32"):
        name = self.g.unique_name(base)
        self.g.add_tensor(ir.Tensor(name, tuple(np.shape(array)), dtype,
                                    np.asarray(array, dtype=dtype)))
        return name

    def const_value(self, node, name, what):
        if name not in self.consts:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): {what} {name!r} must be a "
                                  f"constant (an initializer or Constant)")
        return self.consts[name]

    def operand(self, node, name, like):
        """An input of an elementwise op: an activation, or a constant shaped to
        broadcast like `like` in the IR's layout."""
        if name not in self.consts:
            return self.activation(name)
        c = np.asarray(self.consts[name], np.float32)
        if self.layout.get(like) and c.ndim > 0:
            c = c.reshape((1,) * (4 - c.ndim) + c.shape).transpose(NCHW_TO_NHWC)
            while c.ndim > 1 and c.shape[0] == 1:
                c = c[0]
        return self.constant(name, c)

    def emit(self, op, inputs, output, options=None, node=None, channels_first=None):
        self.activation(output, channels_first)
        self.g.nodes.append(ir.Node(op, inputs, [output], options or {},
                                    node.name if node is not None else ""))

    # -- windows -----------------------------------------------------------------

    def window_padding(self, node, x, kernel, strides, dilations):
        """ONNX pads -> TFLite SAME / VALID, or an explicit PAD then VALID.
        SAME excludes the padding from an average's count; an explicit zero
        PAD includes it (count_include_pad=1; _pool rescales for 0). MaxPool pads with the lowest
        float (PADV2), which no window's maximum can pick over a real value;
        ceil_mode=1 becomes more of that padding at the end of each axis."""
        attrs = self.attrs(node)
        auto = attrs.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        h, w = self.g.tensors[x].shape[1:3]
        include_pad = node.op_type == "AveragePool" and attrs.get("count_include_pad", 0)
        if auto == "VALID":
            return x, "VALID"
        if auto == "SAME_UPPER" and not include_pad:
            return x, "SAME"
        pads = list(attrs.get("pads", [0, 0, 0, 0]))

        def same_pads():   # TFLite's SAME per spatial axis: (before, after), the odd one after
            return [window(size, k, s, d, "SAME")[1:]
                    for size, k, s, d in zip((h, w), kernel, strides, dilations)]
        if auto == "SAME_LOWER":   # the odd element before
            (top, bottom), (left, right) = same_pads()
            pads = [bottom, right, top, left]
        same = same_pads()
        if auto == "SAME_UPPER":
            pads = [same[0][0], same[1][0], same[0][1], same[1][1]]
        ceil_extra = [0, 0]
        if attrs.get("ceil_mode", 0):
            ceil_extra = self.ceil_mode_extra(node, x, kernel, strides, pads)
            if any(ceil_extra) and node.op_type != "MaxPool":
                raise OnnxImportError(f"node {node.name!r} ({node.op_type}): ceil_mode=1 that "
                                      f"changes the output size is only supported for MaxPool")
        if not any(pads) and not any(ceil_extra):
            return x, "VALID"
        if [pads[0], pads[2]] == list(same[0]) and [pads[1], pads[3]] == list(same[1]) \
                and not include_pad and not any(ceil_extra):
            return x, "SAME"
        pads = [pads[0], pads[1], pads[2] + ceil_extra[0], pads[3] + ceil_extra[1]]
        padded = self.g.unique_name(x + "/padded")
        self.explicit_pads[padded] = pads
        n, hh, ww, c = self.g.tensors[x].shape
        self.shapes[padded] = (n, c, hh + pads[0] + pads[2], ww + pads[1] + pads[3])
        p = self.constant(x + "/paddings", np.array([[0, 0], [pads[0], pads[2]], [pads[1], pads[3]],
                                                     [0, 0]], np.int32), "int32")
        if node.op_type == "MaxPool":
            lowest = self.constant(x + "/lowest", np.array(np.finfo(np.float32).min, np.float32))
            self.emit("PADV2", [x, p, lowest], padded, node=node, channels_first=True)
        else:
            self.emit("PAD", [x, p], padded, node=node, channels_first=True)
        return padded, "VALID"

    def ceil_mode_extra(self, node, x, kernel, strides, pads):
        """The padding ceil_mode=1 adds at the end of H and W: what makes the
        floor-mode output as large as ONNX's (inferred) output."""
        out = self.shape(node.output[0])[2:]
        h, w = self.g.tensors[x].shape[1:3]
        return [max(0, (o - 1) * s + k - (size + before + after))
                for o, s, k, size, before, after in zip(out, strides, kernel, (h, w), pads[:2],
                                                        pads[2:])]

    def attrs(self, node):
        return {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}

    # -- ops ---------------------------------------------------------------------

    def run(self):
        graph = self.model.graph
        self.consumed = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
        for node in graph.node:
            handler = getattr(self, "op_" + node.op_type, None)
            if handler is None and node.op_type in self.UNARY_OPS:
                handler = lambda node, a: self._unary(node, self.UNARY_OPS[node.op_type])
            if node.domain not in ("", "ai.onnx") or handler is None:
                raise OnnxImportError(f"ONNX op {node.op_type!r} (node {node.name!r}) is not "
                                      f"supported by Mote's converter")
            handler(node, self.attrs(node))
        inits = set(self.consts)
        self.g.inputs = [self.activation(vi.name) for vi in graph.input if vi.name not in inits]
        self.g.outputs = [vi.name for vi in graph.output]
        self.g.channels_last = {n for n in self.g.inputs + self.g.outputs if self.layout.get(n)}
        for name in self.g.outputs:
            if name not in self.g.tensors:
                raise OnnxImportError(f"graph output {name!r} is not computed by any supported node")
        return self.g

    # ONNX stacks an LSTM's gates as input, output, forget, cell; TFLite's order
    # is input, forget, cell, output: block ONNX_LSTM_GATES[k] is TFLite gate k.
    ONNX_LSTM_GATES = (0, 2, 3, 1)

    def op_LSTM(self, node, a):
        """A forward LSTM as UNIDIRECTIONAL_SEQUENCE_LSTM (its state in variable
        tensors, zero at the start) and a RESHAPE that adds Y's direction axis.
        Initial states must be absent or zero, sequence_lens absent or the full
        length, Y_h and Y_c unused (taking the last step needs a slicing op)."""
        def refuse(why):
            return OnnxImportError(f"node {node.name!r} (LSTM): {why}")
        if a.get("direction", b"forward") not in (b"forward", "forward"):
            raise refuse(f"direction {a['direction']!r}; only 'forward' is supported")
        acts = [v.decode() if isinstance(v, bytes) else v for v in a.get("activations", [])]
        if acts and acts != ["Sigmoid", "Tanh", "Tanh"]:
            raise refuse(f"activations {acts}; only Sigmoid, Tanh, Tanh (the default) are supported")
        if "clip" in a or a.get("input_forget", 0):
            raise refuse("clip and input_forget are not supported")
        ins = list(node.input) + [""] * (8 - len(node.input))
        outs = list(node.output) + [""] * (3 - len(node.output))
        if any(o and o in self.consumed for o in outs[1:]):
            raise refuse("Y_h and Y_c are not supported (only Y, every step's output)")
        if not outs[0]:
            raise refuse("it has no output Y")
        x = self.activation(ins[0], False)
        batch_major = bool(a.get("layout", 0))
        steps, batches = self.shape(x)[:2][::-1] if batch_major else self.shape(x)[:2]
        w = np.asarray(self.const_value(node, ins[1], "W"), np.float32)[0]
        r = np.asarray(self.const_value(node, ins[2], "R"), np.float32)[0]
        hidden = r.shape[-1]
        bias = np.asarray(self.const_value(node, ins[3], "B"), np.float32)[0] if ins[3] else \
            np.zeros(8 * hidden, np.float32)
        if ins[4] and not np.all(self.const_value(node, ins[4], "sequence_lens") == steps):
            raise refuse(f"sequence_lens must all be the sequence length {steps}")
        for k in (5, 6):
            if ins[k] and np.any(self.const_value(node, ins[k], "initial state")):
                raise refuse(f"initial state {ins[k]!r} must be zero (or absent)")

        def gate(array, k, name):
            return self.constant(f"{node.name}/{name}_{k}",
                                 array[self.ONNX_LSTM_GATES[k] * hidden:
                                       (self.ONNX_LSTM_GATES[k] + 1) * hidden])
        gate_bias = bias[:4 * hidden] + bias[4 * hidden:]
        lstm_ins = [x] + [gate(w, k, "w") for k in range(4)] + [gate(r, k, "r") for k in range(4)]
        if ins[7]:   # peepholes of the input, output and forget gates
            p = np.asarray(self.const_value(node, ins[7], "P"), np.float32)[0]
            lstm_ins += [self.constant(f"{node.name}/p_{k}", p[j * hidden:(j + 1) * hidden])
                         for k, j in (("input", 0), ("forget", 2), ("output", 1))]
        else:
            lstm_ins += [None] * 3
        lstm_ins += [gate(gate_bias, k, "b") for k in range(4)] + [None, None]
        for kind in ("output", "cell"):
            lstm_ins.append(self.g.add_tensor(ir.Tensor(
                self.g.unique_name(f"{node.name}/{kind}_state"), (batches, hidden),
                variable=True)).name)
        lstm_ins += [None] * 4
        seq = self.g.add_tensor(ir.Tensor(self.g.unique_name(f"{node.name}/sequence"),
                                          (batches, steps, hidden) if batch_major else
                                          (steps, batches, hidden))).name
        self.g.nodes.append(ir.Node("UNIDIRECTIONAL_SEQUENCE_LSTM", lstm_ins, [seq],
                                    {"fused_activation_function": "TANH",
                                     "time_major": not batch_major}, node.name))
        y_shape = self.shape(outs[0])
        self.emit("RESHAPE", [seq, self.constant(f"{node.name}/y_shape", y_shape, "int32")],
                  outs[0], {"new_shape": list(y_shape)}, node, False)

    # ONNX stacks a GRU's gates as update (z), reset (r), new (h).
    def op_GRU(self, node, a):
        """A forward GRU, unrolled over its steps (TFLite has no GRU op): UNPACK
        of the steps, then per step, with ONNX's equations,
          z = sigmoid(x Wz + h Rz + Wbz + Rbz), r = sigmoid(x Wr + h Rr + Wbr + Rbr)
          n = tanh(x Wn + Wbn + r * (h Rn + Rbn))    linear_before_reset = 1
          n = tanh(x Wn + Wbn + (r * h) Rn + Rbn)    linear_before_reset = 0
          h = n + z * (h - n)                        ((1 - z) n + z h)
        as FULLY_CONNECTED / ADD / LOGISTIC / TANH / MUL / SUB, and PACK of
        every step's h into Y (Y_h: the last one). The initial state must be
        absent or zero, sequence_lens absent or the full length."""
        def refuse(why):
            return OnnxImportError(f"node {node.name!r} (GRU): {why}")
        if a.get("direction", b"forward") not in (b"forward", "forward"):
            raise refuse(f"direction {a['direction']!r}; only 'forward' is supported")
        acts = [v.decode() if isinstance(v, bytes) else v for v in a.get("activations", [])]
        if acts and acts != ["Sigmoid", "Tanh"]:
            raise refuse(f"activations {acts}; only Sigmoid, Tanh (the default) are supported")
        if "clip" in a:
            raise refuse("clip is not supported")
        ins = list(node.input) + [""] * (6 - len(node.input))
        outs = list(node.output) + [""] * (2 - len(node.output))
        x = self.activation(ins[0], False)
        batch_major = bool(a.get("layout", 0))
        steps, batches = self.shape(x)[:2][::-1] if batch_major else self.shape(x)[:2]
        w = np.asarray(self.const_value(node, ins[1], "W"), np.float32)[0]
        r = np.asarray(self.const_value(node, ins[2], "R"), np.float32)[0]
        hidden = r.shape[-1]
        bias = np.asarray(self.const_value(node, ins[3], "B"), np.float32)[0] if ins[3] else \
            np.zeros(6 * hidden, np.float32)
        if ins[4] and not np.all(self.const_value(node, ins[4], "sequence_lens") == steps):
            raise refuse(f"sequence_lens must all be the sequence length {steps}")
        if ins[5] and np.any(self.const_value(node, ins[5], "initial_h")):
            raise refuse(f"initial state {ins[5]!r} must be zero (or absent)")
        before_reset = bool(a.get("linear_before_reset", 0))
        blocks = {g: slice(k * hidden, (k + 1) * hidden) for k, g in enumerate("zrn")}

        def tensor(tag, shape=(batches, hidden)):
            return self.g.add_tensor(ir.Tensor(self.g.unique_name(f"{node.name}/{tag}"),
                                               tuple(shape))).name

        def op(name, inputs, tag, options=None):
            out = tensor(tag)
            self.g.nodes.append(ir.Node(name, inputs, [out], options or {}, node.name))
            return out

        def dense(v, matrix, b, tag):
            return op("FULLY_CONNECTED",
                      [v, self.constant(f"{node.name}/{tag}_w", matrix),
                       None if b is None else self.constant(f"{node.name}/{tag}_b", b)], tag)

        wb, rb = bias[:3 * hidden], bias[3 * hidden:]
        xs = [tensor(f"x_{t}", (batches, self.shape(x)[2])) for t in range(steps)]
        self.g.nodes.append(ir.Node("UNPACK", [x], xs, {"num": steps, "axis": int(batch_major)},
                                    node.name))
        h = self.constant(f"{node.name}/h0", np.zeros((batches, hidden), np.float32))
        hs = []
        for t, x_t in enumerate(xs):
            gate = {}
            for g in "zr":
                pre = op("ADD", [dense(x_t, w[blocks[g]], wb[blocks[g]] + rb[blocks[g]], f"x{g}_{t}"),
                                 dense(h, r[blocks[g]], None, f"h{g}_{t}")], f"{g}_pre_{t}")
                gate[g] = op("LOGISTIC", [pre], f"{g}_{t}")
            n_x = dense(x_t, w[blocks["n"]], wb[blocks["n"]] if before_reset else
                        wb[blocks["n"]] + rb[blocks["n"]], f"xn_{t}")
            if before_reset:
                n_h = op("MUL", [gate["r"], dense(h, r[blocks["n"]], rb[blocks["n"]], f"hn_{t}")],
                         f"rhn_{t}")
            else:
                n_h = dense(op("MUL", [gate["r"], h], f"rh_{t}"), r[blocks["n"]], None, f"hn_{t}")
            n = op("TANH", [op("ADD", [n_x, n_h], f"n_pre_{t}")], f"n_{t}")
            h = op("ADD", [n, op("MUL", [gate["z"], op("SUB", [h, n], f"h_minus_n_{t}")],
                                  f"z_keep_{t}")], f"h_{t}")
            hs.append(h)
        if outs[0]:
            seq = self.g.add_tensor(ir.Tensor(
                self.g.unique_name(f"{node.name}/sequence"),
                (batches, steps, hidden) if batch_major else (steps, batches, hidden))).name
            self.g.nodes.append(ir.Node("PACK", hs, [seq], {"values_count": steps,
                                                             "axis": int(batch_major)}, node.name))
            y_shape = self.shape(outs[0])
            self.emit("RESHAPE", [seq, self.constant(f"{node.name}/y_shape", y_shape, "int32")],
                      outs[0], {"new_shape": list(y_shape)}, node, False)
        if outs[1]:
            h_shape = self.shape(outs[1])
            self.emit("RESHAPE", [hs[-1], self.constant(f"{node.name}/y_h_shape", h_shape,
                                                        "int32")],
                      outs[1], {"new_shape": list(h_shape)}, node, False)

    def op_Constant(self, node, a):
        value = a.get("value")
        if value is None:
            raise OnnxImportError(f"node {node.name!r} (Constant): only the 'value' attribute is "
                                  f"supported")
        self.consts[node.output[0]] = self.numpy_helper.to_array(value)

    def op_Identity(self, node, a):
        if node.input[0] in self.consts:
            self.consts[node.output[0]] = self.consts[node.input[0]]
            return
        x = self.activation(node.input[0])
        self.emit("IDENTITY", [x], node.output[0], node=node, channels_first=self.layout[x])

    def op_Dropout(self, node, a):
        training = node.input[2] if len(node.input) > 2 and node.input[2] else None
        if training and bool(np.asarray(self.consts.get(training, True))):
            raise OnnxImportError(f"node {node.name!r} (Dropout): training mode is not supported "
                                  f"(export the model for inference)")
        if len(node.output) > 1 and node.output[1] in self.consumed:
            raise OnnxImportError(f"node {node.name!r} (Dropout): the mask output "
                                  f"{node.output[1]!r} is used; only an unused mask is supported")
        x = self.activation(node.input[0])
        self.emit("DROPOUT", [x], node.output[0], node=node, channels_first=self.layout[x])

    def op_Conv(self, node, a):
        if len(self.shape(node.input[0])) != 4:
            raise OnnxImportError(f"node {node.name!r} (Conv): only 2-D convolutions are supported")
        x = self.channels_first(node.input[0])
        w = np.asarray(self.const_value(node, node.input[1], "weight"), np.float32)
        m, cg, kh, kw = w.shape
        c = self.g.tensors[x].shape[3]
        group = a.get("group", 1)
        strides = list(a.get("strides", [1, 1]))
        dil = list(a.get("dilations", [1, 1]))
        x, padding = self.window_padding(node, x, (kh, kw), strides, dil)
        options = {"padding": padding, "stride_h": strides[0], "stride_w": strides[1],
                   "dilation_h_factor": dil[0], "dilation_w_factor": dil[1]}
        if group == 1:
            op, wt = "CONV_2D", w.transpose(0, 2, 3, 1)
        elif group == c and cg == 1:
            op, wt = "DEPTHWISE_CONV_2D", w.transpose(1, 2, 3, 0)
            options["depth_multiplier"] = m // c
        else:
            # A grouped convolution is a dense one whose weights are zero
            # outside each group's block: exact, at group times the work.
            if c % group or m % group:
                raise OnnxImportError(f"node {node.name!r} (Conv): {c} input and {m} output channels "
                                      f"do not split into {group} groups")
            dense = np.zeros((m, kh, kw, c), np.float32)
            per_out, per_in = m // group, c // group
            for gi in range(group):
                dense[gi * per_out:(gi + 1) * per_out, :, :, gi * per_in:(gi + 1) * per_in] = \
                    w[gi * per_out:(gi + 1) * per_out].transpose(0, 2, 3, 1)
            op, wt = "CONV_2D", dense
        ins = [x, self.constant(node.input[1], wt)]
        if len(node.input) > 2 and node.input[2]:
            ins.append(self.constant(node.input[2], self.const_value(node, node.input[2], "bias")))
        self.emit(op, ins, node.output[0], options, node, True)

    def _fully_connected(self, node, x, w_kn, bias, keep_dims):
        ins = [x, self.constant(node.name + "/weights", np.asarray(w_kn, np.float32).T)]
        if bias is not None:
            ins.append(self.constant(node.name + "/bias", np.asarray(bias, np.float32)))
        self.emit("FULLY_CONNECTED", ins, node.output[0], {"keep_num_dims": keep_dims}, node, False)

    def op_Gemm(self, node, a):
        if a.get("transA", 0):
            raise OnnxImportError(f"node {node.name!r} (Gemm): transA=1 is not supported")
        x = self.activation(node.input[0])
        b = np.asarray(self.const_value(node, node.input[1], "B"), np.float64)
        b = (b.T if a.get("transB", 0) else b) * a.get("alpha", 1.0)
        bias = None
        if len(node.input) > 2 and node.input[2]:
            c = np.asarray(self.const_value(node, node.input[2], "C"), np.float64)
            while c.ndim > 1 and c.shape[0] == 1:   # [1, N]: one row for every row of A
                c = c[0]
            try:
                bias = np.broadcast_to(c * a.get("beta", 1.0), (b.shape[1],))
            except ValueError:
                raise OnnxImportError(f"node {node.name!r} (Gemm): C {node.input[2]!r} has shape "
                                      f"{list(c.shape)}; expected one that broadcasts to "
                                      f"[{b.shape[1]}]") from None
        self._fully_connected(node, x, b, bias, False)

    def op_MatMul(self, node, a):
        x = self.activation(node.input[0])
        if self.layout[x]:
            raise OnnxImportError(f"node {node.name!r} (MatMul): a 4-D channels-first operand "
                                  f"needs a transpose, which is not supported")
        b = self.const_value(node, node.input[1], "B")
        if b.ndim != 2:
            raise OnnxImportError(f"node {node.name!r} (MatMul): B must be a 2-D constant")
        self._fully_connected(node, x, b, None, len(self.g.tensors[x].shape) > 2)

    def _binary(self, node, op, negate=False, invert=False):
        x0, x1 = node.input[0], node.input[1]
        like = x0 if x0 not in self.consts else x1
        if x0 in self.consts and x1 in self.consts:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): both operands constant")
        if negate and x1 not in self.consts:
            op, negate = "SUB", False   # tensor - tensor
        if negate or invert:
            if x1 not in self.consts:
                raise OnnxImportError(f"node {node.name!r} ({node.op_type}): only a constant "
                                      f"second operand is supported")
            c = np.asarray(self.consts[x1], np.float64)
            self.consts[x1 + "/" + op.lower()] = (-c if negate else 1.0 / c).astype(np.float32)
            x1 = x1 + "/" + op.lower()
        a0, a1 = self.operand(node, x0, like), self.operand(node, x1, like)
        self.emit(op, [a0, a1], node.output[0], {}, node, self.layout.get(like, False))

    def op_Add(self, node, a):
        self._binary(node, "ADD")

    def op_Mul(self, node, a):
        self._binary(node, "MUL")

    def op_Sub(self, node, a):
        self._binary(node, "ADD", negate=True)

    def op_Div(self, node, a):
        if node.input[1] in self.consts:
            self._binary(node, "MUL", invert=True)   # times the constant's reciprocal
        else:
            self._binary(node, "DIV")

    def _unary(self, node, op, options=None):
        x = self.activation(node.input[0])
        self.emit(op, [x], node.output[0], options or {}, node, self.layout[x])

    # ONNX ops that are one TFLite op with no options
    UNARY_OPS = {"Relu": "RELU", "Sigmoid": "LOGISTIC", "Tanh": "TANH", "Exp": "EXP",
                 "Log": "LOG", "Sqrt": "SQRT", "Floor": "FLOOR"}

    def op_Gelu(self, node, a):
        approximate = a.get("approximate", b"none")
        approximate = approximate.decode() if isinstance(approximate, bytes) else approximate
        self._unary(node, "GELU", {"approximate": approximate == "tanh"})

    def op_Clip(self, node, a):
        """RELU6 / RELU where they fit, else MAXIMUM with min then MINIMUM with max."""
        bounds = []
        for k in (1, 2):
            v = None
            if len(node.input) > k and node.input[k]:
                v = np.asarray(self.const_value(node, node.input[k], ("min", "max")[k - 1]))
                if v.size != 1:
                    raise OnnxImportError(f"node {node.name!r} (Clip): min and max must be "
                                          f"scalars, got shape {list(v.shape)}")
            bounds.append(float(v.item()) if v is not None else (-np.inf, np.inf)[k - 1])
        lo, hi = bounds
        if lo == 0 and hi == 6:
            return self._unary(node, "RELU6")
        if lo == 0 and hi == np.inf:
            return self._unary(node, "RELU")
        x = self.activation(node.input[0])
        steps = [(op, v) for op, v in (("MAXIMUM", lo), ("MINIMUM", hi)) if np.isfinite(v)]
        if not steps:
            return self._unary(node, "IDENTITY")
        for k, (op, v) in enumerate(steps):
            out = node.output[0]
            if k < len(steps) - 1:
                out = self.g.unique_name(node.output[0] + "/" + op.lower())
                self.shapes[out] = self.shape(node.input[0])
            bound = self.constant(f"{node.name}/{op.lower()}", np.array([v], np.float32))
            self.emit(op, [x, bound], out, {}, node, self.layout[x])
            x = out

    def _max_min(self, node, op):
        if len(node.input) != 2:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): {len(node.input)} inputs; "
                                  f"only two are supported")
        like = node.input[0] if node.input[0] not in self.consts else node.input[1]
        ins = [self.operand(node, n, like) for n in node.input]
        self.emit(op, ins, node.output[0], {}, node, self.layout.get(like, False))

    def op_Max(self, node, a):
        self._max_min(node, "MAXIMUM")

    def op_Min(self, node, a):
        self._max_min(node, "MINIMUM")

    def _scaled(self, node, x, scale, shift, suffix):
        """scale * x + shift as MUL and ADD with constants (a new tensor)."""
        mid = self.g.unique_name(node.output[0] + f"/{suffix}_scaled")
        out = self.g.unique_name(node.output[0] + f"/{suffix}")
        self.shapes[mid] = self.shapes[out] = self.shape(node.input[0])
        self.emit("MUL", [x, self.constant(mid + "/c", np.array([scale], np.float32))], mid, {}, node,
                  self.layout[x])
        self.emit("ADD", [mid, self.constant(out + "/c", np.array([shift], np.float32))], out, {},
                  node, self.layout[x])
        return out

    def _hard_sigmoid(self, node, x, alpha, beta, output):
        """clip(alpha x + beta, 0, 1) = relu6(6 alpha x + 6 beta) / 6."""
        inner = self._scaled(node, x, 6 * alpha, 6 * beta, "hs")
        r6 = self.g.unique_name(node.output[0] + "/relu6")
        self.shapes[r6] = self.shape(node.input[0])
        self.emit("RELU6", [inner], r6, {}, node, self.layout[x])
        self.emit("MUL", [r6, self.constant(r6 + "/sixth", np.array([1 / 6], np.float32))], output,
                  {}, node, self.layout[x])

    def op_HardSigmoid(self, node, a):
        x = self.activation(node.input[0])
        self._hard_sigmoid(node, x, a.get("alpha", 0.2), a.get("beta", 0.5), node.output[0])

    def op_HardSwish(self, node, a):
        x = self.activation(node.input[0])
        gate = self.g.unique_name(node.output[0] + "/gate")
        self.shapes[gate] = self.shape(node.input[0])
        self._hard_sigmoid(node, x, 1 / 6, 0.5, gate)
        self.emit("MUL", [x, gate], node.output[0], {}, node, self.layout[x])

    def op_Transpose(self, node, a):
        x = self.activation(node.input[0])
        rank = len(self.shape(node.input[0]))
        perm = list(a.get("perm", reversed(range(rank))))
        # ONNX: out = in.transpose(perm). Stored tensors: channels-first 4-D ones
        # hold in.transpose(NCHW_TO_NHWC); the output is stored plain.
        stored_perm = [list(NCHW_TO_NHWC).index(p) for p in perm] if self.layout[x] else perm
        self.emit("TRANSPOSE", [x, self.constant(node.name + "/perm", np.array(stored_perm, np.int32),
                                                 "int32")], node.output[0], {}, node, False)

    def op_Resize(self, node, a):
        """ONNX Resize of the spatial axes onto TFLite's two conventions."""
        def text(key, default):
            v = a.get(key, default)
            return v.decode() if isinstance(v, bytes) else v
        mode, coord = text("mode", "nearest"), text("coordinate_transformation_mode", "half_pixel")
        nearest = text("nearest_mode", "round_prefer_floor")
        x = self.activation(node.input[0])
        out_shape = self.shape(node.output[0])
        in_shape = self.shape(node.input[0])
        if not self.layout[x] or out_shape[:2] != in_shape[:2]:
            raise OnnxImportError(f"node {node.name!r} (Resize): only resizing H and W of a 4-D "
                                  f"NCHW tensor is supported")
        if a.get("antialias", 0) or a.get("exclude_outside", 0):
            raise OnnxImportError(f"node {node.name!r} (Resize): antialias / exclude_outside are not "
                                  f"supported")
        if mode == "linear" and coord in ("half_pixel", "pytorch_half_pixel"):
            options = {"align_corners": False, "half_pixel_centers": True}
        elif mode == "linear" and coord in ("asymmetric", "align_corners"):
            options = {"align_corners": coord == "align_corners", "half_pixel_centers": False}
        elif mode == "nearest" and (coord, nearest) == ("asymmetric", "floor"):
            options = {"align_corners": False, "half_pixel_centers": False}
        elif mode == "nearest" and (coord, nearest) == ("half_pixel", "round_prefer_ceil"):
            options = {"align_corners": False, "half_pixel_centers": True}
        elif mode == "nearest" and (coord, nearest) == ("align_corners", "round_prefer_ceil"):
            options = {"align_corners": True, "half_pixel_centers": False}
        else:
            raise OnnxImportError(f"node {node.name!r} (Resize): mode {mode!r} with "
                                  f"coordinate_transformation_mode {coord!r} (nearest_mode "
                                  f"{nearest!r}) has no TFLite equivalent")
        if coord == "pytorch_half_pixel" and min(out_shape[2:]) <= 1:
            raise OnnxImportError(f"node {node.name!r} (Resize): pytorch_half_pixel with an output "
                                  f"size of 1 is not supported")
        scales = self.consts.get(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        if scales is not None and np.size(scales):
            ratios = np.asarray(out_shape[2:], np.float64) / np.asarray(in_shape[2:], np.float64)
            if not np.allclose(np.asarray(scales, np.float64)[2:], ratios, rtol=1e-6, atol=0):
                raise OnnxImportError(f"node {node.name!r} (Resize): scales {list(np.asarray(scales)[2:])} "
                                      f"are not output/input sizes {list(ratios)}; TFLite maps "
                                      f"coordinates by the size ratio")
        size = self.constant(node.name + "/size", np.array(out_shape[2:], np.int32), "int32")
        self.emit("RESIZE_BILINEAR" if mode == "linear" else "RESIZE_NEAREST_NEIGHBOR", [x, size],
                  node.output[0], options, node, True)

    def op_PRelu(self, node, a):
        x = self.activation(node.input[0])
        slope = self.operand(node, node.input[1], x)
        self.emit("PRELU", [x, slope], node.output[0], {}, node, self.layout[x])

    def op_LeakyRelu(self, node, a):
        x = self.activation(node.input[0])
        alpha = self.constant(node.name + "/alpha", np.array([a.get("alpha", 0.01)], np.float32))
        self.emit("PRELU", [x, alpha], node.output[0], {}, node, self.layout[x])

    def _softmax(self, node, a, op, options):
        x = self.activation(node.input[0])
        rank = len(self.shape(node.input[0]))
        axis = a.get("axis", -1) % rank
        if self.layout[x] and axis == 1:
            pass    # channels are the last NHWC axis
        elif self.layout[x] or axis != rank - 1:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): only the last axis (or "
                                  f"the channel axis of a 4-D tensor) is supported, got axis "
                                  f"{axis}")
        self.emit(op, [x], node.output[0], options, node, self.layout[x])

    def op_Softmax(self, node, a):
        self._softmax(node, a, "SOFTMAX", {"beta": 1.0})

    def op_LogSoftmax(self, node, a):
        self._softmax(node, a, "LOG_SOFTMAX", {})

    def _pool(self, node, a, op):
        if len(self.shape(node.input[0])) != 4:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): only 2-D pooling (4-D "
                                  f"input) is supported")
        x = self.channels_first(node.input[0])
        k = list(a["kernel_shape"])
        strides = list(a.get("strides", [1, 1]))
        if list(a.get("dilations", [1, 1])) != [1, 1]:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): dilated pooling is not supported")
        h, w = self.g.tensors[x].shape[1:3]
        x, padding = self.window_padding(node, x, k, strides, [1, 1])
        options = {"padding": padding, "stride_h": strides[0], "stride_w": strides[1],
                   "filter_height": k[0], "filter_width": k[1]}
        if op != "AVERAGE_POOL_2D" or a.get("count_include_pad", 0) or x not in self.explicit_pads:
            self.emit(op, [x], node.output[0], options, node, True)
            return
        # Zero padding counted in the mean: the mean of each window times
        # (window size / the input elements it covers) leaves them out.
        top, left = self.explicit_pads[x][:2]
        out_h, out_w = self.shape(node.output[0])[2:]

        def covered(size, before, kernel, stride, count):
            starts = np.arange(count) * stride - before
            return np.minimum(starts + kernel, size) - np.maximum(starts, 0)
        rows = covered(h, top, k[0], strides[0], out_h)
        cols = covered(w, left, k[1], strides[1], out_w)
        ratio = (k[0] * k[1]) / (rows[:, None] * cols[None, :]).astype(np.float64)
        pooled = self.g.unique_name(node.output[0] + "/with_padding")
        self.shapes[pooled] = self.shape(node.output[0])
        self.emit(op, [x], pooled, options, node, True)
        self.emit("MUL", [pooled, self.constant(node.output[0] + "/coverage",
                                                ratio.astype(np.float32)[:, :, None])],
                  node.output[0], {}, node, True)

    def op_MaxPool(self, node, a):
        if len(node.output) > 1 and node.output[1]:
            raise OnnxImportError(f"node {node.name!r} (MaxPool): the Indices output is not supported")
        self._pool(node, a, "MAX_POOL_2D")

    def op_AveragePool(self, node, a):
        self._pool(node, a, "AVERAGE_POOL_2D")

    def op_GlobalAveragePool(self, node, a):
        self._global_pool(node, "MEAN")

    def op_GlobalMaxPool(self, node, a):
        self._global_pool(node, "REDUCE_MAX")

    def _global_pool(self, node, op):
        """A 4-D channels-first input reduced over its height and width."""
        if len(self.shape(node.input[0])) != 4:
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): only 4-D input is "
                                  f"supported")
        x = self.channels_first(node.input[0])
        axes = self.constant(node.name + "/axes", np.array([1, 2], np.int32), "int32")
        self.emit(op, [x, axes], node.output[0], {"keep_dims": True}, node, True)

    def op_ReduceMean(self, node, a):
        self._reduce(node, a, "MEAN")

    def op_ReduceMax(self, node, a):
        self._reduce(node, a, "REDUCE_MAX")

    def op_ReduceSum(self, node, a):
        self._reduce(node, a, "SUM")

    def _reduce(self, node, a, op):
        x = self.activation(node.input[0])
        rank = len(self.shape(node.input[0]))
        axes = a.get("axes")
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = self.const_value(node, node.input[1], "axes")
        axes = list(range(rank)) if axes is None else [int(v) % rank for v in np.atleast_1d(axes)]
        keep = bool(a.get("keepdims", 1))
        if self.layout[x]:
            if not keep and sorted(axes) not in ([2, 3], [1, 2, 3], [0, 1, 2, 3]):
                raise OnnxImportError(f"node {node.name!r} ({node.op_type}): reducing axes "
                                      f"{axes} of a channels-first tensor without keepdims is "
                                      f"not supported")
            axes = [_nhwc_axis(v, 4) for v in axes]
        out_first = self.layout[x] and keep
        self.emit(op, [x, self.constant(node.name + "/axes", np.array(sorted(axes), np.int32),
                                            "int32")],
                  node.output[0], {"keep_dims": keep}, node, out_first)

    def _to_nchw(self, node, x):
        """A channels-first 4-D activation stored NHWC, transposed back to
        NCHW storage (where the element order matters)."""
        n, h, w, c = self.g.tensors[x].shape
        nchw = self.g.unique_name(x + "/nchw")
        self.shapes[nchw] = (n, c, h, w)
        self.emit("TRANSPOSE", [x, self.constant(nchw + "/perm", np.array([0, 3, 1, 2], np.int32),
                                                 "int32")], nchw, {}, node, False)
        return nchw

    def _arg_min_max(self, node, a, op):
        """ArgMax / ArgMin: TFLite's ARG_MAX / ARG_MIN (INT64 indices, the
        first on ties), then a RESHAPE that keeps the axis for keepdims."""
        if a.get("select_last_index", 0):
            raise OnnxImportError(f"node {node.name!r} ({node.op_type}): select_last_index=1 is "
                                  f"not supported (TFLite picks the first index on ties)")
        x = self.activation(node.input[0])
        rank = len(self.shape(node.input[0]))
        axis = a.get("axis", 0) % rank
        keep = bool(a.get("keepdims", 1))
        if self.layout[x] and not keep and axis != 1:   # the rest must keep NCHW order
            x = self._to_nchw(node, x)
        first = self.layout[x]
        ir_axis = _nhwc_axis(axis, 4) if first else axis
        ir_shape = self.g.tensors[x].shape
        out = node.output[0]
        index = self.g.unique_name(out + "/index") if keep else out
        self.g.add_tensor(ir.Tensor(index, tuple(d for i, d in enumerate(ir_shape) if i != ir_axis),
                                    "int64"))
        self.g.nodes.append(ir.Node(op, [x, self.constant(node.name + "/axis", np.array(
            [ir_axis], np.int32), "int32")], [index], {"output_type": "INT64"}, node.name))
        self.layout[out] = first and keep
        if keep:
            kept = tuple(1 if i == ir_axis else d for i, d in enumerate(ir_shape))
            self.g.add_tensor(ir.Tensor(out, kept, "int64"))
            self.g.nodes.append(ir.Node("RESHAPE", [index, self.constant(
                node.name + "/shape", np.array(kept, np.int32), "int32")], [out],
                {"new_shape": list(kept)}, node.name + "/keepdims"))

    def op_ArgMax(self, node, a):
        self._arg_min_max(node, a, "ARG_MAX")

    def op_ArgMin(self, node, a):
        self._arg_min_max(node, a, "ARG_MIN")

    def op_LpNormalization(self, node, a):
        """p = 2 over the last axis (or the channels of a 4-D tensor):
        L2_NORMALIZATION. TFLite divides by max(norm, 1e-6) where ONNX
        divides by the norm: they differ only for all-zero rows."""
        x = self.activation(node.input[0])
        rank = len(self.shape(node.input[0]))
        axis = a.get("axis", -1) % rank
        if a.get("p", 2) != 2:
            raise OnnxImportError(f"node {node.name!r} (LpNormalization): only p=2 is supported, "
                                  f"got p={a.get('p')}")
        if not ((self.layout[x] and axis == 1) or (not self.layout[x] and axis == rank - 1)):
            raise OnnxImportError(f"node {node.name!r} (LpNormalization): only the last axis (or "
                                  f"the channel axis of a 4-D tensor) is supported, got axis "
                                  f"{axis}")
        self.emit("L2_NORMALIZATION", [x], node.output[0], {}, node, self.layout[x])

    def op_BatchNormalization(self, node, a):
        x = self.activation(node.input[0])
        ins = [x] + [self.constant(n, self.const_value(node, n, "statistic")) for n in node.input[1:5]]
        self.emit("BATCH_NORM", ins, node.output[0], {"epsilon": a.get("epsilon", 1e-5)}, node,
                  self.layout[x])

    def op_Concat(self, node, a):
        xs = [self.operand(node, n, node.input[0]) for n in node.input]
        first = self.layout.get(xs[0], False)
        axis = a["axis"] % len(self.shape(node.input[0]))
        self.emit("CONCATENATION", xs, node.output[0],
                  {"axis": _nhwc_axis(axis, 4) if first else axis}, node, first)

    def _reshape(self, node, target):
        x = self.activation(node.input[0])
        if self.layout[x]:
            n, h, w, c = self.g.tensors[x].shape
            if not (h == 1 and w == 1) and list(target) != [n, c, h, w]:
                x = self._to_nchw(node, x)   # element order changes
        self.shapes[node.output[0]] = tuple(int(d) for d in target)
        shape_t = self.constant(node.name + "/shape", np.array(target, np.int32), "int32")
        keep_first = self.layout[x] and len(target) == 4
        self.emit("RESHAPE", [x, shape_t], node.output[0], {"new_shape": [int(d) for d in (
            (target[i] for i in NCHW_TO_NHWC) if keep_first else target)]}, node, keep_first)

    def op_Reshape(self, node, a):
        self._reshape(node, self.shape(node.output[0]))

    def op_Flatten(self, node, a):
        self._reshape(node, self.shape(node.output[0]))

    def op_Squeeze(self, node, a):
        self._reshape(node, self.shape(node.output[0]))

    def op_Unsqueeze(self, node, a):
        self._reshape(node, self.shape(node.output[0]))

    def op_Pad(self, node, a):
        mode = a.get("mode", b"constant")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        x = self.activation(node.input[0])
        pads = np.asarray(self.const_value(node, node.input[1], "pads")).astype(np.int64)
        value = np.zeros((), np.float32)
        if len(node.input) > 2 and node.input[2]:
            value = np.asarray(self.const_value(node, node.input[2], "constant_value"), np.float32)
        if mode != "constant" or value.size != 1 or (len(node.input) > 3 and node.input[3]):
            raise OnnxImportError(f"node {node.name!r} (Pad): only constant padding (one value) of "
                                  f"all axes is supported, got mode {mode!r}")
        rank = len(pads) // 2
        pairs = np.stack([pads[:rank], pads[rank:]], axis=1)
        if self.layout[x]:
            pairs = pairs[list(NCHW_TO_NHWC)]
        if np.any(pairs < 0):
            raise OnnxImportError(f"node {node.name!r} (Pad): negative pads are not supported")
        ins = [x, self.constant(node.name + "/paddings", pairs.astype(np.int32), "int32")]
        if value.item() != 0.0:
            ins.append(self.constant(node.name + "/constant_value", value.reshape(())))
        self.emit("PADV2" if len(ins) > 2 else "PAD", ins, node.output[0], {}, node, self.layout[x])

    def op_LRN(self, node, a):
        """ONNX sums squares over `size` channels centred on c and divides
        alpha by size; TFLite sums over c - radius .. c + radius."""
        size = a["size"]
        if len(self.shape(node.input[0])) != 4 or size % 2 == 0:
            raise OnnxImportError(f"node {node.name!r} (LRN): only an odd size over the channels "
                                  f"of a 4-D tensor is supported, got size {size} and rank "
                                  f"{len(self.shape(node.input[0]))}")
        x = self.channels_first(node.input[0])
        self.emit("LOCAL_RESPONSE_NORMALIZATION", [x], node.output[0],
                  {"radius": (size - 1) // 2, "bias": a.get("bias", 1.0),
                   "alpha": a.get("alpha", 1e-4) / size, "beta": a.get("beta", 0.75)}, node, True)


def import_onnx(source, input_shapes: dict | None = None) -> ir.Graph:
    """`source`: a path or an onnx.ModelProto. input_shapes fixes dynamic
    input dimensions ({name: [dims]}); a symbolic batch dimension becomes 1."""
    try:
        import onnx
    except ImportError as e:
        raise OnnxImportError("ONNX import needs the 'onnx' package: pip install 'mote[onnx]'") from e
    from google.protobuf.message import DecodeError
    try:
        model = source if isinstance(source, onnx.ModelProto) else onnx.load(str(source))
    except (DecodeError, UnicodeDecodeError) as e:
        raise OnnxImportError(f"{source}: not an ONNX model ({e})") from None
    try:   # node inputs, attribute types and graph structure, before any is trusted
        onnx.checker.check_model(model)
    except (onnx.checker.ValidationError, UnicodeDecodeError) as e:   # names that are not UTF-8
        raise OnnxImportError(f"the ONNX model is malformed: {str(e).splitlines()[0]}") from None
    return _Importer(model, input_shapes).run()
