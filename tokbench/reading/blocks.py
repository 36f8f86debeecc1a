"""Reading a stream in blocks of whole lines, into buffers that are used again.

A block of a few MB in a fresh buffer costs a page fault for every 4 KB page the read
touches: on a VM that was half of all the time the reader thread spent on a plain-text file
(21 MB: 8 of 16 ms CPU). So the blocks are read (readinto, no copy) into a few buffers that
come back once their block has been counted (ByteBlock.release).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

from .streams import InputStream

_KEEP = 4  # buffers kept: one being filled, one queued, one being counted, one spare
_PIECE = 1 << 16  # bytes read at a time while looking for a line end past a block's size


class BufferPool:
    """Buffers handed back for reuse (thread-safe: the reader takes, the counter gives)."""

    def __init__(self) -> None:
        self._free: list[bytearray] = []
        self._lock = threading.Lock()

    def take(self, size: int) -> bytearray:
        """A buffer of at least `size` bytes (its contents are left over from earlier use)."""
        with self._lock:
            for i, buf in enumerate(self._free):
                if len(buf) >= size:
                    return self._free.pop(i)
        # Room for a longer start of a line carried over next time, so that it is reused.
        return bytearray(size + size // 4)

    def give(self, buf: bytearray) -> None:
        with self._lock:
            if len(self._free) < _KEEP:
                self._free.append(buf)


@dataclass(frozen=True, slots=True)
class ByteBlock:
    """Whole lines: `data`, a view of a pooled buffer, and `offset`, the position of data[0]
    in the (decompressed) stream. release() when nothing reads `data` any more: the buffer
    is then filled again (and `data` raises ValueError if read)."""

    data: memoryview
    offset: int
    buffer: bytearray
    pool: BufferPool

    def release(self) -> None:
        self.data.release()
        self.pool.give(self.buffer)


class _Range:
    """The bytes of the lines whose first byte is in [start, end) of a stream (end None: to
    the end of the stream). A line belongs to the range its first byte is in."""

    def __init__(self, stream: InputStream, start: int, end: int | None) -> None:
        self._stream, self._end = stream, end
        self.pos = start  # stream offset of the next byte read_into gives
        self._head = b""  # bytes read while skipping to the first line, not given yet
        self._done = False
        if start > 0:
            self._skip_to_line_start(start)

    def _skip_to_line_start(self, start: int) -> None:
        # Whole lines only: skip the rest of the line that byte start-1 is on.
        self._stream.stream.seek(start - 1)
        pos = start - 1
        while True:
            data = self._stream.read(_PIECE)
            if not data:
                self._done = True
                return
            i = data.find(b"\n")
            if i >= 0:
                self.pos, self._head = pos + i + 1, data[i + 1 :]
                break
            pos += len(data)
        if self._end is not None and self.pos >= self._end:
            self._done = True  # the line starting here belongs to a later range

    def read_into(self, buf: bytearray, at: int, stop: int) -> int:
        """Reads into buf[at:stop]; 0 at the end of the range."""
        if self._done or at >= stop:
            return 0
        with memoryview(buf) as whole, whole[at:stop] as view:
            if self._head:
                n = min(len(self._head), len(view))
                view[:n] = self._head[:n]
                self._head = self._head[n:]
            else:
                n = self._stream.readinto(view)
        if n == 0:
            self._done = True
            return 0
        if self._end is not None and self.pos + n >= self._end:
            # The range ends in these bytes: keep through the end of the line byte end-1 is on.
            i = buf.find(b"\n", at + max(self._end - 1 - self.pos, 0), at + n)
            if i >= 0:
                n = i + 1 - at
                self._done = True
        self.pos += n
        return n


def byte_blocks(
    stream: InputStream, start: int, end: int | None, chunk_bytes: int
) -> Iterator[ByteBlock]:
    """Blocks of at least `chunk_bytes` (but the first, an eighth of that, and the last) that
    end with a whole line, of the lines whose first byte is in [start, end) of `stream`. A
    line longer than a block makes its block longer."""
    pool = BufferPool()
    reader = _Range(stream, start, end)
    carry = b""  # the start of a line whose end is not read yet
    offset = reader.pos
    # A small first block: counting starts as soon as possible (the reader stays a block
    # ahead from then on).
    size = max(chunk_bytes // 8, min(chunk_bytes, _PIECE))
    while True:
        buf = pool.take(len(carry) + chunk_bytes)
        buf[: len(carry)] = carry
        filled, cut, ended = len(carry), -1, False
        while filled < size or cut < 0:
            if filled == len(buf):  # a line longer than the buffer: a larger one
                larger = pool.take(2 * len(buf))
                larger[:filled] = buf[:filled]
                pool.give(buf)
                buf = larger
            # Up to the block's size, then in small pieces to the end of its last line.
            stop = size if filled < size else min(len(buf), filled + _PIECE)
            n = reader.read_into(buf, filled, stop)
            if n == 0:
                ended = True
                break
            i = buf.rfind(b"\n", filled, filled + n)
            cut = i if i >= 0 else cut
            filled += n
        used = filled if ended else cut + 1
        carry = bytes(buf[used:filled])
        if used == 0:
            pool.give(buf)
            return
        yield ByteBlock(memoryview(buf)[:used], offset, buf, pool)
        offset += used
        size = chunk_bytes
        if ended:
            return
