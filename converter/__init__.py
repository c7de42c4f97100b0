"""Mote's converter: import a model, freeze and optimize it, quantize it, write
a .tflite flatbuffer. Entry point: convert()."""
from .convert import convert

__all__ = ["convert"]
