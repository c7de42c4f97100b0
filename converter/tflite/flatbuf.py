"""Schema-driven flatbuffer encoding and decoding of TFLite models.

A table value is a plain ``dict`` keyed by field name; a union value is a
``(member_table_name, dict)`` pair; vectors of scalars are anything numpy can
turn into an array. Field slots, types, defaults and alignments all come from
the parsed ``.fbs`` (see ``schema.py``), never from this file.
"""
from __future__ import annotations

import struct

import numpy as np

from . import schema as schema_mod

_NP_DTYPES = {
    "bool": np.bool_, "byte": np.int8, "ubyte": np.uint8, "short": np.int16,
    "ushort": np.uint16, "int": np.int32, "uint": np.uint32, "int32": np.int32,
    "uint32": np.uint32, "long": np.int64, "ulong": np.uint64,
    "float": np.float32, "double": np.float64,
}


class _Encoder:
    """Writes a flatbuffer back to front as flatbuffers' own Builder does, to
    the byte (the same alignment, field order, vtable sharing and padding;
    tests/test_flatbuf.py checks it against the Builder), in bytes objects
    kept in a list rather than through the Builder's per-byte Python calls,
    several times faster: the converter writes a trial model per
    calibration candidate. `size` is the Builder's Offset(): the bytes
    written so far, which end the buffer."""

    def __init__(self, schema):
        self.s = schema
        self.chunks: list = []   # last written first
        self.size = 0
        self.minalign = 1
        self.vtables: dict = {}

    def prep(self, align: int, additional: int) -> None:
        """Pad so that `additional` bytes written next end `align`-aligned."""
        if align > self.minalign:
            self.minalign = align
        pad = -(self.size + additional) & (align - 1)
        if pad:
            self.put(bytes(pad))

    def put(self, raw: bytes) -> None:
        self.chunks.append(raw)
        self.size += len(raw)

    def uoffset(self, target: int) -> bytes:
        """The bytes of an offset to `target` written next (4-aligned)."""
        return _U32.pack(self.size + 4 - target)

    def scalar_vector(self, scalar: str, values, align: int) -> int:
        dtype = _LE_DTYPES[scalar]
        arr = values if isinstance(values, np.ndarray) and values.dtype == dtype \
            else np.asarray(values, dtype=dtype)
        raw = arr.tobytes()   # C order, whatever the array's strides
        self.prep(4, len(raw))
        self.prep(max(align, arr.itemsize), len(raw))
        self.put(raw)
        self.put(_U32.pack(arr.size))
        return self.size

    def string(self, text) -> int:
        raw = text.encode() if isinstance(text, str) else bytes(text)
        self.prep(4, len(raw) + 1)
        self.put(raw + b"\0")
        self.put(_U32.pack(len(raw)))
        return self.size

    def offset_vector(self, offsets: list) -> int:
        self.prep(4, 4 * len(offsets))
        for off in reversed(offsets):
            self.put(self.uoffset(off))
        self.put(_U32.pack(len(offsets)))
        return self.size

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
                    children[f.name] = self.offset_vector([self.string(x) for x in v])
                else:
                    children[f.name] = self.offset_vector([self.table(f.type, x) for x in v])
            elif kind == "string":
                children[f.name] = self.string(v)
            elif kind == "table":
                children[f.name] = self.table(f.type, v)
            elif kind == "union":
                member, body = v
                children[f.name] = (self.s.unions[f.type].values[member], self.table(member, body))
        object_end = self.size
        slots = [0] * t.num_slots   # where each field was written (its Offset())
        for f in t.fields:
            v = value.get(f.name)
            if v is None:
                continue
            child = children.get(f.name)
            if child is not None:
                if isinstance(child, tuple):   # a union: its type byte, then its table
                    member, child = child
                    if member != 0:
                        self.put(_U8.pack(member))
                        slots[f.slot - 1] = self.size
                self.prep(4, 0)
                self.put(self.uoffset(child))
                slots[f.slot] = self.size
                continue
            scalar = self.s.scalar_of(f.type)
            if f.type in self.s.enums:
                v = self.enum_value(f.type, v)
            if v != f.default:
                fmt, width = _FORMATS[scalar]
                self.prep(width, 0)
                try:
                    self.put(fmt.pack(v))
                except (struct.error, OverflowError, TypeError) as e:
                    raise ValueError(f"{table_name}.{f.name} = {v!r} is not a {scalar}: {e}") \
                        from None
                slots[f.slot] = self.size
        self.prep(4, 0)
        at = len(self.chunks)
        self.put(bytes(4))   # the object's offset to its vtable, set below
        obj = self.size
        while slots and slots[-1] == 0:
            slots.pop()
        fields = [obj - off if off else 0 for off in slots]
        key = (tuple(fields), obj - object_end)
        vtable = self.vtables.get(key)
        if vtable is None:   # 2-aligned here: obj is 4-aligned and the vtable's length even
            self.put(struct.pack(f"<{len(fields) + 2}H", 4 + 2 * len(fields), obj - object_end,
                                 *fields))
            self.vtables[key] = vtable = self.size
        self.chunks[at] = _I32.pack(vtable - obj)
        return obj

    def finish(self, root: int, identifier: bytes) -> bytes:
        self.prep(self.minalign, 8)
        self.prep(4, 4)
        self.put(identifier)
        self.prep(4, 0)
        self.put(self.uoffset(root))
        return b"".join(reversed(self.chunks))


_U8, _U32, _I32 = struct.Struct("<B"), struct.Struct("<I"), struct.Struct("<i")
_FORMATS = {name: (struct.Struct("<" + fmt), width)
            for name, (fmt, width) in schema_mod.SCALARS.items()}
_LE_DTYPES = {name: np.dtype(t).newbyteorder("<") for name, t in _NP_DTYPES.items()}


def encode(value: dict, schema=None) -> bytes:
    """Serialize a root table (a ``Model`` dict) into finished flatbuffer bytes."""
    s = schema or schema_mod.load()
    enc = _Encoder(s)
    root = enc.table(s.root_type, value)
    return enc.finish(root, s.file_identifier.encode())


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
