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


@pytest.fixture(scope="session")
def litert_available():
    pytest.importorskip("ai_edge_litert.interpreter")
    return True
