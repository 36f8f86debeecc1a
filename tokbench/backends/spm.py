"""The native backend for SentencePiece-style BPE: tokbench's C++ core (csrc/core/spm_*)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .. import _core
from ..definition import AddedToken
from ..spm_definition import SPACE_MARK, SpmDefinition
from . import Path, Utf8Spans


def core_spm_model(definition: SpmDefinition) -> _core.SpmModel:
    """The core's tables for a definition (built with the GIL released)."""
    pieces = definition.pieces
    merges = (
        pieces.merges.reshape(-1)
        if definition.ranking == "merges" and pieces.merges is not None
        else None
    )
    byte_ids = definition.byte_ids.astype(np.int64)
    return _core.SpmModel(
        pieces.token_bytes,
        pieces.offsets,
        definition.ranking,
        definition.scores,
        merges,
        np.where(byte_ids < 0, 0xFFFFFFFF, byte_ids).astype(np.uint32),
        definition.unk_id,
        definition.fuse_unk,
        definition.ranking == "scores",
        definition.whole,
    )


@lru_cache(maxsize=256)
def _literal_matcher(tokens: frozenset[AddedToken]) -> _core.LiteralMatcher:
    return _core.LiteralMatcher([(t.content.encode("utf-8"), t.id) for t in tokens])


class SpmBackend:
    """Runs an SpmDefinition on a shared core model. Thread-safe, like the core."""

    path: Path = "native"

    def __init__(self, definition: SpmDefinition, model: _core.SpmModel) -> None:
        self._def = definition
        self._always = frozenset(t for t in definition.added if not t.special)
        self._specials = {t.content: t for t in definition.added if t.special}
        decode = definition.decode_arrays()
        self._core = _core.SpmEncoding(
            model,
            _literal_matcher(self._always) if self._always else None,
            definition.literals_after_normalizing,
            definition.dummy_prefix,
            definition.escape_spaces,
            definition.remove_extra_spaces,
            decode.token_bytes,
            decode.offsets,
            definition.strip_leading_space,
        )
        self._model = model
        self.n_vocab: int = self._core.n_vocab

    def _matcher(self, allowed: frozenset[str]) -> _core.LiteralMatcher | None:
        """The literal tokens the core matches in the raw text: None means its own set (the
        always-matched tokens). sentencepiece-style encodings find those in the normalized
        text, so they get only the allowed special tokens here."""
        if not allowed:
            return None
        specials = frozenset(self._specials[s] for s in allowed)
        if self._def.literals_after_normalizing:
            return _literal_matcher(specials)
        return _literal_matcher(self._always | specials)

    def encode(self, text: str, allowed: frozenset[str]) -> list[int]:
        return list(self._core.encode(text, self._matcher(allowed)))

    def encode_to_numpy(self, text: str, allowed: frozenset[str]) -> npt.NDArray[np.uint32]:
        return self._core.encode_to_numpy(text, self._matcher(allowed))

    def count(self, text: str) -> int:
        return int(self._core.count(text))

    def count_batch(self, texts: Sequence[str], num_threads: int | None) -> npt.NDArray[np.uint64]:
        return self._core.count_batch(texts, num_threads)

    def count_spans(self, spans: Utf8Spans, num_threads: int | None) -> npt.NDArray[np.uint64]:
        # The core normalizes too: every text goes to it as it is.
        return self._core.count_spans(spans.data, spans.starts, spans.lengths, num_threads)

    def encode_batch(
        self, texts: Sequence[str], num_threads: int | None, allowed: frozenset[str]
    ) -> list[list[int]]:
        return self._core.encode_batch(texts, num_threads, self._matcher(allowed))

    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        return self._core.decode_bytes(tokens)

    def token_bytes(self, token: int) -> bytes | None:
        return self._core.token_bytes(token)

    def token_id(self, token: bytes) -> int | None:
        """The id of the piece whose decoded bytes these are (spaces as '▁')."""
        return self._model.find(token.replace(b" ", SPACE_MARK.encode()))

    def token_byte_values(self) -> list[bytes]:
        return [self._core.token_bytes(i) or b"" for i in range(self._def.pieces.n_ids)]

    def fresh(self) -> _core.SpmEncoding:
        """A core encoding with the same tables and empty caches (for cold benchmarks)."""
        return self._core.fresh()
