"""The converter's IR: .tflite import/export round trip and the float64
reference executor against LiteRT on the random one-op models."""
import numpy as np
import pytest

from conftest import run_litert, run_mote
from mote.converter import reference
from mote.converter.importers.tflite import import_tflite
from mote.converter.tflite.writer import write_tflite
from mote.models.zoo import make_example
from op_cases import FLOAT_OPS, float_cases


@pytest.mark.parametrize("op", sorted(FLOAT_OPS))
def test_reference_executor_matches_litert(op, litert_available):
    # float64 reference vs LiteRT's float32: the float32 rounding of LiteRT is
    # the whole difference, so the float kernel tolerance applies.
    for name, model, inputs in float_cases(op, 30):
        g = import_tflite(model)
        got = list(reference.run(g, dict(zip(g.inputs, inputs))).values())
        for r, want in zip(got, run_litert(model, inputs)):
            if want.dtype == np.bool_:   # comparisons: exact
                assert r.shape == want.shape and np.array_equal(r, want), name
                continue
            scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
            assert r.shape == want.shape and np.max(np.abs(r - want), initial=0) <= 1e-5 * scale, name


def test_import_write_round_trip_runs_identically():
    data = make_example.OUT.read_bytes()
    again = write_tflite(import_tflite(data))
    x = np.random.default_rng(0).standard_normal((1, 8, 8, 1)).astype(np.float32)
    np.testing.assert_array_equal(run_mote(data, [x])[0], run_mote(again, [x])[0])


def test_import_refuses_quantized_models():
    from op_cases_int8 import int8_cases
    _, model, _ = next(int8_cases("FULLY_CONNECTED", 1))
    with pytest.raises(ValueError, match="already quantized"):
        import_tflite(model)
