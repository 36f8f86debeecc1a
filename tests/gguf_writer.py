"""A minimal GGUF (v3) writer for tests: key/value metadata only, no tensors."""

from __future__ import annotations

import struct
from collections.abc import Sequence

# (type code, struct format) of the scalar types the tests write.
UINT32 = (4, "I")
INT32 = (5, "i")
FLOAT32 = (6, "f")
BOOL = (7, "?")
STRING = 8
ARRAY = 9

Value = str | bool | int | float | Sequence[str] | Sequence[int] | Sequence[float]


def _string(s: str) -> bytes:
    raw = s.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def _value(v: Value, int_type: tuple[int, str]) -> tuple[int, bytes]:
    if isinstance(v, str):
        return STRING, _string(v)
    if isinstance(v, bool):
        return BOOL[0], struct.pack("<?", v)
    if isinstance(v, int):
        return UINT32[0], struct.pack("<I", v)
    if isinstance(v, float):
        return FLOAT32[0], struct.pack("<f", v)
    items = list(v)
    if items and isinstance(items[0], str):
        body = b"".join(_string(str(s)) for s in items)
        return ARRAY, struct.pack("<IQ", STRING, len(items)) + body
    kind, fmt = FLOAT32 if items and isinstance(items[0], float) else int_type
    body = struct.pack(f"<{len(items)}{fmt}", *items)
    return ARRAY, struct.pack("<IQ", kind, len(items)) + body


def gguf_bytes(metadata: dict[str, Value], *, version: int = 3, magic: bytes = b"GGUF") -> bytes:
    """A GGUF file with this metadata (int arrays are int32, as token types are)."""
    out = [magic, struct.pack("<IQQ", version, 0, len(metadata))]
    for key, v in metadata.items():
        kind, body = _value(v, INT32)
        out += [_string(key), struct.pack("<I", kind), body]
    return b"".join(out)
