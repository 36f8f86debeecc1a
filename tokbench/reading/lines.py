"""Line-structured text in blocks: decoded whole (fast) with located UTF-8 errors, or kept
as UTF-8 bytes for the core to count; and byte-range shards that start and end on line
boundaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..corpus_errors import LocatedError
from .inputs import Source
from .streams import InputStream, open_path, open_stdin
from .utf8_lines import Bytes, Utf8Lines, split_decoded, utf8_lines

_READ = 1 << 20


def open_source(src: Source) -> InputStream:
    return open_stdin() if src.path is None else open_path(src.path)


def decode(data: Bytes, errors: str, *, name: str, first_line: int, offset: int) -> str:
    """`data` as UTF-8; an invalid byte is a LocatedError with its line and byte offset
    (`first_line` is the line number of data[0], `offset` the byte offset of data[0])."""
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as e:
        line = first_line + data.count(b"\n", 0, e.start)
        raise LocatedError(name, line, offset + e.start, "invalid UTF-8") from e


@dataclass(slots=True)
class LineBlock:
    """Whole lines (without their line ends) starting at line `first_line` (1-based,
    counted from the start of the input or shard): a list of str, or Utf8Lines (the block's
    bytes, decoded only when read)."""

    lines: list[str] | Utf8Lines
    first_line: int
    position: int
    nbytes: npt.NDArray[np.int64] | None = None  # UTF-8 bytes of each line, without its end


def line_sizes(data: Bytes, n: int) -> npt.NDArray[np.int64]:
    """Bytes of each of the `n` lines in `data` (whole lines), without "\\n" or "\\r\\n":
    one vectorised pass instead of encoding every decoded line again."""
    arr = np.frombuffer(data, np.uint8)
    ends = np.flatnonzero(arr == 10)
    if len(ends) < n:  # the last line has no line end
        ends = np.append(ends, len(arr))
    starts = np.concatenate(([0], ends[:-1] + 1))
    sizes = ends - starts
    cr = (sizes > 0) & (arr[np.maximum(ends - 1, 0)] == 13)
    out: npt.NDArray[np.int64] = (sizes - cr).astype(np.int64)
    return out


def _pieces(
    stream: InputStream, start: int, end: int | None, size: int
) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) pieces of the lines whose first byte is in [start, end)."""
    pos, data = 0, b""
    if start > 0:
        # Whole lines only: skip the rest of the line that byte start-1 is on.
        stream.stream.seek(start - 1)
        pos = start - 1
        while True:
            data = stream.read(size)
            if not data:
                return
            i = data.find(b"\n")
            if i >= 0:
                pos, data = pos + i + 1, data[i + 1 :]
                break
            pos += len(data)
    if end is not None and pos >= end:
        return  # the line starting here belongs to a later range
    while data or (data := stream.read(size)):
        if end is None or pos + len(data) < end:
            yield pos, data
            pos, data = pos + len(data), b""
            continue
        # The range ends in `data`: keep through the end of the line that byte end-1 is on.
        i = data.find(b"\n", max(end - 1 - pos, 0))
        if i >= 0:
            yield pos, data[: i + 1]
            return
        yield pos, data
        pos, data = pos + len(data), b""


def line_blocks(
    src: Source, *, errors: str, chunk_bytes: int, keep_bytes: bool = False
) -> Iterator[LineBlock]:
    """The lines of `src` (within its byte range) in blocks of about `chunk_bytes`.

    A line belongs to the range its first byte is in. "\\r\\n" ends are removed like "\\n".
    With `keep_bytes`, a block of valid UTF-8 comes as Utf8Lines (not decoded); a block with
    an invalid byte is decoded as without it (a located error, or U+FFFD with "replace").
    """
    with open_source(src) as stream:
        line_no, offset = 1, -1  # offset: byte offset of pending[0], set by the first piece
        pending = bytearray()
        scanned = 0  # pending[:scanned] holds no line end

        def block(upto: int) -> LineBlock:
            nonlocal line_no, offset, pending
            # The block keeps the buffer (only the bytes after it are copied): no copy of the
            # block itself, which the core then reads in place.
            data, pending = pending, pending[upto:]
            del data[upto:]
            raw = utf8_lines(data) if keep_bytes else None
            lines: list[str] | Utf8Lines
            sizes: npt.NDArray[np.int64] | None
            if raw is not None:
                lines, sizes = raw, raw.lengths
            else:
                text = decode(data, errors, name=src.name, first_line=line_no, offset=offset)
                lines = split_decoded(text, final_newline=data.endswith(b"\n"))
                # Replaced bytes change the size: then the counter measures the text itself.
                sizes = None if errors != "strict" else line_sizes(data, len(lines))
            out = LineBlock(lines, line_no, stream.position(), sizes)
            line_no += len(lines)
            offset += len(data)
            return out

        for pos, data in _pieces(stream, src.start, src.end, min(_READ, chunk_bytes)):
            if offset < 0:
                offset = pos
            pending += data
            if len(pending) < chunk_bytes:
                continue
            cut = pending.rfind(b"\n", scanned)
            if cut >= 0:
                yield block(cut + 1)
            scanned = len(pending)  # the rest has no line end (a line longer than a chunk)
        if pending:
            yield block(len(pending))
