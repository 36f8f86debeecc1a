"""SentencePiece ``.model`` files (a protobuf ModelProto) with a BPE model.

Only the fields encoding needs are read: the pieces (text, score, type), the trainer's model
type, byte_fallback and special ids, and the normalizer's flags. Models the native core does
not reproduce (Unigram, a non-identity normalization table, unused pieces) raise
UnsupportedTokenizerError naming the feature.
"""

from __future__ import annotations

import re

import numpy as np

from ..definition import AddedToken, VocabArrays
from ..errors import UnsupportedTokenizerError, VocabError
from ..spm_definition import SpmDefinition
from .protobuf import LENGTH_DELIMITED, as_float, fields

# ModelProto field numbers (sentencepiece_model.proto).
_PIECES, _TRAINER, _NORMALIZER = 1, 2, 3
_PIECE_TEXT, _PIECE_SCORE, _PIECE_TYPE = 1, 2, 3
_MODEL_TYPE, _BYTE_FALLBACK, _WS_SUFFIX = 3, 35, 24
_UNK_ID, _BOS_ID, _EOS_ID = 40, 41, 42
_NORM_NAME, _CHARSMAP, _DUMMY_PREFIX, _REMOVE_WS, _ESCAPE_WS = 1, 2, 3, 4, 5
# SentencePiece piece types.
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
_MODEL_TYPES = {1: "Unigram", 2: "BPE", 3: "word", 4: "char"}


def _int(value: int | bytes) -> int:
    if not isinstance(value, int):
        msg = "expected an integer field"
        raise VocabError(msg)
    # int32 fields hold negative values as 64-bit two's complement varints.
    return value - (1 << 64) if value >= 1 << 63 else value


def _message(value: int | bytes, what: str) -> bytes:
    if not isinstance(value, bytes):
        msg = f"{what}: expected a message"
        raise VocabError(msg)
    return value


def _spec(data: bytes, what: str) -> dict[int, int | bytes]:
    return {number: value for number, _wire, value in fields(_message(data, what))}


_BYTE_PIECE = re.compile(r"<0x[0-9A-F]{2}>")


def _check_pieces(texts: list[str], types: list[int], byte_fallback: bool) -> None:
    """The checks sentencepiece makes when it loads a model, so that a file it refuses is
    refused here too rather than read as some other tokenizer."""
    seen: dict[str, int] = {}
    n_bytes = n_unknown = 0
    for i, (text, ptype) in enumerate(zip(texts, types, strict=True)):
        if ptype not in (NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE):
            msg = f"piece {i} ({text!r}): unknown piece type {ptype}"
            raise VocabError(msg)
        if not text:
            msg = f"piece {i}: empty piece"
            raise VocabError(msg)
        if text in seen:
            msg = f"piece {i}: {text!r} is already piece {seen[text]}"
            raise VocabError(msg)
        seen[text] = i
        if ptype == BYTE:
            if not _BYTE_PIECE.fullmatch(text):
                msg = f"piece {i}: byte piece {text!r} is not of the form <0xNN>"
                raise VocabError(msg)
            n_bytes += 1
        n_unknown += ptype == UNKNOWN
    if n_unknown != 1:
        msg = f"the model has {n_unknown} unknown (<unk>) pieces; sentencepiece needs exactly one"
        raise VocabError(msg)
    if byte_fallback and n_bytes != 256:
        msg = f"byte_fallback is on but there are {n_bytes} byte pieces, not 256"
        raise VocabError(msg)


def parse(data: bytes, *, name: str) -> SpmDefinition:
    """Builds an SpmDefinition from the bytes of a .model file.

    Raises:
        VocabError: not a readable ModelProto, or an inconsistent one.
        UnsupportedTokenizerError: a model the native core does not run.
    """
    texts: list[str] = []
    scores: list[float] = []
    types: list[int] = []
    trainer: dict[int, int | bytes] = {}
    normalizer: dict[int, int | bytes] = {}
    for number, wire, value in fields(data):
        if number == _PIECES and wire == LENGTH_DELIMITED:
            piece = _spec(_message(value, "piece"), "piece")
            raw = piece.get(_PIECE_TEXT, b"")
            if not isinstance(raw, bytes):
                msg = f"piece {len(texts)}: text is not a string"
                raise VocabError(msg)
            try:
                texts.append(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                msg = f"piece {len(texts)}: text is not UTF-8"
                raise VocabError(msg) from e
            scores.append(as_float(piece.get(_PIECE_SCORE, 0)))
            types.append(_int(piece.get(_PIECE_TYPE, NORMAL)))
        elif number == _TRAINER:
            trainer = _spec(_message(value, "trainer_spec"), "trainer_spec")
        elif number == _NORMALIZER:
            normalizer = _spec(_message(value, "normalizer_spec"), "normalizer_spec")
    if not texts:
        msg = "not a SentencePiece model: no pieces"
        raise VocabError(msg)
    _check_pieces(texts, types, bool(_int(trainer.get(_BYTE_FALLBACK, 0))))
    model_type = _int(trainer.get(_MODEL_TYPE, 1))
    if model_type != 2:
        kind = _MODEL_TYPES.get(model_type, str(model_type))
        msg = f"SentencePiece {kind} models are not run natively (only BPE)"
        raise UnsupportedTokenizerError(msg)
    if normalizer.get(_CHARSMAP):
        msg = (
            f"normalization {normalizer.get(_NORM_NAME, b'')!r} (a character map) is not run "
            "natively; only identity normalization is"
        )
        raise UnsupportedTokenizerError(msg)
    if _int(trainer.get(_WS_SUFFIX, 0)):
        msg = "treat_whitespace_as_suffix is not run natively"
        raise UnsupportedTokenizerError(msg)
    if UNUSED in types:
        msg = "unused pieces (merged, then split again by sentencepiece) are not run natively"
        raise UnsupportedTokenizerError(msg)

    by_id: dict[int, bytes] = {}
    named: dict[int, str] = {}
    byte_ids = np.full(256, -1, dtype=np.int64)
    added: list[AddedToken] = []
    for i, (text, ptype) in enumerate(zip(texts, types, strict=True)):
        if ptype in (NORMAL, USER_DEFINED):
            by_id[i] = text.encode("utf-8")
            if ptype == USER_DEFINED:
                added.append(AddedToken(text, i, special=False, normalized=True))
        elif ptype == BYTE:
            if not (len(text) == 6 and text.startswith("<0x") and text.endswith(">")):
                msg = f"piece {i}: byte piece {text!r} is not of the form <0xNN>"
                raise VocabError(msg)
            byte_ids[int(text[3:5], 16)] = i
            named[i] = text
        else:
            named[i] = text
            if ptype == CONTROL:
                added.append(AddedToken(text, i, special=True, normalized=False))
    byte_fallback = bool(_int(trainer.get(_BYTE_FALLBACK, 0)))
    unk_id = _int(trainer.get(_UNK_ID, 0))
    bos_id = _int(trainer.get(_BOS_ID, 1))
    dummy_prefix = bool(_int(normalizer.get(_DUMMY_PREFIX, 1)))
    # The ids sentencepiece's own wrappers (mistral-common, Hugging Face's LlamaTokenizer)
    # put first: BOS only.
    bos = (bos_id,) if 0 <= bos_id < len(texts) else ()
    return SpmDefinition(
        name=name,
        pieces=VocabArrays.from_id_bytes({**by_id, len(texts) - 1: by_id.get(len(texts) - 1, b"")}),
        ranking="scores",
        scores=np.asarray(scores, dtype=np.float32),
        byte_ids=byte_ids if byte_fallback else np.empty(0, dtype=np.int64),
        unk_id=unk_id if 0 <= unk_id < len(texts) else None,
        fuse_unk=False,
        dummy_prefix=dummy_prefix,
        escape_spaces=bool(_int(normalizer.get(_ESCAPE_WS, 1))),
        remove_extra_spaces=bool(_int(normalizer.get(_REMOVE_WS, 1))),
        literals_after_normalizing=True,
        strip_leading_space=dummy_prefix,
        named=named,
        added=tuple(added),
        bos_eos=(bos, ()),
        explicit_n_vocab=len(texts),
        info={"format": "sentencepiece"},
    )
