"""The key/value metadata of a GGUF file (llama.cpp's model format).

Only the header and the metadata are read: a vocabulary-only GGUF (what llama.cpp ships for
its tokenizer tests) holds everything a tokenizer needs there, and the tensors that follow in
a full model file are never touched. Written here rather than taken from the `gguf` package
because this is all tokbench needs of the format (~100 lines, no dependency), and numeric
arrays come out as numpy arrays without a Python object per element.

Layout (little-endian; version 2 and 3): magic "GGUF", uint32 version, uint64 tensor count,
uint64 key/value count, then per key: a string key, a uint32 value type, the value. A string
is a uint64 byte length and UTF-8 bytes; an array is a uint32 element type, a uint64 count and
the elements.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from ..errors import VocabError

MAGIC = b"GGUF"

# Value type -> (struct format, numpy dtype) for the fixed-size scalars.
_SCALARS: dict[int, tuple[str, str]] = {
    0: ("B", "u1"),
    1: ("b", "i1"),
    2: ("H", "<u2"),
    3: ("h", "<i2"),
    4: ("I", "<u4"),
    5: ("i", "<i4"),
    6: ("f", "<f4"),
    7: ("?", "?"),
    10: ("Q", "<u8"),
    11: ("q", "<i8"),
    12: ("d", "<f8"),
}
_STRING = 8
_ARRAY = 9
# Tokenizer metadata uses flat arrays; deeper nesting than this is a corrupt or hostile file.
_MAX_NESTING = 8


class _Reader:
    """A cursor over the file's bytes; every read checks that the bytes are there."""

    def __init__(self, data: bytes, source: str) -> None:
        self.data = data
        self.pos = 0
        self.source = source

    def fail(self, what: str) -> VocabError:
        return VocabError(f"{self.source}: not a valid GGUF file: {what} (at byte {self.pos})")

    def take(self, n: int, what: str) -> memoryview:
        end = self.pos + n
        if n < 0 or end > len(self.data):
            msg = f"{what} runs past the end of the file ({len(self.data)} bytes; truncated?)"
            raise self.fail(msg)
        view = memoryview(self.data)[self.pos : end]
        self.pos = end
        return view

    def scalar(self, fmt: str, what: str) -> Any:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size, what))[0]

    def string(self, what: str) -> str:
        n = self.scalar("Q", what)
        raw = self.take(n, what)
        try:
            return str(raw, "utf-8")
        except UnicodeDecodeError as e:
            msg = f"{what} is not UTF-8 ({e})"
            raise self.fail(msg) from None

    def value(self, kind: int, what: str, depth: int = 0) -> Any:
        if depth > _MAX_NESTING:
            # A few bytes per level would otherwise recurse until Python's stack limit.
            msg = f"{what}: arrays nested more than {_MAX_NESTING} deep"
            raise self.fail(msg)
        if kind in _SCALARS:
            return self.scalar(_SCALARS[kind][0], what)
        if kind == _STRING:
            return self.string(what)
        if kind == _ARRAY:
            item_kind = self.scalar("I", what)
            count = self.scalar("Q", what)
            if item_kind in _SCALARS:
                dtype = np.dtype(_SCALARS[item_kind][1])
                raw = self.take(count * dtype.itemsize, what)
                return np.frombuffer(raw, dtype=dtype).copy()
            if item_kind == _STRING:
                return [self.string(f"{what}[{i}]") for i in range(count)]
            if item_kind == _ARRAY:
                return [self.value(_ARRAY, f"{what}[{i}]", depth + 1) for i in range(count)]
            msg = f"{what}: unknown array element type {item_kind}"
            raise self.fail(msg)
        msg = f"{what}: unknown value type {kind}"
        raise self.fail(msg)


def is_gguf(data: bytes) -> bool:
    return data[:4] == MAGIC


def read_metadata(data: bytes, *, source: str) -> dict[str, Any]:
    """The key/value metadata of a GGUF file given as bytes.

    Numeric arrays are numpy arrays, string arrays lists of str.

    Raises:
        VocabError: wrong magic, unsupported version, or a truncated/corrupt header.
    """
    r = _Reader(data, source)
    magic = bytes(r.take(4, "the magic number"))
    if magic != MAGIC:
        msg = f"the file starts with {magic!r}, not {MAGIC!r}"
        raise r.fail(msg)
    version = r.scalar("I", "the version")
    if version not in (2, 3):
        hint = " (a big-endian file?)" if version > 0xFFFF else ""
        msg = f"GGUF version {version}{hint}; tokbench reads versions 2 and 3"
        raise r.fail(msg)
    r.scalar("Q", "the tensor count")
    n_kv = r.scalar("Q", "the key/value count")
    metadata: dict[str, Any] = {}
    for i in range(n_kv):
        key = r.string(f"key {i}")
        kind = r.scalar("I", f"the type of {key!r}")
        metadata[key] = r.value(kind, repr(key))
    return metadata
