"""Hugging Face tokenizer.json files in SentencePiece form: a BPE model with byte_fallback over
'▁'-escaped text (Gemma, Llama 2, Mistral v1 conversions).

Recognised pipeline: normalizer Replace(' ', '▁') optionally after Prepend('▁'); no
pre-tokenizer, or a Split on ' ' (which finds nothing once spaces are '▁'); added tokens
matched in the raw text. Anything else raises UnsupportedTokenizerError naming the feature.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..definition import AddedToken, VocabArrays
from ..errors import UnsupportedTokenizerError, VocabError
from ..spm_definition import SPACE_MARK, SpmDefinition
from .hf_json import merge_ids
from .post_processor import bos_eos


def _unsupported(what: str) -> UnsupportedTokenizerError:
    return UnsupportedTokenizerError(f"tokenizer.json: {what}")


def is_spm_form(data: dict[str, Any]) -> bool:
    """Whether the file looks like a SentencePiece-style BPE (worth parsing with parse())."""
    model = data.get("model")
    return (
        isinstance(model, dict)
        and model.get("type", "BPE") == "BPE"
        and (
            bool(model.get("byte_fallback"))
            or _normalizer_steps(data.get("normalizer")) is not None
        )
    )


def _normalizer_steps(spec: dict[str, Any] | None) -> tuple[bool, bool] | None:
    """(prepend '▁', replace ' ' by '▁') for the recognised normalizers, else None."""
    if spec is None:
        return None
    steps = spec.get("normalizers", []) if spec.get("type") == "Sequence" else [spec]
    prepend = replace = False
    for i, step in enumerate(steps):
        kind = step.get("type")
        if kind == "Prepend" and step.get("prepend") == SPACE_MARK and i == 0:
            prepend = True
        elif (
            kind == "Replace"
            and step.get("pattern") == {"String": " "}
            and step.get("content") == SPACE_MARK
        ):
            replace = True
        else:
            return None
    return (prepend, replace) if replace else None


def _check_pre_tokenizer(spec: dict[str, Any] | None) -> None:
    if spec is None:
        return
    if (
        spec.get("type") == "Split"
        and spec.get("pattern") == {"String": " "}
        and not spec.get("invert", False)
    ):
        return  # after Replace(' ', '▁') there is no space left to split on
    msg = f"pre-tokenizer {spec.get('type')!r} after a SentencePiece-style normalizer"
    raise _unsupported(msg)


def parse(data: dict[str, Any], *, name: str) -> SpmDefinition:
    """Builds an SpmDefinition from a parsed tokenizer.json.

    Raises:
        UnsupportedTokenizerError: for features the native core does not run.
        VocabError: for an inconsistent file.
    """
    model = data.get("model")
    if not isinstance(model, dict) or model.get("type", "BPE") != "BPE":
        msg = "not a BPE model"
        raise _unsupported(msg)
    norm = _normalizer_steps(data.get("normalizer"))
    if norm is None:
        msg = "normalizer is not Replace(' ', '▁') (optionally after Prepend('▁'))"
        raise _unsupported(msg)
    prepend, _replace = norm
    _check_pre_tokenizer(data.get("pre_tokenizer"))
    if model.get("dropout") not in (None, 0, 0.0):
        msg = "BPE dropout is random; counts would not be reproducible"
        raise _unsupported(msg)
    for key in ("continuing_subword_prefix", "end_of_word_suffix", "ignore_merges"):
        if model.get(key):
            msg = f"BPE {key}={model[key]!r} is not run natively"
            raise _unsupported(msg)
    vocab = model.get("vocab")
    if not isinstance(vocab, dict) or not vocab:
        msg = "tokenizer.json: the BPE model has no vocab"
        raise VocabError(msg)

    added: list[AddedToken] = []
    for entry in data.get("added_tokens") or []:
        if entry.get("lstrip") or entry.get("rstrip") or entry.get("single_word"):
            msg = f"added token {entry.get('content')!r} uses lstrip/rstrip/single_word"
            raise _unsupported(msg)
        special = bool(entry.get("special", False))
        if entry.get("normalized", not special):
            msg = f"added token {entry.get('content')!r} is matched in normalized text"
            raise _unsupported(msg)
        added.append(AddedToken(str(entry["content"]), int(entry["id"]), special, False))

    by_id: dict[int, bytes] = {}
    for token, token_id in vocab.items():
        if not isinstance(token_id, int) or token_id < 0:
            msg = f"tokenizer.json: vocab id {token_id!r} of {token!r} is not a valid id"
            raise VocabError(msg)
        by_id[token_id] = token.encode("utf-8")
    pairs = merge_ids(model.get("merges") or [], vocab)
    byte_ids = np.full(256, -1, dtype=np.int64)
    if model.get("byte_fallback"):
        for b in range(256):
            byte_ids[b] = vocab.get(f"<0x{b:02X}>", -1)
    unk = model.get("unk_token")
    decoder = str(data.get("decoder"))
    return SpmDefinition(
        name=name,
        pieces=VocabArrays.from_id_bytes(by_id, pairs),
        ranking="merges",
        scores=None,
        byte_ids=byte_ids if model.get("byte_fallback") else np.empty(0, dtype=np.int64),
        unk_id=vocab.get(unk) if isinstance(unk, str) else None,
        fuse_unk=bool(model.get("fuse_unk", False)),
        dummy_prefix=prepend,
        escape_spaces=True,
        remove_extra_spaces=False,
        literals_after_normalizing=False,
        strip_leading_space=prepend and "Strip" in decoder,
        added=tuple(added),
        bos_eos=bos_eos(data.get("post_processor")),
        info={"format": "tokenizer.json"},
    )
