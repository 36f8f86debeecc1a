"""The backtracking encoder (csrc/core/backtrack.hpp): on where its preconditions hold, off
where they do not, its stored tables equal freshly computed ones, and its output is BPE's.

The core sends a piece to it when one of the piece's first characters takes three or four
UTF-8 bytes, so the text strategies here are built from such characters."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from references import definition, reference

import tokbench
from tokbench.build import build_encoding, core_model

# Tiktoken-ranked vocabularies whose merges always join older (lower-id) tokens.
BACKTRACKING = ["o200k_base", "cl100k_base", "r50k_base", "mistral_tekken", "claude_legacy"]
# Tiktoken-ranked, but some token is built from a newer one: the merge loop only.
NOT_BACKTRACKING = ["qwen3_5"]
MERGES_RANKED = ["llama3", "qwen3", "deepseek_v3"]


@pytest.mark.parametrize("name", BACKTRACKING)
def test_enabled_where_it_applies(name: str) -> None:
    model = core_model(definition(name))
    assert model.backtracking
    table = model.splits()
    assert table is not None
    assert table.shape == (2 * model.n_ids,)


@pytest.mark.parametrize("name", NOT_BACKTRACKING)
def test_disabled_where_a_token_is_built_from_a_newer_one(name: str) -> None:
    d = definition(name)
    model = core_model(d)
    assert not model.backtracking
    stored = d.vocab.splits
    assert stored is not None
    assert stored.size == 0
    fresh = core_model(dataclasses.replace(d, vocab=dataclasses.replace(d.vocab, splits=None)))
    assert not fresh.backtracking


@pytest.mark.parametrize("name", MERGES_RANKED)
def test_merges_ranked_models_have_no_table(name: str) -> None:
    model = core_model(definition(name))
    assert not model.backtracking
    assert model.splits() is None


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base", "mistral_tekken"])
def test_stored_table_equals_computed(name: str) -> None:
    d = definition(name)
    fresh = core_model(dataclasses.replace(d, vocab=dataclasses.replace(d.vocab, splits=None)))
    assert fresh.backtracking
    stored = d.vocab.splits
    assert stored is not None
    np.testing.assert_array_equal(fresh.splits(), stored)


def test_a_broken_stored_table_turns_it_off_and_stays_exact() -> None:
    d = definition("cl100k_base")
    broken = np.array(d.vocab.splits, dtype=np.uint32, copy=True)
    # Token 1000's last merge claims to use itself: not older than the token.
    broken[2 * 1000] = 1000
    vocab = dataclasses.replace(d.vocab, splits=broken)
    model = core_model(dataclasses.replace(d, vocab=vocab))
    assert not model.backtracking
    wrong_size = dataclasses.replace(d.vocab, splits=broken[:-2])
    assert not core_model(dataclasses.replace(d, vocab=wrong_size)).backtracking
    enc = build_encoding(dataclasses.replace(d, vocab=vocab), model)
    text = "東京都は日本の首都です。ภาษาไทย 한국어 हिन्दी"
    assert enc.encode_ordinary(text) == reference("cl100k_base").encode_ordinary(text)


# Characters of three and four UTF-8 bytes from the scripts that take this path, plus ASCII
# and spaces so pieces start and end in every way.
WIDE = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK ideographs
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F),  # Thai
    st.characters(min_codepoint=0x0900, max_codepoint=0x097F),  # Devanagari
    st.characters(min_codepoint=0x0800, max_codepoint=0xFFFF, exclude_categories=("Cs",)),
    st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Cs",)),
)
WIDE_TEXT = st.lists(
    st.one_of(WIDE, WIDE, WIDE, st.sampled_from([" ", "a", "1", "\n", "é", "я", "!"])),
    max_size=60,
).map("".join)


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base", "mistral_tekken"])
@settings(max_examples=300, deadline=None)
@given(text=WIDE_TEXT)
def test_wide_character_text_matches_reference(name: str, text: str) -> None:
    enc = tokbench.get_encoding(name)
    assert enc.encode_ordinary(text) == reference(name).encode_ordinary(text)
