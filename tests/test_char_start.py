"""Pre-merged characters (csrc/core/char_start.hpp): tiktoken-ranked vocabularies start BPE
from each "safe" character's token instead of its bytes. Exact only if every token that can
occur across a character's edge is noticed, so the text here is built to meet them:
Cyrillic, Arabic, Greek, Hebrew, Latin and CJK characters next to spaces, digits and
punctuation, in words that recur with every neighbour (o200k's " \\xd0" takes a space and a
Cyrillic lead byte; "\\xd0\\xbe\\xd0" an o and the next lead byte), and every word of real
text in scripts of two- and three-byte characters."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from fixtures_api import fresh_encoding
from hypothesis import given, settings
from hypothesis import strategies as st
from references import SHARED, reference
from tokenizers import Tokenizer, models, pre_tokenizers

import tokbench
from tokbench.formats.hf_json import byte_level_encode

TIKTOKEN_RANKED = ["o200k_base", "cl100k_base", "r50k_base", "mistral_tekken", "claude_legacy"]
# Merges-list ranking (Hugging Face tokenizer.json) and a tiktoken vocabulary without the
# backtracker's precondition: the same start, checked per character at load.
OTHERS = ["llama3", "qwen3", "deepseek_v3", "qwen3_5"]

TWO_BYTE = st.one_of(
    st.characters(min_codepoint=0x0400, max_codepoint=0x045F),  # Cyrillic
    st.characters(min_codepoint=0x0600, max_codepoint=0x064A),  # Arabic
    st.characters(min_codepoint=0x0370, max_codepoint=0x03FF, exclude_categories=("Cn",)),
    st.characters(min_codepoint=0x05D0, max_codepoint=0x05EA),  # Hebrew letters
    st.characters(min_codepoint=0x00A0, max_codepoint=0x017F),  # Latin-1, Latin Extended-A
    st.characters(min_codepoint=0x0080, max_codepoint=0x07FF, exclude_categories=("Cs",)),
)
THREE_BYTE = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK ideographs
    st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),  # CJK punctuation, kana
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # full-width forms
    st.characters(min_codepoint=0x0800, max_codepoint=0xFFFF, exclude_categories=("Cs",)),
)
WORDS = ["привет", "около", "оно", "мир", "وال", "العربية", "اللغة", "ελληνικά", "שלום", "café"]
WORDS += ["日本語", "中华人民共和国", "東京都", "です。", "\uff08注\uff09", "한국어"]
TEXT = st.lists(
    st.one_of(TWO_BYTE, TWO_BYTE, THREE_BYTE, st.sampled_from(WORDS), st.sampled_from(" a1.,'\n-")),
    max_size=40,
).map("".join)


@pytest.mark.parametrize("name", TIKTOKEN_RANKED + OTHERS)
@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_two_byte_text_matches_reference(name: str, text: str) -> None:
    enc = tokbench.get_encoding(name)
    assert enc.encode_ordinary(text) == reference(name).encode_ordinary(text)


@cache
def _two_byte_words() -> list[str]:
    """Every distinct space-led word of the FLORES dev files of six languages written in
    two-byte letters, and every distinct line-cut run of Chinese and Japanese."""
    texts: list[str] = []
    flores = SHARED / "corpora" / "flores200_dev"
    for lang in ("rus_Cyrl", "arb_Arab", "ell_Grek", "heb_Hebr", "ukr_Cyrl", "pol_Latn"):
        path = flores / f"{lang}.dev"
        if path.exists():
            texts.append(path.read_text(encoding="utf-8"))
    if not texts:
        pytest.skip("FLORES-200 is not beside the project")
    words = {" " + w for t in texts for w in t.split()}
    for lang in ("zho_Hans", "jpn_Jpan", "yue_Hant"):
        path = flores / f"{lang}.dev"
        if path.exists():
            words.update(path.read_text(encoding="utf-8").splitlines())
    return sorted(words)


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base", "llama3", "deepseek_v3"])
def test_every_word_of_wide_scripts_matches_reference(name: str) -> None:
    # A fresh encoding: its piece cache is empty, so every word goes through the merge.
    words = _two_byte_words()
    enc = fresh_encoding(name)
    ref = reference(name)
    ours = enc.encode_ordinary_batch(words, num_threads=1)
    bad = [w for w, o in zip(words, ours, strict=True) if o != ref.encode_ordinary(w)]
    assert not bad, bad[:10]


def _hand_built(
    tmp_path: Path, vocab: dict[str, int], merges: list[tuple[str, str]]
) -> tuple[Tokenizer, tokbench.Encoding]:
    """A byte-level BPE tokenizer.json from a hand-written vocabulary and merges list: the
    reference tokenizer and tokbench's encoding of the file."""
    tok = Tokenizer(models.BPE(vocab, merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    path = tmp_path / "tokenizer.json"
    path.write_text(tok.to_str(), encoding="utf-8")
    return tok, tokbench.load(path)


def test_a_character_whose_merge_outranks_its_own_bytes_starts_as_bytes(tmp_path: Path) -> None:
    # "é" (bytes C3 A9) is made by the last merge, but the first merge joins "é" and "x".
    # BPE of "éxy" from bytes: "x"+"y" (rank 1) comes first, then "é" (rank 2): [é, xy].
    # Starting from a whole "é" would merge "é"+"x" (rank 0) first: [éx, y]. The load-time
    # check must keep "é" as bytes.
    e_acute = byte_level_encode("é".encode())
    vocab = {byte_level_encode(bytes([b])): b for b in range(256)}
    vocab |= {e_acute: 256, "xy": 257, e_acute + "x": 258}
    merges = [(e_acute, "x"), ("x", "y"), (e_acute[0], e_acute[1])]
    tok, enc = _hand_built(tmp_path, vocab, merges)
    for text in ["éxy", "éx", "é", "xyé", "ééxy", "éxyéx"]:
        want = tok.encode(text).ids
        assert enc.encode_ordinary(text) == want, text
    assert enc.encode_ordinary("éxy") == [256, 257]


@pytest.mark.parametrize("edge_first", [True, False])
def test_a_token_across_the_edge_blocks_only_if_made_before_the_character(
    tmp_path: Path, edge_first: bool
) -> None:
    # " \xc3" (a space and the lead byte of "é") ends inside "é" wherever a space precedes it.
    # Made by the first merge, it wins: BPE of " é" gives [" \xc3", "\xa9"], and a whole "é"
    # would give [" ", "é"]. Made by the last merge, "é" is always complete first and may
    # start whole. Both orders must give the reference ids.
    e_acute = byte_level_encode("é".encode())
    space = byte_level_encode(b" ")
    vocab = {byte_level_encode(bytes([b])): b for b in range(256)}
    vocab |= {e_acute: 256, space + e_acute[0]: 257}
    merges = [(e_acute[0], e_acute[1]), (space, e_acute[0])]
    if edge_first:
        merges.reverse()
    tok, enc = _hand_built(tmp_path, vocab, merges)
    for text in [" é", " éé", "x é", " é é", "é é", " é"]:
        assert enc.encode_ordinary(text) == tok.encode(text).ids, text
    assert enc.encode_ordinary(" é") == ([257, 0xA9] if edge_first else [ord(" "), 256])
