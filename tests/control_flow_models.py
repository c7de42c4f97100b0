"""Models with several subgraphs, built with Mote's flatbuffer builder:
small WHILE / IF / CALL_ONCE models (`counter_while_model`, `if_model`,
`call_once_model`) and Keras LSTM layers in the two forms TensorFlow's converter writes when it
does not fuse them into UNIDIRECTIONAL_SEQUENCE_LSTM, built with Mote's
flatbuffer builder (no TensorFlow here):

- WHILE form (`lstm_while_model`): the layer's `tf.while_loop` as a WHILE
  op. As TensorFlow's while_v2 writes it, the loop carries (loop_counter,
  maximum_iterations, time, h, c, inputs); the cond subgraph is
  `loop_counter < maximum_iterations and time < steps` (LESS, LESS,
  LOGICAL_AND); the body reads step `time` of the time-major input with
  GATHER (TensorListGetItem once `experimental_lower_tensor_list_ops`
  lowered the TensorLists away), computes the gates as x W^T + b and h U^T
  (FULLY_CONNECTED each, MatMul and BiasAdd fused), ADD, SPLIT into Keras's
  i, f, c, o, then LOGISTIC / TANH / MUL / ADD, and counts with INT32 ADD.
  The main subgraph transposes the batch-major input to time-major
  (TRANSPOSE) and returns the last h (`return_sequences=False`).
- Unrolled form (`lstm_unrolled_model`, `unroll=True`): UNPACK of the input
  along time, the same cell per step, PACK of every h (`return_sequences=True`).

Both take an int8 flavour (`quant=LSTM_INT8`): int8 activations per tensor,
int8 weights symmetric per tensor, int32 biases, LOGISTIC / TANH outputs at
TFLite's fixed scales, the loop-carried h and c at one scale each.

`lstm_reference` computes the layer in float64 with numpy (the oracle).
`CASES` lists them all with inputs, for the C tests and the fuzzer's seeds.
"""
from __future__ import annotations

import numpy as np

from mote.converter.tflite.builder import ModelBuilder

# int8 scales (zero points 0 unless said): input in [-1, 1); pre-activations
# within +-4 (each of x W^T + b, h U^T) and +-8 (their sum); c within +-8; h
# in [-1, 1] as o * tanh(c).
LSTM_INT8 = {"x": 1 / 128, "gates": 4 / 128, "sum": 8 / 128, "c": 8 / 128, "h": 1 / 128}
SIGMOID_Q = {"scale": 1 / 256, "zero_point": -128}
TANH_Q = {"scale": 1 / 128, "zero_point": 0}


def lstm_weights(rng, n_in, hidden, scale=0.5):
    """Keras's layout: kernel [n_in, 4H], recurrent kernel [H, 4H], bias [4H],
    gates in the order i, f, c, o."""
    return {"kernel": (rng.standard_normal((n_in, 4 * hidden)) * scale).astype(np.float32),
            "recurrent": (rng.standard_normal((hidden, 4 * hidden)) * scale).astype(np.float32),
            "bias": (rng.standard_normal(4 * hidden) * 0.1).astype(np.float32)}


def lstm_reference(x, w):
    """Keras's LSTM over x [batch, steps, n_in] in float64: all h [batch, steps, H]."""
    x = np.asarray(x, np.float64)
    hidden = w["recurrent"].shape[0]
    h = np.zeros((x.shape[0], hidden))
    c = np.zeros_like(h)
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    out = []
    for t in range(x.shape[1]):
        z = x[:, t] @ w["kernel"] + h @ w["recurrent"] + w["bias"]
        i, f, g, o = np.split(z, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out.append(h)
    return np.stack(out, axis=1)


class _Cell:
    """Writes one LSTM step into a (sub)graph builder `g`: float32, or int8
    with the scales of `quant`."""

    def __init__(self, g, w, quant):
        self.g, self.quant = g, quant
        self.hidden = w["recurrent"].shape[0]
        # FULLY_CONNECTED's weights are [out, in]
        kernel, recurrent = w["kernel"].T.copy(), w["recurrent"].T.copy()
        if quant is None:
            self.kernel = g.add_constant("kernel", kernel)
            self.recurrent = g.add_constant("recurrent_kernel", recurrent)
            self.bias = g.add_constant("bias", w["bias"])
        else:
            self.kernel = self._weights("kernel", kernel)
            self.recurrent = self._weights("recurrent_kernel", recurrent)
            bias_scale = quant["x"] * self.kernel_scale
            self.bias = g.add_constant("bias", np.round(w["bias"] / bias_scale).astype(np.int32),
                                       quantization={"scale": bias_scale, "zero_point": 0})
        self.axis = scalar(g, "split_axis", 1, np.int32)

    def _weights(self, name, w):
        scale = float(np.max(np.abs(w))) / 127
        if name == "kernel":
            self.kernel_scale = scale
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        return self.g.add_constant(name, q, quantization={"scale": scale, "zero_point": 0})

    def tensor(self, name, shape, kind=None):
        """A float32 tensor, or int8 at the scale `kind` names (or fixed params)."""
        if self.quant is None:
            return self.g.add_tensor(name, shape, "float32")
        q = kind if isinstance(kind, dict) else {"scale": self.quant[kind], "zero_point": 0}
        return self.g.add_tensor(name, shape, "int8", q)

    def step(self, x, h, c, batch, tag=""):
        """(h', c') of one step from x [batch, n_in], h and c [batch, H]."""
        g, H = self.g, self.hidden
        zx = self.tensor(f"zx{tag}", [batch, 4 * H], "gates")
        zh = self.tensor(f"zh{tag}", [batch, 4 * H], "gates")
        z = self.tensor(f"z{tag}", [batch, 4 * H], "sum")
        fc_version = 1 if self.quant is None else 4
        g.add_operator("FULLY_CONNECTED", [x, self.kernel, self.bias], [zx], version=fc_version)
        g.add_operator("FULLY_CONNECTED", [h, self.recurrent, -1], [zh], version=fc_version)
        g.add_operator("ADD", [zx, zh], [z], version=self._version)
        parts = [self.tensor(f"z{k}{tag}", [batch, H], "sum") for k in "ifgo"]
        g.add_operator("SPLIT", [self.axis, z], parts, {"num_splits": 4}, version=self._version)
        i, f, gg, o = (self.tensor(f"{k}{tag}", [batch, H], TANH_Q if k == "g" else SIGMOID_Q)
                       for k in "ifgo")
        for op, src, dst in (("LOGISTIC", parts[0], i), ("LOGISTIC", parts[1], f),
                             ("TANH", parts[2], gg), ("LOGISTIC", parts[3], o)):
            g.add_operator(op, [src], [dst], version=self._version)
        fc, ig = self.tensor(f"fc{tag}", [batch, H], "c"), self.tensor(f"ig{tag}", [batch, H], "c")
        c1 = self.tensor(f"c_next{tag}", [batch, H], "c")
        tc = self.tensor(f"tc{tag}", [batch, H], TANH_Q)
        h1 = self.tensor(f"h_next{tag}", [batch, H], "h")
        g.add_operator("MUL", [f, c], [fc], version=self._version)
        g.add_operator("MUL", [i, gg], [ig], version=self._version)
        g.add_operator("ADD", [fc, ig], [c1], version=self._version)
        g.add_operator("TANH", [c1], [tc], version=self._version)
        g.add_operator("MUL", [o, tc], [h1], version=self._version)
        return h1, c1

    @property
    def _version(self):
        return 1 if self.quant is None else 2



def scalar(g, name, value, dtype):
    """A constant of shape [] (the builder's add_constant makes 0-d arrays [1])."""
    arr = np.asarray(value, dtype)
    g.buffers.append({"data": np.frombuffer(arr.tobytes(), np.uint8)})
    return g.add_tensor(name, [], arr.dtype, buffer=len(g.buffers) - 1)


def _input_q(quant):
    return None if quant is None else {"scale": quant["x"], "zero_point": 0}


def _state_q(quant, kind):
    return None if quant is None else {"scale": quant[kind], "zero_point": 0}


def lstm_while_model(w, batch, steps, quant=None) -> bytes:
    """The WHILE form; input x [batch, steps, n_in], output the last h [batch, H]."""
    n_in, H = w["kernel"].shape[0], w["recurrent"].shape[0]
    dtype = "float32" if quant is None else "int8"
    b = ModelBuilder()
    x = b.add_input("x", [batch, steps, n_in], dtype, _input_q(quant))
    xt = b.add_tensor("x_time_major", [steps, batch, n_in], dtype, _input_q(quant))
    b.add_operator("TRANSPOSE", [x, b.add_constant("perm", np.array([1, 0, 2], np.int32))], [xt],
                   version=1 if quant is None else 2)
    zeros = np.zeros((batch, H), np.float32 if quant is None else np.int8)
    init = [scalar(b, "loop_counter", 0, np.int32),
            scalar(b, "maximum_iterations", steps, np.int32), scalar(b, "time", 0, np.int32),
            b.add_constant("h0", zeros, quantization=_state_q(quant, "h")),
            b.add_constant("c0", zeros, quantization=_state_q(quant, "c")), xt]
    names = ["loop_counter", "maximum_iterations", "time", "h", "c", "inputs"]
    shapes = [[], [], [], [batch, H], [batch, H], [steps, batch, n_in]]
    types = ["int32"] * 3 + [dtype] * 3
    quants = [None] * 3 + [_state_q(quant, "h"), _state_q(quant, "c"), _input_q(quant)]

    def loop_vars(g):
        return [g.add_input(*v) for v in zip(names, shapes, types, quants)]
    cond = b.add_subgraph("while_cond")
    counter, maxit, time, *_ = loop_vars(cond)
    more = [cond.add_tensor(n, [], "bool") for n in ("below_max", "time_left", "go")]
    cond.add_operator("LESS", [counter, maxit], [more[0]])
    cond.add_operator("LESS", [time, scalar(cond, "steps", steps, np.int32)], [more[1]])
    cond.add_operator("LOGICAL_AND", more[:2], [more[2]])
    cond.mark_outputs(more[2])

    body = b.add_subgraph("while_body")
    counter, maxit, time, h, c, inputs = loop_vars(body)
    one = scalar(body, "one", 1, np.int32)
    counter1 = body.add_tensor("loop_counter_next", [], "int32")
    time1 = body.add_tensor("time_next", [], "int32")
    body.add_operator("ADD", [counter, one], [counter1])
    body.add_operator("ADD", [time, one], [time1])
    cell = _Cell(body, w, quant)
    x_t = cell.tensor("x_t", [batch, n_in], "x")
    body.add_operator("GATHER", [inputs, time], [x_t], {"axis": 0})
    h1, c1 = cell.step(x_t, h, c, batch)
    body.mark_outputs(counter1, maxit, time1, h1, c1, inputs)

    outs = [b.add_tensor(n + "_out", s, t, q) for n, s, t, q in zip(names, shapes, types, quants)]
    b.add_operator("WHILE", init, outs, {"cond_subgraph_index": cond.index,
                                         "body_subgraph_index": body.index})
    b.mark_outputs(outs[3])
    return b.build()


def lstm_unrolled_model(w, batch, steps, quant=None) -> bytes:
    """The unrolled form; input x [batch, steps, n_in], output every h [batch, steps, H]."""
    n_in, H = w["kernel"].shape[0], w["recurrent"].shape[0]
    dtype = "float32" if quant is None else "int8"
    b = ModelBuilder()
    x = b.add_input("x", [batch, steps, n_in], dtype, _input_q(quant))
    cell = _Cell(b, w, quant)
    xs = [cell.tensor(f"x_{t}", [batch, n_in], "x") for t in range(steps)]
    b.add_operator("UNPACK", [x], xs, {"num": steps, "axis": 1}, version=1 if quant is None else 2)
    zeros = np.zeros((batch, H), np.float32 if quant is None else np.int8)
    h = b.add_constant("h0", zeros, quantization=_state_q(quant, "h"))
    c = b.add_constant("c0", zeros, quantization=_state_q(quant, "c"))
    hs = []
    for t in range(steps):
        h, c = cell.step(xs[t], h, c, batch, tag=f"_{t}")
        hs.append(h)
    y = cell.tensor("y", [batch, steps, H], "h")
    b.add_operator("PACK", hs, [y], {"values_count": steps, "axis": 1},
                   version=1 if quant is None else 2)
    b.mark_outputs(y)
    return b.build()


def counter_while_model(cond_body=None, body_shape=None, body_index=None) -> bytes:
    """WHILE (i = 0, n, x): while i < n: i += 1, x = 1.5 x + 0.25; outputs
    (x, i). Inputs x [1, 4] float32 and n [] int32. For the tests of bad
    files: `cond_body(cond, i)` may replace the condition's ops (it returns
    the BOOL output), `body_shape` gives the body's x output another shape
    and `body_index` replaces the WHILE's body subgraph index."""
    b = ModelBuilder()
    x = b.add_input("x", [1, 4], "float32")
    n = b.add_input("n", [], "int32")
    outs = [b.add_tensor("i_out", [], "int32"), b.add_tensor("n_out", [], "int32"),
            b.add_tensor("y", [1, 4], "float32")]
    cond = b.add_subgraph("cond")
    ci, cn, _ = (cond.add_input("i", [], "int32"), cond.add_input("n", [], "int32"),
                 cond.add_input("x", [1, 4], "float32"))
    if cond_body:
        go = cond_body(cond, ci)
    else:
        go = cond.add_tensor("go", [], "bool")
        cond.add_operator("LESS", [ci, cn], [go])
    cond.mark_outputs(go)
    body = b.add_subgraph("body")
    bi, bn, bx = (body.add_input("i", [], "int32"), body.add_input("n", [], "int32"),
                  body.add_input("x", [1, 4], "float32"))
    shape = body_shape or [1, 4]
    i1, t, x1 = (body.add_tensor("i_next", [], "int32"), body.add_tensor("t", [1, 4], "float32"),
                 body.add_tensor("x_next", shape, "float32"))
    body.add_operator("ADD", [bi, scalar(body, "one", 1, np.int32)], [i1])
    body.add_operator("MUL", [bx, body.add_constant("k", np.full([1, 4], 1.5, np.float32))], [t])
    body.add_operator("ADD", [t, body.add_constant("c", np.full(shape, 0.25, np.float32))], [x1])
    body.mark_outputs(i1, bn, x1)
    b.add_operator("WHILE", [scalar(b, "i0", 0, np.int32), n, x], outs,
                   {"cond_subgraph_index": cond.index,
                    "body_subgraph_index": body.index if body_index is None else body_index})
    b.mark_outputs(outs[2], outs[0])
    return b.build()


def if_model() -> bytes:
    """IF (flag, a, b): then a * b + a, else a - b; a, b [2, 3] float32."""
    b = ModelBuilder()
    flag = b.add_input("flag", [], "bool")
    a, c = b.add_input("a", [2, 3], "float32"), b.add_input("b", [2, 3], "float32")
    y = b.add_tensor("y", [2, 3], "float32")
    then = b.add_subgraph("then")
    ta, tb = then.add_input("a", [2, 3], "float32"), then.add_input("b", [2, 3], "float32")
    tp, ty = then.add_tensor("p", [2, 3], "float32"), then.add_tensor("y", [2, 3], "float32")
    then.add_operator("MUL", [ta, tb], [tp])
    then.add_operator("ADD", [tp, ta], [ty])
    then.mark_outputs(ty)
    other = b.add_subgraph("else")
    ea, eb = other.add_input("a", [2, 3], "float32"), other.add_input("b", [2, 3], "float32")
    ey = other.add_tensor("y", [2, 3], "float32")
    other.add_operator("SUB", [ea, eb], [ey])
    other.mark_outputs(ey)
    b.add_operator("IF", [flag, a, c], [y], {"then_subgraph_index": then.index,
                                            "else_subgraph_index": other.index})
    b.mark_outputs(y)
    return b.build()


def call_once_model() -> bytes:
    """CALL_ONCE of an init subgraph (no inputs or outputs, one op on its own
    constants), then y = relu(x); x [3] float32."""
    b = ModelBuilder()
    x = b.add_input("x", [3], "float32")
    init = b.add_subgraph("init")
    t = init.add_tensor("unused", [2], "float32")
    init.add_operator("RELU", [init.add_constant("k", np.array([-1, 2], np.float32))], [t])
    b.add_operator("CALL_ONCE", [], [], {"init_subgraph_index": init.index})
    y = b.add_tensor("y", [3], "float32")
    b.add_operator("RELU", [x], [y])
    b.mark_outputs(y)
    return b.build()


def image_like_int8(rng, shape):
    """Inputs k / 127.5 - 1 as int8 at scale 1/128: values that sit on rounding ties."""
    k = rng.integers(0, 256, shape)
    return np.clip(np.round((k / 127.5 - 1) * 128), -128, 127).astype(np.int8)


def cases():
    """(name, model, inputs, int8) of every model here: int8 ones are compared
    byte for byte with LiteRT's reference kernels, float ones within tolerance."""
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (1, 4)).astype(np.float32)
    for n in (0, 3):
        yield f"while_counter_{n}", counter_while_model(), [x, np.array(n, np.int32)], False
    for flag in (False, True):
        yield f"if_{int(flag)}", if_model(), [np.array(flag), *rng.standard_normal(
            (2, 2, 3)).astype(np.float32)], False
    yield "call_once", call_once_model(), [rng.standard_normal(3).astype(np.float32)], False
    for batch, steps, n_in, hidden in ((1, 4, 3, 4), (2, 6, 5, 3)):
        w = lstm_weights(rng, n_in, hidden)
        shape = (batch, steps, n_in)
        xf = rng.uniform(-1, 1, shape).astype(np.float32)
        for form, build in (("while", lstm_while_model), ("unrolled", lstm_unrolled_model)):
            tag = f"lstm_{form}_{batch}x{steps}x{n_in}x{hidden}"
            yield tag, build(w, batch, steps), [xf], False
            yield (tag + "_int8", build(w, batch, steps, LSTM_INT8),
                   [image_like_int8(rng, shape)], True)
