"""Line-structured text in blocks: decoded whole (fast) with located UTF-8 errors, or kept
as UTF-8 bytes for the core to count; and byte-range shards that start and end on line
boundaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..corpus_errors import LocatedError
from .blocks import byte_blocks
from .inputs import Source
from .streams import InputStream, open_path, open_stdin
from .utf8_lines import Bytes, Utf8Lines, split_decoded, utf8_lines


def open_source(src: Source) -> InputStream:
    return open_stdin() if src.path is None else open_path(src.path)


def decode(data: Bytes, errors: str, *, name: str, first_line: int, offset: int) -> str:
    """`data` as UTF-8; an invalid byte is a LocatedError with its line and byte offset
    (`first_line` is the line number of data[0], `offset` the byte offset of data[0])."""
    try:
        return str(data, "utf-8", errors)
    except UnicodeDecodeError as e:
        line = first_line + bytes(data[: e.start]).count(b"\n")
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


def line_blocks(
    src: Source, *, errors: str, chunk_bytes: int, keep_bytes: bool = False
) -> Iterator[LineBlock]:
    """The lines of `src` (within its byte range) in blocks of about `chunk_bytes`.

    A line belongs to the range its first byte is in. "\\r\\n" ends are removed like "\\n".
    With `keep_bytes`, a block of valid UTF-8 comes as Utf8Lines (not decoded; release() it
    once counted, so that its buffer is read into again); a block with an invalid byte is
    decoded as without it (a located error, or U+FFFD with "replace").
    """
    with open_source(src) as stream:
        line_no = 1
        for block in byte_blocks(stream, src.start, src.end, chunk_bytes):
            data = block.data
            raw = utf8_lines(data, release=block.release) if keep_bytes else None
            lines: list[str] | Utf8Lines
            sizes: npt.NDArray[np.int64] | None
            if raw is not None:
                lines, sizes = raw, raw.lengths
            else:
                try:
                    text = decode(
                        data, errors, name=src.name, first_line=line_no, offset=block.offset
                    )
                    lines = split_decoded(text, final_newline=bytes(data[-1:]) == b"\n")
                    # Replaced bytes change the size: then the counter measures the text itself.
                    sizes = None if errors != "strict" else line_sizes(data, len(lines))
                finally:
                    block.release()  # decoded: the buffer can be read into again
            yield LineBlock(lines, line_no, stream.position(), sizes)
            line_no += len(lines)
