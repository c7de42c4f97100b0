"""UNIDIRECTIONAL_SEQUENCE_LSTM in TFLite's integer form (int8 activations
and weights, int16 cell state, the 5 intermediates): bit-exact with LiteRT's
reference and default kernels on random LSTMs of every variant Mote runs,
its state kept across invokes and reset as LiteRT does (int8 state to its
zero point), and what it refuses, each with a message naming why."""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from op_cases_int8 import int8_cases, unidirectional_sequence_lstm
from mote.converter.tflite.builder import ModelBuilder
from mote.runtime import Interpreter, UnsupportedError

OP = "UNIDIRECTIONAL_SEQUENCE_LSTM"


def case_features(b):
    ins = list(b.operators[0]["inputs"])
    opts = b.operators[0]["builtin_options"][1]
    x = b.tensors[ins[0]]
    return {"cifg": ins[1] < 0, "peephole": ins[10] >= 0, "time_major": opts["time_major"],
            "cell_clip": opts["cell_clip"] > 0,
            "batch>1": x["shape"][1 if opts["time_major"] else 0] > 1,
            "steps>1": x["shape"][0 if opts["time_major"] else 1] > 1,
            "image-like": x["quantization"]["zero_point"][0] == -128 and
            float(x["quantization"]["scale"][0]) in (np.float32(1 / 255), np.float32(2 / 255)),
            "fine cell scale (2^-13 or finer)":
            float(b.tensors[ins[19]]["quantization"]["scale"][0]) <= 2.0 ** -13}


def features(k, seed):
    rng = np.random.default_rng([seed, k, sum(map(ord, OP)), 8])
    b = ModelBuilder()
    unidirectional_sequence_lstm(b, rng)
    return case_features(b)


@pytest.mark.parametrize("reference_kernels", [True, False])
def test_random_int8_lstms_bit_exact_with_litert(reference_kernels, litert_available):
    seen = {}
    for k, (name, model, inputs) in enumerate(int8_cases(OP, 120, seed=21)):
        want = run_litert(model, inputs, reference_kernels=reference_kernels)[0]
        got = run_mote(model, inputs)[0]
        diff = np.flatnonzero(got != want)
        assert diff.size == 0, (f"{name}: {diff.size} of {got.size} differ; first at {diff[0]}: "
                                f"mote {got.flat[diff[0]]} vs litert {want.flat[diff[0]]}")
        for f, on in features(k, 21).items():
            seen[f] = seen.get(f, 0) + bool(on)
    assert all(seen.values()), f"a variant no case covered: {seen}"


def test_state_kept_across_invokes_and_reset_like_litert(litert_available):
    """Three invokes continue one sequence (cell and hidden state carried), and
    reset_all_variables starts again from zero: int8 state at its zero point,
    as LiteRT's ResetVariableTensor leaves it."""
    from ai_edge_litert import interpreter as litert
    for name, model, inputs in int8_cases(OP, 10, seed=4):
        theirs = litert.Interpreter(model_content=model,
                                    experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
        ours = Interpreter(model_content=model)
        rng = np.random.default_rng(1)
        xs = [inputs[0]] + [rng.integers(-128, 128, inputs[0].shape).astype(np.int8)
                            for _ in range(2)]
        for it in (theirs, ours):
            it.allocate_tensors()
        for k, x in enumerate(xs + ["reset"] + xs[:1]):
            if isinstance(x, str):
                theirs.reset_all_variables()
                ours.reset_all_variables()
                continue
            outs = []
            for it in (theirs, ours):
                it.set_tensor(it.get_input_details()[0]["index"], x)
                it.invoke()
                outs.append(it.get_tensor(it.get_output_details()[0]["index"]))
            assert np.array_equal(outs[1], outs[0]), f"{name}, invoke {k}"


def refused(mutate):
    """The first int8 case of several cells, changed by mutate(builder, lstm
    inputs); Mote's error."""
    for k in range(20):
        rng = np.random.default_rng([21, k, sum(map(ord, OP)), 8])
        b = ModelBuilder()
        unidirectional_sequence_lstm(b, rng)
        if b.tensors[b.operators[0]["inputs"][19]]["shape"][1] > 1:
            break
    mutate(b, b.operators[0]["inputs"])
    with pytest.raises(UnsupportedError) as e:
        Interpreter(model_content=b.build()).allocate_tensors()
    return str(e.value)


def test_refuses_what_it_does_not_run_naming_why():
    def no_intermediates(b, ins):
        del b.operators[0]["intermediates"]
    assert "needs 5 intermediate tensors" in refused(no_intermediates)

    def cell_scale(b, ins):
        b.tensors[ins[19]]["quantization"]["scale"] = np.float32([3e-4])
    assert "power-of-two scale in [2^-15, 2^-9]" in refused(cell_scale)

    def coarse_cell_scale(b, ins):
        b.tensors[ins[19]]["quantization"]["scale"] = np.float32([2.0 ** -8])
    assert "got scale 0.00390625" in refused(coarse_cell_scale)

    def per_channel(b, ins):
        q = b.tensors[ins[4]]["quantization"]
        n = b.tensors[ins[4]]["shape"][0]
        q["scale"] = np.repeat(q["scale"], n)
        q["zero_point"] = np.zeros(n, np.int64)
    assert "symmetric, per tensor" in refused(per_channel)

    def relu(b, ins):
        b.operators[0]["builtin_options"][1]["fused_activation_function"] = "RELU"
    assert "applies TANH only" in refused(relu)

    def projection(b, ins):
        n = b.tensors[ins[19]]["shape"][1]
        ins[16] = b.add_constant("projection", np.ones((n, n), np.int8),
                                 quantization={"scale": [0.01], "zero_point": [0]})
    assert "with a projection" in refused(projection)
