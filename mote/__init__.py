"""Mote: put trained neural networks on phones and microcontrollers.

    import mote
    tflite = mote.convert("model.onnx", quantize="int8", representative_data=samples)
    it = mote.Interpreter(model_content=tflite)     # tf.lite.Interpreter's names

The parts, each usable alone: mote.converter (import, freeze, optimize,
quantize, write .tflite), mote.runtime (the C runtime's bindings), mote.models
(the numpy/cupy reference path: layers, training, the model zoo). The `mote`
command line (mote.cli) and the tools above them (mote.compare) need the
`tools` extra: pip install "mote[tools]".
"""
from .converter import ConversionError, convert
from .runtime import (Interpreter, MoteError, OpResolverType, kernels, verify)

__all__ = ["Interpreter", "OpResolverType", "MoteError", "ConversionError", "convert", "kernels",
           "verify"]
