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
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def special_tokens(self) -> dict[str, int]:
        return {t.content: t.id for t in self.added if t.special}

    def decode_table(self) -> dict[int, bytes]:
        """What each id decodes to: a byte piece its byte, a piece its text with '▁' as a
        space, a control or added token its name."""
        table = {
            i: b.replace(SPACE_MARK.encode(), b" ") for i, b in self.pieces.to_id_bytes().items()
        }
        for i, text in self.named.items():
            table.setdefault(i, text.encode("utf-8"))
        for t in self.added:
            table.setdefault(t.id, t.content.encode("utf-8"))
        for b, i in enumerate(self.byte_ids.tolist()):
            if i >= 0:
                table[int(i)] = bytes([b])
        return table
