"""Lone surrogates in text that is not yet normalized, for encodings with Hugging Face's NFC
(found by hypothesis on command_r: Hugging Face's normalizer cannot take them and raised)."""

from __future__ import annotations

import pytest
from parity import expected_decode, reference_ids

import tokbench

TEXTS = [
    "e\u0301\ud83d",  # a combining mark to compose, then a lone high surrogate
    "e\u0301\ud83d\ude00x1",  # ... then a surrogate pair
    "\udc00e\u0301 \ud800",
    "A\u030a\ud83d\ude00",
]


@pytest.mark.parametrize("name", ["qwen3", "command_r"])
def test_lone_surrogates_in_text_to_normalize(name: str) -> None:
    enc = tokbench.get_encoding(name)
    for text in TEXTS:
        ref = reference_ids(name, text)  # the reference gets the text with surrogates fixed
        assert enc.encode_ordinary(text) == ref
        assert enc.count(text) == len(ref)
        assert enc.count_batch([text, text]).tolist() == [len(ref)] * 2
        assert enc.decode(ref) == expected_decode(name, text)
