"""Pre-merged characters (BpeModel::char_symbols in csrc/core/bpe.cpp): in pieces of one-
and two-byte characters, tiktoken-ranked vocabularies start BPE from each "safe" character's
token instead of its two bytes. Exact only if every cut-character token is noticed, so the
text here is built to meet them: Cyrillic, Arabic, Greek, Hebrew, Latin-1 and Latin
Extended letters next to spaces, digits and punctuation, in words that recur with every
neighbour (o200k's " \\xd0" takes a space and a Cyrillic lead byte; "\\xd0\\xbe\\xd0" an o and
the next lead byte)."""

from __future__ import annotations

from functools import cache

import pytest
from fixtures_api import fresh_encoding
from hypothesis import given, settings
from hypothesis import strategies as st
from references import SHARED, reference

import tokbench

TIKTOKEN_RANKED = ["o200k_base", "cl100k_base", "r50k_base", "mistral_tekken", "claude_legacy"]

TWO_BYTE = st.one_of(
    st.characters(min_codepoint=0x0400, max_codepoint=0x045F),  # Cyrillic
    st.characters(min_codepoint=0x0600, max_codepoint=0x064A),  # Arabic
    st.characters(min_codepoint=0x0370, max_codepoint=0x03FF, exclude_categories=("Cn",)),
    st.characters(min_codepoint=0x05D0, max_codepoint=0x05EA),  # Hebrew letters
    st.characters(min_codepoint=0x00A0, max_codepoint=0x017F),  # Latin-1, Latin Extended-A
    st.characters(min_codepoint=0x0080, max_codepoint=0x07FF, exclude_categories=("Cs",)),
)
WORDS = ["привет", "около", "оно", "мир", "وال", "العربية", "اللغة", "ελληνικά", "שלום", "café"]
TEXT = st.lists(
    st.one_of(TWO_BYTE, TWO_BYTE, st.sampled_from(WORDS), st.sampled_from(" a1.,'\n-")),
    max_size=40,
).map("".join)


@pytest.mark.parametrize("name", TIKTOKEN_RANKED)
@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_two_byte_text_matches_reference(name: str, text: str) -> None:
    enc = tokbench.get_encoding(name)
    assert enc.encode_ordinary(text) == reference(name).encode_ordinary(text)


@cache
def _two_byte_words() -> list[str]:
    """Every distinct space-led word of the FLORES dev files of four scripts of two-byte
    letters (or the bundled UDHR texts when FLORES is absent)."""
    texts: list[str] = []
    flores = SHARED / "corpora" / "flores200_dev"
    for lang in ("rus_Cyrl", "arb_Arab", "ell_Grek", "heb_Hebr", "ukr_Cyrl", "pol_Latn"):
        path = flores / f"{lang}.dev"
        if path.exists():
            texts.append(path.read_text(encoding="utf-8"))
    if not texts:
        pytest.skip("FLORES-200 is not beside the project")
    return sorted({" " + w for t in texts for w in t.split()})


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_every_word_of_two_byte_scripts_matches_reference(name: str) -> None:
    # A fresh encoding: its piece cache is empty, so every word goes through the merge.
    words = _two_byte_words()
    enc = fresh_encoding(name)
    ref = reference(name)
    ours = enc.encode_ordinary_batch(words, num_threads=1)
    bad = [w for w, o in zip(words, ours, strict=True) if o != ref.encode_ordinary(w)]
    assert not bad, bad[:10]
