"""Mote's flatbuffer writer against flatbuffers' own Builder: the same model
dict must give the same bytes. The oracle below drives the Builder field by
field, as the schema says (the writer Mote used before its own)."""
from __future__ import annotations

import pathlib

import flatbuffers
import numpy as np
import pytest
from flatbuffers import number_types as N

from mote.converter.convert import convert
from mote.converter.tflite import flatbuf, schema as schema_mod
from op_cases import FLOAT_OPS, float_cases

ROOT = pathlib.Path(__file__).resolve().parents[1]
FLAGS = {"bool": N.BoolFlags, "byte": N.Int8Flags, "ubyte": N.Uint8Flags,
         "short": N.Int16Flags, "ushort": N.Uint16Flags, "int": N.Int32Flags,
         "uint": N.Uint32Flags, "int32": N.Int32Flags, "uint32": N.Uint32Flags,
         "long": N.Int64Flags, "ulong": N.Uint64Flags, "float": N.Float32Flags,
         "double": N.Float64Flags}
NP = {"bool": np.bool_, "byte": np.int8, "ubyte": np.uint8, "short": np.int16,
      "ushort": np.uint16, "int": np.int32, "uint": np.uint32, "int32": np.int32,
      "uint32": np.uint32, "long": np.int64, "ulong": np.uint64, "float": np.float32,
      "double": np.float64}


def builder_encode(value: dict) -> bytes:
    s = schema_mod.load()
    b = flatbuffers.Builder(1024)

    def vector(scalar, values, align):
        raw = np.asarray(values, NP[scalar]).astype(np.dtype(NP[scalar]).newbyteorder("<")).tobytes()
        size = np.dtype(NP[scalar]).itemsize
        b.StartVector(size, len(raw) // size, max(align, size))
        b.head -= len(raw)
        b.Bytes[b.head:b.head + len(raw)] = raw
        return b.EndVector()

    def offsets(offs):
        b.StartVector(4, len(offs), 4)
        for off in reversed(offs):
            b.PrependUOffsetTRelative(off)
        return b.EndVector()

    def table(name, v):
        t = s.tables[name]
        children = {}
        for f in t.fields:
            x = v.get(f.name)
            if x is None:
                continue
            kind = s.kind(f.type)
            if f.vector and kind in ("scalar", "enum"):
                children[f.name] = vector(s.scalar_of(f.type), x, f.force_align)
            elif f.vector:
                children[f.name] = offsets([b.CreateString(e) if kind == "string"
                                            else table(f.type, e) for e in x])
            elif kind == "string":
                children[f.name] = b.CreateString(x)
            elif kind == "table":
                children[f.name] = table(f.type, x)
            elif kind == "union":
                children[f.name] = (s.unions[f.type].values[x[0]], table(x[0], x[1]))
        b.StartObject(t.num_slots)
        for f in t.fields:
            x = v.get(f.name)
            if x is None:
                continue
            if f.name in children:
                child = children[f.name]
                if isinstance(child, tuple):
                    b.PrependUint8Slot(f.slot - 1, child[0], 0)
                    child = child[1]
                b.PrependUOffsetTRelativeSlot(f.slot, child, 0)
            else:
                if isinstance(x, str):
                    x = s.enums[f.type].values[x]
                b.PrependSlot(FLAGS[s.scalar_of(f.type)], f.slot, x, f.default)
        return b.EndObject()

    b.Finish(table(s.root_type, value), file_identifier=s.file_identifier.encode())
    return bytes(b.Output())


def assert_same_bytes(model: dict, what: str) -> None:
    got, want = flatbuf.encode(model), builder_encode(model)
    assert got == want, (f"{what}: {len(got)} bytes against the Builder's {len(want)}, first "
                         f"difference at {next((i for i, (a, c) in enumerate(zip(got, want)) if a != c), min(len(got), len(want)))}")


def test_every_op_case_and_zoo_model_writes_the_builders_bytes():
    for op in FLOAT_OPS:
        for name, model, _ in float_cases(op, 2):
            assert_same_bytes(flatbuf.decode(model), name)
    zoo = ROOT / "models" / "zoo"
    rng = np.random.default_rng(0)
    for source in (zoo / "example_cnn.tflite", zoo / "small_cnn.npz", zoo / "mobilenet_style.npz",
                   zoo / "lstm.npz"):
        assert_same_bytes(flatbuf.decode(convert(str(source))), source.name)
    for source in (zoo / "small_cnn.npz", zoo / "mobilenet_style.npz"):
        shape = [int(v) for v in flatbuf.decode(convert(str(source)))["subgraphs"][0]["tensors"][0]["shape"]]
        data = (np.round(rng.uniform(0, 255, (4, *shape[1:]))) / 255).astype(np.float32)
        for quantize in ("int8", "dynamic", "float16"):
            q = convert(str(source), quantize, data if quantize == "int8" else None)
            assert_same_bytes(flatbuf.decode(q), f"{source.name} {quantize}")


def test_strings_unions_defaults_and_alignment_write_the_builders_bytes():
    """Fields the model files above may not hold: strings of every length mod
    4, signature defs, an operator without options, bool and enum options at and off their
    defaults, 8-byte scalars, negative values, force-aligned buffers, shared
    vtables, an empty vector."""
    for k in range(12):
        rng = np.random.default_rng(k)
        m = {"version": 3, "description": "x" * k,
             "buffers": [{}, {"data": rng.integers(0, 256, k * 5 + 1).astype(np.uint8)},
                         {"data": np.zeros(0, np.uint8)}],
             "operator_codes": [{"builtin_code": "ADD", "version": 1 + k % 3},
                                {"deprecated_builtin_code": 32, "custom_code": "op" * (k % 4)}],
             "metadata": [{"name": "min_runtime_version" * (k % 2), "buffer": 1}],
             "signature_defs": [{"signature_key": "serving" + "_" * (k % 5),
                                 "inputs": [{"name": "in", "tensor_index": 0}],
                                 "outputs": [{"name": "o" * k, "tensor_index": 1}]}],
             "subgraphs": [{"name": "main" if k % 2 else None,
                            "inputs": [0], "outputs": [1],
                            "tensors": [{"shape": [1, k + 1], "type": "FLOAT32", "buffer": 0,
                                         "name": "t" * (k + 1), "is_variable": bool(k % 2),
                                         "shape_signature": [-1, k + 1],
                                         "quantization": {"scale": rng.uniform(0, 1, k % 3 + 1),
                                                          "zero_point": -rng.integers(0, 2 ** 40, k % 3 + 1),
                                                          "quantized_dimension": k % 2}}
                                        for _ in range(2)],
                            "operators": [{"opcode_index": 0, "inputs": [0, 0], "outputs": [1],
                                           "builtin_options": ("AddOptions",
                                                               {"fused_activation_function": ("NONE", "RELU")[k % 2],
                                                                "pot_scale_int16": bool(k % 3)})},
                                          {"opcode_index": 1, "inputs": [], "outputs": [],
                                           "custom_options": np.arange(k, dtype=np.uint8)}]}]}
        assert_same_bytes(m, f"hand-made model {k}")


def test_values_a_field_cannot_hold_are_refused_by_name():
    m = flatbuf.decode(convert(str(ROOT / "models" / "zoo" / "example_cnn.tflite")))
    m["version"] = -1
    with pytest.raises(ValueError, match=r"Model.version = -1 is not a uint"):
        flatbuf.encode(m)
    m["version"] = 3
    m["subgraphs"][0]["tensors"][0]["type"] = "FLOAT33"
    with pytest.raises(ValueError, match="'FLOAT33' is not a TensorType"):
        flatbuf.encode(m)


def test_mediapipe_files_write_the_builders_bytes():
    """Every float file of the MediaPipe wheel (sparsity records, custom
    options, float16 weights), decoded and written again."""
    from test_converted_models import third_party_models
    for member, model in third_party_models("mediapipe==0.10.14"):
        assert_same_bytes(flatbuf.decode(model), member)
