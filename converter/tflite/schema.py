"""The TFLite schema subset, read from ``converter/schema/tflite_subset.fbs``.

The ``.fbs`` file is the one place where table layouts and enum values are
written down. This module parses it (a small parser for the part of the
flatbuffers IDL the file uses: enums, unions, tables, ``root_type``) so the
Python writer and reader, and the generated C header, can never drift from it.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "tflite_subset.fbs"

# Scalar flatbuffer types: (struct format char, byte size).
SCALARS = {
    "bool": ("?", 1), "byte": ("b", 1), "ubyte": ("B", 1),
    "short": ("h", 2), "ushort": ("H", 2),
    "int": ("i", 4), "uint": ("I", 4), "int32": ("i", 4), "uint32": ("I", 4),
    "long": ("q", 8), "ulong": ("Q", 8), "float": ("f", 4), "double": ("d", 8),
}


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    type: str            # scalar, enum, table, union or "string"
    slot: int            # vtable slot; a union's value slot (its type sits at slot - 1)
    vector: bool = False
    default: object = 0
    force_align: int = 0
    deprecated: bool = False


@dataclasses.dataclass
class Enum:
    name: str
    base: str
    values: dict          # name -> int

    def name_of(self, value: int) -> str:
        for k, v in self.values.items():
            if v == value:
                return k
        return f"<unknown {self.name} {value}>"


@dataclasses.dataclass
class Table:
    name: str
    fields: list

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name} has no field {name!r}")

    @property
    def num_slots(self) -> int:
        return max((f.slot + 1 for f in self.fields), default=0)


@dataclasses.dataclass
class Schema:
    enums: dict
    unions: dict          # union name -> Enum of member tables (NONE = 0)
    tables: dict
    root_type: str
    file_identifier: str

    def kind(self, type_name: str) -> str:
        if type_name in SCALARS:
            return "scalar"
        if type_name == "string":
            return "string"
        if type_name in self.enums:
            return "enum"
        if type_name in self.unions:
            return "union"
        if type_name in self.tables:
            return "table"
        raise KeyError(f"unknown type {type_name!r} in schema")

    def scalar_of(self, type_name: str) -> str:
        """The scalar type that stores `type_name` (an enum's base type)."""
        return self.enums[type_name].base if type_name in self.enums else type_name


def _strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text)


def _parse_default(raw: str | None, type_name: str, enums: dict):
    if raw is None:
        return False if type_name == "bool" else 0
    raw = raw.strip()
    if raw in ("true", "false"):
        return raw == "true"
    if type_name in enums:
        return enums[type_name].values[raw] if raw in enums[type_name].values else int(raw)
    return float(raw) if type_name in ("float", "double") else int(raw)


def parse(text: str) -> Schema:
    text = _strip_comments(text)
    enums, unions, tables = {}, {}, {}
    for m in re.finditer(r"\benum\s+(\w+)\s*:\s*(\w+)\s*\{([^}]*)\}", text):
        values, nxt = {}, 0
        for item in filter(None, (s.strip() for s in m.group(3).split(","))):
            name, _, val = item.partition("=")
            nxt = int(val) if val.strip() else nxt
            values[name.strip()] = nxt
            nxt += 1
        enums[m.group(1)] = Enum(m.group(1), m.group(2), values)
    for m in re.finditer(r"\bunion\s+(\w+)\s*\{([^}]*)\}", text):
        values, nxt = {"NONE": 0}, 1
        for item in filter(None, (s.strip() for s in m.group(2).split(","))):
            name, _, val = item.partition("=")
            nxt = int(val) if val.strip() else nxt
            values[name.strip()] = nxt
            nxt += 1
        unions[m.group(1)] = Enum(m.group(1), "ubyte", values)
    field_re = re.compile(
        r"(\w+)\s*:\s*(\[\s*\w+\s*\]|\w+)\s*(?:=\s*([\w.\-]+))?\s*(?:\(([^)]*)\))?\s*;")
    for m in re.finditer(r"\btable\s+(\w+)\s*\{([^}]*)\}", text):
        fields, slot = [], 0
        for fm in field_re.finditer(m.group(2)):
            name, ftype, default, attrs = fm.groups()
            attrs = attrs or ""
            vector = ftype.startswith("[")
            ftype = ftype.strip("[] ")
            align = re.search(r"force_align\s*:\s*(\d+)", attrs)
            if ftype in unions:
                slot += 1   # the hidden `<name>_type` field comes first
            fields.append(Field(name, ftype, slot, vector,
                                None if vector else _parse_default(default, ftype, enums),
                                int(align.group(1)) if align else 0, "deprecated" in attrs))
            slot += 1
        tables[m.group(1)] = Table(m.group(1), fields)
    root = re.search(r"\broot_type\s+(\w+)\s*;", text).group(1)
    ident = re.search(r'\bfile_identifier\s+"(\w{4})"\s*;', text).group(1)
    return Schema(enums, unions, tables, root, ident)


@lru_cache(maxsize=None)
def load(path: str | None = None) -> Schema:
    return parse(Path(path or SCHEMA_PATH).read_text())
