"""quantize="int16x8": whole converted models (TFLite's 16x8 mode: int16
activations, int8 weights, int64 bias) run bit-exact with LiteRT's reference
kernels, in full 16x8 and mixed with int8; and they are closer to the float
model than int8."""
import zipfile

import numpy as np
import pytest

from conftest import image_like, run_litert, run_mote
from mote.converter import ConversionError, passes, quantize
from mote.converter.convert import convert, load
from mote.converter.quantize16 import layers_16x8, to_int16x8
from mote.converter.tflite import flatbuf
from mote.converter.tflite.writer import write_tflite
from test_converted_models import ROOT, THIRD_PARTY, third_party_wheel

ZOO = ROOT / "models" / "zoo"


def op_types(model: bytes):
    """[(op name, output type name)] in order."""
    from mote.converter.tflite import schema
    m = flatbuf.decode(model)
    sg, codes = m["subgraphs"][0], m["operator_codes"]
    names = {v: k for k, v in schema.load().enums["BuiltinOperator"].values.items()}
    out = []
    for o in sg["operators"]:
        c = codes[o["opcode_index"]]
        code = max(c.get("builtin_code", 0), c.get("deprecated_builtin_code", 0))
        out.append((names.get(code, code), sg["tensors"][o["outputs"][0]]["type"]))
    return out


def assert_bit_exact(model: bytes, inputs, what: str):
    want = run_litert(model, inputs, reference_kernels=True)
    got = run_mote(model, inputs)
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype and g.shape == w.shape, (what, g.dtype, w.dtype)
        bad = np.flatnonzero(g.ravel() != w.ravel())
        assert bad.size == 0, (f"{what}, output {k}: {bad.size} of {g.size} values differ "
                               f"(first: Mote {g.ravel()[bad[0]]}, LiteRT {w.ravel()[bad[0]]})")


def sqnr_db(model: bytes, float_model: bytes, xs) -> float:
    """Output SQNR of `model` against `float_model`, both run by LiteRT."""
    signal = noise = 0.0
    for x in xs:
        f = run_litert(float_model, [x[None]])[0].astype(np.float64)
        q = run_litert(model, [x[None]], reference_kernels=True)[0].astype(np.float64)
        signal += float(np.sum(f ** 2))
        noise += float(np.sum((f - q) ** 2))
    return 10 * np.log10(signal / max(noise, 1e-30))


INT16 = 7   # TensorType INT16


@pytest.mark.parametrize("name", ["small_cnn", "mobilenet_style", "mlp"])
@pytest.mark.parametrize("pixel_range", ["0..1", "-1..1"])
def test_zoo_int16x8_bit_exact_with_litert(name, pixel_range, litert_available):
    source = str(ZOO / f"{name}.npz")
    x = image_like([1, 8, 8, 1], 16, seed=1, pixel_range=pixel_range)
    for io_dtype in ("float32", "int8"):
        model = convert(source, "int16x8", x, io_dtype=io_dtype)
        kinds = op_types(model)
        computed = [t for op, t in kinds if op not in ("QUANTIZE", "DEQUANTIZE")]
        assert computed and all(t == INT16 for t in computed), kinds   # every op in 16x8
        for k, xi in enumerate(image_like([1, 8, 8, 1], 6, seed=7, pixel_range=pixel_range)):
            if io_dtype == "int8":
                from mote.runtime import Interpreter
                s, z = Interpreter(model_content=model).get_input_details()[0]["quantization"]
                xi = np.clip(np.round(xi / np.float32(s)) + z, -128, 127).astype(np.int8)
            assert_bit_exact(model, [xi[None]], f"{name} {io_dtype} I/O sample {k}")


def test_int16x8_is_closer_to_float_than_int8(litert_available):
    source = str(ZOO / "mobilenet_style.npz")
    calibration = image_like([1, 8, 8, 1], 32, seed=1)
    xs = image_like([1, 8, 8, 1], 32, seed=9)
    float_model = convert(source)
    int8 = sqnr_db(convert(source, "int8", calibration), float_model, xs)
    int16 = sqnr_db(convert(source, "int16x8", calibration), float_model, xs)
    assert int16 > int8, (int8, int16)


def test_mixed_layers_requantize_at_the_boundaries(litert_available):
    """Every other layer in 16x8, the rest int8: QUANTIZE ops move values
    between int8 and int16, and LiteRT runs the file as Mote does."""
    g = passes.optimize(load(str(ZOO / "mobilenet_style.npz")))
    x = image_like([1, 8, 8, 1], 16, seed=1)
    q = quantize.quantize_int8(g, x)
    chosen = layers_16x8(q)[::2]
    mixed = write_tflite(to_int16x8(q, chosen))
    kinds = op_types(mixed)
    requantize = [t for op, t in kinds if op == "QUANTIZE"]
    assert INT16 in requantize and 9 in requantize[1:], kinds   # both directions inside
    assert sum(t == INT16 for op, t in kinds if op != "QUANTIZE") >= len(chosen)
    for k, xi in enumerate(image_like([1, 8, 8, 1], 6, seed=3)):
        assert_bit_exact(mixed, [xi[None]], f"mixed sample {k}")


def test_layers_that_cannot_run_in_16x8_are_named():
    g = passes.optimize(load(str(ZOO / "small_cnn.npz")))
    q = quantize.quantize_int8(g, image_like([1, 8, 8, 1], 4))
    with pytest.raises(ConversionError, match=r"\['nope'\] cannot run in 16x8 here"):
        to_int16x8(q, ["nope"])
    with pytest.raises(ConversionError, match="bias_correction=True applies to quantize='int8' "
                                              "or 'int16x8', not 'dynamic'"):
        convert(str(ZOO / "small_cnn.npz"), "dynamic", bias_correction=True)


def test_softmax_model_runs_in_16x8_end_to_end(litert_available):
    """The zoo's example CNN ends in SOFTMAX: in 16x8 every op computes in
    int16, the SOFTMAX output has TFLite's fixed 1/32768, 0, and LiteRT's
    reference kernels give the same bytes on image-like inputs."""
    source = str(ZOO / "example_cnn.tflite")
    for pixel_range in ("0..1", "-1..1"):
        for io_dtype in ("float32", "int8"):
            model = convert(source, "int16x8", image_like([1, 8, 8, 1], 16, seed=1,
                                                          pixel_range=pixel_range),
                            io_dtype=io_dtype)
            kinds = op_types(model)
            assert [k for k in kinds if k[0] != "QUANTIZE" and k[1] != INT16] in (
                [], [("DEQUANTIZE", 0)]), kinds
            assert ("SOFTMAX", INT16) in kinds, kinds
            from mote.runtime import Interpreter
            it = Interpreter(model_content=model)
            sg = flatbuf.decode(model)["subgraphs"][0]
            softmax = sg["operators"][[op for op, _ in kinds].index("SOFTMAX")]
            q = sg["tensors"][softmax["outputs"][0]]["quantization"]
            assert list(q["scale"]) == [2 ** -15] and list(q["zero_point"]) == [0], q
            for k, xi in enumerate(image_like([1, 8, 8, 1], 4, seed=7, pixel_range=pixel_range)):
                if io_dtype == "int8":
                    s, z = it.get_input_details()[0]["quantization"]
                    xi = np.clip(np.round(xi / np.float32(s)) + z, -128, 127).astype(np.int8)
                assert_bit_exact(model, [xi[None]], f"example_cnn {io_dtype} {pixel_range} {k}")


def gated_model(gate_gain: float = 1.0) -> bytes:
    """A float model with TANH, LOGISTIC (gating a MUL) and two SOFTMAXes,
    one after a RESHAPE, joined by a CONCATENATION; the LOGISTIC's input
    layer has its weights times gate_gain."""
    from mote.converter.tflite.builder import ModelBuilder
    rng = np.random.default_rng(0)
    b = ModelBuilder()
    x = b.add_input("x", [1, 16], "float32")

    def fc(name, inp, n_in, n_out, shape=None, gain=1.0):
        w = (rng.standard_normal((n_out, n_in)) * 2 * gain / np.sqrt(n_in)).astype(np.float32)
        bias = (rng.standard_normal(n_out) * 0.3).astype(np.float32)
        y = b.add_tensor(name, [1, n_out], "float32")
        b.add_operator("FULLY_CONNECTED", [inp, b.add_constant(name + "/w", w),
                                           b.add_constant(name + "/b", bias)], [y])
        if shape is None:
            return y
        r = b.add_tensor(name + "/r", shape, "float32")
        b.add_operator("RESHAPE", [y, b.add_constant(name + "/shape", np.array(shape, np.int32))],
                       [r], {"new_shape": shape})
        return r

    def unary(op, name, inp, shape, options=None):
        y = b.add_tensor(name, shape, "float32")
        b.add_operator(op, [inp], [y], options)
        return y

    t = unary("TANH", "tanh", fc("fc1", x, 16, 12), [1, 12])
    gate = unary("LOGISTIC", "gate", fc("fc2", t, 12, 12, gain=gate_gain), [1, 12])
    gated = b.add_tensor("gated", [1, 12], "float32")
    b.add_operator("MUL", [t, gate], [gated])
    r = b.add_tensor("gated/r", [1, 3, 4], "float32")
    b.add_operator("RESHAPE", [gated, b.add_constant("shape", np.array([1, 3, 4], np.int32))],
                   [r], {"new_shape": [1, 3, 4]})
    p1 = unary("SOFTMAX", "p1", r, [1, 3, 4], {"beta": 1.0})
    p2 = unary("SOFTMAX", "p2", fc("fc3", t, 12, 4, [1, 1, 4]), [1, 1, 4], {"beta": 0.5})
    out = b.add_tensor("probs", [1, 4, 4], "float32")
    b.add_operator("CONCATENATION", [p1, p2], [out], {"axis": 1})
    b.mark_outputs(out)
    return b.build()


def test_tanh_logistic_softmax_model_runs_in_16x8(litert_available):
    """TANH, LOGISTIC and SOFTMAX compute in int16 (outputs 1/32768, 0), the
    movers after them follow, a CONCATENATION input of another quantization
    is requantized int16 -> int16; bit-exact with LiteRT's reference kernels
    and within 40 dB SQNR of the float model (about 47)."""
    from mote.runtime import Interpreter
    fm = gated_model()
    rng = np.random.default_rng(1)
    calibration = (rng.standard_normal((32, 1, 16)) * 1.5).astype(np.float32)
    xs = (rng.standard_normal((16, 16)) * 1.5).astype(np.float32)
    model = convert(fm, "int16x8", calibration)
    kinds = op_types(model)
    for op in ("TANH", "LOGISTIC", "SOFTMAX", "MUL", "RESHAPE", "CONCATENATION"):
        assert (op, INT16) in kinds, (op, kinds)
    fixed = {d["name"]: d["quantization"] for d in
             Interpreter(model_content=model).get_tensor_details()}
    assert all(fixed[n] == (2 ** -15, 0) for n in ("tanh", "gate", "p1", "p2")), fixed
    assert fixed["p1/requantized"] == fixed["probs/int16"] != fixed["p1"], fixed
    for k, x in enumerate(xs[:6]):
        assert_bit_exact(model, [x[None]], f"gated model sample {k}")
    assert sqnr_db(model, fm, xs) > 40


def test_activation_whose_input_scale_int16_cannot_take_stays_int8():
    """A LOGISTIC whose input spans more than +-174762 (an int16 scale above
    65536 / 12288, past what TFLite's int16 kernel rescales in int32) is not
    a 16x8 layer: the automatic choice leaves it int8, naming it is an error."""
    g = passes.optimize(load(gated_model(gate_gain=2e5)))
    q = quantize.quantize_int8(g, (np.random.default_rng(1).standard_normal((8, 1, 16)) * 1.5)
                               .astype(np.float32))
    capable = layers_16x8(q)
    assert "tanh" in capable and "gate" not in capable, capable
    with pytest.raises(ConversionError, match=r"\['gate'\] cannot run in 16x8 here"):
        to_int16x8(q, ["gate"])
    gate = next(n for n in to_int16x8(q).nodes if n.op == "LOGISTIC")
    assert gate.outputs[0] == "gate" and q.tensors["gate"].dtype == "int8"


def mediapipe(member: str) -> bytes:
    requirement = "mediapipe==0.10.14"
    with zipfile.ZipFile(third_party_wheel(requirement, THIRD_PARTY[requirement])) as wheel:
        return wheel.read(member)


@pytest.mark.parametrize("member, pixel_range", [
    ("mediapipe/modules/face_detection/face_detection_short_range.tflite", "-1..1"),
    ("mediapipe/modules/hand_landmark/hand_landmark_lite.tflite", "0..1")])
def test_mediapipe_int16x8_bit_exact_with_litert(member, pixel_range, litert_available):
    model = mediapipe(member)
    from ai_edge_litert import interpreter as litert
    shape = litert.Interpreter(model_content=model).get_input_details()[0]["shape"]
    q = convert(model, "int16x8", image_like(shape, 4, pixel_range=pixel_range),
                float_fallback=True)
    kinds = op_types(q)
    assert sum(t == INT16 for _, t in kinds) > 30, kinds
    if "hand_landmark" in member:   # its handedness and presence outputs
        assert ("LOGISTIC", INT16) in kinds, kinds
    for k, xi in enumerate(image_like(shape, 2, seed=5, pixel_range=pixel_range)):
        assert_bit_exact(q, [xi[None]], f"{member} sample {k}")


def test_budget_keeps_sensitive_layers_in_16x8_before_float(litert_available):
    """fallback="int16x8": mobilenet_style's int8 model reaches about 33 dB on
    the digits test images, its all-16x8 model about 38; a 36 dB budget is met
    with layers in 16x8 alone, checked by LiteRT on the file it returns, and
    costs less size than the float fallback does."""
    from mote.budget import quantize_within_budget
    from mote.models import datasets
    (x_train, _), (x_test, _) = datasets.digits()
    ev = x_test[:100]
    sixteen = quantize_within_budget(str(ZOO / "mobilenet_style.npz"), x_train[:100], ev,
                                     min_sqnr=36.0, fallback="int16x8")
    assert sixteen.met and sixteen.int16_layers and not sixteen.float_layers, str(sixteen)
    assert "in 16x8 (int16 activations)" in str(sixteen)
    float_model = convert(str(ZOO / "mobilenet_style.npz"))
    assert sqnr_db(sixteen.model, float_model, ev) >= 36.0
    kinds = op_types(sixteen.model)
    assert sum(t == INT16 for op, t in kinds if op != "QUANTIZE") >= len(sixteen.int16_layers)
    plain = quantize_within_budget(str(ZOO / "mobilenet_style.npz"), x_train[:100], ev,
                                   min_sqnr=36.0)
    assert plain.met and plain.float_layers and not plain.int16_layers
    assert len(sixteen.model) < len(plain.model), (len(sixteen.model), len(plain.model))
    with pytest.raises(ConversionError, match="fallback='int4'; expected 'float' or 'int16x8'"):
        quantize_within_budget(str(ZOO / "mobilenet_style.npz"), x_train[:10], ev[:10],
                               min_sqnr=36.0, fallback="int4")


@pytest.mark.parametrize("extra, message", [
    (["--quantize", "int16x8", "--fallback", "int16x8"],
     "--fallback applies to --quantize int8, not int16x8"),
    (["--quantize", "int8", "--calibration", "digits", "--fallback", "int16x8"],
     "--fallback applies to --max-drop or --min-sqnr")])
def test_cli_fallback_mistakes_are_one_line(capsys, tmp_path, extra, message):
    from mote.cli import main
    rc = main(["convert", str(ZOO / "small_cnn.npz"), "-o", str(tmp_path / "m.tflite"), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc != 0 and len(err) == 1 and message in err[0], err


def test_cli_converts_int16x8(tmp_path, litert_available):
    from mote.cli import main
    out = tmp_path / "m.tflite"
    assert main(["convert", str(ZOO / "small_cnn.npz"), "-o", str(out), "--quantize", "int16x8",
                 "--calibration", "digits"]) == 0
    kinds = op_types(out.read_bytes())
    assert ("CONV_2D", INT16) in kinds and ("FULLY_CONNECTED", INT16) in kinds, kinds
    x = image_like([1, 8, 8, 1], 1, seed=3)
    assert_bit_exact(out.read_bytes(), [x], "mote convert --quantize int16x8")


def test_int64_bias_is_the_float_bias_over_input_times_weight_scale():
    """Each 16x8 layer's int64 bias is round(b / (s_in16 * s_w[c])) of the float
    model's bias (not the int32 one requantized; no bias correction here), the int16 input scale
    covering the int8 one's range / 32767."""
    g = passes.optimize(load(str(ZOO / "small_cnn.npz")))
    q16 = to_int16x8(quantize.quantize_int8(g, image_like([1, 8, 8, 1], 8)))
    float_bias = {n.outputs[0]: np.asarray(g.tensors[n.inputs[2]].data, np.float64)
                  for n in g.nodes if n.op in ("CONV_2D", "FULLY_CONNECTED")}
    checked = 0
    for n in q16.nodes:
        if n.op not in ("CONV_2D", "FULLY_CONNECTED"):
            continue
        x, w, b = (q16.tensors[i] for i in n.inputs[:3])
        assert x.dtype == "int16" and x.quant["zero_point"] == [0] and b.dtype == "int64"
        scale = np.float32(x.quant["scale"][0]) * np.asarray(w.quant["scale"], np.float32)
        want = np.round(float_bias[n.outputs[0].rsplit("/int16", 1)[0]] /
                        scale.astype(np.float32).astype(np.float64))
        np.testing.assert_array_equal(b.data, want.astype(np.int64))
        checked += 1
    assert checked == 3
