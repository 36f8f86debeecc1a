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
from .limits import MAX_TOKEN_ID

# Mistral Tekken reserves 1000 ids below its ranks; an offset far beyond that is a corrupt file.
MAX_ID_OFFSET = 1 << 20


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
    for text, token in (special_tokens or {}).items():
        if not isinstance(text, str) or not text or not _is_id(token):
            msg = f"{name}: special token {text!r}: needs non-empty text and an id, not {token!r}"
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
    _check_types(meta, source)
    return {
        "pattern": meta["pat_str"],
        "special_tokens": meta.get("special_tokens") or {},
        "normalization": meta.get("normalization"),
        "explicit_n_vocab": meta.get("explicit_n_vocab"),
    }


def _is_id(value: Any, limit: int = MAX_TOKEN_ID) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit


def _check_types(meta: dict[str, Any], source: str) -> None:
    """Raises VocabError naming the first key of encoding.json with a value of the wrong type."""
    problems = []
    if not isinstance(meta["pat_str"], str) or not meta["pat_str"]:
        problems.append(f"'pat_str' must be a non-empty string, not {meta['pat_str']!r}")
    specials = meta.get("special_tokens")
    if specials is not None and not (
        isinstance(specials, dict) and all(isinstance(t, str) and t for t in specials)
    ):
        problems.append("'special_tokens' must be an object of {token text: id}")
    elif specials:
        bad = [t for t, i in specials.items() if not _is_id(i)]
        if bad:
            problems.append(f"'special_tokens'[{bad[0]!r}] must be an id, not {specials[bad[0]]!r}")
    for key, limit in (("token_id_offset", MAX_ID_OFFSET), ("explicit_n_vocab", MAX_TOKEN_ID)):
        if meta.get(key) is not None and not _is_id(meta[key], limit):
            problems.append(f"{key!r} must be an integer from 0 to {limit}, not {meta[key]!r}")
    if meta.get("ranks_file") is not None and not isinstance(meta["ranks_file"], str):
        problems.append(f"'ranks_file' must be a file name, not {meta['ranks_file']!r}")
    if problems:
        msg = f"{source}: {problems[0]}"
        raise VocabError(msg)
