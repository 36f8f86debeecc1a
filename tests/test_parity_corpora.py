"""Parity on natural text: every bundled encoding against its reference library, on FLORES-200
(204 languages), the UDHR (532 declarations) and Python source code.

The default run uses samples (see corpus_texts.py); `pytest -m slow` runs the full corpora.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from corpus_texts import CORPORA, Text
from parity import (
    ENCODINGS,
    expected_decode,
    first_difference,
    mismatch_message,
    reference_ids_batch,
)

import tokbench

Loader = Callable[..., list[tuple[str, list[Text]]]]


def check_chunk(name: str, texts: list[Text], *, single: bool) -> int:
    """Compare every entry point with the reference on `texts`; returns the token total."""
    enc = tokbench.get_encoding(name)
    strs = [t.text for t in texts]
    ref = reference_ids_batch(name, strs)

    ours = enc.encode_ordinary_batch(strs, num_threads=2)
    for t, o, r in zip(texts, ours, ref, strict=True):
        if o != r:
            raise AssertionError(mismatch_message(name, t.label, t.text, o, r))

    batch = enc.encode_batch(strs, num_threads=2, disallowed_special=())
    i = first_difference(batch, ref)
    assert i is None, "encode_batch: " + mismatch_message(
        name, texts[i].label, texts[i].text, batch[i], ref[i]
    )

    counts = enc.count_batch(strs, num_threads=2)
    assert isinstance(counts, np.ndarray)
    assert counts.dtype == np.uint64
    lengths = [len(r) for r in ref]
    i = first_difference(counts.tolist(), lengths)
    assert i is None, (
        f"{name} count_batch {texts[i].label}: {int(counts[i])} != reference {lengths[i]}"
    )

    if single:
        for t, r in zip(texts, ref, strict=True):
            o = enc.encode_ordinary(t.text)
            if o != r:
                raise AssertionError(
                    "encode_ordinary: " + mismatch_message(name, t.label, t.text, o, r)
                )
            assert enc.count(t.text) == len(r), f"{name} count {t.label}"

    for t, o in zip(texts, ours, strict=True):
        assert enc.decode(o) == expected_decode(name, t.text), f"{name} round trip {t.label}"
    return sum(lengths)


def run_corpus(name: str, corpus: str, load: Loader, *, full: bool) -> None:
    chunks = load(corpus, full=full)
    total_texts = sum(len(texts) for _, texts in chunks)
    assert total_texts > 0, f"corpus {corpus} is empty"
    total_tokens = sum(check_chunk(name, texts, single=not full) for _, texts in chunks)
    assert total_tokens > total_texts, "implausibly few tokens"


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("name", ENCODINGS)
def test_corpus_parity(name: str, corpus: str, corpus_loader: Loader) -> None:
    run_corpus(name, corpus, corpus_loader, full=False)


@pytest.mark.slow
@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("name", ENCODINGS)
def test_corpus_parity_full(name: str, corpus: str, corpus_loader: Loader) -> None:
    run_corpus(name, corpus, corpus_loader, full=True)
