"""What a SentencePiece-style BPE encoding is made of, independent of its source file.

Both sources (a sentencepiece ``.model`` and the Hugging Face ``tokenizer.json`` form with
``byte_fallback``) are parsed into this shape (tokbench.formats.spm_model, .hf_spm); the
bundled ones are stored as JSON + npz (tokbench.formats.spm_bundle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .definition import AddedToken, VocabArrays

SpmRanking = Literal["scores", "merges"]
SPACE_MARK = "\u2581"  # '▁': how sentencepiece writes a space inside pieces


@dataclass(frozen=True)
class SpmDefinition:
    """Everything needed to build a SentencePiece-style BPE Encoding.

    Args:
        name: the encoding's name.
        pieces: the text of each id as the model looks it up ('▁' for spaces; an empty span
            for ids that text never produces, such as control and byte pieces of a .model),
            and for ranking="merges" the merges as id pairs in priority order.
        ranking: "scores" (sentencepiece: a pair merges into the piece it spells, the
            highest score first) or "merges" (Hugging Face: by position in the merges list).
        scores: one float32 score per id for ranking="scores".
        byte_ids: the ids of the 256 <0xNN> byte pieces (-1 where missing); empty without
            byte fallback.
        unk_id: the unknown token, if any.
        fuse_unk: a run of unknown characters gives one unknown token (Hugging Face).
        dummy_prefix: '▁' before non-empty text (add_dummy_prefix / Prepend).
        escape_spaces: ' ' becomes '▁' (escape_whitespaces / Replace).
        remove_extra_spaces: sentencepiece remove_extra_whitespaces.
        literals_after_normalizing: literal tokens are found in the normalized text
            (sentencepiece user-defined symbols) rather than the raw text (Hugging Face).
        strip_leading_space: decoding drops one leading space (the dummy prefix).
        named: text for ids that have no piece text and no byte (control, unknown tokens).
        added: literal tokens: special ones are matched only when encode() allows them; the
            others (Hugging Face added tokens, sentencepiece user-defined symbols) always.
        bos_eos: ids the model's post-processor puts before and after a text, for
            count(..., add_special_tokens=True).
        explicit_n_vocab: the vocabulary size the source declares, if it does (checked).
        whole: optionally, the core's whole-piece flags for these tables (SpmModel.
            whole_flags(), stored with the bundle so that the first text does not work
            them out).
        info: provenance (source file, sha256, package, license, models that use it).
    """

    name: str
    pieces: VocabArrays
    ranking: SpmRanking
    scores: npt.NDArray[np.float32] | None
    byte_ids: npt.NDArray[np.int64]
    unk_id: int | None
    fuse_unk: bool
    dummy_prefix: bool
    escape_spaces: bool
    remove_extra_spaces: bool
    literals_after_normalizing: bool
    strip_leading_space: bool
    named: dict[int, str] = field(default_factory=dict)
    added: tuple[AddedToken, ...] = ()
    bos_eos: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    explicit_n_vocab: int | None = None
    whole: npt.NDArray[np.uint8] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def special_tokens(self) -> dict[str, int]:
        return {t.content: t.id for t in self.added if t.special}

    def decode_arrays(self) -> VocabArrays:
        """What each id decodes to, as arrays: a piece its text with '▁' as a space, a byte
        piece its byte, a control or added token (without piece text) its name."""
        mark = SPACE_MARK.encode()
        blob = self.pieces.token_bytes
        offsets = self.pieces.offsets.astype(np.int64)
        raw = np.frombuffer(blob, dtype=np.uint8)
        hits = np.flatnonzero((raw[:-2] == mark[0]) & (raw[1:-1] == mark[1]) & (raw[2:] == mark[2]))
        per_id = np.bincount(
            np.searchsorted(offsets, hits, side="right") - 1, minlength=len(offsets) - 1
        )
        # '▁' (3 bytes) becomes ' ' (1 byte): each id's span shrinks by 2 per mark in it.
        shift = np.concatenate([[0], np.cumsum(per_id)]) * 2
        text = blob.replace(mark, b" ")
        ends = offsets - shift
        n_pieces = len(ends) - 1
        lengths = np.diff(ends)
        # Ids whose decoding is not their piece text (few): byte pieces, and control or added
        # tokens that have no piece text.
        overrides: dict[int, bytes] = {}
        for t in self.added:
            overrides[t.id] = t.content.encode("utf-8")
        for i, name in self.named.items():
            overrides[i] = name.encode("utf-8")
        overrides = {i: v for i, v in overrides.items() if i >= n_pieces or lengths[i] == 0}
        for b, i in enumerate(self.byte_ids.tolist()):
            if i >= 0:
                overrides[int(i)] = bytes([b])
        n = max(n_pieces, max(overrides, default=-1) + 1)
        new_lengths = np.zeros(n, dtype=np.int64)
        new_lengths[:n_pieces] = lengths
        parts: list[bytes] = []
        prev = 0
        for i in sorted(overrides):
            parts.append(text[ends[min(prev, n_pieces)] : ends[min(i, n_pieces)]])
            parts.append(overrides[i])
            new_lengths[i] = len(overrides[i])
            prev = i + 1
        parts.append(text[ends[min(prev, n_pieces)] :])
        new_offsets = np.zeros(n + 1, dtype=np.uint32)
        np.cumsum(new_lengths, out=new_offsets[1:])
        return VocabArrays(b"".join(parts), new_offsets)
