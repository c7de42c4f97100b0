"""Models with several subgraphs: WHILE, IF, CALL_ONCE, and the two forms
TensorFlow writes a Keras LSTM in when it does not fuse it (a WHILE loop over a
body subgraph; unrolled with UNPACK / ... / PACK), built as TensorFlow's
converter writes them (tests/control_flow_models.py).

Oracles: LiteRT on the same file (float within RTOL of the largest output;
int8 byte for byte with its reference kernels), numpy float64 for the LSTM
and hand computation for the counting loop. Bad files (cycles of calls,
subgraph indices out of range, loops that never end, bodies that change a
shape) must give clear errors and never hang: those run in a child process
under a timeout.
"""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import run_litert, run_mote
from control_flow_models import (LSTM_INT8, call_once_model, cases, counter_while_model,
                                 if_model, image_like_int8, lstm_reference,
                                 lstm_unrolled_model, lstm_while_model, lstm_weights, scalar)
from mote.converter.tflite.builder import ModelBuilder
from mote.runtime import Interpreter
from mote.runtime.errors import InvalidModelError, UnsupportedError

RTOL = 1e-4
FORMS = {"while": lstm_while_model, "unrolled": lstm_unrolled_model}


def assert_close(got, want, context, rtol=RTOL):
    assert got.shape == want.shape, f"{context}: shape {got.shape} vs {want.shape}"
    scale = max(1.0, float(np.max(np.abs(want))))
    diff = float(np.max(np.abs(got.astype(np.float64) - want)))
    assert diff <= rtol * scale, f"{context}: max difference {diff:g} > {rtol * scale:g}"


def test_every_model_matches_litert(litert_available):
    for name, model, inputs, int8 in cases():
        want = run_litert(model, inputs, reference_kernels=int8)
        got = run_mote(model, inputs)
        for i, (g, w) in enumerate(zip(got, want)):
            if int8 or w.dtype != np.float32:
                assert g.dtype == w.dtype and np.array_equal(g, w), f"{name} output {i}"
            else:
                assert_close(g, w, f"{name} output {i}")


@pytest.mark.parametrize("form", sorted(FORMS))
def test_tf_lstm_float_matches_litert_and_float64(form, litert_available):
    rng = np.random.default_rng(1)
    for batch, steps, n_in, hidden in ((1, 1, 1, 1), (1, 8, 8, 16), (3, 5, 2, 7), (2, 12, 4, 5)):
        w = lstm_weights(rng, n_in, hidden)
        x = rng.uniform(-1, 1, (batch, steps, n_in)).astype(np.float32)
        model = FORMS[form](w, batch, steps)
        got, = run_mote(model, [x])
        want, = run_litert(model, [x])
        context = f"{form} LSTM batch {batch} steps {steps} in {n_in} hidden {hidden}"
        assert_close(got, want, context + " vs LiteRT")
        oracle = lstm_reference(x, w)
        assert_close(got, oracle[:, -1] if form == "while" else oracle, context + " vs float64")


@pytest.mark.parametrize("form", sorted(FORMS))
def test_tf_lstm_int8_is_bit_exact_with_litert_reference_kernels(form, litert_available):
    rng = np.random.default_rng(2)
    for batch, steps, n_in, hidden in ((1, 3, 2, 2), (2, 8, 8, 6), (4, 5, 3, 9)):
        w = lstm_weights(rng, n_in, hidden)
        model = FORMS[form](w, batch, steps, LSTM_INT8)
        shape = (batch, steps, n_in)
        for x in (image_like_int8(rng, shape), rng.integers(-128, 128, shape).astype(np.int8)):
            got, = run_mote(model, [x])
            want, = run_litert(model, [x], reference_kernels=True)
            assert np.array_equal(got, want), \
                f"{form} int8 LSTM {shape} hidden {hidden}: {np.sum(got != want)} values differ"


def test_while_runs_as_many_times_as_its_condition_says():
    """x_n = 1.5^n x + 0.25 (1.5^n - 1) / 0.5, by hand, for n = 0..9; invoking
    again starts the loop from the inputs."""
    it = Interpreter(model_content=counter_while_model())
    it.allocate_tensors()
    x = np.array([[0.5, -1.0, 2.0, 0.1]], np.float32)
    x_in, n_in = (d["index"] for d in it.get_input_details())
    y_out, i_out = (d["index"] for d in it.get_output_details())
    for n in (3, 0, 9, 1):
        it.set_tensor(x_in, x)
        it.set_tensor(n_in, np.array(n, np.int32))
        it.invoke()
        want = 1.5 ** n * x.astype(np.float64) + 0.25 * (1.5 ** n - 1) / 0.5
        assert_close(it.get_tensor(y_out), want, f"n = {n}", rtol=1e-6)
        assert it.get_tensor(i_out) == n


def test_interpreter_shows_subgraph_0_only():
    it = Interpreter(model_content=counter_while_model())
    it.allocate_tensors()
    assert [d["name"] for d in it.get_input_details()] == ["x", "n"]
    assert [d["name"] for d in it.get_output_details()] == ["y", "i_out"]
    assert len(it.get_tensor_details()) == 6     # subgraph 0's tensors
    assert [op["name"] for op in it.ops()] == ["WHILE"]


def test_if_and_call_once_run_their_subgraphs():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2, 2, 3)).astype(np.float32)
    for flag, want in ((True, a * b + a), (False, a - b)):
        got, = run_mote(if_model(), [np.array(flag), a, b])
        assert_close(got, want, f"IF {flag}", rtol=1e-6)
    x = np.array([-1.0, 0.5, 2.0], np.float32)
    it = Interpreter(model_content=call_once_model())
    it.allocate_tensors()
    for _ in range(2):
        it.set_tensor(it.get_input_details()[0]["index"], x)
        it.invoke()
        assert np.array_equal(it.get_tensor(it.get_output_details()[0]["index"]),
                              np.maximum(x, 0))


def two_loops_model(width: int, loops: int) -> bytes:
    """`loops` WHILE ops one after the other on x [1, width], each body
    x -> x * 0.5 (an intermediate of `width` floats), 2 iterations."""
    b = ModelBuilder()
    x = b.add_input("x", [1, width], "float32")
    cond = b.add_subgraph("cond")
    ci, cx = cond.add_input("i", [], "int32"), cond.add_input("x", [1, width], "float32")
    go = cond.add_tensor("go", [], "bool")
    cond.add_operator("LESS", [ci, scalar(cond, "two", 2, np.int32)], [go])
    cond.mark_outputs(go)
    body = b.add_subgraph("body")
    bi, bx = body.add_input("i", [], "int32"), body.add_input("x", [1, width], "float32")
    i1, t, x1 = (body.add_tensor("i1", [], "int32"), body.add_tensor("t", [1, width], "float32"),
                 body.add_tensor("x1", [1, width], "float32"))
    body.add_operator("ADD", [bi, scalar(body, "one", 1, np.int32)], [i1])
    body.add_operator("MUL", [bx, scalar(body, "half", 0.5, np.float32)], [t])
    body.add_operator("RELU", [t], [x1])
    body.mark_outputs(i1, x1)
    for k in range(loops):
        i_out, y = b.add_tensor(f"i{k}", [], "int32"), b.add_tensor(f"y{k}", [1, width], "float32")
        b.add_operator("WHILE", [scalar(b, f"zero{k}", 0, np.int32), x], [i_out, y],
                       {"cond_subgraph_index": cond.index, "body_subgraph_index": body.index})
        x = y
    b.mark_outputs(x)
    return b.build()


def test_callee_activations_share_the_arena():
    """A body's activations live in its caller's plan for the WHILE op's time
    only: a second loop after the first reuses that space. Each loop's own
    buffers (state, cond and body inputs, outputs) cost 4 width-sized
    buffers; a second loop adds its output's, not another body's."""
    width = 4096
    one, two = (Interpreter(model_content=two_loops_model(width, k)) for k in (1, 2))
    for it in (one, two):
        it.allocate_tensors()
    assert two.arena_bytes - one.arena_bytes < 2 * 4 * width, (one.arena_bytes, two.arena_bytes)
    x = np.linspace(-1, 1, width, dtype=np.float32)[None]
    two.set_tensor(two.get_input_details()[0]["index"], x)
    two.invoke()
    assert np.array_equal(two.get_tensor(two.get_output_details()[0]["index"]),
                          np.maximum(x, 0) / 16)


def run_isolated(model: bytes, inputs, timeout=60) -> str:
    """Creates and invokes `model` in a child process: its error message (or
    "ok"), or a test failure when it hangs or crashes."""
    script = textwrap.dedent("""
        import sys, numpy as np
        from mote.runtime import Interpreter
        from mote.runtime.errors import MoteError
        data = np.load(sys.argv[1], allow_pickle=False)
        try:
            it = Interpreter(model_content=data["model"].tobytes())
            it.allocate_tensors()
            for d, k in zip(it.get_input_details(), sorted(f for f in data if f != "model")):
                it.set_tensor(d["index"], data[k])
            it.invoke()
            print("ok")
        except MoteError as e:
            print(type(e).__name__ + ": " + str(e))
    """)
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".npz") as f:
        np.savez(f, model=np.frombuffer(model, np.uint8),
                 **{f"in{i:03d}": x for i, x in enumerate(inputs)})
        f.flush()
        try:
            r = subprocess.run([sys.executable, "-c", script, f.name], capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"create + invoke did not end within {timeout} s")
    assert r.returncode == 0, f"child process failed:\n{r.stderr[-3000:]}"
    return r.stdout.strip()


COUNTER_INPUTS = [np.ones((1, 4), np.float32), np.array(3, np.int32)]


def test_a_loop_that_never_ends_fails_clearly():
    def always(cond, i):
        go = cond.add_tensor("go", [], "bool")
        cond.add_operator("LOGICAL_AND", [scalar(cond, "yes", True, np.bool_),
                                          scalar(cond, "still_yes", True, np.bool_)], [go])
        return go
    out = run_isolated(counter_while_model(cond_body=always), COUNTER_INPUTS)
    assert out.startswith("InvalidModelError: op 0 (WHILE v1): the condition (subgraph 1) is "
                          "still true after 65536 iterations of the body (subgraph 2)"), out


def test_cycles_and_bad_subgraph_indices_are_refused():
    with pytest.raises(InvalidModelError, match=r"subgraph 0 op 0 calls subgraph 0, which is "
                       r"already running on that path of calls \(from subgraph 0\): calls "
                       r"through WHILE, IF and CALL_ONCE must not form a cycle"):
        Interpreter(model_content=counter_while_model(body_index=0))
    with pytest.raises(InvalidModelError, match=r"subgraph 0 operator 0: calls subgraph 7, but "
                       r"the model has subgraphs \[0, 3\)"):
        Interpreter(model_content=counter_while_model(body_index=7))
    with pytest.raises(InvalidModelError, match=r"subgraph 0 operator 0: calls subgraph -1"):
        Interpreter(model_content=counter_while_model(body_index=-1))

    # A body that runs itself: subgraph 2's WHILE names subgraph 2 as its body.
    b = ModelBuilder()
    x = b.add_input("x", [], "int32")
    y = b.add_tensor("y", [], "int32")
    cond = b.add_subgraph("cond")
    c_in, go = cond.add_input("x", [], "int32"), cond.add_tensor("go", [], "bool")
    cond.add_operator("LESS", [c_in, scalar(cond, "ten", 10, np.int32)], [go])
    cond.mark_outputs(go)
    body = b.add_subgraph("body")
    b_in, b_out = body.add_input("x", [], "int32"), body.add_tensor("x_next", [], "int32")
    body.add_operator("WHILE", [b_in], [b_out], {"cond_subgraph_index": 1,
                                                  "body_subgraph_index": 2})
    body.mark_outputs(b_out)
    b.add_operator("WHILE", [x], [y], {"cond_subgraph_index": 1, "body_subgraph_index": 2})
    b.mark_outputs(y)
    with pytest.raises(InvalidModelError, match="subgraph 2 op 0 calls subgraph 2, which is "
                       "already running"):
        Interpreter(model_content=b.build())


def test_a_body_that_changes_a_shape_is_refused():
    with pytest.raises(UnsupportedError, match=r"body subgraph 2's output 2 'x_next' is FLOAT32 "
                       r"\[2, 4\], but loop-carried input 2 'x' is FLOAT32 \[1, 4\]: Mote needs "
                       r"loop-carried tensors to keep their type and shape"):
        Interpreter(model_content=counter_while_model(body_shape=[2, 4]))


def test_a_condition_that_is_not_one_bool_is_refused():
    def int_flag(cond, i):
        return i
    with pytest.raises(InvalidModelError, match=r"cond subgraph 1's output 'i' is INT32 \[\]; "
                       r"expected one BOOL"):
        Interpreter(model_content=counter_while_model(cond_body=int_flag))


def test_mutated_while_models_end_with_a_result_or_an_error():
    """Byte flips of WHILE models (the counter and the LSTM's WHILE form):
    every copy is refused, fails in invoke, or runs, within the timeout."""
    rng = np.random.default_rng(4)
    w = lstm_weights(rng, 3, 4)
    script = textwrap.dedent("""
        import sys, numpy as np
        from mote.runtime import Interpreter
        from mote.runtime.errors import MoteError
        data = np.load(sys.argv[1])
        rng = np.random.default_rng(0)
        outcomes = {"refused": 0, "failed": 0, "ran": 0}
        for name in ("counter", "lstm"):
            model = data[name]
            for _ in range(150):
                copy = model.copy()
                at = rng.integers(0, copy.size, size=rng.integers(1, 4))
                copy[at] = rng.integers(0, 256, size=at.size)
                try:
                    it = Interpreter(model_content=copy.tobytes())
                    it.allocate_tensors()
                except MoteError:
                    outcomes["refused"] += 1
                    continue
                try:
                    it.invoke()
                    outcomes["ran"] += 1
                except MoteError:
                    outcomes["failed"] += 1
        print(outcomes)
    """)
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".npz") as f:
        np.savez(f, counter=np.frombuffer(counter_while_model(), np.uint8),
                 lstm=np.frombuffer(lstm_while_model(w, 1, 4), np.uint8))
        f.flush()
        r = subprocess.run([sys.executable, "-c", script, f.name], capture_output=True,
                           text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    outcomes = eval(r.stdout.strip())
    assert sum(outcomes.values()) == 300 and outcomes["refused"] > 0 and outcomes["ran"] > 0, \
        outcomes


def test_converter_refuses_control_flow_other_than_lstm_loops_in_one_line(tmp_path, capsys):
    """IF and CALL_ONCE (WHILE loops: tests/test_lstm_fusion.py)."""
    from mote.cli import main
    for name, model in (("IF", if_model()), ("CALL_ONCE", call_once_model())):
        path = tmp_path / "model.tflite"
        path.write_bytes(model)
        assert main(["convert", str(path), "-o", str(tmp_path / "out.tflite")]) != 0
        err = capsys.readouterr().err.strip()
        assert err == (f"mote convert: error: op 0 ({name}) runs other subgraphs of the file; "
                       f"the converter imports WHILE loops that are LSTM layers (fusing each "
                       f"into UNIDIRECTIONAL_SEQUENCE_LSTM) and no other control flow (Mote's "
                       f"runtime runs this file as it is)"), err


def test_codegen_lists_the_ops_of_every_subgraph():
    from mote.codegen import model_ops
    builtins, custom = model_ops(counter_while_model())
    assert builtins == [("ADD", "add"), ("LESS", "less"), ("MUL", "mul"), ("WHILE", "while")]
    assert custom == []
