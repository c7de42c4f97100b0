"""Mote's converter: import a model, freeze and optimize it, quantize it, write
a .tflite flatbuffer. Entry point: convert()."""
from .convert import convert
from .errors import ConversionError

__all__ = ["convert", "ConversionError"]
