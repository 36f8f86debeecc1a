"""How an Encoding turns text into ids: the native core, or the reference library."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Path = Literal["native", "reference"]


class Utf8Spans(Protocol):
    """Texts as byte ranges of one buffer of valid UTF-8 (tokbench._core.line_spans checks
    it): data[starts[i] : starts[i] + lengths[i]]."""

    @property
    def data(self) -> bytes | bytearray | memoryview: ...
    @property
    def starts(self) -> npt.NDArray[np.int64]: ...
    @property
    def lengths(self) -> npt.NDArray[np.int64]: ...


class Backend(Protocol):
    """What tokbench.Encoding needs from an implementation. `allowed` holds the special
    tokens (by text) that may be matched; other special-token text is plain text."""

    path: Path
    n_vocab: int

    def encode(self, text: str, allowed: frozenset[str]) -> list[int]: ...
    def encode_to_numpy(self, text: str, allowed: frozenset[str]) -> npt.NDArray[np.uint32]: ...
    def count(self, text: str) -> int: ...
    def count_batch(
        self, texts: Sequence[str], num_threads: int | None
    ) -> npt.NDArray[np.uint64]: ...
    def count_spans(
        self, spans: Utf8Spans, num_threads: int | None
    ) -> npt.NDArray[np.uint64] | None:
        """count_batch of the texts of `spans`, or None if this backend needs them as str."""
        ...

    def encode_batch(
        self, texts: Sequence[str], num_threads: int | None, allowed: frozenset[str]
    ) -> list[list[int]]: ...
    def decode_bytes(self, tokens: Sequence[int]) -> bytes: ...
    def token_bytes(self, token: int) -> bytes | None: ...
    def token_id(self, token: bytes) -> int | None: ...
    def token_byte_values(self) -> list[bytes]: ...
