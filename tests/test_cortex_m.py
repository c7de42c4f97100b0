"""The Cortex-M port (runtime_c/ports/cortex_m): firmware for qemu's
mps2-an386 board (Cortex-M4F) built with arm-none-eabi-gcc from the sources
`mote codegen` writes, run under qemu-system-arm with semihosting. Its
outputs must equal the host runtime's (Python binding, portable kernels) on
the same inputs: int8 byte for byte, float32 bit for bit. The flash size
budget is checked by the port's size script. Outside CI a missing toolchain
skips these tests; in CI (CI=true) it fails, since .ci/run installs it."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import need
from mote import cli
from mote.converter import convert
from mote.models import datasets
from mote.runtime.interpreter import Interpreter, OpResolverType

ROOT = Path(__file__).resolve().parents[1]
PORT = ROOT / "runtime_c" / "ports" / "cortex_m"
ZOO = ROOT / "models" / "zoo"
QEMU_SECONDS = 120


def need_toolchain():
    need("arm-none-eabi-gcc", "arm-none-eabi-objdump", "qemu-system-arm", "make")


def digits_int8(name: str) -> bytes:
    """The int8 digits zoo model, as `mote convert NAME.npz --quantize int8
    --calibration digits` writes it."""
    (x_train, _), _ = datasets.digits()
    return convert(str(ZOO / f"{name}.npz"), quantize="int8", representative_data=x_train[:200])


MODELS = {
    "small_cnn int8": lambda: digits_int8("small_cnn"),
    "mobilenet_style int8": lambda: digits_int8("mobilenet_style"),
    "example_cnn float32": lambda: (ZOO / "example_cnn.tflite").read_bytes(),
}


def firmware_inputs(it: Interpreter) -> list:
    """The inputs example_main.c fills in: float pixel ramps k/255 (k = i mod
    256), other types the bytes of a linear congruential generator."""
    state, out = 1, []
    for d in it.get_input_details():
        n = int(np.prod(d["shape"]))
        if np.dtype(d["dtype"]) == np.float32:
            x = (np.arange(n) % 256).astype(np.float32) / np.float32(255)
        else:
            raw = bytearray()
            for _ in range(n * np.dtype(d["dtype"]).itemsize):
                state = (state * 1103515245 + 12345) & 0xFFFFFFFF
                raw.append(state >> 24)
            x = np.frombuffer(bytes(raw), d["dtype"])
        out.append(x.reshape(d["shape"]))
    return out


def host_outputs(model: bytes) -> list:
    it = Interpreter(model_content=model, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), firmware_inputs(it)):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def codegen(model: bytes, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "input.tflite").write_bytes(model)
    assert cli.main(["codegen", str(folder / "input.tflite"), "-o", str(folder),
                     "--name", "model"]) == 0
    return folder


def build(model_dir: Path, build_dir: Path, **options) -> Path:
    args = [f"{k}={v}" for k, v in options.items()]
    r = subprocess.run(["make", "-C", str(PORT), f"MODEL_DIR={model_dir}", f"BUILD={build_dir}",
                        *args], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"firmware build failed:\n{(r.stdout + r.stderr)[-4000:]}"
    return build_dir / "firmware.elf"


def run_qemu(elf: Path, board: str = "mps2-an386", log: Path | None = None) -> str:
    """The firmware's console; with `log`, qemu also writes there the code it
    translated, each block headed "IN: <function>" (code runs only after
    translation: a function named there has run)."""
    trace = ["-d", "in_asm", "-D", str(log)] if log else []
    r = subprocess.run(["qemu-system-arm", "-M", board, "-nographic", "-semihosting", *trace,
                        "-kernel", str(elf)], capture_output=True, text=True,
                       timeout=QEMU_SECONDS)
    # qemu writes the semihosting console to its stderr.
    assert r.returncode == 0, f"firmware failed (exit {r.returncode}):\n{r.stdout}{r.stderr}"
    return r.stdout + r.stderr


def firmware_outputs(text: str, expected: list) -> list:
    found = dict(re.findall(r"^output (\d+) ([0-9a-f]*)$", text, flags=re.M))
    assert len(found) == len(expected), f"expected {len(expected)} outputs, got:\n{text}"
    return [np.frombuffer(bytes.fromhex(found[str(i)]), want.dtype).reshape(want.shape)
            for i, want in enumerate(expected)]


def functions_run(log: Path) -> set:
    return set(re.findall(r"^IN: (\S+)$", log.read_text(errors="replace"), flags=re.M))


# The compute functions the M4F (DSP extension) runs for the int8 digits
# models' multiply-accumulate ops.
DSP_FUNCTIONS = {"small_cnn int8": {"mote_conv2d_s8_dsp", "mote_fully_connected_s8_dsp"},
                 "mobilenet_style int8": {"mote_conv2d_s8_dsp", "mote_depthwise_conv2d_s8_dsp",
                                          "mote_fully_connected_s8_dsp"},
                 "example_cnn float32": set()}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_cortex_m_firmware_equals_host(name, tmp_path):
    need_toolchain()
    model = MODELS[name]()
    model_dir = codegen(model, tmp_path / "model")
    # Unaligned accesses fault in this build, as on a Cortex-M0.
    text = run_qemu(build(model_dir, tmp_path / "build", TRAP_UNALIGNED=1),
                    log=tmp_path / "qemu.log")
    ran = functions_run(tmp_path / "qemu.log")
    assert DSP_FUNCTIONS[name] <= ran, f"{name}: DSP compute functions not run: {sorted(ran)}"
    want = host_outputs(model)
    for i, (got, expected) in enumerate(zip(firmware_outputs(text, want), want)):
        # Equal bit for bit, float32 included (both sides run IEEE single precision).
        assert got.tobytes() == expected.tobytes(), (
            f"{name} output {i}: firmware {got.ravel()[:8]} host {expected.ravel()[:8]}")
    arena = int(re.search(r"^arena (\d+)$", text, flags=re.M).group(1))
    header = (model_dir / "model.h").read_text()
    promised = int(re.search(r"MODEL_ARENA_BYTES (\d+)u", header).group(1))
    assert 0 < arena <= promised, f"the firmware needs {arena} arena bytes, model.h says {promised}"
    # The model copied to an odd address: refused alike by verify and create
    # (its int32 biases / float weights would sit misaligned), or run the same.
    assert re.search(r"^unaligned (same outputs|refused MOTE_ERROR_INVALID_ARGUMENT)$", text,
                     flags=re.M), text


def test_cortex_m_dsp_variants_equal_ref(tmp_path):
    """The `_dsp` compute functions (SMLAD) give `_ref`'s bytes on random
    int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED shapes and parameters
    (dsp_check_main.c: odd channel counts, word loops with tails, zero points
    -128 and 127, shifts spanning decades, strides, dilations, padding, every
    address mod 4 with unaligned accesses trapping), and the variant tables
    choose them on the M4F."""
    need_toolchain()
    model_dir = codegen(MODELS["small_cnn int8"](), tmp_path / "model")
    build(model_dir, tmp_path / "build", TRAP_UNALIGNED=1)
    r = subprocess.run(["make", "-C", str(PORT), f"MODEL_DIR={model_dir}",
                        f"BUILD={tmp_path / 'build'}", "TRAP_UNALIGNED=1",
                        str(tmp_path / "build" / "dsp_check.elf")],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    text = run_qemu(tmp_path / "build" / "dsp_check.elf")
    assert re.search(r"^chosen conv2d_s8_dsp depthwise_conv2d_s8_dsp depthwise_conv2d_s8_ref "
                     r"fully_connected_s8_dsp$", text, flags=re.M), text
    found = re.search(r"^dsp check (\d+) cases, (\d+) failures$", text, flags=re.M)
    assert found and int(found.group(1)) >= 1000 and found.group(2) == "0", text


def test_cortex_m3_uses_portable_kernels(tmp_path):
    """A core without the DSP extension (Cortex-M3, on qemu's mps2-an385)
    links no `_dsp` compute function, runs the portable ones, and gives the
    host's bytes."""
    need_toolchain()
    model = MODELS["mobilenet_style int8"]()
    model_dir = codegen(model, tmp_path / "model")
    elf = build(model_dir, tmp_path / "build", CPU="-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
    symbols = subprocess.run(["arm-none-eabi-nm", str(elf)], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    assert "_s8_dsp" not in symbols
    text = run_qemu(elf, board="mps2-an385", log=tmp_path / "qemu.log")
    ran = functions_run(tmp_path / "qemu.log")
    assert {"mote_conv2d_s8_ref", "mote_depthwise_conv2d_s8_ref",
            "mote_fully_connected_s8_ref"} <= ran, sorted(ran)
    want = host_outputs(model)
    for got, expected in zip(firmware_outputs(text, want), want):
        assert got.tobytes() == expected.tobytes()


def test_cortex_m_size_budget(tmp_path):
    """The int8 digits CNN's firmware, with and without messages, within the
    budget of size_report.py (which fails the build past it); the build
    without messages still runs and gives the same outputs."""
    need_toolchain()
    model = MODELS["small_cnn int8"]()
    model_dir = codegen(model, tmp_path / "model")
    want = host_outputs(model)
    cores = {}
    for messages in (1, 0):
        elf = build(model_dir, tmp_path / f"messages{messages}", MESSAGES=messages)
        r = subprocess.run([sys.executable, str(PORT / "size_report.py"),
                            str(elf.with_name("firmware.map"))]
                           + ([] if messages else ["--no-messages"]),
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"over the size budget (messages={messages}):\n{r.stdout}{r.stderr}"
        cores[messages] = int(re.search(r"^core\s+(\d+) bytes$", r.stdout, flags=re.M).group(1))
        text = run_qemu(elf)
        for got, expected in zip(firmware_outputs(text, want), want):
            assert got.tobytes() == expected.tobytes()
    assert cores[0] < cores[1], f"compiling messages out left the core at {cores}"


def test_cortex_m_compute_functions_use_no_double(tmp_path):
    """Per-element code runs in single precision: no compute function of any
    op (src/compute, built for the M4F's single-precision FPU) calls the
    software double-precision routines (__aeabi_d*, float<->double). Only
    prepare-time glue may, where TFLite computes multipliers in double."""
    need_toolchain()
    model_dir = codegen((ZOO / "example_cnn.tflite").read_bytes(), tmp_path / "model")
    build(model_dir, tmp_path / "build")
    objects = sorted((tmp_path / "build" / "runtime" / "src" / "compute").glob("*.o"))
    assert len(objects) > 20
    calls = {}
    for obj in objects:
        dump = subprocess.run(["arm-none-eabi-objdump", "-dr", str(obj)], capture_output=True,
                              text=True, timeout=60, check=True).stdout
        found = sorted(set(re.findall(r"__aeabi_(?:d\w+|f2d|i2d|ui2d|l2d)", dump)))
        if found:
            calls[obj.name] = found
    assert calls == {}, f"double-precision calls in compute functions: {calls}"


def test_cortex_m_size_report_fails_over_budget(tmp_path):
    """The size script's verdict is not a formality: a map with a core past
    its budget (16 KB with messages), or with printf linked, is over budget."""
    sys.path.insert(0, str(PORT))
    try:
        import size_report
    finally:
        sys.path.remove(str(PORT))
    line = " .text.{name}\n                0x{addr:08x}     0x{size:x} build/libmote.a({obj})\n"
    text = ("Linker script and memory map\n\n.text           0x00000000     0x8000\n"
            + line.format(name="mote_create", addr=0, size=20 * 1024, obj="create.o")
            + line.format(name="conv", addr=20 * 1024, size=1024, obj="conv_ref.o"))
    sizes, printf = size_report.measure(text)
    assert sizes["core"] == 20 * 1024 and sizes["ops"] == 1024 and not printf
    assert size_report.check(sizes, printf, messages=True)
    assert size_report.check({**sizes, "core": 16385}, printf, messages=True)
    assert not size_report.check({**sizes, "core": 16384}, printf, messages=True)
    assert not size_report.check({**sizes, "core": 15 * 1024}, printf, messages=True)
    assert size_report.check({**sizes, "core": 15 * 1024}, printf, messages=False)
    printf_linked = text + ("                0x00004c00                _svfprintf_r\n"
                            "                0x00004e00                snprintf\n")
    assert size_report.measure(printf_linked)[1] == ["_svfprintf_r", "snprintf"]
    assert size_report.check({**sizes, "core": 1024}, ["_vfprintf_r"], messages=True)
