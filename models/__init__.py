"""The reference path: array code on numpy or cupy, and the model zoo."""
