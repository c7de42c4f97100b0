"""The converter's one exception type. Every source model or argument the
converter refuses raises ConversionError (a ValueError) with a message that
says what was given and what was expected, naming the op, node or tensor."""


class ConversionError(ValueError):
    """A model or a convert() argument that the converter cannot convert."""
