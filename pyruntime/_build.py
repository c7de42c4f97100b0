"""cffi API-mode build of the C runtime into ``mote.runtime._mote``
(the folder pyruntime/).

The cdef is the public header itself: the part of ``runtime_c/include/mote.h``
between MOTE_CDEF_BEGIN and MOTE_CDEF_END, so the binding cannot drift from
the C API.
"""
import glob
import os
import re

from cffi import FFI

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join("runtime_c")          # relative: setuptools wants relative sources
HEADER = os.path.join(ROOT, RUNTIME, "include", "mote.h")
THREADPOOL_HEADER = os.path.join(ROOT, RUNTIME, "include", "mote_threadpool.h")


def public_cdef(header_text: str) -> str:
    m = re.search(r"/\* MOTE_CDEF_BEGIN[^\n]*\*/(.*?)/\* MOTE_CDEF_END \*/", header_text, re.S)
    if not m:
        raise RuntimeError(f"{HEADER}: MOTE_CDEF_BEGIN / MOTE_CDEF_END markers not found")
    text = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    return text


ffi = FFI()
for header in (HEADER, THREADPOOL_HEADER):
    with open(header) as f:
        ffi.cdef(public_cdef(f.read()))
sources = sorted(glob.glob(os.path.join(RUNTIME, "src", "*.c")) +
                 glob.glob(os.path.join(RUNTIME, "src", "kernels", "*.c")) +
                 glob.glob(os.path.join(RUNTIME, "src", "compute", "*.c")) +
                 glob.glob(os.path.join(RUNTIME, "src", "threads", "*.c")))
ffi.set_source(
    "mote.runtime._mote",
    '#include "mote.h"\n#include "mote_threadpool.h"',
    sources=sources,
    include_dirs=[os.path.join(RUNTIME, "include"), os.path.join(RUNTIME, "src")],
    # -ffp-contract=off: a multiply then an add stay two roundings under any compiler
    # (clang fuses them by default), as the _ref kernels define the results.
    extra_compile_args=["-std=c99", "-ffp-contract=off", "-O2", "-Wall",
                        "-Werror=implicit-function-declaration"],
    libraries=["m"],
    extra_link_args=["-pthread"],
)
