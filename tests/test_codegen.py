"""`mote codegen`: the model as a C array, the arena it needs and the op
list header; and its one-line errors. (The firmware built from these files
runs in tests/test_cortex_m.py.)"""
import re
import subprocess
from pathlib import Path

import pytest

from conftest import need
from mote import codegen
from mote.cli import main
from mote.models.zoo import make_example

ROOT = Path(__file__).resolve().parents[1]


def c_array_bytes(text: str) -> bytes:
    body = text.split("= {", 1)[1].rsplit("};", 1)[0]
    return bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", body))


def test_codegen_writes_the_model_its_ops_and_arena(tmp_path, capsys):
    model = make_example.OUT.read_bytes()
    assert main(["codegen", str(make_example.OUT), "-o", str(tmp_path), "--name", "cnn"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cnn.c", "cnn.h", "cnn_ops.h"]
    source = (tmp_path / "cnn.c").read_text()
    assert c_array_bytes(source) == model
    assert "aligned(16)" in source
    header = (tmp_path / "cnn.h").read_text()
    assert f"#define CNN_TFLITE_BYTES {len(model)}u" in header
    from mote.runtime.interpreter import Interpreter, OpResolverType
    arena = Interpreter(model_content=model, reuse_input_memory=True,
                        experimental_op_resolver_type=OpResolverType.BUILTIN_REF).arena_bytes
    assert "#define CNN_CREATE_FLAGS MOTE_REUSE_INPUT_MEMORY" in header
    assert f"#define CNN_ARENA_BYTES {arena}u" in header
    rows = re.findall(r"X\((\w+), (\w+)\)", (tmp_path / "cnn_ops.h").read_text())
    # example_cnn.tflite: CONV_2D, DEQUANTIZE, DEPTHWISE_CONV_2D, ADD, MAX_POOL_2D, MEAN,
    # FULLY_CONNECTED, SOFTMAX (read with Netron); each once, in op_list.h's form.
    assert rows == [(n, n.lower()) for n in sorted(["ADD", "CONV_2D", "DEPTHWISE_CONV_2D",
                                                    "DEQUANTIZE", "FULLY_CONNECTED", "MAX_POOL_2D",
                                                    "MEAN", "SOFTMAX"])]


def test_op_list_rows_follow_the_naming_codegen_relies_on():
    """codegen writes X(NAME, name): each op's glue is mote_op_<lower-case
    builtin name>. A row that breaks the rule would break firmware links."""
    text = (ROOT / "runtime_c" / "src" / "kernels" / "op_list.h").read_text()
    text = text.split("#define MOTE_ALL_OPS(X)", 1)[1]   # the full list, after the comment
    rows = re.findall(r"X\((\w+), (\w+)\)", text)
    assert len(rows) > 20
    assert [r for r in rows if r[1] != r[0].lower()] == []


@pytest.mark.parametrize("args, message", [
    (["missing.tflite"], "model file not found"),
    (["{model}", "-o", "{tmp}/nowhere"], "does not exist"),
    (["{model}", "--name", "2 fast"], "is not a C identifier"),
])
def test_codegen_errors_are_one_line(args, message, tmp_path, capsys):
    args = [a.format(model=make_example.OUT, tmp=tmp_path) for a in args]
    assert main(["codegen", *args, *([] if "-o" in args else ["-o", str(tmp_path)])]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_codegen_refuses_a_model_it_cannot_verify(tmp_path):
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"not a model at all")
    assert main(["codegen", str(bad), "-o", str(tmp_path)]) == 2
    assert not list(tmp_path.glob("*.c"))


def test_custom_op_rows_follow_the_naming_codegen_relies_on():
    """A custom op's glue is mote_op_<its custom code in snake case>, as
    codegen.custom_op_symbol writes it."""
    text = (ROOT / "runtime_c" / "src" / "kernels" / "op_list.h").read_text()
    text = text.split("#define MOTE_ALL_CUSTOM_OPS(X)", 1)[1].split("#ifndef", 1)[0]
    rows = re.findall(r'X\("(\w+)", (\w+)\)', text)
    assert rows, "no custom op rows found in op_list.h"
    assert [r for r in rows if r[1] != codegen.custom_op_symbol(r[0])] == []
    assert codegen.custom_op_symbol("Convolution2DTransposeBias") == \
        "convolution_2d_transpose_bias"


@pytest.mark.parametrize("custom", [False, True])
def test_codegen_op_list_links_exactly_the_ops_of_a_model(custom, tmp_path):
    """NAME_ops.h for a model with (or without) MediaPipe's custom op: the
    registry compiled with it references the glue of exactly the model's ops,
    the custom op's only when the model uses it."""
    need("cc", "nm")
    import numpy as np

    import op_cases
    from mote.converter.tflite.builder import ModelBuilder
    b = ModelBuilder()
    make = op_cases.convolution_2d_transpose_bias if custom else op_cases.transpose
    make(b, np.random.default_rng(0))
    model = b.build()
    files = codegen.generate(model, "m")
    (tmp_path / "m_ops.h").write_text(files["m_ops.h"])
    obj = tmp_path / "registry.o"
    src = ROOT / "runtime_c" / "src"
    r = subprocess.run(["cc", "-std=c99", "-Wall", "-Werror", "-c", "-I", str(src),
                        "-I", str(ROOT / "runtime_c" / "include"), "-I", str(tmp_path),
                        '-DMOTE_OP_LIST_FILE="m_ops.h"', str(src / "registry.c"), "-o", str(obj)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    undefined = subprocess.run(["nm", "-u", str(obj)], capture_output=True, text=True).stdout
    glue = sorted(re.findall(r"\bmote_op_(\w+)", undefined))
    assert glue == (["convolution_2d_transpose_bias"] if custom else ["transpose"])
    kernels = "".join(p.read_text() for p in (src / "kernels").glob("*.c"))
    assert all(f"const mote_op mote_op_{g} =" in kernels for g in glue), glue
