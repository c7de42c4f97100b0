"""Exceptions raised by Mote. Each subclasses both MoteError and the builtin
that fits, so `except ValueError` works the way LiteRT users expect."""


class MoteError(Exception):
    """Base class of every Mote error."""


class InvalidModelError(MoteError, ValueError):
    """The model bytes are malformed (truncated, corrupt, inconsistent)."""


class UnsupportedError(MoteError, ValueError):
    """The model is well-formed but uses an op or type Mote does not run."""


class InvalidArgumentError(MoteError, ValueError):
    """A call got a wrong index, shape, dtype or size."""


class ArenaTooSmallError(MoteError, MemoryError):
    """The arena cannot hold the model (carries the bytes required)."""

    def __init__(self, message: str, required: int = 0):
        super().__init__(message)
        self.required = required


class ArenaAllocationError(MoteError, MemoryError):
    """The machine could not allocate the arena the model needs."""


class MoteRuntimeError(MoteError, RuntimeError):
    """An op failed while running, or invoke() was called when it cannot run
    (before allocate_tensors(), or while another thread runs it)."""
