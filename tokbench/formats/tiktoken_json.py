"""The `encoding.json` that describes a tiktoken-format vocabulary: the pre-tokenizer pattern,
special tokens, id offset and normalization that the .tiktoken ranks file itself lacks.

Keys: pat_str (required), ranks_file, special_tokens {text: id}, token_id_offset,
normalization ("NFC" | "NFKC" | null), explicit_n_vocab, name.
"""

from __future__ import annotations

from typing import Any

from ..definition import AddedToken, Definition, VocabArrays
from ..errors import VocabError
from ..patterns import SCANNER_FOR_PATTERN


def tiktoken_definition(
    name: str,
    vocab: VocabArrays,
    *,
    pattern: str,
    special_tokens: dict[str, int] | None = None,
    normalization: str | None = None,
    explicit_n_vocab: int | None = None,
    extra_decode: dict[int, bytes] | None = None,
    info: dict[str, Any] | None = None,
) -> Definition:
    """A Definition with tiktoken's semantics (rank-ordered merges, whole piece first)."""
    if normalization not in (None, "NFC", "NFKC"):
        msg = f"{name}: normalization must be NFC, NFKC or null, not {normalization!r}"
        raise VocabError(msg)
    if not isinstance(pattern, str) or not pattern:
        msg = f"{name}: the pre-tokenizer pattern (pat_str) must be a non-empty string"
        raise VocabError(msg)
    return Definition(
        name=name,
        vocab=vocab,
        ranking="tiktoken",
        whole_piece_first=True,
        stages=(pattern,),
        keep_gaps=False,
        scanner=SCANNER_FOR_PATTERN.get(pattern),
        normalization=normalization,  # type: ignore[arg-type]
        normalize_first=True,
        added=tuple(AddedToken(t, i, special=True) for t, i in (special_tokens or {}).items()),
        extra_decode=dict(extra_decode or {}),
        explicit_n_vocab=explicit_n_vocab,
        info=dict(info or {}),
    )


def options_from_json(meta: dict[str, Any], *, source: str) -> dict[str, Any]:
    """Keyword arguments for tiktoken_definition() from an encoding.json object."""
    if "pat_str" not in meta:
        msg = f"{source}: no 'pat_str' (the pre-tokenizer pattern) in the encoding description"
        raise VocabError(msg)
    return {
        "pattern": meta["pat_str"],
        "special_tokens": meta.get("special_tokens") or {},
        "normalization": meta.get("normalization"),
        "explicit_n_vocab": meta.get("explicit_n_vocab"),
    }
