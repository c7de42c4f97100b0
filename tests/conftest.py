import os
import pathlib
import shutil

import numpy as np
import pytest

from mote.runtime import Interpreter


def run_mote(model: bytes, inputs, **kwargs):
    it = Interpreter(model_content=model, **kwargs)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def run_litert(model: bytes, inputs, reference_kernels: bool = False):
    from ai_edge_litert import interpreter as litert
    kwargs = {}
    if reference_kernels:
        kwargs["experimental_op_resolver_type"] = litert.OpResolverType.BUILTIN_REF
    it = litert.Interpreter(model_content=model, **kwargs)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def assert_bit_exact(model: bytes, inputs, what: str) -> None:
    """Mote's outputs byte-equal to LiteRT's reference kernels (BUILTIN_REF)."""
    want = run_litert(model, inputs, reference_kernels=True)
    got = run_mote(model, inputs)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype and g.shape == w.shape, (what, i, g.dtype, w.dtype)
        bad = np.flatnonzero(g.ravel() != w.ravel())
        assert bad.size == 0, (f"{what} output {i}: {bad.size} of {g.size} elements differ; "
                               f"first at {bad[0]}: Mote {g.ravel()[bad[0]]}, "
                               f"LiteRT {w.ravel()[bad[0]]}")


def missing_tool(what: str) -> None:
    """A test's system tool is absent: outside CI it skips, saying what is
    missing; in CI (.ci/run sets CI=true, and installs every tool) it fails."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must install {what} (see .ci/run)")
    pytest.skip(f"{what} not installed")


def need(*tools):
    """Skip (fail in CI) unless every command in `tools` is on the PATH."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        missing_tool(", ".join(missing))


@pytest.fixture(scope="session")
def litert_available():
    pytest.importorskip("ai_edge_litert.interpreter")
    return True


# Every model of the shipped zoo: the trained graphs and the random-weight example.
ZOO_MODELS = [pathlib.Path(__file__).resolve().parent.parent / "models" / "zoo" / name for name in
              ("mobilenet_style.npz", "small_cnn.npz", "mlp.npz", "softmax_regression.npz",
               "example_cnn.tflite")]


def image_like(shape, n, seed=0, pixel_range="0..1"):
    """n samples of a model input of `shape` ([1, ...]) as images give them:
    8-bit pixels k mapped to k/255 ("0..1") or k/127.5 - 1 ("-1..1")."""
    k = np.random.default_rng(seed).integers(0, 256, (n,) + tuple(shape[1:]))
    return (k / 255.0 if pixel_range == "0..1" else k / 127.5 - 1.0).astype(np.float32)
