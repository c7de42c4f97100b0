"""converter.convert: one entry point from a source model to .tflite bytes."""
from __future__ import annotations

import os

import numpy as np

from . import ir, passes, quantize
from .errors import ConversionError
from .importers.tflite import import_tflite
from .quantize16 import to_int16x8
from .tflite.writer import write_tflite

MODES = ("none", "float16", "dynamic", "int8", "int16x8")
# The modes that calibrate activation ranges (their options are int8's).
FULL_INTEGER = ("int8", "int16x8")
# How int8 activation ranges are chosen unless the caller says (converter/ranges.py):
# "auto" for int8 (percentile or mse ranges, with or without bias correction,
# whichever int8 model is nearest the float one on the first calibration samples): above
# minmax on the peer benchmark's mean and at about ai-edge-quantizer's conversion time
# (README, "Quantization quality against the peers"). 16x8's int16 activations have
# steps fine enough that clipping only adds error: minmax.
DEFAULT_METHOD = "auto"
DEFAULT_METHODS = {"int8": DEFAULT_METHOD, "int16x8": "minmax"}


def default_method(quantize: str) -> str:
    """The calibration method of mode `quantize` when the caller names none."""
    return DEFAULT_METHODS.get(quantize, DEFAULT_METHOD)


def load(source) -> ir.Graph:
    """An IR graph from a path (.tflite, .onnx, a trained graph .npz), .tflite
    bytes, an onnx.ModelProto, or a Graph."""
    if isinstance(source, ir.Graph):
        return source
    if type(source).__name__ == "ModelProto":
        from .importers.onnx import import_onnx
        return import_onnx(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return import_tflite(bytes(source))
    path = os.fspath(source)
    if not os.path.exists(path):
        raise FileNotFoundError(f"model file not found: {path!r}")
    ext = os.path.splitext(path)[1].lower()
    if ext == ".tflite":
        with open(path, "rb") as f:
            return import_tflite(f.read())
    if ext == ".onnx":
        from .importers.onnx import import_onnx
        return import_onnx(path)
    if ext == ".npz":
        from .importers.mote_graph import import_trained_graph
        return import_trained_graph(path)
    raise ConversionError(f"{path!r}: unsupported source format {ext or '(no extension)'!r}; "
                     f"expected .tflite, .onnx or a Mote trained graph (.npz)")


def convert(source, quantize: str = "none", representative_data=None, per_channel: bool = True,
            io_dtype: str = "float32", calibration: str | None = None, progress=None,
            float_fallback: bool = False, calibration_engine: str = "auto",
            bias_correction: bool | None = None, equalize: bool | None = None,
            keep_float=(), adaround: bool | None = None, xp=None) -> bytes:
    """Converts `source` to .tflite bytes.

    quantize: "none", "float16", "dynamic" (int8 weights), "int8" (full
    integer, needs representative_data: an array [N, ...] of input samples, or
    a dict of such arrays per input name) or "int16x8" (TFLite's 16x8: int16
    activations, int8 weights, int64 bias, for the ops that have such kernels;
    the rest int8, with int8 <-> int16 QUANTIZE ops between; calibrated and
    optioned as "int8"). io_dtype applies to both: float32 inputs/outputs
    (QUANTIZE/DEQUANTIZE at the edges) or int8. calibration:
    "minmax", "percentile", "mse" (the clipping with least quantization
    error), "kl" or "auto" (percentile or mse ranges for the whole model,
    whichever int8 model is nearest the float one on the first calibration
    samples); default (None): "auto" for int8, "minmax" for int16x8.
    bias_correction: each layer's bias absorbs the mean output shift its
    int8 weights cause on the calibration data (default: off; under "auto",
    chosen with the ranges by the same check). float_fallback keeps ops
    without int8 kernels in float between DEQUANTIZE and QUANTIZE instead of
    refusing them. adaround ("int8" only): int8 weights rounded up or down as
    AdaRound learns on the calibration data (converter/adaround.py; default
    off), computed with the array module xp (numpy by default;
    mote.models.backend.xp is cupy on a GPU). calibration_engine
    runs the float model on the calibration data: "runtime" (Mote's C
    runtime, fast), "reference" (the numpy executor) or "auto" (the runtime
    where it runs every op; see converter/activations.py).
    """
    if quantize not in MODES:
        raise ConversionError(f"quantize={quantize!r}; expected one of {MODES}")
    for flag, value in (("bias_correction", bias_correction), ("equalize", equalize),
                        ("keep_float", keep_float)):
        if value and quantize not in FULL_INTEGER:
            raise ConversionError(f"{flag}={value!r} applies to quantize='int8' or 'int16x8', "
                                  f"not {quantize!r}")
    if adaround and quantize != "int8":
        raise ConversionError(f"adaround={adaround!r} applies to quantize='int8', not "
                              f"{quantize!r}")
    calibration = default_method(quantize) if calibration is None else calibration
    if quantize in FULL_INTEGER:   # bias correction: off, or under "auto" as the check samples say
        bias_correction = bias_correction if calibration == "auto" else bias_correction is True
        equalize = equalize is not False
    g = passes.optimize(load(source))
    if equalize:
        g = passes.equalize_layers(g)
    if quantize in FULL_INTEGER:
        q = _quantize.quantize_int8(g, representative_data, per_channel, io_dtype, calibration,
                                    progress, float_fallback, calibration_engine,
                                    bias_correction, keep_float,
                                    adaround=adaround is True, xp=np if xp is None else xp)
        if quantize == "int16x8":
            q = to_int16x8(q)
        g = q
    elif quantize in ("dynamic", "float16"):
        g = _quantize.quantize_weights(g, quantize, per_channel)
    return write_tflite(g)


_quantize = quantize
