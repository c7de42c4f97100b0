"""Calibration on Mote's C runtime (converter/activations.py) against the
numpy reference executor it replaces.

Both evaluate the float model in float32 and differ only in the order of
float32 sums, so activation ranges cannot be bit-identical in general (and
the quantized files then differ in the last bits of some scales). What is
checked instead: both engines' ranges lie within a few float32 ulps of the
float64 ranges (the reference executor run in float64: independent of the
C runtime, though not of the reference engine's op code, which is checked
against LiteRT op by op in test_converter_reference.py), and the two int8 files are the same model: the same tensors, ops
and int8 weights, scales within float32 rounding, and outputs within one
int8 step."""
import numpy as np
import pytest

from mote.converter import convert, passes, quantize, reference
from mote.converter.activations import float_activations
from mote.converter.convert import load
from mote.converter.errors import ConversionError
from mote.converter.tflite import flatbuf
from mote.runtime import Interpreter

from conftest import ZOO_MODELS as ZOO, image_like

# float32 has 24 bits: 6e-8 relative per rounding. Ranges come out of a few
# layers of float32 sums; both engines stay within ~5 ulps on the zoo.
RANGE_RTOL = 1e-6


def float64_ranges(g, x) -> dict:
    ranges = {}
    for feed in quantize._samples(g, x):
        for name, v in reference.run(g, feed, dtype=np.float64, keep_all=True).items():
            lo, hi = float(np.min(v)), float(np.max(v))
            old = ranges.get(name)
            ranges[name] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
    return ranges


@pytest.mark.parametrize("pixel_range", ["0..1", "-1..1"])
@pytest.mark.parametrize("model", ZOO, ids=lambda p: p.stem)
def test_runtime_ranges_are_float64_ranges_within_float32_rounding(model, pixel_range):
    g = passes.optimize(load(str(model)))
    x = image_like(g.tensors[g.inputs[0]].shape, 16, seed=1, pixel_range=pixel_range)
    truth = float64_ranges(g, x)
    by_engine = {engine: quantize.calibrate(g, x, engine=engine) for engine in ("reference", "runtime")}
    assert by_engine["runtime"].keys() == by_engine["reference"].keys()
    for engine, ranges in by_engine.items():
        for name, (lo, hi) in ranges.items():
            want = truth[name]
            tol = RANGE_RTOL * max(abs(want[0]), abs(want[1]), 1e-30)
            assert abs(lo - want[0]) <= tol and abs(hi - want[1]) <= tol, \
                f"{engine}: {name}: range [{lo}, {hi}], float64 [{want[0]}, {want[1]}]"


def tensors_by_name(tflite: bytes) -> dict:
    m = flatbuf.decode(tflite)
    out = {}
    for t in m["subgraphs"][0]["tensors"]:
        data = m["buffers"][t["buffer"]].get("data")
        out[t["name"]] = (t, None if data is None else bytes(bytearray(data)))
    return out


@pytest.mark.parametrize("model", ZOO, ids=lambda p: p.stem)
def test_quantized_files_are_the_same_model(model):
    shape = Interpreter(model_content=convert(str(model))).get_input_details()[0]["shape"]
    x = image_like(shape, 16, seed=2)
    files = {e: convert(str(model), "int8", x, io_dtype="int8", calibration_engine=e)
             for e in ("reference", "runtime")}
    a, b = (tensors_by_name(files[e]) for e in ("reference", "runtime"))
    assert a.keys() == b.keys()
    ma, mb = flatbuf.decode(files["reference"]), flatbuf.decode(files["runtime"])
    assert [(o["opcode_index"], list(o["inputs"]), list(o["outputs"])) for o in ma["subgraphs"][0]["operators"]] == \
           [(o["opcode_index"], list(o["inputs"]), list(o["outputs"])) for o in mb["subgraphs"][0]["operators"]]
    for name, (ta, da) in a.items():
        tb, db = b[name]
        assert ta["type"] == tb["type"] and list(ta["shape"]) == list(tb["shape"]), name
        qa, qb = ta.get("quantization") or {}, tb.get("quantization") or {}
        if qa.get("scale") is not None:
            np.testing.assert_allclose(qa["scale"], qb["scale"], rtol=RANGE_RTOL, err_msg=name)
            assert np.max(np.abs(np.asarray(qa["zero_point"]) - qb["zero_point"])) <= 1, name
        if da and ta["type"] == 9:   # INT8 weights do not depend on calibration
            assert da == db, name
        elif da and ta["type"] == 2:   # INT32 bias: b / (input scale * weight scale), rounded
            assert np.max(np.abs(np.frombuffer(da, np.int32).astype(np.int64) -
                                 np.frombuffer(db, np.int32))) <= 1, name
    # On new images the two int8 models give outputs within one int8 step.
    y = image_like(shape, 8, seed=3)
    out = []
    for e in ("reference", "runtime"):
        it = Interpreter(model_content=files[e])
        it.allocate_tensors()
        d_in, d_out = it.get_input_details()[0], it.get_output_details()[0]
        s, z = d_in["quantization"]
        rows = []
        for i in range(len(y)):
            it.set_tensor(d_in["index"], np.clip(np.round(y[i:i + 1] / s) + z, -128, 127).astype(np.int8))
            it.invoke()
            rows.append(it.get_tensor(d_out["index"]).astype(np.int32))
        out.append(np.stack(rows))
    assert np.max(np.abs(out[0] - out[1])) <= 1


def test_auto_calibrates_on_the_runtime(monkeypatch):
    """With the runtime built, "auto" never calls the reference executor."""
    g = passes.optimize(load(str(ZOO[0])))
    x = image_like(g.tensors[g.inputs[0]].shape, 4)
    want = quantize.calibrate(g, x, engine="runtime")
    def refuse(*args, **kwargs):
        raise AssertionError("the reference executor ran")
    monkeypatch.setattr(reference, "run", refuse)
    seen = []
    got = quantize.calibrate(g, x, progress=lambda samples: (seen.append(s) or s for s in samples))
    assert got == want and len(seen) == 4


def test_reference_engine_for_what_the_runtime_does_not_run(monkeypatch):
    g = passes.optimize(load(str(ZOO[0])))
    x = image_like(g.tensors[g.inputs[0]].shape, 2)
    from mote.runtime import errors
    import mote.runtime

    class NoRuntime:
        def __init__(self, *args, **kwargs):
            raise errors.UnsupportedError("op 3 (CONV_2D v9): not supported")
    monkeypatch.setattr(mote.runtime, "Interpreter", NoRuntime)
    assert quantize.calibrate(g, x) == quantize.calibrate(g, x, engine="reference")
    with pytest.raises(ConversionError, match=r"the C runtime cannot run this graph: op 3"):
        quantize.calibrate(g, x, engine="runtime")
    with pytest.raises(ConversionError, match="engine 'numpy'; expected one of"):
        list(float_activations(g, [], engine="numpy"))


@pytest.mark.parametrize("method", ["percentile", "mse"])
def test_methods_that_keep_every_value_agree_across_engines(method):
    """percentile and mse keep each sample's values: the runtime's arrays are
    overwritten by the next invoke, so calibration must copy them."""
    g = passes.optimize(load(str(ZOO[0])))
    x = image_like(g.tensors[g.inputs[0]].shape, 8, seed=4)
    a = quantize.calibrate(g, x, method, engine="reference")
    b = quantize.calibrate(g, x, method, engine="runtime")
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_allclose(b[name], a[name], rtol=1e-5, atol=1e-6, err_msg=name)
