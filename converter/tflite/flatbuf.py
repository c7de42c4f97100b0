"""Schema-driven flatbuffer encoding and decoding of TFLite models.

A table value is a plain ``dict`` keyed by field name; a union value is a
``(member_table_name, dict)`` pair; vectors of scalars are anything numpy can
turn into an array. Field slots, types, defaults and alignments all come from
the parsed ``.fbs`` (see ``schema.py``), never from this file.
"""
from __future__ import annotations

import struct

import flatbuffers
import numpy as np
from flatbuffers import number_types as N

from . import schema as schema_mod

_NP_DTYPES = {
    "bool": np.bool_, "byte": np.int8, "ubyte": np.uint8, "short": np.int16,
    "ushort": np.uint16, "int": np.int32, "uint": np.uint32, "int32": np.int32,
    "uint32": np.uint32, "long": np.int64, "ulong": np.uint64,
    "float": np.float32, "double": np.float64,
}
_FB_FLAGS = {
    "bool": N.BoolFlags, "byte": N.Int8Flags, "ubyte": N.Uint8Flags,
    "short": N.Int16Flags, "ushort": N.Uint16Flags, "int": N.Int32Flags,
    "uint": N.Uint32Flags, "int32": N.Int32Flags, "uint32": N.Uint32Flags,
    "long": N.Int64Flags, "ulong": N.Uint64Flags, "float": N.Float32Flags,
    "double": N.Float64Flags,
}


class _Encoder:
    def __init__(self, schema):
        self.s = schema
        self.b = flatbuffers.Builder(1024)

    def scalar_vector(self, scalar: str, values, align: int) -> int:
        arr = np.ascontiguousarray(np.asarray(values, dtype=_NP_DTYPES[scalar])).astype("<" + np.dtype(_NP_DTYPES[scalar]).str[1:], copy=False)
        raw = arr.tobytes()
        b = self.b
        b.StartVector(arr.itemsize, arr.size, max(align, arr.itemsize))
        b.head -= len(raw)
        b.Bytes[b.head:b.head + len(raw)] = raw
        return b.EndVector()

    def offset_vector(self, offsets: list) -> int:
        b = self.b
        b.StartVector(4, len(offsets), 4)
        for off in reversed(offsets):
            b.PrependUOffsetTRelative(off)
        return b.EndVector()

    def enum_value(self, type_name: str, value) -> int:
        if isinstance(value, str):
            try:
                return self.s.enums[type_name].values[value]
            except KeyError:
                raise ValueError(f"{value!r} is not a {type_name}; expected one of "
                                 f"{sorted(self.s.enums[type_name].values)}") from None
        return int(value)

    def table(self, table_name: str, value: dict) -> int:
        t = self.s.tables[table_name]
        unknown = set(value) - {f.name for f in t.fields}
        if unknown:
            raise ValueError(f"table {table_name} has no field(s) {sorted(unknown)}")
        children = {}
        for f in t.fields:
            v = value.get(f.name)
            if v is None:
                continue
            kind = self.s.kind(f.type)
            if f.vector:
                if kind in ("scalar", "enum"):
                    children[f.name] = self.scalar_vector(self.s.scalar_of(f.type), v, f.force_align)
                elif kind == "string":
                    children[f.name] = self.offset_vector([self.b.CreateString(x) for x in v])
                else:
                    children[f.name] = self.offset_vector([self.table(f.type, x) for x in v])
            elif kind == "string":
                children[f.name] = self.b.CreateString(v)
            elif kind == "table":
                children[f.name] = self.table(f.type, v)
            elif kind == "union":
                member, body = v
                children[f.name] = (self.s.unions[f.type].values[member], self.table(member, body))
        b = self.b
        b.StartObject(t.num_slots)
        for f in t.fields:
            v = value.get(f.name)
            if v is None:
                continue
            if f.name in children:
                child = children[f.name]
                if isinstance(child, tuple):
                    b.PrependUint8Slot(f.slot - 1, child[0], 0)
                    child = child[1]
                b.PrependUOffsetTRelativeSlot(f.slot, child, 0)
            else:
                scalar = self.s.scalar_of(f.type)
                if f.type in self.s.enums:
                    v = self.enum_value(f.type, v)
                b.PrependSlot(_FB_FLAGS[scalar], f.slot, v, f.default)
        return b.EndObject()


def encode(value: dict, schema=None) -> bytes:
    """Serialize a root table (a ``Model`` dict) into finished flatbuffer bytes."""
    s = schema or schema_mod.load()
    enc = _Encoder(s)
    root = enc.table(s.root_type, value)
    enc.b.Finish(root, file_identifier=s.file_identifier.encode())
    return bytes(enc.b.Output())


class _Decoder:
    def __init__(self, buf: bytes, schema):
        self.buf = memoryview(buf)
        self.s = schema

    def u32(self, pos: int) -> int:
        return struct.unpack_from("<I", self.buf, pos)[0]

    def string(self, pos: int) -> str:
        n = self.u32(pos)
        return bytes(self.buf[pos + 4:pos + 4 + n]).decode("utf-8", "replace")

    def table(self, table_name: str, pos: int) -> dict:
        t = self.s.tables[table_name]
        vt = pos - struct.unpack_from("<i", self.buf, pos)[0]
        vt_size = struct.unpack_from("<H", self.buf, vt)[0]
        out = {}
        for f in t.fields:
            def slot_pos(slot):
                if 4 + 2 * slot >= vt_size:
                    return 0
                off = struct.unpack_from("<H", self.buf, vt + 4 + 2 * slot)[0]
                return pos + off if off else 0
            p = slot_pos(f.slot)
            kind = self.s.kind(f.type)
            if not p:
                out[f.name] = None if (f.vector or kind in ("string", "table", "union")) else f.default
                continue
            if kind in ("scalar", "enum") and not f.vector:
                fmt = schema_mod.SCALARS[self.s.scalar_of(f.type)][0]
                out[f.name] = struct.unpack_from("<" + fmt, self.buf, p)[0]
                continue
            target = p + self.u32(p)
            if f.vector:
                n = self.u32(target)
                if kind in ("scalar", "enum"):
                    dt = np.dtype(_NP_DTYPES[self.s.scalar_of(f.type)]).newbyteorder("<")
                    out[f.name] = np.frombuffer(self.buf, dt, n, target + 4)
                else:
                    elems = [target + 4 + 4 * i for i in range(n)]
                    elems = [e + self.u32(e) for e in elems]
                    out[f.name] = [self.string(e) if kind == "string" else self.table(f.type, e)
                                   for e in elems]
            elif kind == "string":
                out[f.name] = self.string(target)
            elif kind == "table":
                out[f.name] = self.table(f.type, target)
            else:  # union: the type byte sits one slot before the value
                tp = slot_pos(f.slot - 1)
                member_id = self.buf[tp] if tp else 0
                member = self.s.unions[f.type].name_of(member_id)
                out[f.name] = (member, self.table(member, target) if member in self.s.tables else {})
        return out


def decode(buf: bytes, schema=None) -> dict:
    """Decode a flatbuffer into nested dicts. Call only on verified input (the C
    runtime verifies every offset; this decoder trusts them)."""
    s = schema or schema_mod.load()
    if len(buf) < 8 or bytes(buf[4:8]) != s.file_identifier.encode():
        raise ValueError(f"not a TFLite model: expected file identifier "
                         f"{s.file_identifier!r} at bytes 4..8, got {bytes(buf[4:8])!r}")
    dec = _Decoder(buf, s)
    return dec.table(s.root_type, dec.u32(0))
