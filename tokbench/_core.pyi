"""Type stub for the native module tokbench._core (checked in; tests/test_stub.py checks
that it names exactly what the module defines)."""

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__version__: str
UNICODE_VERSION: str

def char_classes() -> bytes: ...

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
    def encode_batch(
        self,
        texts: Iterable[str],
        num_threads: int | None = None,
        specials: LiteralMatcher | None = None,
    ) -> list[list[int]]: ...
    def pieces(self, text: str, /) -> list[tuple[int, int]]: ...
    def decode_bytes(self, tokens: Sequence[int], /) -> bytes: ...
    def token_bytes(self, id: int, /) -> bytes | None: ...
