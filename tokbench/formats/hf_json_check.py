"""Shape checks for a parsed tokenizer.json, run before any parser reads it.

The parsers (hf_json, hf_spm) and the Hugging Face fallback read a file that may come from
anywhere. A field of the wrong type would otherwise surface as an AttributeError deep inside
a parser, a value that Python's truthiness reads as something else (``"ignore_merges":
"no"`` is true), or an id so large that the tables sized by it exhaust memory. This module
checks the fields tokbench reads, so that such a file fails with one VocabError that names
the field and says what was expected.
"""

from __future__ import annotations

from typing import Any

from ..errors import VocabError
from .limits import MAX_TOKEN_ID, check_id_range

_BOOL_FIELDS_OF_MODEL = ("ignore_merges", "byte_fallback", "fuse_unk")
_BOOL_FIELDS_OF_ADDED = ("special", "normalized", "lstrip", "rstrip", "single_word")


def _fail(what: str) -> VocabError:
    return VocabError(f"tokenizer.json: {what}")


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        msg = f"{what} must be a JSON object, not {_type_name(value)}"
        raise _fail(msg)
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        msg = f"{what} must be a JSON array, not {_type_name(value)}"
        raise _fail(msg)
    return value


def _bools(obj: dict[str, Any], keys: tuple[str, ...], what: str) -> None:
    for key in keys:
        value = obj.get(key)
        if value is not None and not isinstance(value, bool):
            msg = f"{what}.{key} must be true or false, not {value!r}"
            raise _fail(msg)


def token_id(value: Any, what: str) -> int:
    """An id as the file gives it: a non-negative JSON integer (not a bool, not a float)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TOKEN_ID:
        msg = f"{what} must be an integer id from 0 to {MAX_TOKEN_ID}, not {value!r}"
        raise _fail(msg)
    return value


def _check_vocab(model: dict[str, Any]) -> int:
    """Checks model.vocab ({token: id}, or [[piece, score], ...] for Unigram); its ids."""
    vocab = model.get("vocab")
    if vocab is None:
        return 0
    if isinstance(vocab, list):  # Unigram: [[piece, score], ...]; ids are positions
        for i, entry in enumerate(vocab):
            ok = isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
            if not ok or isinstance(entry[1], bool) or not isinstance(entry[1], int | float):
                msg = f"model.vocab[{i}] must be a [piece, score] pair, not {entry!r}"
                raise _fail(msg)
        return len(vocab)
    vocab = _object(vocab, "model.vocab")
    owner: dict[int, str] = {}
    for token, value in vocab.items():
        i = token_id(value, f"model.vocab[{token!r}]")
        if i in owner:
            msg = f"model.vocab gives id {i} to both {owner[i]!r} and {token!r}"
            raise _fail(msg)
        owner[i] = token
    if owner:
        check_id_range(max(owner), len(owner), "tokenizer.json: model.vocab")
    return len(owner)


def _check_added(data: dict[str, Any], n_vocab: int) -> None:
    added = data.get("added_tokens")
    if added is None:
        return
    seen: dict[str, int] = {}
    ids: list[int] = []
    for i, entry in enumerate(_list(added, "added_tokens")):
        what = f"added_tokens[{i}]"
        obj = _object(entry, what)
        content = obj.get("content")
        if not isinstance(content, str) or not content:
            msg = f"{what}.content must be a non-empty string, not {content!r}"
            raise _fail(msg)
        ids.append(token_id(obj.get("id"), f"{what}.id"))
        _bools(obj, _BOOL_FIELDS_OF_ADDED, what)
        if content in seen and seen[content] != ids[-1]:
            msg = f"{what}: {content!r} is added twice, with ids {seen[content]} and {ids[-1]}"
            raise _fail(msg)
        seen[content] = ids[-1]
    if ids:
        check_id_range(max(ids), n_vocab + len(ids), "tokenizer.json: added_tokens")


def _check_steps(spec: Any, what: str, list_key: str) -> None:
    """A normalizer or pre-tokenizer: an object with a string type; a Sequence's steps too."""
    if spec is None:
        return
    obj = _object(spec, what)
    kind = obj.get("type")
    if not isinstance(kind, str):
        msg = f"{what}.type must be a string, not {kind!r}"
        raise _fail(msg)
    if kind == "Sequence":
        for i, step in enumerate(_list(obj.get(list_key), f"{what}.{list_key}")):
            _check_steps(step, f"{what}.{list_key}[{i}]", list_key)
        return
    _bools(obj, ("add_prefix_space", "use_regex", "trim_offsets", "invert"), what)
    if kind == "Split":
        pattern = _object(obj.get("pattern"), f"{what}.pattern")
        if len(pattern) != 1 or not isinstance(next(iter(pattern.values())), str):
            msg = (
                f'{what}.pattern must be {{"Regex": "..."}} or {{"String": "..."}}, not {pattern!r}'
            )
            raise _fail(msg)


def check(data: dict[str, Any]) -> None:
    """Raises VocabError naming the first field of a wrong type or value.

    Checks model (type, vocab ids, merges, flags), added_tokens (content, id, flags),
    normalizer and pre_tokenizer (objects with a type; Sequence steps; Split patterns).
    Fields tokbench does not read are left to the parser that reads them.
    """
    model = _object(data.get("model"), "model")
    kind = model.get("type", "BPE")
    if not isinstance(kind, str):
        msg = f"model.type must be a string, not {kind!r}"
        raise _fail(msg)
    _bools(model, _BOOL_FIELDS_OF_MODEL, "model")
    dropout = model.get("dropout")
    if dropout is not None and (isinstance(dropout, bool) or not isinstance(dropout, int | float)):
        msg = f"model.dropout must be a number or null, not {dropout!r}"
        raise _fail(msg)
    n_vocab = _check_vocab(model)
    if "merges" in model and model["merges"] is not None:
        _list(model["merges"], "model.merges")
    _check_added(data, n_vocab)
    _check_steps(data.get("normalizer"), "normalizer", "normalizers")
    _check_steps(data.get("pre_tokenizer"), "pre_tokenizer", "pretokenizers")
