"""Every token of a vocabulary, encoded as text on its own, gives the reference's ids.

A piece that is a token is looked up in the vocabulary's table behind a Bloom filter
(csrc/core/vocab.hpp): a filter that wrongly said "not a token" would send the piece to the
merge loop, which for a token BPE never builds (tiktoken still returns it whole) gives other
ids. Samples of text meet only the tokens that text uses; this meets all of them."""

from __future__ import annotations

import pytest
from fixtures_api import fresh_encoding
from references import reference

ENCODINGS = ["o200k_base", "cl100k_base", "llama3", "qwen3"]


@pytest.mark.parametrize("name", ENCODINGS)
def test_every_token_alone_matches_reference(name: str) -> None:
    enc = fresh_encoding(name)  # empty caches: every piece goes to the vocabulary
    ref = reference(name)
    texts = []
    for i in range(enc.n_vocab):
        try:
            texts.append(enc.decode_single_token_bytes(i).decode("utf-8"))
        except (KeyError, ValueError):  # no token at this id, or not UTF-8 on its own
            continue
    assert len(texts) > enc.n_vocab // 2
    ours = enc.encode_ordinary_batch(texts, num_threads=1)
    bad = [t for t, o in zip(texts, ours, strict=True) if o != ref.encode_ordinary(t)]
    assert not bad, [repr(t) for t in bad[:10]]
