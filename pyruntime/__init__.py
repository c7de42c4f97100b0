"""Mote's Python runtime: the C interpreter behind LiteRT's Interpreter API."""
from .errors import (ArenaAllocationError, ArenaTooSmallError, InvalidArgumentError, InvalidModelError, MoteError,
                     MoteRuntimeError, UnsupportedError)
from .interpreter import Interpreter, OpResolverType, kernels, verify

__all__ = ["Interpreter", "OpResolverType", "kernels", "verify", "MoteError", "InvalidModelError", "UnsupportedError",
           "InvalidArgumentError", "ArenaTooSmallError", "ArenaAllocationError",
           "MoteRuntimeError"]
