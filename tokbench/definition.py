"""What an encoding is made of, independent of where it was read from.

A definition is plain data: the BPE vocabulary as arrays, plus the pipeline around it
(normalizer -> added tokens -> pre-tokenizer -> BPE model), in Hugging Face tokenizers'
vocabulary. The bundled encodings are definitions stored as JSON + npz; user files are
parsed into the same shape (tokbench.formats).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Ranking = Literal["tiktoken", "merges"]
# Regex dialect of the stages: tiktoken's (Rust regex / fancy-regex) or Hugging Face's
# (Oniguruma, Ruby syntax). They read a few constructs differently (e.g. "X{1,3}+").
PatternSyntax = Literal["rust", "oniguruma"]
Normalization = Literal["NFC", "NFKC"]


@dataclass(frozen=True)
class AddedToken:
    """A token matched as a literal string before pre-tokenization.

    Args:
        content: the text of the token.
        id: its id.
        special: special tokens are matched only when encode() is allowed to (tiktoken's
            rule); the others (Hugging Face added tokens with special=false) always are.
        normalized: Hugging Face matches it in the normalized text rather than the original.
    """

    content: str
    id: int
    special: bool = True
    normalized: bool = False


@dataclass(frozen=True)
class VocabArrays:
    """Token byte strings by id (an empty span marks an unused id), merges for
    ranking="merges" as an (m, 2) array of ids in priority order, and optionally the native
    core's precomputed split table for ranking="tiktoken" (saves its computation at load)."""

    token_bytes: bytes
    offsets: npt.NDArray[np.uint32]
    merges: npt.NDArray[np.uint32] | None = None
    splits: npt.NDArray[np.uint32] | None = None

    @property
    def n_ids(self) -> int:
        return len(self.offsets) - 1

    @classmethod
    def from_id_bytes(
        cls, by_id: dict[int, bytes], merges: npt.NDArray[np.uint32] | None = None
    ) -> VocabArrays:
        n_ids = max(by_id, default=-1) + 1
        lengths = np.zeros(n_ids, dtype=np.uint32)
        for i, b in by_id.items():
            lengths[i] = len(b)
        offsets = np.zeros(n_ids + 1, dtype=np.uint32)
        np.cumsum(lengths, out=offsets[1:])
        token_bytes = b"".join(by_id.get(i, b"") for i in range(n_ids))
        return cls(token_bytes, offsets, merges)

    def to_id_bytes(self) -> dict[int, bytes]:
        offs = self.offsets.tolist()
        data = self.token_bytes
        return {i: data[offs[i] : offs[i + 1]] for i in range(self.n_ids) if offs[i] != offs[i + 1]}


@dataclass(frozen=True)
class Definition:
    """Everything needed to build an Encoding.

    Args:
        name: the encoding's name.
        vocab: the BPE vocabulary (and merges).
        ranking: "tiktoken" (a pair merges if its concatenation is a token, by that token's
            rank) or "merges" (Hugging Face: by the pair's position in the merges list).
        whole_piece_first: a piece that is a token is that token without merging (tiktoken;
            Hugging Face ignore_merges).
        stages: pre-tokenizer regexes applied in turn, each to the previous stage's pieces.
        keep_gaps: text between matches becomes pieces too (Hugging Face Split "Isolated");
            tiktoken drops it (its patterns match every character anyway).
        scanner: the native scanner that reproduces `stages`, or None for the regex fallback.
        prefix_space: Hugging Face ByteLevel add_prefix_space.
        normalization: NFC or NFKC applied before pre-tokenization, if any.
        normalize_first: normalize the whole text before finding added tokens (tiktoken-style
            wrappers); otherwise Hugging Face's order (added tokens with normalized=false are
            found in the original text).
        added: special and added tokens.
        extra_decode: byte strings of ids that are neither BPE tokens nor added tokens but
            can be decoded (Mistral Tekken's control tokens).
        explicit_n_vocab: the vocabulary size the source declares, if it does (checked).
        bos_eos: ids the model's post-processor puts before and after a text, for
            count(..., add_special_tokens=True).
        pattern_syntax: the regex dialect `stages` are written in.
        info: provenance (source file, sha256, package, license, models that use it).
    """

    name: str
    vocab: VocabArrays
    ranking: Ranking
    whole_piece_first: bool
    stages: tuple[str, ...]
    keep_gaps: bool
    scanner: str | None
    prefix_space: bool = False
    normalization: Normalization | None = None
    normalize_first: bool = True
    added: tuple[AddedToken, ...] = ()
    extra_decode: dict[int, bytes] = field(default_factory=dict)
    explicit_n_vocab: int | None = None
    bos_eos: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    pattern_syntax: PatternSyntax = "rust"
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def special_tokens(self) -> dict[str, int]:
        return {t.content: t.id for t in self.added if t.special}
