"""Tiny SentencePiece .model files written by hand (protobuf wire format), for tests whose
expected ids are worked out by hand."""

from __future__ import annotations

import struct


def _varint(n: int) -> bytes:
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number: int, value: int | bytes | float) -> bytes:
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    if isinstance(value, float):
        return _varint(number << 3 | 5) + struct.pack("<f", value)
    return _varint(number << 3) + _varint(value)


NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


def model_bytes(
    pieces: list[tuple[str, float, int]],
    *,
    model_type: int = 2,
    dummy_prefix: bool = False,
    remove_extra_spaces: bool = False,
    charsmap: bytes = b"",
) -> bytes:
    """A ModelProto: <unk>, <s>, </s>, the 256 byte pieces (ids 3..258), then `pieces`
    (text, score, type)."""
    head = [("<unk>", 0.0, UNKNOWN), ("<s>", 0.0, CONTROL), ("</s>", 0.0, CONTROL)]
    head += [(f"<0x{b:02X}>", 0.0, BYTE) for b in range(256)]
    out = b""
    for text, score, kind in head + pieces:
        out += _field(1, _field(1, text.encode()) + _field(2, score) + _field(3, kind))
    trainer = _field(3, model_type) + _field(4, len(head) + len(pieces)) + _field(35, 1)
    trainer += _field(40, 0) + _field(41, 1) + _field(42, 2) + _field(43, -1)
    out += _field(2, trainer)
    normalizer = _field(1, b"identity") + (_field(2, charsmap) if charsmap else b"")
    normalizer += _field(3, int(dummy_prefix)) + _field(4, int(remove_extra_spaces))
    normalizer += _field(5, 1)
    return out + _field(3, normalizer)


BYTE_ID = {b: 3 + b for b in range(256)}
