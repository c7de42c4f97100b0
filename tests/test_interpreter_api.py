"""The Python Interpreter beyond set/invoke/get: memory the views hand out,
names that are not UTF-8, arenas too big to have, invoke() from two threads,
resize_tensor_input, signatures, and invoke() before allocate_tensors() --
each checked against what LiteRT does."""
import gc
import threading
import weakref

import numpy as np
import pytest

from mote import runtime as pyruntime
import mote.runtime.interpreter as runtime_interpreter
from mote.converter import convert
from mote.converter.tflite.builder import ModelBuilder
from mote.models import datasets
from mote.models.zoo import make_example
from mote.models.zoo.train import HERE
from mote.runtime import Interpreter

EXAMPLE = make_example.build()


def ready(model: bytes, **kwargs) -> Interpreter:
    it = Interpreter(model_content=model, **kwargs)
    it.allocate_tensors()
    return it


def relu_model(shape, name="y") -> ModelBuilder:
    b = ModelBuilder()
    x = b.add_input("x", shape, "float32")
    y = b.add_tensor(name, shape, "float32")
    b.add_operator("RELU", [x], [y])
    b.mark_outputs(y)
    return b


def litert_interpreter(model: bytes):
    from ai_edge_litert import interpreter as litert
    return litert.Interpreter(model_content=model,
                              experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)


# -- 1. memory handed out ------------------------------------------------------

def test_tensor_view_keeps_its_interpreter_alive():
    it = ready(EXAMPLE)
    index = it.get_input_details()[0]["index"]
    view = it.tensor(index)()
    view[...] = 7.0
    alive = weakref.ref(it)
    del it
    gc.collect()
    assert alive() is not None, "a view must keep its interpreter (and arena) alive"
    others = [ready(EXAMPLE) for _ in range(4)]    # would reuse a freed arena
    for other in others:
        other.set_tensor(index, np.zeros((1, 8, 8, 1), np.float32))
        other.invoke()
    assert np.all(view == 7.0)
    del view
    gc.collect()
    assert alive() is None, "the interpreter must be freed with its last view"


def test_get_tensor_copies_and_constants_are_read_only():
    it = ready(EXAMPLE)
    out = it.get_output_details()[0]["index"]
    assert not np.shares_memory(it.get_tensor(out), it.tensor(out)())
    weights = next(d["index"] for d in it.get_tensor_details() if d["name"] == "conv1/w")
    with pytest.raises(ValueError, match="read-only"):
        it.tensor(weights)()[...] = 0


def test_view_survives_a_replan():
    it = ready(EXAMPLE)
    view = it.tensor(0)()
    view[...] = 3.0
    it.resize_tensor_input(0, [2, 8, 8, 1])
    it.allocate_tensors()
    gc.collect()
    ready(EXAMPLE).invoke()
    assert np.all(view == 3.0), "a view of the old plan keeps the old arena"


# -- 2. names that are not UTF-8 -------------------------------------------------

def with_bad_name(model: bytes) -> bytes:
    assert model.count(b"AAAA") == 1
    return model.replace(b"AAAA", b"\xff\xfe\x80A")


def test_names_that_are_not_utf8_are_escaped():
    it = ready(with_bad_name(relu_model([1, 3], name="out_AAAA").build()))
    it.set_tensor(0, np.ones((1, 3), np.float32))
    it.invoke()
    assert it.get_output_details()[0]["name"] == "out_\\xff\\xfe\\x80A"
    assert [d["name"] for d in it.get_tensor_details()] == ["x", "out_\\xff\\xfe\\x80A"]


def test_messages_with_names_that_are_not_utf8():
    b = relu_model([1, 3])
    b.add_tensor("str_AAAA", [2], "float16")
    b.operators[0]["inputs"] = np.array([2], np.int32)
    with pytest.raises(pyruntime.MoteError, match=r"str_\\xff\\xfe\\x80A"):
        Interpreter(model_content=with_bad_name(b.build()))


# -- 3. arenas too big ---------------------------------------------------------------

def test_huge_arena_is_a_clear_memory_error():
    huge = relu_model([512, 1024, 1024, 1024]).build()     # 2 TB in, 2 TB out
    with pytest.raises(pyruntime.ArenaAllocationError) as e:
        Interpreter(model_content=huge)
    assert isinstance(e.value, MemoryError) and isinstance(e.value, pyruntime.MoteError)
    assert "could not allocate an arena of" in str(e.value)
    assert int(str(e.value).split("arena of ")[1].split()[0]) >= 2 * 2 ** 41


def fc_model(units=40, depth=24, constant=True) -> bytes:
    b = ModelBuilder()
    x = b.add_input("x", [3, depth], "float32")
    rng = np.random.default_rng(5)
    w = b.add_constant("w", rng.standard_normal((units, depth)).astype(np.float32)) if constant \
        else b.add_input("w", [units, depth], "float32")
    y = b.add_tensor("y", [3, units], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w], [y], {"fused_activation_function": "NONE"})
    b.mark_outputs(y)
    return b.build()


def test_packed_weights_are_counted_in_the_arena():
    """A kernel that repacks constant weights gets them in the arena's
    persistent part; the reference kernels and non-constant weights read the
    model's (zero-copy)."""
    ref = ready(fc_model(), experimental_op_resolver_type=pyruntime.OpResolverType.BUILTIN_REF)
    assert ref.packed_weight_bytes == 0
    fast = ready(fc_model())
    if fast.ops()[0]["kernel"] == "fully_connected_f32_ref":
        pytest.skip("no packing kernel runs on this CPU")
    # 40 units in panels of NR columns: bias and 24 weights per column, padded
    assert fast.packed_weight_bytes >= 40 * 25 * 4
    assert fast.arena_bytes - ref.arena_bytes >= fast.packed_weight_bytes
    dynamic = ready(fc_model(constant=False))
    assert dynamic.packed_weight_bytes == 0
    assert dynamic.ops()[0]["kernel"] == "fully_connected_f32_ref"


def test_float16_weights_are_packed_once_folded():
    """Weights stored as float16 behind a DEQUANTIZE (as MediaPipe ships them)
    become constant when create folds the DEQUANTIZE; packing kernels take
    them then, and give what the reference kernels give."""
    model = convert(EXAMPLE, "float16")
    x = np.random.default_rng(4).uniform(0, 1, (1, 8, 8, 1)).astype(np.float32)
    outputs = {}
    for resolver in (pyruntime.OpResolverType.AUTO, pyruntime.OpResolverType.BUILTIN_REF):
        it = ready(model, experimental_op_resolver_type=resolver)
        it.set_tensor(it.get_input_details()[0]["index"], x)
        it.invoke()
        outputs[resolver] = (it.get_tensor(it.get_output_details()[0]["index"]), it)
    (fast, it), (ref, _) = outputs.values()
    if not any(k["runs_here"] and k["name"].startswith("conv2d_f32_") and k["cpu"]
               for k in pyruntime.kernels()):
        pytest.skip("no packing CONV_2D kernel runs on this CPU")
    assert it.packed_weight_bytes > 0, [op["kernel"] for op in it.ops()]
    assert np.max(np.abs(fast - ref)) <= 1e-5 * max(1.0, float(np.max(np.abs(ref))))


def test_max_arena_bytes():
    need = ready(EXAMPLE).arena_bytes
    ready(EXAMPLE, max_arena_bytes=need + 16)
    with pytest.raises(pyruntime.ArenaTooSmallError, match=r"max_arena_bytes=1000\b") as e:
        Interpreter(model_content=EXAMPLE, max_arena_bytes=1000)
    assert isinstance(e.value, MemoryError) and e.value.required > 1000
    with pytest.raises(pyruntime.ArenaTooSmallError, match=r"needs at least \d+ bytes"):
        Interpreter(model_content=relu_model([512, 1024, 1024, 1024]).build(),
                    max_arena_bytes=2 ** 30)
    with pytest.raises(pyruntime.InvalidArgumentError, match="max_arena_bytes"):
        Interpreter(model_content=EXAMPLE, max_arena_bytes=0)


# -- 4. one invoke() at a time -------------------------------------------------------

class _BlockingLib:
    """The C library, with a first mote_invoke that waits to be released."""

    def __init__(self, lib):
        self._lib = lib
        self.entered, self.release = threading.Event(), threading.Event()

    def __getattr__(self, name):
        return getattr(self._lib, name)

    def mote_invoke(self, it):
        if not self.entered.is_set():
            self.entered.set()
            self.release.wait(10)
        return self._lib.mote_invoke(it)


def test_invoke_from_a_second_thread_is_refused(monkeypatch):
    it = ready(EXAMPLE)
    slow = _BlockingLib(runtime_interpreter.lib)
    monkeypatch.setattr(runtime_interpreter, "lib", slow)
    first = threading.Thread(target=it.invoke)
    first.start()
    try:
        assert slow.entered.wait(10)
        with pytest.raises(pyruntime.MoteRuntimeError, match="already running invoke"):
            it.invoke()
        with pytest.raises(RuntimeError, match="one Interpreter per thread"):
            it.allocate_tensors()   # re-planning would free the arena under the running invoke
    finally:
        slow.release.set()
        first.join()
    it.invoke()
    assert "one Interpreter per thread" in Interpreter.__doc__


# -- 5. resize_tensor_input ------------------------------------------------------------

def run_batch(model: bytes, x: np.ndarray, resize) -> np.ndarray:
    """Output for batch x, on a Mote or LiteRT interpreter made by `resize`."""
    it = resize(model)
    index = it.get_input_details()[0]["index"]
    it.resize_tensor_input(index, list(x.shape))
    it.allocate_tensors()
    it.set_tensor(index, x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


def per_sample(model: bytes, x: np.ndarray) -> np.ndarray:
    it = ready(model)
    index = it.get_input_details()[0]["index"]
    out = []
    for sample in x:
        it.set_tensor(index, sample[None])
        it.invoke()
        out.append(it.get_tensor(it.get_output_details()[0]["index"]))
    return np.concatenate(out)


def mobilenet_int8() -> bytes:
    (x_train, _), _ = datasets.digits()
    return convert(str(HERE / "mobilenet_style.npz"), quantize="int8",
                   representative_data=x_train[:50])


def reshape_model() -> bytes:
    b = ModelBuilder()
    x = b.add_input("x", [1, 4, 4, 2], "float32")
    rng = np.random.default_rng(1)
    y = b.add_tensor("conv", [1, 3, 3, 3], "float32")
    b.add_operator("CONV_2D", [x, b.add_constant("w", rng.standard_normal((3, 2, 2, 2), np.float32)),
                               b.add_constant("b", np.zeros(3, np.float32))], [y],
                   {"padding": "VALID", "stride_w": 1, "stride_h": 1})
    flat = b.add_tensor("flat", [1, 27], "float32")
    b.add_operator("RESHAPE", [y, b.add_constant("shape", np.array([-1, 27], np.int32))], [flat],
                   {"new_shape": [-1, 27]})
    z = b.add_tensor("fc", [1, 5], "float32")
    b.add_operator("FULLY_CONNECTED", [flat, b.add_constant("fw", rng.standard_normal((5, 27),
                                                                                     np.float32)),
                                       -1], [z])
    b.mark_outputs(z)
    return b.build()


BATCH_MODELS = {   # name: (model bytes, batch input shape, tolerance against LiteRT)
    "example_cnn": (lambda: EXAMPLE, (4, 8, 8, 1), 1e-5),
    "mobilenet_style int8": (mobilenet_int8, (4, 8, 8, 1), 0),
    "conv-reshape-fc": (reshape_model, (3, 4, 4, 2), 1e-5),
}


@pytest.mark.parametrize("name", BATCH_MODELS)
def test_batch_equals_samples_and_litert(name, litert_available):
    make, shape, tolerance = BATCH_MODELS[name]
    model = make()
    x = np.random.default_rng(0).random(shape, np.float32)
    batch = run_batch(model, x, ready)
    assert batch.shape[0] == shape[0]
    np.testing.assert_array_equal(batch, per_sample(model, x), err_msg=name)
    theirs = run_batch(model, x, litert_interpreter)
    np.testing.assert_allclose(batch, theirs, rtol=0, atol=tolerance, err_msg=name)


def test_resize_replans_the_arena():
    it = ready(EXAMPLE)
    before = it.arena_bytes
    it.resize_tensor_input(0, [8, 8, 8, 1])
    assert it.get_input_details()[0]["shape"].tolist() == [1, 8, 8, 1]   # until allocate
    it.allocate_tensors()
    assert it.get_input_details()[0]["shape"].tolist() == [8, 8, 8, 1]
    assert it.get_output_details()[0]["shape"].tolist() == [8, 10]
    assert it.arena_bytes > before
    it.resize_tensor_input(0, [1, 8, 8, 1])
    it.allocate_tensors()
    assert it.arena_bytes == before


def test_bad_resizes():
    it = ready(EXAMPLE)
    with pytest.raises(pyruntime.InvalidArgumentError, match="tensor 99 is not a model input"):
        it.resize_tensor_input(99, [1, 8, 8, 1])
    with pytest.raises(pyruntime.InvalidArgumentError, match="list of ints"):
        it.resize_tensor_input(0, [1.5, 8, 8, 1])
    with pytest.raises(pyruntime.InvalidArgumentError, match="strict resize"):
        it.resize_tensor_input(0, [2, 8, 8, 1], strict=True)
    it.resize_tensor_input(0, [1, 8, 8, 1], strict=True)
    for size, message in [([8, 8, 1], "must keep its 4 dims, got 3"),
                          ([0, 8, 8, 1], "dim 0 of the new shape is 0; dims must be >= 1"),
                          ([2, 8, -1, 1], "dim 2 of the new shape is -1")]:
        it.resize_tensor_input(0, size)
        with pytest.raises(pyruntime.InvalidArgumentError, match=message):
            it.allocate_tensors()
    it.resize_tensor_input(0, [1, 8, 8, 1])
    it.allocate_tensors()
    it.invoke()


def test_resize_an_op_cannot_follow():
    b = ModelBuilder()
    x = b.add_input("x", [1, 6], "float32")
    y = b.add_tensor("y", [2, 3], "float32")
    b.add_operator("RESHAPE", [x], [y], {"new_shape": [2, 3]})
    b.mark_outputs(y)
    it = ready(b.build())
    it.resize_tensor_input(0, [2, 6])
    with pytest.raises(pyruntime.InvalidModelError, match="RESHAPE.*different numbers of elements"):
        it.allocate_tensors()


# -- 6. signatures ------------------------------------------------------------------------

def signature_model() -> bytes:
    b = relu_model([1, 3])
    b.add_signature("serving_default", {"inp": 0}, {"out": 1})
    return b.build()


def test_signatures_as_litert(litert_available):
    model = signature_model()
    ours, theirs = Interpreter(model_content=model), litert_interpreter(model)
    assert ours.get_signature_list() == theirs.get_signature_list() == {
        "serving_default": {"inputs": ["inp"], "outputs": ["out"]}}
    for x in [np.array([[1, -2, 3]], np.float32), np.array([[1, -2, 3], [-4, 5, 0.5]], np.float32)]:
        got = ours.get_signature_runner()(inp=x)
        want = theirs.get_signature_runner("serving_default")(inp=x)
        assert got.keys() == want.keys() == {"out"}
        np.testing.assert_array_equal(got["out"], want["out"])
    runner = ours.get_signature_runner("serving_default")
    assert runner.get_input_details()["inp"]["index"] == 0
    with pytest.raises(pyruntime.InvalidArgumentError, match=r"inputs are \['inp'\]"):
        runner(x=np.zeros((1, 3), np.float32))


def test_no_signatures_as_litert(litert_available):
    ours, theirs = Interpreter(model_content=EXAMPLE), litert_interpreter(EXAMPLE)
    assert ours.get_signature_list() == theirs.get_signature_list() == {}
    for key, message in [(None, "signature_key is None and the model has 0 signatures"),
                         ("foo", "invalid signature_key 'foo'")]:
        with pytest.raises(ValueError):
            theirs.get_signature_runner(key)
        with pytest.raises(pyruntime.InvalidArgumentError, match=message):
            ours.get_signature_runner(key)


def test_signature_tensor_out_of_range_is_refused():
    b = relu_model([1, 3])
    b.add_signature("serving_default", {"inp": 0}, {"out": 9})
    with pytest.raises(pyruntime.InvalidModelError, match="tensor 9, but subgraph 0 has 2"):
        Interpreter(model_content=b.build())


# -- 7. invoke() before allocate_tensors() ------------------------------------------------

def test_invoke_before_allocate_tensors_as_litert(litert_available):
    theirs = litert_interpreter(EXAMPLE)
    with pytest.raises(RuntimeError):
        theirs.invoke()
    it = Interpreter(model_content=EXAMPLE)
    with pytest.raises(pyruntime.MoteRuntimeError, match="before allocate_tensors"):
        it.invoke()
    it.allocate_tensors()
    it.invoke()
    it.resize_tensor_input(0, [2, 8, 8, 1])
    with pytest.raises(RuntimeError, match="before allocate_tensors"):
        it.invoke()


def test_invoke_profiled_times_every_op():
    it = Interpreter(model_content=EXAMPLE)
    with pytest.raises(pyruntime.MoteRuntimeError, match="allocate_tensors"):
        it.invoke_profiled()
    it.allocate_tensors()
    seconds = it.invoke_profiled()
    assert len(seconds) == len(it.ops()) and all(s >= 0 for s in seconds)


def test_reuse_input_memory_gives_the_same_outputs_in_a_smaller_arena():
    """MOTE_REUSE_INPUT_MEMORY: the float input of the int8 MobileNet-style
    model (QUANTIZE reads it first, and only) no longer lives to the end, so
    its 256 bytes go to later tensors; the outputs stay the same."""
    model = mobilenet_int8()
    x = np.random.default_rng(5).random((1, 8, 8, 1)).astype(np.float32)
    results, arenas = [], []
    for reuse in (False, True):
        it = pyruntime.Interpreter(model_content=model, reuse_input_memory=reuse)
        it.allocate_tensors()
        it.set_tensor(it.get_input_details()[0]["index"], x)
        it.invoke()
        results.append(it.get_tensor(it.get_output_details()[0]["index"]))
        arenas.append(it.arena_bytes)
    np.testing.assert_array_equal(results[0], results[1])
    assert arenas[1] == arenas[0] - 256, arenas
