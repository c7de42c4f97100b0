"""The converter fuses LSTM layers that a .tflite file spells out op by op
(TensorFlow's WHILE-loop and unrolled forms of a Keras LSTM, and variants of
the cell: Keras's implementation 1 with a gate per FULLY_CONNECTED, the bias
added apart, weights passed into the loop, batch-major steps, time-major
unrolling, peepholes, CIFG, RELU) into one UNIDIRECTIONAL_SEQUENCE_LSTM
(converter/lstm_fusion.py), and refuses loops that are something else, saying
what it found.

Oracles: LiteRT running the original file (float within RTOL of the largest
output, image-like and random inputs), and, for the int8 conversion, LiteRT's
reference kernels on the converted file, byte for byte. The int8 output's
SQNR against the original float model is checked against a floor."""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from control_flow_models import lstm_unrolled_model, lstm_weights, lstm_while_model, scalar
from mote.converter.convert import convert, load
from mote.converter.errors import ConversionError
from mote.converter import passes
from mote.converter.tflite.builder import ModelBuilder

RTOL = 1e-4
LSTM = "UNIDIRECTIONAL_SEQUENCE_LSTM"


def assert_close(got, want, context, rtol=RTOL):
    assert got.shape == want.shape, f"{context}: shape {got.shape} vs {want.shape}"
    scale = max(1.0, float(np.max(np.abs(want))))
    diff = float(np.max(np.abs(got.astype(np.float64) - want)))
    assert diff <= rtol * scale, f"{context}: max difference {diff:g} > {rtol * scale:g}"


def inputs(rng, shape):
    """Random values in [-1, 1) and image-like ones (k / 127.5 - 1, k / 255)."""
    k = rng.integers(0, 256, shape)
    return [rng.uniform(-1, 1, shape).astype(np.float32),
            (k / 127.5 - 1).astype(np.float32), (k / 255).astype(np.float32)]


# -- models: an LSTM step written with plain ops, in the variants TensorFlow and Keras use ----

def weights(rng, n_in, hidden, peephole=False):
    w = lstm_weights(rng, n_in, hidden)
    if peephole:
        w["peephole"] = {k: (rng.standard_normal(hidden) * 0.5).astype(np.float32)
                         for k in "ifo"}
    return w


class Step:
    """Writes one LSTM step into builder `g` with plain ops. Options:
    split (Keras implementation 2: one FULLY_CONNECTED for x and one for h,
    ADD, SPLIT; else one per gate and the bias added apart), act / h_act (the
    cell gate's and the cell state's activation), peephole, cifg (i = 1 - f),
    clip (k or (lo, hi): MAXIMUM then MINIMUM on c), hard_sigmoid (Keras's, for the gates).
    `const(name, array)` makes the constants (a loop variable, in a body
    that gets its weights from the loop)."""

    def __init__(self, g, w, const, split=True, act="TANH", h_act=None, peephole=False,
                 cifg=False, clip=None, hard_sigmoid=False):
        self.g, self.w, self.const = g, w, const
        self.split, self.act, self.h_act = split, act, h_act or act
        self.peephole, self.cifg, self.clip, self.hard = peephole, cifg, clip, hard_sigmoid
        self.H = w["recurrent"].shape[0]
        self.tensors = {}

    def weight(self, name, array):
        if name not in self.tensors:
            self.tensors[name] = self.const(name, np.ascontiguousarray(array))
        return self.tensors[name]

    def t(self, name, batch, width=None):
        return self.g.add_tensor(name, [batch, width or self.H], "float32")

    def op(self, op, ins, name, batch, width=None, options=None):
        out = self.t(name, batch, width)
        self.g.add_operator(op, ins, [out], options)
        return out

    def sigmoid(self, pre, name, batch):
        if not self.hard:
            return self.op("LOGISTIC", [pre], name, batch)
        a = self.op("MUL", [pre, self.weight("slope", np.full(self.H, 0.2, np.float32))],
                    name + "_a", batch)
        b = self.op("ADD", [a, self.weight("half", np.full(self.H, 0.5, np.float32))],
                    name + "_b", batch)
        c = self.op("MAXIMUM", [b, self.weight("zero", np.zeros(self.H, np.float32))],
                    name + "_c", batch)
        return self.op("MINIMUM", [c, self.weight("one", np.ones(self.H, np.float32))], name,
                       batch)

    def __call__(self, x, h, c, batch, tag=""):
        w, H, K = self.w, self.H, "ifgo"
        if self.split:
            zx = self.op("FULLY_CONNECTED", [x, self.weight("kernel", w["kernel"].T),
                                             self.weight("bias", w["bias"])],
                         f"zx{tag}", batch, 4 * H)
            zh = self.op("FULLY_CONNECTED", [h, self.weight("recurrent", w["recurrent"].T), -1],
                         f"zh{tag}", batch, 4 * H)
            z = self.op("ADD", [zx, zh], f"z{tag}", batch, 4 * H)
            pre = [self.t(f"z{k}{tag}", batch) for k in K]
            self.g.add_operator("SPLIT", [self.weight("axis", np.array(1, np.int32)), z], pre,
                                {"num_splits": 4})
        else:   # a gate at a time, in the order o, g, f, i, the bias after the sum
            pre = [None] * 4
            for j in (3, 2, 1, 0):
                cols = slice(j * H, (j + 1) * H)
                zx = self.op("FULLY_CONNECTED", [x, self.weight(f"kernel_{K[j]}",
                                                                w["kernel"][:, cols].T), -1],
                             f"zx{K[j]}{tag}", batch)
                zh = self.op("FULLY_CONNECTED", [h, self.weight(f"recurrent_{K[j]}",
                                                                w["recurrent"][:, cols].T), -1],
                             f"zh{K[j]}{tag}", batch)
                s = self.op("ADD", [zh, zx], f"s{K[j]}{tag}", batch)
                pre[j] = self.op("ADD", [self.weight(f"bias_{K[j]}", w["bias"][cols]), s],
                                 f"z{K[j]}{tag}", batch)
        if self.peephole:
            for j, k in ((0, "i"), (1, "f")):
                pc = self.op("MUL", [c, self.weight(f"peephole_{k}", w["peephole"][k])],
                             f"p{k}{tag}", batch)
                pre[j] = self.op("ADD", [pre[j], pc], f"zp{k}{tag}", batch)
        f = self.sigmoid(pre[1], f"f{tag}", batch)
        if self.cifg:
            i = self.op("SUB", [self.weight("ones", np.ones(H, np.float32)), f], f"i{tag}", batch)
        else:
            i = self.sigmoid(pre[0], f"i{tag}", batch)
        gg = self.op(self.act, [pre[2]], f"g{tag}", batch)
        fc = self.op("MUL", [f, c], f"fc{tag}", batch)
        ig = self.op("MUL", [gg, i], f"ig{tag}", batch)
        c1 = self.op("ADD", [ig, fc], f"c_next{tag}", batch)
        if self.clip:
            lo, hi = self.clip if isinstance(self.clip, tuple) else (-self.clip, self.clip)
            c1 = self.op("MAXIMUM", [c1, self.weight("clip_lo", np.full(H, lo, np.float32))],
                         f"c_lo{tag}", batch)
            c1 = self.op("MINIMUM", [self.weight("clip_hi", np.full(H, hi, np.float32)), c1],
                         f"c_clipped{tag}", batch)
        zo = pre[3]
        if self.peephole:
            pc = self.op("MUL", [self.weight("peephole_o", w["peephole"]["o"]), c1],
                         f"po{tag}", batch)
            zo = self.op("ADD", [pc, zo], f"zpo{tag}", batch)
        o = self.sigmoid(zo, f"o{tag}", batch)
        tc = self.op(self.h_act, [c1], f"tc{tag}", batch)
        return self.op("MUL", [tc, o], f"h_next{tag}", batch), c1


def while_lstm(w, batch, steps, batch_major=False, weights_in_loop=False, h0=0.0,
               loop_steps=None, read_c=False, **cell) -> bytes:
    """A WHILE loop over an LSTM step (TensorFlow's while_v2 form: loop
    counter, maximum iterations, time, h, c, the sequence; GATHER of step
    `time`), x [batch, steps, in] -> the last h. weights_in_loop passes the
    weights in as loop variables (as while_v2 captures them); batch_major
    gathers axis 1 of x itself (no TRANSPOSE); h0 is the initial h;
    loop_steps bounds the loop (default: steps); read_c also outputs the
    final c."""
    n_in, H = w["kernel"].shape[0], w["recurrent"].shape[0]
    b = ModelBuilder()
    x = b.add_input("x", [batch, steps, n_in], "float32")
    seq, seq_shape = x, [batch, steps, n_in]
    if not batch_major:
        seq_shape = [steps, batch, n_in]
        seq = b.add_tensor("x_time_major", seq_shape, "float32")
        b.add_operator("TRANSPOSE", [x, b.add_constant("perm", np.array([1, 0, 2], np.int32))],
                       [seq])
    names = ["loop_counter", "maximum_iterations", "time", "h", "c", "inputs"]
    shapes = [[], [], [], [batch, H], [batch, H], seq_shape]
    types = ["int32"] * 3 + ["float32"] * 3
    init = [scalar(b, "loop_counter0", 0, np.int32),
            scalar(b, "maximum_iterations0", steps, np.int32), scalar(b, "time0", 0, np.int32),
            b.add_constant("h0", np.full((batch, H), h0, np.float32)),
            b.add_constant("c0", np.zeros((batch, H), np.float32)), seq]
    captured = {}
    if weights_in_loop:   # the body's constants, made by a dry run of the step
        probe = ModelBuilder()
        Step(probe, w, lambda n, a: captured.setdefault(n, a) is None, **cell)(
            probe.add_input("x", [batch, n_in], "float32"),
            probe.add_input("h", [batch, H], "float32"),
            probe.add_input("c", [batch, H], "float32"), batch)
        for name, array in captured.items():
            names.append(name)
            shapes.append(list(array.shape))
            types.append(str(array.dtype))
            init.append(b.add_constant(name + "_value", array))

    def loop_vars(g):
        return [g.add_input(*v) for v in zip(names, shapes, types)]
    cond = b.add_subgraph("while_cond")
    counter, maxit, time, *_ = loop_vars(cond)
    more = [cond.add_tensor(n, [], "bool") for n in ("below_max", "time_left", "go")]
    cond.add_operator("LESS", [counter, maxit], [more[0]])
    cond.add_operator("LESS", [time, scalar(cond, "steps", loop_steps or steps, np.int32)],
                      [more[1]])
    cond.add_operator("LOGICAL_AND", more[:2], [more[2]])
    cond.mark_outputs(more[2])

    body = b.add_subgraph("while_body")
    counter, maxit, time, h, c, inputs_, *rest = loop_vars(body)
    by_name = dict(zip(captured, rest))
    one = scalar(body, "one", 1, np.int32)
    counter1, time1 = body.add_tensor("counter_next", [], "int32"), \
        body.add_tensor("time_next", [], "int32")
    body.add_operator("ADD", [counter, one], [counter1])
    body.add_operator("ADD", [one, time], [time1])
    x_t = body.add_tensor("x_t", [batch, n_in], "float32")
    body.add_operator("GATHER", [inputs_, time], [x_t], {"axis": 1 if batch_major else 0})
    step = Step(body, w, (lambda n, a: by_name[n]) if weights_in_loop else
                (lambda n, a: body.add_constant(n, a)), **cell)
    h1, c1 = step(x_t, h, c, batch)
    body.mark_outputs(counter1, maxit, time1, h1, c1, inputs_, *rest)

    outs = [b.add_tensor(n + "_out", s, t) for n, s, t in zip(names, shapes, types)]
    b.add_operator("WHILE", init, outs, {"cond_subgraph_index": cond.index,
                                         "body_subgraph_index": body.index})
    b.mark_outputs(outs[3], *([outs[4]] if read_c else []))
    return b.build()


def unrolled_lstm(w, batch, steps, time_major=False, output="sequence", step_weights=None,
                  **cell) -> bytes:
    """UNPACK of x along time, the step per time, then output "sequence"
    (PACK of every h on the time axis), "last" (the last h), "both", or
    "pack_other_axis" (PACK on the batch axis). x is [steps, batch, in]
    when time_major. step_weights(t) gives step t its own weights."""
    n_in, H = w["kernel"].shape[0], w["recurrent"].shape[0]
    b = ModelBuilder()
    shape = [steps, batch, n_in] if time_major else [batch, steps, n_in]
    x = b.add_input("x", shape, "float32")
    xs = [b.add_tensor(f"x_{t}", [batch, n_in], "float32") for t in range(steps)]
    b.add_operator("UNPACK", [x], xs, {"num": steps, "axis": 0 if time_major else 1})
    h = b.add_constant("h0", np.zeros((batch, H), np.float32))
    c = b.add_constant("c0", np.zeros((batch, H), np.float32))
    step = Step(b, w, lambda n, a: b.add_constant(n, a), **cell)
    hs = []
    for t in range(steps):
        if step_weights is not None:
            step = Step(b, step_weights(t), lambda n, a, t=t: b.add_constant(f"{n}_{t}", a),
                        **cell)
        h, c = step(xs[t], h, c, batch, tag=f"_{t}")
        hs.append(h)
    outs = []
    if output in ("sequence", "both", "pack_other_axis"):
        axis = (0 if time_major else 1) if output != "pack_other_axis" else \
            (1 if time_major else 0)
        y_shape = [batch, H]
        y_shape.insert(axis, steps)
        y = b.add_tensor("y", y_shape, "float32")
        b.add_operator("PACK", hs, [y], {"values_count": steps, "axis": axis})
        outs.append(y)
    if output in ("last", "both"):
        outs.append(hs[-1])
    b.mark_outputs(*outs)
    return b.build()


def fused_ops(model):
    return [n.op for n in passes.optimize(load(model)).nodes]


def check_float(model, shape, context, rng):
    """The converted model's output equals LiteRT's on the original within RTOL."""
    converted = convert(model)
    for x in inputs(rng, shape):
        want = run_litert(model, [x])
        for k, (got, ref) in enumerate(zip(run_mote(converted, [x]), want)):
            assert_close(got, ref, f"{context}: Mote on the converted model, output {k}")
        for k, (got, ref) in enumerate(zip(run_litert(converted, [x]), want)):
            assert_close(got, ref, f"{context}: LiteRT on the converted model, output {k}")


# -- float: fused, and equal to the original -----------------------------------------------

WHILE_VARIANTS = {
    "tf_form": {},
    "weights_in_loop": {"weights_in_loop": True},
    "batch_major": {"batch_major": True},
    "keras_implementation_1": {"split": False},
    "peephole": {"peephole": True},
    "cifg": {"cifg": True},
    "relu": {"act": "RELU"},
    "cell_clip": {"clip": 0.5},
    "peephole_cifg_in_loop": {"peephole": True, "cifg": True, "weights_in_loop": True,
                              "split": False},
}


@pytest.mark.parametrize("variant", sorted(WHILE_VARIANTS))
def test_while_lstm_fuses_and_matches_the_original(variant, litert_available):
    rng = np.random.default_rng([3, len(variant)])
    for batch, steps, n_in, hidden in ((1, 5, 3, 4), (3, 7, 2, 6), (1, 1, 1, 1)):
        opts = dict(WHILE_VARIANTS[variant])
        w = weights(rng, n_in, hidden, opts.get("peephole", False))
        model = while_lstm(w, batch, steps, **opts)
        assert fused_ops(model) == [LSTM, "STRIDED_SLICE"], variant
        check_float(model, (batch, steps, n_in), f"WHILE {variant} {batch}x{steps}x{n_in}x"
                    f"{hidden}", rng)


UNROLLED_VARIANTS = {
    "tf_form": ({}, [LSTM]),
    "time_major": ({"time_major": True}, [LSTM]),
    "last_step": ({"output": "last"}, [LSTM, "STRIDED_SLICE"]),
    "sequence_and_last": ({"output": "both"}, [LSTM, "STRIDED_SLICE"]),
    "pack_on_batch_axis": ({"output": "pack_other_axis"}, [LSTM, "TRANSPOSE"]),
    "keras_implementation_1": ({"split": False}, [LSTM]),
    "peephole_cifg": ({"peephole": True, "cifg": True}, [LSTM]),
    "relu": ({"act": "RELU6"}, [LSTM]),
    "cell_clip_peephole": ({"clip": 0.25, "peephole": True}, [LSTM]),
}


@pytest.mark.parametrize("variant", sorted(UNROLLED_VARIANTS))
def test_unrolled_lstm_fuses_and_matches_the_original(variant, litert_available):
    rng = np.random.default_rng([4, len(variant)])
    opts, ops = UNROLLED_VARIANTS[variant]
    for batch, steps, n_in, hidden in ((1, 5, 3, 4), (2, 6, 4, 3), (1, 1, 2, 2)):
        w = weights(rng, n_in, hidden, opts.get("peephole", False))
        model = unrolled_lstm(w, batch, steps, **opts)
        assert fused_ops(model) == ops, variant
        shape = (steps, batch, n_in) if opts.get("time_major") else (batch, steps, n_in)
        check_float(model, shape, f"unrolled {variant} {batch}x{steps}x{n_in}x{hidden}", rng)


def test_the_models_tf_writes_fuse(litert_available):
    """tests/control_flow_models.py's WHILE and unrolled Keras LSTMs."""
    rng = np.random.default_rng(8)
    for build, ops in ((lstm_while_model, [LSTM, "STRIDED_SLICE"]),
                       (lstm_unrolled_model, [LSTM])):
        for batch, steps, n_in, hidden in ((1, 8, 8, 16), (2, 12, 4, 5)):
            model = build(lstm_weights(rng, n_in, hidden), batch, steps)
            assert fused_ops(model) == ops, build.__name__
            check_float(model, (batch, steps, n_in), build.__name__, rng)


def test_unrolled_steps_that_are_not_one_lstm_stay_unfused_and_exact(litert_available):
    """Steps with weights of their own, a cell clipped unevenly (TFLite's
    clip is symmetric), hard sigmoid gates, or two activations:
    left as they are, which converts exactly too."""
    rng = np.random.default_rng(9)
    w = weights(rng, 3, 4)
    own = [weights(rng, 3, 4) for _ in range(4)]
    for context, model in (
            ("weights per step", unrolled_lstm(w, 1, 4, step_weights=lambda t: own[t])),
            ("uneven clip", unrolled_lstm(w, 1, 4, clip=(-0.25, 0.5))),
            ("hard sigmoid", unrolled_lstm(w, 1, 4, hard_sigmoid=True)),
            ("g tanh, c relu", unrolled_lstm(w, 1, 4, h_act="RELU"))):
        assert LSTM not in fused_ops(model), context
        check_float(model, (1, 4, 3), context, rng)


# -- what is refused --------------------------------------------------------------------

def refusal(model) -> str:
    with pytest.raises(ConversionError) as e:
        convert(model)
    return str(e.value)


def test_while_loops_that_are_not_one_lstm_are_refused_naming_what_was_found():
    rng = np.random.default_rng(10)
    w = weights(rng, 3, 4)
    cases = {
        "g tanh, c relu": (while_lstm(w, 1, 4, h_act="RELU"),
                           "the cell gate's activation is TANH and the cell state's RELU"),
        "hard sigmoid": (while_lstm(w, 1, 4, hard_sigmoid=True),
                         "h = MUL of 'tc' (from TANH) and 'o' (from MINIMUM), not of sigmoid(o)"),
        "sign": (while_lstm(w, 1, 4, act="SIGN"), "h = MUL of 'tc' (from SIGN) and 'o' "),
        "initial h": (while_lstm(w, 1, 4, h0=0.5), "the loop's initial h 'h0' is not zero"),
        "uneven clip": (while_lstm(w, 1, 4, clip=(-1.0, 2.0)), "not a clip min(max(c, -k), k)"),
        "fewer steps": (while_lstm(w, 1, 4, loop_steps=3),
                        "the loop runs 3 times over a sequence of 4 steps"),
        "c read": (while_lstm(w, 1, 4, read_c=True), "the loop's final cell state 'c_out' is "
                                                     "read"),
    }
    for context, (model, expected) in cases.items():
        message = refusal(model)
        assert message.startswith("op 1 (WHILE), cond subgraph 1, body subgraph 2: "), message
        assert expected in message, f"{context}: {message}"
        assert message.endswith("(the converter imports WHILE loops that are LSTM layers; "
                                "Mote's runtime runs this file as it is)"), message


def test_a_loop_that_is_not_an_lstm_is_refused_in_one_cli_line(tmp_path, capsys):
    from control_flow_models import counter_while_model
    from mote.cli import main
    path = tmp_path / "loop.tflite"
    path.write_bytes(counter_while_model())
    assert main(["convert", str(path), "-o", str(tmp_path / "out.tflite")]) != 0
    err = capsys.readouterr().err.strip()
    assert err == ("mote convert: error: op 0 (WHILE), cond subgraph 1, body subgraph 2: the "
                   "loop changes 1 values other than counters (['x']); an LSTM layer's loop "
                   "changes h and c (the converter imports WHILE loops that are LSTM layers; "
                   "Mote's runtime runs this file as it is)"), err


# -- int8: TFLite's integer LSTM, bit-exact with LiteRT's reference kernels -------------------

INT8_MODELS = {
    "unrolled_cell_clip": lambda w, b, t: unrolled_lstm(w, b, t, clip=0.5, split=False),
    "while": lambda w, b, t: lstm_while_model(w, b, t),
    "unrolled": lambda w, b, t: lstm_unrolled_model(w, b, t),
    "while_peephole_cifg": lambda w, b, t: while_lstm(w, b, t, peephole=True, cifg=True,
                                                      weights_in_loop=True),
}
SQNR_FLOOR_DB = 25


@pytest.mark.parametrize("form", sorted(INT8_MODELS))
def test_int8_conversion_is_bit_exact_with_litert_reference_kernels(form, litert_available):
    from ai_edge_litert import interpreter as litert
    rng = np.random.default_rng([12, len(form)])
    for batch, steps, n_in, hidden in ((1, 6, 4, 8), (2, 5, 3, 5)):
        w = weights(rng, n_in, hidden, peephole="peephole" in form)
        model = INT8_MODELS[form](w, batch, steps)
        shape = (batch, steps, n_in)
        calibration = np.concatenate([np.stack(inputs(rng, shape)) for _ in range(12)])
        q = convert(model, quantize="int8", representative_data=calibration)
        ops = {d["op_name"] for d in litert.Interpreter(model_content=q)._get_ops_details()}
        assert LSTM in ops and "WHILE" not in ops, ops
        for x in inputs(rng, shape):
            got, = run_mote(q, [x])
            want, = run_litert(q, [x], reference_kernels=True)
            assert np.array_equal(got, want), \
                f"{form} {shape}: {np.sum(got != want)} of {got.size} values differ"
            ref, = run_litert(model, [x])
            noise = float(np.sum((got.astype(np.float64) - ref) ** 2))
            sqnr = 10 * np.log10(float(np.sum(ref.astype(np.float64) ** 2)) / max(noise, 1e-30))
            assert sqnr >= SQNR_FLOOR_DB, f"{form} {shape}: SQNR {sqnr:.1f} dB"


# -- mutated LSTM files: converted or refused, never another exception ---------------------

@pytest.mark.filterwarnings("ignore::RuntimeWarning")   # mutated weights overflow
def test_mutated_lstm_files_convert_or_are_refused_clearly():
    """Both forms mutated byte by byte and field by field (in any subgraph),
    converted to float and int8 (tests/test_converter_fuzz.py's mutations)."""
    fuzz = pytest.importorskip("test_converter_fuzz")
    rng = np.random.default_rng(77)
    w = weights(rng, 3, 4, peephole=True)
    seeds = {"while": while_lstm(w, 1, 4, peephole=True, weights_in_loop=True),
             "unrolled": unrolled_lstm(w, 1, 3, clip=0.5)}
    tried, escapes = 0, []
    for name, data in seeds.items():
        subgraphs = len(fuzz.flatbuf.decode(data)["subgraphs"])
        for k in range(120):
            for kind, mutant in (("bytes", fuzz.mutate_bytes(data, rng)),
                                 ("fields", fuzz.mutate_tflite(
                                     data, rng, int(rng.integers(subgraphs))))):
                for mode in ("none", "int8"):
                    tried += 1
                    try:
                        extra = {"representative_data": fuzz.calibration_for(mutant)} \
                            if mode == "int8" else {}
                        convert(mutant, quantize=mode, **extra)
                    except fuzz.REFUSALS as e:
                        assert str(e), f"{name}/{kind}{k} {mode}: an error without a message"
                    except Exception as e:   # noqa: BLE001 - the point: nothing else may escape
                        escapes.append(f"{name}/{kind}{k} {mode}: {type(e).__name__}: {e}")
    assert not escapes, f"{len(escapes)} of {tried} conversions escaped:\n" + "\n".join(escapes)
