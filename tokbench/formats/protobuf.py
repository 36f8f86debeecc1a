"""A minimal protobuf wire-format reader: enough to read SentencePiece .model files without
the protobuf package (only a test extra depends on sentencepiece)."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from ..errors import VocabError

# Wire types (protobuf encoding spec).
VARINT = 0
FIXED64 = 1
LENGTH_DELIMITED = 2
FIXED32 = 5

Field = tuple[int, int, int | bytes]  # (field number, wire type, value)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while True:
        if pos >= len(data):
            msg = "truncated varint"
            raise VocabError(msg)
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            msg = "varint longer than 10 bytes"
            raise VocabError(msg)


def fields(data: bytes) -> Iterator[Field]:
    """The fields of one message, in order. Raises VocabError on malformed input."""
    pos = 0
    n = len(data)
    while pos < n:
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == VARINT:
            value, pos = _varint(data, pos)
        elif wire == FIXED64:
            value, pos = int.from_bytes(data[pos : pos + 8], "little"), pos + 8
        elif wire == FIXED32:
            value, pos = int.from_bytes(data[pos : pos + 4], "little"), pos + 4
        elif wire == LENGTH_DELIMITED:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        else:
            msg = f"unsupported wire type {wire} for field {number}"
            raise VocabError(msg)
        if pos > n:
            msg = f"field {number} runs past the end of its message"
            raise VocabError(msg)
        yield number, wire, value


def as_float(value: int | bytes) -> float:
    """A fixed32 field as an IEEE float."""
    if not isinstance(value, int) or not 0 <= value < 1 << 32:
        msg = "expected a fixed32 float"
        raise VocabError(msg)
    result: float = struct.unpack("<f", value.to_bytes(4, "little"))[0]
    return result
