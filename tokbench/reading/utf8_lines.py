"""Whole lines of a block of UTF-8 bytes, kept as bytes.

Counting a line-structured file used to decode every block to str, split it into lines, and
convert each line back to UTF-8 for the core, all under the GIL on the reader thread. A block
that is valid UTF-8 now stays bytes: the core finds its lines, their sizes in bytes and code
points (tokbench._core.line_spans, GIL released) and counts them in place
(Encoding._count_spans). The lines are decoded to str only if something asks for them (an
encoding that normalizes or pre-tokenizes in Python, or any reader of `texts`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

from .. import _core

Bytes = bytes | bytearray | memoryview


def split_decoded(text: str, *, final_newline: bool) -> list[str]:
    """The lines of a decoded block as the line readers have always cut them: at "\\n", no
    empty line after a final "\\n" (`final_newline`: the block ends with one), one trailing
    "\\r" dropped from each."""
    parts = text.split("\n")
    if final_newline:
        parts.pop()
    if "\r" in text:
        parts = [p[:-1] if p.endswith("\r") else p for p in parts]
    return parts


class Utf8Lines(Sequence[str]):
    """The lines of one block of valid UTF-8, as byte ranges of it.

    Attributes:
        data: the block (whole lines).
        starts: byte offset of each line in `data` (int64).
        lengths: UTF-8 bytes of each line without its "\\n" / "\\r\\n" end (int64).
        chars: code points of each line (int64), as len() of its str.

    As a Sequence it holds the lines as str, decoded from `data` the first time they are
    read (once for all readers).
    """

    __slots__ = ("_release", "_texts", "chars", "data", "lengths", "starts")

    def __init__(
        self,
        data: Bytes,
        starts: npt.NDArray[np.int64],
        lengths: npt.NDArray[np.int64],
        chars: npt.NDArray[np.int64],
        release: Callable[[], None] | None = None,
    ) -> None:
        self.data, self.starts, self.lengths, self.chars = data, starts, lengths, chars
        self._release = release
        self._texts: list[str] | None = None

    def texts(self) -> list[str]:
        """The lines as str (decoded on the first call)."""
        if self._texts is None:
            text = str(self.data, "utf-8")
            self._texts = split_decoded(text, final_newline=bytes(self.data[-1:]) == b"\n")
        return self._texts

    def release(self) -> None:
        """Done with `data` (the reader may fill its buffer again); the sizes stay, and the
        lines as str if they were decoded."""
        if self._release is not None:
            self._release()
            self._release = None

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self.texts()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts())


def utf8_lines(data: Bytes, release: Callable[[], None] | None = None) -> Utf8Lines | None:
    """The lines of `data` (whole lines), or None if it is not valid UTF-8 (then decoding
    it says where, and what errors="replace" makes of it). `release`: what
    Utf8Lines.release() does with the buffer."""
    starts, lengths, chars, invalid_at = _core.line_spans(data)
    if invalid_at >= 0:
        return None
    return Utf8Lines(data, starts, lengths, chars, release)
