"""Type stub for the native module tokbench._core (checked in; tests/test_stub.py checks
that it names exactly what the module defines)."""

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__version__: str
UNICODE_VERSION: str

def char_classes() -> bytes: ...
def line_spans(
    data: bytes | bytearray | memoryview,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], int]: ...

class BpeModel:
    def __init__(
        self,
        token_bytes: bytes,
        offsets: npt.ArrayLike,
        merges: npt.ArrayLike,
        ranking: str,
        whole_piece_first: bool,
        splits: npt.ArrayLike | None = None,
    ) -> None: ...
    @property
    def n_ids(self) -> int: ...
    @property
    def n_tokens(self) -> int: ...
    @property
    def n_merges(self) -> int: ...
    @property
    def backtracking(self) -> bool: ...
    def token_bytes(self, id: int, /) -> bytes | None: ...
    def find(self, piece: bytes, /) -> int | None: ...
    def splits(self) -> npt.NDArray[np.uint32] | None: ...  # None: merges-list ranking

class LiteralMatcher:
    def __init__(self, literals: Sequence[tuple[bytes, int]]) -> None: ...
    @property
    def empty(self) -> bool: ...

class Encoding:
    def __init__(
        self,
        model: BpeModel,
        scanner: str,
        always: LiteralMatcher | None,
        prefix_space: bool,
        extra_tokens: Sequence[tuple[int, bytes]],
        use_cache: bool = True,
    ) -> None: ...
    def fresh(self) -> Encoding: ...
    @property
    def n_vocab(self) -> int: ...
    @property
    def scanner(self) -> str: ...
    @property
    def model(self) -> BpeModel: ...
    def count(self, text: str, specials: LiteralMatcher | None = None) -> int: ...
    def encode(self, text: str, specials: LiteralMatcher | None = None) -> list[int]: ...
    def encode_to_numpy(
        self, text: str, specials: LiteralMatcher | None = None
    ) -> npt.NDArray[np.uint32]: ...
    def count_batch(
        self,
        texts: Iterable[str],
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> npt.NDArray[np.uint64]: ...
    def count_spans(
        self,
        data: bytes | bytearray | memoryview,
        starts: npt.ArrayLike,
        lengths: npt.ArrayLike,
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> npt.NDArray[np.uint64]: ...
    def encode_batch(
        self,
        texts: Iterable[str],
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> list[list[int]]: ...
    def pieces(self, text: str, /) -> list[tuple[int, int]]: ...
    def decode_bytes(self, tokens: Sequence[int], /) -> bytes: ...
    def token_bytes(self, id: int, /) -> bytes | None: ...

class SpmModel:
    def __init__(
        self,
        piece_bytes: bytes,
        piece_offsets: npt.ArrayLike,
        ranking: str,
        scores: npt.ArrayLike | None,
        merges: npt.ArrayLike | None,
        byte_ids: npt.ArrayLike,
        unk_id: int | None,
        fuse_unk: bool,
        unknown_chars_merge: bool,
        whole: npt.ArrayLike | None = None,
    ) -> None: ...
    @property
    def n_ids(self) -> int: ...
    @property
    def n_pairs(self) -> int: ...
    def whole_flags(self) -> npt.NDArray[np.uint8]: ...
    def find(self, piece: bytes, /) -> int | None: ...

class SpmEncoding:
    def __init__(
        self,
        model: SpmModel,
        always: LiteralMatcher | None,
        literals_after_normalizing: bool,
        dummy_prefix: bool,
        escape_spaces: bool,
        remove_extra_spaces: bool,
        decode_bytes: bytes,
        decode_offsets: npt.ArrayLike,
        strip_leading_space: bool,
        use_cache: bool = True,
    ) -> None: ...
    def fresh(self) -> SpmEncoding: ...
    @property
    def n_vocab(self) -> int: ...
    @property
    def model(self) -> SpmModel: ...
    def normalize(self, text: str, /) -> str: ...
    def count(self, text: str, specials: LiteralMatcher | None = None) -> int: ...
    def encode(self, text: str, specials: LiteralMatcher | None = None) -> list[int]: ...
    def encode_to_numpy(
        self, text: str, specials: LiteralMatcher | None = None
    ) -> npt.NDArray[np.uint32]: ...
    def count_batch(
        self,
        texts: Iterable[str],
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> npt.NDArray[np.uint64]: ...
    def count_spans(
        self,
        data: bytes | bytearray | memoryview,
        starts: npt.ArrayLike,
        lengths: npt.ArrayLike,
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> npt.NDArray[np.uint64]: ...
    def encode_batch(
        self,
        texts: Iterable[str],
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> list[list[int]]: ...
    def decode_bytes(self, tokens: Sequence[int], /) -> bytes: ...
    def token_bytes(self, id: int, /) -> bytes | None: ...
