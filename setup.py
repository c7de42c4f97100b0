# The C runtime is compiled into the cffi extension mote.runtime._mote at install
# time; see pyruntime/_build.py. Everything else is in pyproject.toml.
from setuptools import setup

setup(cffi_modules=["pyruntime/_build.py:ffi"])
