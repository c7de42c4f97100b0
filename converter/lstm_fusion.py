"""LSTM layers spelled out op by op, fused into UNIDIRECTIONAL_SEQUENCE_LSTM.

TensorFlow writes a Keras LSTM it does not fuse in two forms
(tests/control_flow_models.py builds both): a WHILE loop whose body computes
one step, and, with unroll=True, UNPACK of the steps, one copy of the cell
per step and PACK of the outputs. Either way a step is

    i = sigmoid(x W_i + h R_i + b_i)      f = sigmoid(x W_f + h R_f + b_f)
    g = act(x W_g + h R_g + b_g)          c' = f * c + i * g
    o = sigmoid(x W_o + h R_o + b_o)      h' = o * act(c')

with the four pre-activations made of FULLY_CONNECTED, ADD, SUB, MUL by a
constant, SPLIT and SPLIT_V in any arrangement (Keras's implementation 1 or 2,
the bias fused or added after). The matcher follows h' back through that
structure and reads each pre-activation as an affine function of x, h and
(for peepholes, a constant times c: c for the input and forget gates, c' for
the output gate) by composing the constant weights in float64, so it
recognizes the cell by what it computes, not by one op sequence. The result
is the cell's weights in TFLite's gate order (input, forget, cell, output),
and TFLite's options: `act` (TANH, RELU, RELU6 or RELU_N1_TO_1, the same op
for g and for c'), CIFG where the input gate is 1 - f, cell_clip k where
c' = min(max(f * c + i * g, -k), k).

A cell is fused only where one UNIDIRECTIONAL_SEQUENCE_LSTM computes the same
values: the same weights every step, one activation, the state starting at
zero (the op's state lives in variable tensors, zero at the start), and no
value of the cell other than h (every step's, or the last) read outside it.
Unlike the loop it replaces, the fused op keeps its state across invokes,
as LiteRT keeps it (`reset_all_variables()` starts a new sequence), like the
UNIDIRECTIONAL_SEQUENCE_LSTM TensorFlow's converter writes for a Keras LSTM.

- `fuse_while(g, node, cond, body, where)` (the .tflite importer): a WHILE
  node of `g` whose loop is an LSTM over its input's time axis becomes the
  fused node, or ConversionError says what the loop was found to do instead
  (the converter has no other way to import a loop).
- `fuse_unrolled(g)` (a pass in passes.optimize, after constant folding,
  which leaves a first step's products with the zero state folded): every chain of
  cells over an UNPACK's outputs becomes the fused node; a chain that is not
  an LSTM (an unrolled GRU, say) stays as it is, which is exact too.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from . import ir, reference
from .errors import ConversionError

LSTM = "UNIDIRECTIONAL_SEQUENCE_LSTM"
GATES = ("input", "forget", "cell", "output")
# Activations TFLite's LSTM applies (its fused_activation_function) to the
# cell gate and the cell state; each is also an op of its own.
ACTIVATIONS = ("TANH", "RELU", "RELU6", "RELU_N1_TO_1")


class NoMatch(Exception):
    """What made a candidate cell something else than an LSTM step."""


@dataclasses.dataclass
class Gate:
    """One gate's pre-activation x W^T + h R^T + p * c + b (float64; a
    part the step does not read is None)."""
    w: Optional[np.ndarray]
    r: Optional[np.ndarray]
    p: Optional[np.ndarray]
    b: np.ndarray


@dataclasses.dataclass
class Cell:
    """One matched step: its gates (by GATES name; "input" None under CIFG,
    "forget" None where the step drops f * c because c is zero), activation,
    cell clip (0: none), the tensors it reads and writes, and its nodes."""
    gates: dict
    activation: str
    cifg: bool
    cell_clip: float
    x: str
    h_prev: Optional[str]
    c_prev: Optional[str]
    h: str
    c: str
    nodes: list


def _describe(g: ir.Graph, name: str, producers: dict) -> str:
    p = producers.get(name)
    if p is not None:
        return f"{name!r} (from {p.op})"
    t = g.tensors.get(name)
    return f"{name!r} (a constant)" if t is not None and t.is_constant else f"{name!r}"


# Inputs an op must have for the matcher to look through it.
_ARITY = {**{op: 1 for op in ACTIVATIONS + ("LOGISTIC",)},
          **{op: 2 for op in ("ADD", "SUB", "MUL", "MINIMUM", "MAXIMUM", "FULLY_CONNECTED",
                              "SPLIT", "GATHER")}, "SPLIT_V": 3}


class _Matcher:
    """Matches cells in one graph (its producers computed once: nodes that
    lack an input their op needs produce nothing the matcher follows)."""

    def __init__(self, g: ir.Graph):
        self.g = g
        self.producers = {o: n for o, n in g.producers().items()
                          if len(n.inputs) >= _ARITY.get(n.op, 0)
                          and None not in n.inputs[:_ARITY.get(n.op, 0)]}

    # -- pieces of the structure --------------------------------------------------------

    def producer(self, name, ops):
        p = self.producers.get(name)
        return p if p is not None and p.op in ops else None

    def plain(self, node: ir.Node) -> bool:
        return node.options.get("fused_activation_function", "NONE") in ("NONE", None)

    def constant(self, name) -> Optional[np.ndarray]:
        t = self.g.tensors.get(name) if name is not None else None
        return np.asarray(t.data, np.float64) if t is not None and t.is_constant else None

    def sigmoid(self, name):
        """(pre-activation, nodes, one_minus) of a sigmoid gate: LOGISTIC(pre),
        or 1 - LOGISTIC(pre) (a CIFG input gate); None if `name` is neither."""
        p = self.producer(name, ("LOGISTIC",))
        if p is not None:
            return p.inputs[0], [p], False
        p = self.producer(name, ("SUB",))
        ones = self.constant(p.inputs[0]) if p is not None and self.plain(p) else None
        q = self.producer(p.inputs[1], ("LOGISTIC",)) if ones is not None else None
        if q is not None and np.all(ones == 1):
            return q.inputs[0], [p, q], True
        return None

    def activated(self, name):
        """(activation, pre-activation, nodes, fused) of act(pre): an
        activation op, or an op with that fused activation (its output read
        without it); None otherwise."""
        p = self.producers.get(name)
        if p is None:
            return None
        if p.op in ACTIVATIONS:
            return p.op, p.inputs[0], [p], False
        fused = p.options.get("fused_activation_function", "NONE")
        if fused in ACTIVATIONS:
            return fused, name, [], True
        return None

    # -- pre-activations as affine maps ------------------------------------------------

    def affine(self, name, leaves: dict, nodes: list, strip_root: bool = False):
        """`name` as {leaf: A} and bias b: value = sum(leaf @ A^T) + b, each
        row of the batch alike. Raises NoMatch naming what is not affine."""
        width = self.g.tensors[name].shape[-1] if self.g.tensors[name].shape else 1
        if width < 1:
            raise NoMatch(f"{name!r} is empty")
        if name in leaves:
            return {name: np.eye(width)}, np.zeros(width)
        value = self.constant(name)
        if value is not None:
            rows = value.reshape(-1, width) if value.ndim else value.reshape(1, 1)
            if np.any(rows != rows[:1]):
                raise NoMatch(f"constant {name!r} differs between batch rows")
            return {}, rows[0].copy()
        p = self.producers.get(name)
        if p is None:
            raise NoMatch(f"it reads {name!r}, which is neither the step's input, h, c nor a "
                          f"constant")
        if not strip_root and not self.plain(p):
            raise NoMatch(f"{p.op} {p.name!r} has fused activation "
                          f"{p.options['fused_activation_function']} inside a gate's sum")
        if len(self.g.tensors[name].shape) != 2:
            raise NoMatch(f"{name!r} has shape {list(self.g.tensors[name].shape)}; a cell's "
                          f"values are [batch, units]")
        nodes.append(p)
        if p.op == "FULLY_CONNECTED":
            w = self.constant(p.inputs[1])
            if w is None or w.ndim != 2:
                raise NoMatch(f"FULLY_CONNECTED {p.name!r} has no constant 2-D weights")
            terms, bias = self.affine(p.inputs[0], leaves, nodes)
            if bias.shape[0] != w.shape[1]:
                raise NoMatch(f"FULLY_CONNECTED {p.name!r} reads a vector of {bias.shape[0]}")
            b = self.constant(p.inputs[2]) if len(p.inputs) > 2 and p.inputs[2] else 0.0
            if len(p.inputs) > 2 and p.inputs[2] and b is None:
                raise NoMatch(f"FULLY_CONNECTED {p.name!r} has a computed bias")
            return {k: w @ a for k, a in terms.items()}, w @ bias + b
        if p.op in ("ADD", "SUB"):
            (ta, ba), (tb, bb) = (self._wide(self.affine(i, leaves, nodes), width)
                                  for i in p.inputs[:2])
            sign = 1.0 if p.op == "ADD" else -1.0
            terms = dict(ta)
            for k, a in tb.items():
                terms[k] = terms.get(k, 0.0) + sign * a
            return terms, ba + sign * bb
        if p.op == "MUL":
            (ta, ba), (tb, bb) = (self._wide(self.affine(i, leaves, nodes), width)
                                  for i in p.inputs[:2])
            if ta and tb:
                raise NoMatch(f"MUL {p.name!r} multiplies two computed values")
            terms, scale = (ta, bb) if ta else (tb, ba)
            return {k: a * scale[:, None] for k, a in terms.items()}, ba * bb
        if p.op in ("SPLIT", "SPLIT_V"):
            data, axis, sizes = ((p.inputs[1], self.constant(p.inputs[0]), None)
                                 if p.op == "SPLIT" else
                                 (p.inputs[0], self.constant(p.inputs[2]),
                                  self.constant(p.inputs[1])))
            if axis is None or int(axis.ravel()[0]) not in (1, -1):
                raise NoMatch(f"{p.op} {p.name!r} does not split the units axis")
            terms, bias = self.affine(data, leaves, nodes)
            total = bias.shape[0]
            sizes = [total // len(p.outputs)] * len(p.outputs) if sizes is None else \
                [int(v) for v in sizes.ravel()]
            if sizes.count(-1) == 1:   # SPLIT_V: one size is what the others leave
                sizes[sizes.index(-1)] = total - sum(sizes) - 1
            if len(sizes) != len(p.outputs) or sum(sizes) != total or min(sizes) < 0:
                raise NoMatch(f"{p.op} {p.name!r} splits {total} units into {sizes}")
            k = p.outputs.index(name)
            start = int(np.sum(sizes[:k]))
            rows = slice(start, start + width)
            return {leaf: a[rows] for leaf, a in terms.items()}, bias[rows]
        raise NoMatch(f"a gate's pre-activation goes through {p.op} {p.name!r}, which is not "
                      f"a FULLY_CONNECTED, ADD, SUB, MUL by a constant or SPLIT")

    @staticmethod
    def _wide(term_bias, width):
        terms, bias = term_bias
        if bias.shape[0] == width:
            return terms, bias
        if bias.shape[0] != 1:
            raise NoMatch(f"operands of {bias.shape[0]} and {width} units")
        return ({k: np.repeat(a, width, axis=0) for k, a in terms.items()},
                np.repeat(bias, width))

    def gate(self, pre, roles: dict, nodes: list, reads: dict, strip_root=False,
             peephole=None) -> Gate:
        """The Gate of pre-activation `pre`; roles maps leaf tensors to "x",
        "h" or "c" (`peephole`: the one c a peephole may read). The leaves
        it reads are added to `reads` (role -> names)."""
        terms, bias = self.affine(pre, roles, nodes, strip_root)
        width = self.g.tensors[pre].shape[-1]
        found = {}
        if bias.shape != (width,) or any(a.shape != (width, self.g.tensors[leaf].shape[-1])
                                         for leaf, a in terms.items()):
            raise NoMatch(f"the sums that make {pre!r} do not fit its {width} units")
        for leaf, a in terms.items():
            role = roles[leaf]
            reads.setdefault(role, set()).add(leaf)
            if role == "c":
                if leaf != peephole:
                    raise NoMatch(f"a gate reads the cell state {leaf!r} where TFLite's LSTM "
                                  f"has no peephole")
                if np.any(a != np.diag(np.diag(a))):
                    raise NoMatch("a gate reads the cell state through a full matrix, not a "
                                  "peephole (one weight per unit)")
                a = np.diag(a).copy()
            found[role] = a
        return Gate(found.get("x"), found.get("h"), found.get("c"), bias)

    # -- the cell ----------------------------------------------------------------------

    def cell(self, h_new: str, roles: dict) -> Cell:
        """The LSTM step that computes `h_new`, its leaves among `roles`
        (tensor -> "x": a step's input, "h": a previous output); its c is
        what f multiplies. A step that reads no h or c is a first step whose
        state is zero (a zero constant, or folded away)."""
        nodes = []
        mul = self.producer(h_new, ("MUL",))
        if mul is None or not self.plain(mul):
            raise NoMatch(f"h = {_describe(self.g, h_new, self.producers)} is not o * act(c)")
        nodes.append(mul)
        match = None
        for a, b in (mul.inputs[:2], mul.inputs[1::-1]):
            out_gate, act = self.producer(a, ("LOGISTIC",)), self.producer(b, ACTIVATIONS)
            if out_gate is not None and act is not None:
                match = out_gate, act
        if match is None:
            raise NoMatch(f"h = MUL of {_describe(self.g, mul.inputs[0], self.producers)} and "
                          f"{_describe(self.g, mul.inputs[1], self.producers)}, not of "
                          f"sigmoid(o) and {'/'.join(a.lower() for a in ACTIVATIONS)}(c)")
        out_gate, act_c = match
        nodes += [out_gate, act_c]
        activation, c_new = act_c.op, act_c.inputs[0]
        c_sum, cell_clip = self.clipped(c_new, nodes)
        forget, c_prev, (i_pre, i_nodes, cifg), g_tensor = self.cell_state(c_sum, nodes)
        if c_prev is not None:
            if roles.get(c_prev, "c") != "c":
                raise NoMatch(f"f multiplies {c_prev!r}, the step's {roles[c_prev]}, not c")
            roles = {**roles, c_prev: "c"}
        gate_act = self.activated(g_tensor)
        if gate_act[0] != activation:
            raise NoMatch(f"the cell gate's activation is {gate_act[0]} and the cell state's "
                          f"{activation}: TFLite's LSTM applies one activation to both")
        nodes += gate_act[2] + i_nodes
        reads = {}
        gates = {"cell": self.gate(gate_act[1], roles, nodes, reads, strip_root=gate_act[3]),
                 "output": self.gate(out_gate.inputs[0], {**roles, c_new: "c"}, nodes, reads,
                                     peephole=c_new)}
        if cifg:
            if forget is not None and forget != i_pre:
                raise NoMatch("the input gate is 1 - sigmoid of another pre-activation than "
                              "the forget gate's")
            gates["input"] = None
            gates["forget"] = self.gate(i_pre, roles, nodes, reads, peephole=c_prev)
        else:
            gates["input"] = self.gate(i_pre, roles, nodes, reads, peephole=c_prev)
            gates["forget"] = (self.gate(forget, roles, nodes, reads, peephole=c_prev)
                               if forget is not None else None)
        width = self.g.tensors[h_new].shape
        if any(gt is not None and (gt.b.shape[0],) != width[-1:] for gt in gates.values()) or \
                self.g.tensors[c_new].shape != width:
            raise NoMatch(f"the gates, c {c_new!r} and h {h_new!r} differ in width")
        for role in ("x", "h"):
            if len(reads.get(role, ())) > 1:
                raise NoMatch(f"the gates read {len(reads[role])} different {role}: "
                              f"{sorted(reads[role])}")
        x, h_prev = (next(iter(reads.get(role, [None]))) for role in ("x", "h"))
        return Cell(gates, activation, cifg, cell_clip, x, h_prev, c_prev, h_new, c_new, nodes)

    def clipped(self, c_new, nodes):
        """(c before clipping, the clip k) of c' = min(max(c, -k), k) (or
        max(min(c, k), -k)), TFLite's cell_clip; (c', 0.0) if c' is not
        clipped."""
        outer = self.producer(c_new, ("MINIMUM", "MAXIMUM"))
        if outer is None:
            return c_new, 0.0
        inner_op = "MAXIMUM" if outer.op == "MINIMUM" else "MINIMUM"
        for a, b in (outer.inputs[:2], outer.inputs[1::-1]):
            inner = self.producer(a, (inner_op,))
            bound = self.constant(b)
            if inner is None or bound is None:
                continue
            for c, d in (inner.inputs[:2], inner.inputs[1::-1]):
                other = self.constant(d)
                k = float(np.abs(bound).max(initial=0))
                if other is not None and k > 0 and np.all(np.abs(bound) == k) and \
                        np.all(other == -bound.ravel()[0]) and \
                        (bound.ravel()[0] > 0) == (outer.op == "MINIMUM") and \
                        self.g.tensors[c].shape == self.g.tensors[c_new].shape:
                    nodes += [outer, inner]
                    return c, k
        raise NoMatch(f"c = {outer.op} {outer.name!r} of {outer.inputs[:2]}, not a clip "
                      f"min(max(c, -k), k) with one constant k")

    def cell_state(self, c_new, nodes):
        """c' = f * c + i * g, or i * g alone in a first step (its zero c
        folded away): (forget pre-activation or None, c (None: a zero
        constant or none), the input gate (pre-activation, nodes, one_minus),
        the cell gate's tensor). Of the two products, i * g is the one whose
        other factor is activated; c is the other's (a loop variable, the
        previous step's c, or a zero constant)."""
        p = self.producers.get(c_new)
        if p is None or p.op not in ("ADD", "MUL") or not self.plain(p):
            raise NoMatch(f"c = {_describe(self.g, c_new, self.producers)} is not f * c + i * g")
        terms = [p] if p.op == "MUL" else [self.producer(t, ("MUL",)) for t in p.inputs[:2]]
        if any(t is None or not self.plain(t) for t in terms):
            raise NoMatch(f"c = ADD {p.name!r} of {p.inputs[:2]}, not of f * c and i * g")
        nodes += [p] if p.op == "ADD" else []
        forget = inputs = c_prev = None
        for t in terms:
            nodes.append(t)
            for a, b in (t.inputs[:2], t.inputs[1::-1]):
                gate = self.sigmoid(a)
                if gate is None:
                    continue
                if self.activated(b) is not None:
                    if inputs is not None:
                        break
                    inputs = gate, b
                    break
                zero = self.constant(b)
                if zero is not None and np.any(zero != 0):
                    raise NoMatch(f"the initial cell state {b!r} is not zero")
                if gate[2] or forget is not None:
                    break
                forget, c_prev = gate[0], (b if zero is None else None)
                nodes += gate[1]
                break
            else:
                raise NoMatch(f"c = ... + MUL {t.name!r} of {t.inputs[:2]}, neither f * c nor "
                              f"i * g")
        if inputs is None or (p.op == "ADD" and forget is None):
            raise NoMatch(f"c = {p.op} {p.name!r} of {p.inputs[:2]}, not f * c + i * g "
                          f"(sigmoid(f) times the previous c plus sigmoid(i) times act(g))")
        return forget, c_prev, inputs[0], inputs[1]


# -- building the fused node ---------------------------------------------------------------

def _merged(cells: list, units: int, n_in: int) -> dict:
    """The weights of `cells` (one LSTM's steps) as one set: each part from
    the steps that show it (a first step with zero state shows no recurrent
    or peephole part), equal in every step; a part no step shows multiplies
    a zero state only and is zero. Raises NoMatch where steps differ."""
    first = cells[0]
    for k, c in enumerate(cells):
        if (c.activation, c.cifg, c.cell_clip) != (first.activation, first.cifg,
                                                    first.cell_clip):
            raise NoMatch(f"step {k} uses {c.activation}, CIFG {c.cifg}, cell clip "
                          f"{c.cell_clip}; step 0 {first.activation}, CIFG {first.cifg}, "
                          f"cell clip {first.cell_clip}")
    shapes = {"w": (units, n_in), "r": (units, units), "p": (units,), "b": (units,)}
    names = {"w": "input weights", "r": "recurrent weights", "p": "peephole", "b": "bias"}
    out = {}
    for gate in GATES:
        if first.cifg and gate == "input":
            out[gate] = None
            continue
        part = {}
        for field, shape in shapes.items():
            seen = []
            for k, c in enumerate(cells):
                v = getattr(c.gates[gate], field) if c.gates[gate] is not None else None
                shown = c.gates[gate] is not None and (
                    field in "wb" or (field == "r" and c.h_prev is not None)
                    or (field == "p" and (gate == "output" or c.c_prev is not None)))
                if v is not None or shown:
                    v = np.zeros(shape) if v is None else v
                    if v.shape != shape:
                        raise NoMatch(f"step {k}'s {gate} gate has {names[field]} of shape "
                                      f"{list(v.shape)}; expected {list(shape)}")
                    seen.append((k, v))
            for (k0, v0), (k, v) in zip(seen, seen[1:]):
                if not np.array_equal(v0, v):
                    raise NoMatch(f"the {gate} gate's {names[field]} differ between steps {k0} "
                                  f"and {k}")
            part[field] = seen[0][1] if seen else np.zeros(shape)
        out[gate] = part
    return out


def _add_lstm(g: ir.Graph, cells: list, h_shape: tuple, x: str, time_major: bool,
              base: str) -> ir.Node:
    """The UNIDIRECTIONAL_SEQUENCE_LSTM node (not yet placed in g.nodes) of
    the merged `cells` (whose h have shape `h_shape`) over sequence `x`; its
    output tensor is added."""
    shape = g.tensors[x].shape
    if len(shape) != 3:
        raise NoMatch(f"the sequence {x!r} has shape {list(shape)}; expected 3 dims")
    steps, batch = (shape[0], shape[1]) if time_major else (shape[1], shape[0])
    units = cells[0].gates["cell"].b.shape[0]
    if tuple(h_shape) != (batch, units):
        raise NoMatch(f"h has shape {list(h_shape)}; expected [batch, units] = "
                      f"{[batch, units]}")
    parts = _merged(cells, units, shape[2])

    def const(suffix, value):
        return g.add_tensor(ir.Tensor(g.unique_name(f"{base}/{suffix}"), value.shape, "float32",
                                      value.astype(np.float32))).name

    peepholes = any(p is not None and np.any(p["p"] != 0) for p in parts.values())
    ins = [x]
    ins += [None if parts[k] is None else const(f"{k}_weights", parts[k]["w"]) for k in GATES]
    ins += [None if parts[k] is None else const(f"{k}_recurrent_weights", parts[k]["r"])
            for k in GATES]
    ins += [const(f"{k}_peephole", parts[k]["p"]) if peepholes and parts[k] is not None
            else None for k in ("input", "forget", "output")]
    ins += [None if parts[k] is None else const(f"{k}_bias", parts[k]["b"]) for k in GATES]
    ins += [None, None]   # no projection
    for kind in ("output", "cell"):
        ins.append(g.add_tensor(ir.Tensor(g.unique_name(f"{base}/{kind}_state"), (batch, units),
                                          variable=True)).name)
    ins += [None] * 4     # no layer normalization
    seq = g.add_tensor(ir.Tensor(g.unique_name(f"{base}/sequence"),
                                 (steps, batch, units) if time_major else (batch, steps, units)))
    return ir.Node(LSTM, ins, [seq.name], {"fused_activation_function": cells[0].activation,
                                           "cell_clip": cells[0].cell_clip,
                                           "time_major": time_major}, base)


def _step_slice(g: ir.Graph, lstm: ir.Node, t: int, out: str) -> ir.Node:
    """STRIDED_SLICE of step t of the LSTM's sequence into `out` [batch, units]."""
    time_axis = 0 if lstm.options["time_major"] else 1
    begin = [0, 0, 0]
    begin[time_axis] = t
    end = list(g.tensors[lstm.outputs[0]].shape)
    end[time_axis] = t + 1

    def const(suffix, v):
        return g.add_tensor(ir.Tensor(g.unique_name(f"{out}/{suffix}"), (3,), "int32",
                                      np.array(v, np.int32))).name
    return ir.Node("STRIDED_SLICE", [lstm.outputs[0], const("begin", begin), const("end", end),
                                     const("strides", [1, 1, 1])], [out],
                   {"shrink_axis_mask": 1 << time_axis}, f"{lstm.name}/step_{t}")


def _fold_transpose(g: ir.Graph, x: str, time_major: bool) -> tuple:
    """(sequence, time_major): a TRANSPOSE [1, 0, 2] whose output only the
    LSTM reads is folded into the LSTM's layout."""
    p = g.producers().get(x)
    perm = g.tensors[p.inputs[1]].data if p is not None and p.op == "TRANSPOSE" else None
    if perm is not None and np.asarray(perm).tolist() == [1, 0, 2] and \
            len(g.consumers().get(x, [])) == 1 and x not in g.outputs:
        return p.inputs[0], not time_major
    return x, time_major


# -- the WHILE form ------------------------------------------------------------------------

def _live_inputs(g: ir.Graph) -> set:
    """Tensors the nodes that lead to g's outputs read, and the outputs."""
    needed = set(g.outputs)
    for node in reversed(g.nodes):
        if any(o in needed for o in node.outputs):
            needed.update(i for i in node.inputs if i is not None)
    return needed


def _trip_count(cond: ir.Graph, counters: dict, constants: dict, limit: int, where: str) -> int:
    """How many times the loop runs: its condition evaluated with the
    counters' values (start + n * step) and the constant loop variables,
    until false (at most limit + 1 tries)."""
    needed = _live_inputs(cond)
    reads = [name for name in cond.inputs if name in needed]
    for k, name in enumerate(cond.inputs):
        if name in needed and k not in counters and k not in constants:
            raise ConversionError(f"{where}: the loop condition reads loop variable {k} "
                                  f"{name!r}, which is neither a counter nor a constant; the "
                                  f"converter must know how many steps the loop runs")
    sub = ir.Graph(cond.tensors, cond.nodes, reads, cond.outputs)
    for n in range(limit + 1):
        feeds = {name: (counters[k][0] + n * counters[k][1] if k in counters else constants[k])
                 for k, name in enumerate(cond.inputs) if name in reads}
        try:
            go = np.asarray(reference.run(sub, feeds)[cond.outputs[0]])
        except ConversionError as e:
            raise ConversionError(f"{where}: the loop condition cannot be evaluated at "
                                  f"conversion time: {e}") from None
        if go.size != 1:
            raise ConversionError(f"{where}: the loop condition gives {go.size} values; "
                                  f"expected one")
        if not bool(go.ravel()[0]):
            return n
    return limit + 1


def _loop_variables(g: ir.Graph, node: ir.Node, body: ir.Graph, where: str):
    """(counters {k: (start, step)}, changed [k]) of the WHILE's loop
    variables; the others pass through the body unchanged."""
    producers = body.producers()
    counters, changed = {}, []
    for k, (inp, out) in enumerate(zip(body.inputs, body.outputs)):
        if out == inp:
            continue
        p = producers.get(out)
        step = [body.tensors[i].data for i in (p.inputs if p is not None else [])
                if i != inp and body.tensors[i].is_constant]
        start = g.tensors[node.inputs[k]]
        if (p is None or p.op != "ADD" or inp not in p.inputs or len(step) != 1
                or np.size(step[0]) != 1 or start.dtype not in ("int32", "int64")):
            changed.append(k)
            continue
        if not start.is_constant:
            raise ConversionError(f"{where}: counter {k} {inp!r} starts at {start.name!r}, a "
                                  f"value computed at run time; expected a constant")
        counters[k] = (int(np.asarray(start.data).ravel()[0]), int(np.asarray(step[0]).ravel()[0]))
    return counters, changed


def fuse_while(g: ir.Graph, node: ir.Node, cond: ir.Graph, body: ir.Graph, where: str) -> None:
    """Replaces WHILE `node` of g (its cond and body subgraphs imported) by
    UNIDIRECTIONAL_SEQUENCE_LSTM, or raises ConversionError naming what the
    loop does that keeps it from being one LSTM layer.

    The loop may carry counters (ADD of a constant to themselves, from a
    constant start), invariants (passed through: the sequence, constants such
    as weights TensorFlow passes into the loop) and exactly two values it
    changes otherwise: h and c of an LSTM step whose input is
    GATHER(sequence, time), `time` a counter from 0 by 1 (axis 0: a
    time-major sequence, 1: batch-major). The condition must run the loop
    once per step. The loop's outputs become: h, the sequence's last step;
    counters, their final values; invariants, their inputs; c must be unread."""
    from . import passes
    n = len(node.inputs)
    if not len(node.outputs) == len(body.inputs) == len(body.outputs) == len(cond.inputs) == n:
        raise ConversionError(f"{where}: {n} loop inputs, {len(node.outputs)} outputs, body "
                              f"{len(body.inputs)} -> {len(body.outputs)}, cond "
                              f"{len(cond.inputs)}; expected the same count everywhere")
    constants = {k: np.asarray(g.tensors[name].data) for k, name in enumerate(node.inputs)
                 if g.tensors[name].is_constant}
    for k, name in enumerate(body.inputs):
        if body.outputs[k] == name and k in constants:   # a constant passed into the loop
            body.tensors[name].data = constants[k]
    body = passes.fold_constants(passes.remove_identities(body))
    counters, changed = _loop_variables(g, node, body, where)
    if len(changed) != 2:
        raise ConversionError(f"{where}: the loop changes {len(changed)} values other than "
                              f"counters ({[body.inputs[k] for k in changed]}); an LSTM layer's "
                              f"loop changes h and c")
    position = {name: k for k, name in enumerate(body.inputs)}
    gathers = [p for p in body.nodes if p.op == "GATHER" and p.inputs[0] in position
               and body.outputs[position[p.inputs[0]]] == p.inputs[0]
               and position.get(p.inputs[1]) in counters]
    if len(gathers) != 1:
        raise ConversionError(f"{where}: the body reads {len(gathers)} steps of a loop-invariant "
                              f"sequence (GATHER at a counter); an LSTM layer's loop reads one")
    gather = gathers[0]
    seq, time_k = node.inputs[position[gather.inputs[0]]], position[gather.inputs[1]]
    axis, seq_shape = gather.options.get("axis", 0), g.tensors[seq].shape
    if counters[time_k] != (0, 1) or len(seq_shape) != 3 or axis not in (0, 1) or \
            gather.options.get("batch_dims", 0) != 0 or body.tensors[gather.inputs[1]].shape:
        raise ConversionError(f"{where}: the body reads GATHER {gather.name!r} of {seq!r} "
                              f"(shape {list(seq_shape)}) on axis {axis} at counter {time_k} "
                              f"(start, step {counters[time_k]}); expected one step of a "
                              f"[time, batch, in] or [batch, time, in] sequence at a scalar "
                              f"counter from 0 by 1")
    steps = seq_shape[axis]
    matcher, x_t, errors, cell = _Matcher(body), gather.outputs[0], [], None
    # h = o * act(c) is a product: try that loop variable as h first, and name its mismatch.
    changed.sort(key=lambda k: matcher.producer(body.outputs[k], ("MUL",)) is None)
    for hk, ck in (changed, changed[::-1]):
        try:
            found = matcher.cell(body.outputs[hk], {x_t: "x", body.inputs[hk]: "h"})
            if (found.c_prev, found.c, found.x) != (body.inputs[ck], body.outputs[ck], x_t):
                raise NoMatch(f"it reads c {found.c_prev!r} and x {found.x!r} and computes c "
                              f"{found.c!r}; expected the loop's c {body.inputs[ck]!r} -> "
                              f"{body.outputs[ck]!r} and the step {x_t!r}")
            cell = found
            break
        except NoMatch as e:
            errors.append(f"taking {body.outputs[hk]!r} for h: {e}")
    if cell is None:
        raise ConversionError(f"{where}: the body is not an LSTM step ({errors[0]})")
    for k, what in ((hk, "h"), (ck, "c")):
        init = g.tensors[node.inputs[k]]
        if k not in constants or np.any(constants[k] != 0):
            raise ConversionError(f"{where}: the loop's initial {what} {init.name!r} is "
                                  f"{'not zero' if k in constants else 'computed at run time'};"
                                  f" the fused LSTM starts from a zero state")
    trips = _trip_count(cond, counters, constants, steps, where)
    if trips != steps:
        raise ConversionError(f"{where}: the loop runs {'more than ' * (trips > steps)}"
                              f"{min(trips, steps)} times over a sequence of {steps} steps; "
                              f"the fused LSTM runs every step")
    c_out = node.outputs[ck]
    if g.consumers().get(c_out) or c_out in g.outputs:
        raise ConversionError(f"{where}: the loop's final cell state {c_out!r} is read; "
                              f"UNIDIRECTIONAL_SEQUENCE_LSTM outputs h only")
    x, time_major = _fold_transpose(g, seq, axis == 0)
    if x != seq:
        g.nodes.remove(g.producers()[seq])
    h_shape = g.tensors[node.outputs[hk]].shape
    if body.tensors[cell.h].shape != h_shape:
        raise ConversionError(f"{where}: the body's h has shape "
                              f"{list(body.tensors[cell.h].shape)}, the loop's {list(h_shape)}")
    try:
        lstm = _add_lstm(g, [cell], h_shape, x, time_major,
                         g.unique_name(f"{node.outputs[hk]}/lstm"))
    except NoMatch as e:
        raise ConversionError(f"{where}: {e}") from None
    new = [lstm, _step_slice(g, lstm, steps - 1, node.outputs[hk])]
    for k, out in enumerate(node.outputs):
        if k in counters:
            start, step = counters[k]
            t = g.tensors[out]
            t.data = np.full(t.shape, start + trips * step, t.dtype)
        elif body.outputs[k] == body.inputs[k]:
            new.append(ir.Node("IDENTITY", [node.inputs[k]], [out], {}, f"{node.name}/{k}"))
    i = g.nodes.index(node)
    g.nodes[i:i + 1] = new


# -- the unrolled form ---------------------------------------------------------------------

def fuse_unrolled(g: ir.Graph) -> ir.Graph:
    """Each chain of LSTM steps over the outputs of an UNPACK (h and c passed
    from step to step, from zero state) becomes one
    UNIDIRECTIONAL_SEQUENCE_LSTM; the h of a step, where read, becomes a
    slice of its output (or all of it, for a PACK of every h). Chains that
    are not exactly one LSTM stay as they are (that is exact too)."""
    from .passes import remove_dead
    for unpack in [n for n in g.nodes if n.op == "UNPACK"]:
        fused = _fuse_chain(g.copy(), unpack.outputs)
        if fused is not None:
            g = remove_dead(fused)
    return g


def _fuse_chain(g: ir.Graph, outputs: list) -> Optional[ir.Graph]:
    """g with the LSTM over the outputs of its UNPACK `outputs` fused, or
    None where they are not one LSTM's steps."""
    unpack = next((n for n in g.nodes if n.op == "UNPACK" and n.outputs == outputs), None)
    if unpack is None:
        return None
    shape = g.tensors[unpack.inputs[0]].shape
    axis = unpack.options.get("axis", 0)
    axis = axis + len(shape) if axis < 0 else axis
    if len(shape) != 3 or axis not in (0, 1):
        return None
    matcher = _Matcher(g)
    xs = {x: t for t, x in enumerate(unpack.outputs)}
    # Every sigmoid * act product is a candidate h (i * g too); a cell's leaves: an x and
    # another candidate.
    candidates = [n.outputs[0] for n in g.nodes if n.op == "MUL"
                  and any(matcher.producer(i, ACTIVATIONS) for i in n.inputs[:2])
                  and any(matcher.producer(i, ("LOGISTIC",)) for i in n.inputs[:2])]
    steps = [None] * len(xs)
    for h in candidates:
        roles = {**{x: "x" for x in xs}, **{o: "h" for o in candidates if o != h}}
        try:
            cell = matcher.cell(h, roles)
        except NoMatch:
            continue
        if cell.x is None or steps[xs[cell.x]] is not None:
            return None
        steps[xs[cell.x]] = cell
    if any(c is None for c in steps):
        return None
    if len({g.tensors[c.h].shape for c in steps}) != 1:
        return None
    for t, cell in enumerate(steps):
        if (cell.h_prev, cell.c_prev) != ((None, None) if t == 0 else
                                          (steps[t - 1].h, steps[t - 1].c)):
            return None
    # The chain's nodes are its own, and nothing but h is read outside it.
    inside = {id(n) for c in steps for n in c.nodes}
    if len(inside) != sum(len({id(n) for n in c.nodes}) for c in steps):
        return None
    consumers = g.consumers()
    hs = {c.h: t for t, c in enumerate(steps)}
    for out in {o for c in steps for n in c.nodes for o in n.outputs} - set(hs):
        if out in g.outputs or any(id(r) not in inside for r in consumers.get(out, [])):
            return None
    outside = {id(r): r for h in hs for r in consumers.get(h, []) if id(r) not in inside}
    pack = next((r for r in outside.values() if r.op == "PACK" and r.inputs == list(hs)
                 and r.options.get("axis", 0) in (0, 1)), None)
    x, time_major = _fold_transpose(g, unpack.inputs[0], axis == 0)
    if pack is not None and pack.options.get("axis", 0) != (0 if time_major else 1):
        x, time_major = unpack.inputs[0], axis == 0   # keep the layout PACK asks for
    base = g.unique_name(f"{steps[-1].h}/lstm")
    try:
        lstm = _add_lstm(g, steps, g.tensors[steps[0].h].shape, x, time_major, base)
    except NoMatch:
        return None
    new = [lstm]
    if pack is not None:
        if pack.options.get("axis", 0) == (0 if time_major else 1):
            del g.tensors[lstm.outputs[0]]
            lstm.outputs = list(pack.outputs)
        else:
            perm = g.add_tensor(ir.Tensor(g.unique_name(f"{base}/perm"), (3,), "int32",
                                          np.array([1, 0, 2], np.int32)))
            new.append(ir.Node("TRANSPOSE", [lstm.outputs[0], perm.name], list(pack.outputs),
                               {}, f"{base}/transpose"))
        inside.add(id(pack))
    new += [_step_slice(g, lstm, t, h) for h, t in hs.items()
            if h in g.outputs or any(id(r) not in inside for r in consumers.get(h, []))]
    # In order: after x is computed and where the chain began (h's readers come later).
    x_at = next((k for k, n in enumerate(g.nodes) if x in n.outputs), -1)
    at = max(x_at + 1, min(k for k, n in enumerate(g.nodes) if id(n) in inside))
    g.nodes = ([n for n in g.nodes[:at] if id(n) not in inside] + new +
               [n for n in g.nodes[at:] if id(n) not in inside])
    return g
