"""Flash (text: code and read-only data) of a Cortex-M firmware build, by
part, from the linker's map file, checked against Mote's size budget.

    python3 size_report.py build/messages/firmware.map [--no-messages]

Parts: core (runtime_c/src/*.c: flatbuffer reader, verifier, create,
planner, arena, accessors, invoke, names and messages), op support (the
helpers of src/ that only ops call: kernel_util, quant_util, fixed_point),
ops (the op glue and compute functions of src/kernels and src/compute),
C library (newlib-nano, libm, libgcc) and the firmware (startup, example,
model array). Only what the linker kept counts (per-function sections,
--gc-sections); strings merged across objects count once.

Budget: core <= 16 KB with messages (issue 12), <= 12 KB with -DMOTE_NO_MESSAGES;
the ops of the int8 digits CNN (CONV_2D, FULLY_CONNECTED, MAX_POOL_2D,
QUANTIZE, DEQUANTIZE, RESHAPE) with their support <= 24 KB; and no printf
family function linked at all. Exits 1 when the build is over budget.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[2]
KB = 1024
# messages on / off (issue 12)
CORE_BUDGET = {True: 16 * KB, False: 12 * KB}
OPS_BUDGET = 24 * KB
PRINTF_FAMILY = re.compile(r"^_?(v?s?n?printf|v?fprintf|_?vfprintf_r|_?svfprintf_r|_?printf_i"
                           r"|_?vfiprintf_r|_?svfiprintf_r)$")
# An input section line of the map: [name] address size file (a long name
# sits alone on the line before).
SECTION = re.compile(r"^ (\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")
TEXT_OUTPUTS = (".text", ".ARM.exidx", ".rodata")


# Helpers in src/ that only ops call (shape and type checks, the choice of
# compute function, quantization parameters, fixed-point requantization):
# linked only with ops that use them, so they count with the ops.
OP_SUPPORT = {"kernel_util.o", "quant_util.o", "fixed_point.o"}


def _objects(folder: str) -> set:
    return {p.stem + ".o" for p in (RUNTIME / "src" / folder).glob("*.c")}


def part_of(file: str, core: set, ops: set) -> str:
    member = re.search(r"\(([^)]+)\)$", file)
    if "libmote.a" in file and member:
        name = member.group(1)
        return ("op support" if name in OP_SUPPORT else "core" if name in core
                else "ops" if name in ops else "unknown")
    if re.search(r"lib(c|m|g|gcc|c_nano|m_nano|nosys)\.a|crt", file):
        return "C library"
    return "firmware"


def measure(map_text: str) -> tuple[dict, list]:
    """({part: bytes of text}, [names of printf family symbols linked])."""
    core, ops = _objects("."), _objects("kernels") | _objects("compute")
    sizes = {"core": 0, "op support": 0, "ops": 0, "C library": 0, "firmware": 0, "unknown": 0}
    memory_map = map_text.split("Linker script and memory map", 1)[-1]
    output, end = None, 0
    for line in memory_map.splitlines():
        top = re.match(r"^(\.\S+)", line)
        if top:
            output = top.group(1)
            continue
        m = SECTION.match(line)
        if output in TEXT_OUTPUTS and m:
            # Merged string sections overlap in the map: count each byte once.
            start, size = int(m.group(2), 16), int(m.group(3), 16)
            sizes[part_of(m.group(4), core, ops)] += max(0, start + size - max(start, end))
            end = max(end, start + size)
    symbols = re.findall(r"^\s+0x[0-9a-f]+\s+(\S+)$", memory_map, flags=re.M)
    printf = sorted({s for s in symbols if PRINTF_FAMILY.match(s)})
    return sizes, printf


def check(sizes: dict, printf: list, messages: bool) -> list:
    """The budget lines that are exceeded."""
    over = []
    if sizes["core"] > CORE_BUDGET[messages]:
        over.append(f"core {sizes['core']} bytes > {CORE_BUDGET[messages]} "
                    f"(messages {'on' if messages else 'off'})")
    ops = sizes["ops"] + sizes["op support"]
    if ops > OPS_BUDGET:
        over.append(f"ops with their support {ops} bytes > {OPS_BUDGET}")
    if printf:
        over.append(f"printf family linked: {', '.join(printf)}")
    return over


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("map", help="the firmware's linker map (firmware.map)")
    parser.add_argument("--no-messages", action="store_true",
                        help="the build has -DMOTE_NO_MESSAGES (the 12 KB core budget)")
    args = parser.parse_args(argv)
    try:
        text = Path(args.map).read_text()
    except OSError as e:
        print(f"size_report: cannot read {args.map!r}: {e.strerror or e}", file=sys.stderr)
        return 2
    sizes, printf = measure(text)
    for part, n in sizes.items():
        if n or part != "unknown":
            print(f"{part:10s} {n:7d} bytes")
    over = check(sizes, printf, messages=not args.no_messages)
    for line in over:
        print(f"over budget: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
