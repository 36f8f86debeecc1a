"""Helpers for comparing tokbench with the reference tokenizers, with readable failures."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Sequence

from references import HF_FORMAT, SPM_FORMAT, reference

import tokbench

ENCODINGS = tokbench.list_encoding_names()

# How decode(encode_ordinary(text)) relates to text.
DECODE_NORMALIZATION = {
    "claude_legacy": "NFKC",
    "qwen3": "NFC",
    "qwen3_5": "NFC",
    "command_r": "NFC",
}


def fix_surrogates(text: str) -> str:
    """Lone surrogates to U+FFFD (and surrogate pairs to their character), as tiktoken does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def expected_decode(name: str, text: str) -> str:
    """What decode(encode_ordinary(text)) must give."""
    text = fix_surrogates(text)
    if name in SPM_FORMAT:
        return text.replace("\u2581", " ")  # '▁' is how these write a space
    form = DECODE_NORMALIZATION.get(name)
    return unicodedata.normalize(form, text) if form else text


def reference_ids(name: str, text: str) -> list[int]:
    """The reference's ids for encode_ordinary(text).

    Hugging Face tokenizers cannot take lone surrogates (Rust strings), so for them the text
    is first fixed as tiktoken fixes it; tiktoken does that itself.
    """
    ref = reference(name)
    if name in HF_FORMAT or name in SPM_FORMAT:
        text = fix_surrogates(text)
    return ref.encode_ordinary(text)


def reference_ids_batch(name: str, texts: Sequence[str]) -> list[list[int]]:
    ref = reference(name)
    fix = name in HF_FORMAT or name in SPM_FORMAT
    fixed = [fix_surrogates(t) for t in texts] if fix else list(texts)
    return ref.encode_ordinary_batch(fixed)


def first_difference(a: Sequence[object], b: Sequence[object]) -> int | None:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def _token_reprs(enc: tokbench.Encoding, ids: Sequence[int]) -> str:
    out = []
    for t in ids:
        try:
            out.append(f"{t}:{enc.decode_single_token_bytes(t)!r}")
        except Exception:
            out.append(f"{t}:?")
    return "[" + ", ".join(out) + "]"


def mismatch_message(
    name: str, label: str, text: str, ours: Sequence[int], ref: Sequence[int]
) -> str:
    """A description of the first difference between two id lists for `text`."""
    i = first_difference(ours, ref)
    if i is None:
        return f"{name} {label}: no difference"
    enc = tokbench.get_encoding(name)
    prefix = b""
    with contextlib.suppress(Exception):
        prefix = enc.decode_bytes(list(ref[:i]))
    normalized = expected_decode(name, text)
    byte_pos = len(prefix)
    char_pos = len(prefix.decode("utf-8", "replace"))
    context = f"{normalized[max(0, char_pos - 20) : char_pos]!r} >here> "
    context += repr(normalized[char_pos : char_pos + 30])
    lo = max(0, i - 2)
    return (
        f"{name} {label}: ids differ at token {i} (ours {len(ours)} tokens, reference "
        f"{len(ref)}), at byte {byte_pos} / char ~{char_pos} of the "
        f"{'normalized ' if name in DECODE_NORMALIZATION else ''}text "
        f"({len(text)} chars).\n"
        f"  text around it: {context}\n"
        f"  ours[{lo}:{i + 6}]: {_token_reprs(enc, ours[lo : i + 6])}\n"
        f"  ref [{lo}:{i + 6}]: {_token_reprs(enc, ref[lo : i + 6])}\n"
        f"  text (first 300 chars): {text[:300]!r}"
    )


def assert_same_ids(
    name: str, text: str, ours: Sequence[int], ref: Sequence[int], label: str = ""
) -> None:
    if list(ours) != list(ref):
        raise AssertionError(mismatch_message(name, label or "text", text, ours, ref))


def check_text(name: str, text: str, label: str = "") -> list[int]:
    """All single-text entry points agree with the reference on `text`; returns the ids."""
    enc = tokbench.get_encoding(name)
    ref = reference_ids(name, text)
    ours = enc.encode_ordinary(text)
    assert_same_ids(name, text, ours, ref, label)
    assert enc.count(text) == len(ref), f"{name} {label}: count != len(reference ids)"
    assert enc.decode(ours) == expected_decode(name, text), f"{name} {label}: round trip"
    return ours
