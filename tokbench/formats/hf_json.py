"""Hugging Face tokenizer.json files with a byte-level BPE model.

The json semantics are kept exactly: merge priority is the position in the merges list, ids
come from the vocab, added tokens behave as Hugging Face defines them. Features the native
core does not reproduce raise UnsupportedTokenizerError naming the feature, so that the
caller can fall back to the reference library rather than give a different answer.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ..definition import AddedToken, Definition, Normalization, VocabArrays
from ..errors import UnsupportedTokenizerError, VocabError
from ..patterns import GPT2_CLASSIC, SCANNER_FOR_STAGES
from .post_processor import bos_eos


@cache
def _char_to_byte() -> dict[str, int]:
    """Inverse of GPT-2's bytes_to_unicode: the printable stand-in for each byte."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    mapping = {chr(b): b for b in printable}
    shifted = 0
    for b in range(256):
        if b not in printable:
            mapping[chr(256 + shifted)] = b
            shifted += 1
    return mapping


@cache
def _byte_to_char() -> dict[int, str]:
    return {b: c for c, b in _char_to_byte().items()}


def byte_level_encode(raw: bytes) -> str:
    """The byte-level token string that stands for these bytes."""
    table = _byte_to_char()
    return "".join(table[b] for b in raw)


def byte_level_decode(token: str) -> bytes | None:
    """The bytes a byte-level token string stands for, or None if it is not byte-level."""
    table = _char_to_byte()
    try:
        return bytes(table[c] for c in token)
    except KeyError:
        return None


def _unsupported(what: str) -> UnsupportedTokenizerError:
    return UnsupportedTokenizerError(f"tokenizer.json: {what}")


def _normalization(spec: dict[str, Any] | None) -> Normalization | None:
    if spec is None:
        return None
    kind = spec.get("type")
    if kind in ("NFC", "NFKC"):
        return kind  # type: ignore[no-any-return]
    if kind == "Sequence":
        inner = [n for n in spec.get("normalizers", []) if n is not None]
        if not inner:
            return None
        if len(inner) == 1:
            return _normalization(inner[0])
    msg = f"normalizer {kind!r} is not run natively"
    raise _unsupported(msg)


def _split_pattern(step: dict[str, Any]) -> str:
    if step.get("behavior") != "Isolated" or step.get("invert", False):
        msg = (
            f"Split with behavior {step.get('behavior')!r} and invert {step.get('invert')!r} "
            "is not run natively (only Isolated, not inverted)"
        )
        raise _unsupported(msg)
    pattern = step.get("pattern", {})
    if "Regex" in pattern:
        return str(pattern["Regex"])
    if "String" in pattern:
        return re.escape(str(pattern["String"]))
    msg_0 = f"Split pattern {pattern!r}"
    raise _unsupported(msg_0)


def _stage_pattern(step: dict[str, Any]) -> str:
    """The regex of a step before ByteLevel, applied with Split's Isolated behaviour."""
    kind = step.get("type")
    if kind == "Split":
        return _split_pattern(step)
    if kind == "Digits":
        # Hugging Face's Digits splits on char::is_numeric (general category N): each digit
        # alone, or runs of them (Contiguous), the rest kept as pieces; that is Isolated.
        return r"\p{N}" if step.get("individual_digits") else r"\p{N}+"
    msg = f"pre-tokenizer step {kind!r} is not run natively"
    raise _unsupported(msg)


def _pre_tokenizer(spec: dict[str, Any] | None) -> tuple[tuple[str, ...], bool]:
    """(regex stages, add_prefix_space) for a pipeline that ends in a byte-level mapping."""
    if spec is None:
        msg = "no pre-tokenizer: not a byte-level BPE tokenizer"
        raise _unsupported(msg)
    steps = spec.get("pretokenizers", []) if spec.get("type") == "Sequence" else [spec]
    if not steps or steps[-1].get("type") != "ByteLevel":
        msg = "the pre-tokenizer does not end with ByteLevel"
        raise _unsupported(msg)
    stages = [_stage_pattern(s) for s in steps[:-1]]
    byte_level = steps[-1]
    prefix_space = bool(byte_level.get("add_prefix_space", True))
    if byte_level.get("use_regex", True):
        stages.append(GPT2_CLASSIC)
    if prefix_space and len(stages) > 1:
        msg = "ByteLevel add_prefix_space after Split stages is not run natively"
        raise _unsupported(msg)
    if not stages:
        msg = "ByteLevel without a regex: the whole text would be one piece"
        raise _unsupported(msg)
    return tuple(stages), prefix_space


def _check_model(model: dict[str, Any]) -> None:
    if model.get("type", "BPE") != "BPE":
        msg = f"model type {model.get('type')!r}: only byte-level BPE runs natively for now"
        raise _unsupported(msg)
    if model.get("dropout") not in (None, 0, 0.0):
        msg_0 = "BPE dropout is random; counts would not be reproducible"
        raise _unsupported(msg_0)
    for key in ("continuing_subword_prefix", "end_of_word_suffix"):
        if model.get(key):
            msg_0 = f"BPE {key}={model[key]!r} is not run natively"
            raise _unsupported(msg_0)
    if model.get("byte_fallback"):
        msg_0 = "BPE byte_fallback (SentencePiece-style) is not run natively yet"
        raise _unsupported(msg_0)


def merge_pair(entry: Any, index: int) -> tuple[str, str]:
    if isinstance(entry, str):
        parts = entry.split(" ")
        if len(parts) == 2:
            return parts[0], parts[1]
    elif isinstance(entry, list) and len(entry) == 2:
        return str(entry[0]), str(entry[1])
    msg = f"tokenizer.json: merge {index} is not a pair: {entry!r}"
    raise VocabError(msg)


def merge_ids(merges: list[Any], vocab: dict[str, int]) -> npt.NDArray[np.uint32]:
    """The merges list as an (m, 2) array of token ids, in priority order."""
    pairs = np.empty((len(merges), 2), dtype=np.uint32)
    for i, entry in enumerate(merges):
        left, right = merge_pair(entry, i)
        try:
            pairs[i] = (vocab[left], vocab[right])
        except KeyError as e:
            msg = f"tokenizer.json: merge {i} ({left!r}, {right!r}) names a token not in the vocab"
            raise VocabError(msg) from e
    return pairs


def parse(data: dict[str, Any], *, name: str) -> Definition:
    """Builds a Definition from a parsed tokenizer.json.

    Raises:
        UnsupportedTokenizerError: for features the native core does not run.
        VocabError: for an inconsistent file (merges naming unknown tokens, ...).
    """
    model = data.get("model")
    if not isinstance(model, dict):
        msg = "tokenizer.json: no 'model' object"
        raise VocabError(msg)
    _check_model(model)
    normalization = _normalization(data.get("normalizer"))
    stages, prefix_space = _pre_tokenizer(data.get("pre_tokenizer"))

    vocab = model.get("vocab")
    if not isinstance(vocab, dict) or not vocab:
        msg = "tokenizer.json: the BPE model has no vocab"
        raise VocabError(msg)
    added = []
    for entry in data.get("added_tokens") or []:
        if entry.get("lstrip") or entry.get("rstrip") or entry.get("single_word"):
            msg = f"added token {entry.get('content')!r} uses lstrip/rstrip/single_word"
            raise _unsupported(msg)
        added.append(
            AddedToken(
                content=str(entry["content"]),
                id=int(entry["id"]),
                special=bool(entry.get("special", False)),
                normalized=bool(entry.get("normalized", not entry.get("special", False))),
            )
        )
    added_ids = {t.id for t in added}

    by_id: dict[int, bytes] = {}
    extra_decode: dict[int, bytes] = {}
    for token, token_id in vocab.items():
        if not isinstance(token_id, int) or token_id < 0:
            msg = f"tokenizer.json: vocab id {token_id!r} of {token!r} is not a valid id"
            raise VocabError(msg)
        raw = byte_level_decode(token)
        if raw is not None:
            by_id[token_id] = raw
        elif token_id not in added_ids:
            # Not reachable by merging bytes; still decodable, as its text.
            extra_decode[token_id] = token.encode("utf-8")
    pairs = merge_ids(model.get("merges") or [], vocab)

    return Definition(
        name=name,
        vocab=VocabArrays.from_id_bytes(by_id, pairs),
        ranking="merges",
        whole_piece_first=bool(model.get("ignore_merges", False)),
        stages=stages,
        keep_gaps=True,
        scanner=SCANNER_FOR_STAGES.get(stages),
        prefix_space=prefix_space,
        normalization=normalization,
        normalize_first=False,
        added=tuple(added),
        extra_decode=extra_decode,
        pattern_syntax="oniguruma",
        bos_eos=bos_eos(data.get("post_processor")),
        info={"format": "tokenizer.json"},
    )
