"""Estimated encodings of closed tokenizer families: proxy count x calibration ratio, with the
range, exact=False, and no ids."""

from __future__ import annotations

import pickle
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from fixtures_api import BUNDLED, expected_ids, mixed_text

import tokbench
from tokbench.closed import closed_families, closed_family
from tokbench.estimate import EstimatedEncoding, _scale

FAMILIES = sorted(closed_families())
BUNDLED_PROXY = [f for f in FAMILIES if closed_family(f).proxy_encoding in BUNDLED]


def half_up(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_is_an_estimated_encoding(family: str) -> None:
    row = closed_family(family)
    if row.proxy_encoding not in tokbench.list_encoding_names():
        with pytest.raises(tokbench.UnknownEncodingError, match=repr(row.proxy_encoding)):
            tokbench.get_encoding(family)
        return
    enc = tokbench.get_encoding(family)
    assert isinstance(enc, EstimatedEncoding)
    assert isinstance(enc, tokbench.Encoding)
    assert enc.exact is False
    assert enc.path == enc.proxy.path
    assert enc.proxy.name == row.proxy_encoding
    assert enc.info["estimate"] is True
    assert enc.info["source"] == row.source
    assert enc.info["as_of"] == row.as_of
    assert "not exact" in repr(enc)
    assert tokbench.get_encoding(family) is enc


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_encodings_are_exact(name: str) -> None:
    assert tokbench.get_encoding(name).exact is True


def test_claude_estimate_of_the_mixed_text_hand_computed() -> None:
    enc = tokbench.get_encoding("claude_3_to_4_6")
    proxy_count = expected_ids()["o200k_base"]["count"]  # 337, tiktoken's count
    assert enc.proxy_count(mixed_text()) == proxy_count
    row = closed_family("claude_3_to_4_6")
    want = tuple(
        half_up(proxy_count * r) for r in (row.ratio_low, row.ratio_central, row.ratio_high)
    )
    assert enc.count_range(mixed_text()) == want
    assert enc.count(mixed_text()) == want[1]
    if (row.ratio_low, row.ratio_central, row.ratio_high) == (
        Decimal("1.10"),
        Decimal("1.18"),
        Decimal("1.30"),
    ):  # the snapshot of 2026-11-29: 370.7, 397.66 and 438.1
        assert want == (371, 398, 438)


def test_rounding_is_half_up() -> None:
    o200k = tokbench.get_encoding("o200k_base")
    row = replace(
        closed_family("claude_3_to_4_6"),
        ratio_low=Decimal("0.5"),
        ratio_central=Decimal("1.5"),
        ratio_high=Decimal("2.25"),
    )
    enc = EstimatedEncoding(row, o200k)
    texts = ["hello world", "hello world!", "a b c", "", "x" * 1000]
    counts = [o200k.count(t) for t in texts]
    assert counts[:4] == [2, 3, 3, 0]
    want_central = [half_up(Decimal(n) * Decimal("1.5")) for n in counts]
    assert want_central[:4] == [3, 5, 5, 0]  # 3.0, 4.5 -> 5, 4.5 -> 5, 0
    assert [enc.count(t) for t in texts] == want_central
    assert enc.count_batch(texts).tolist() == want_central
    low, central, high = enc.count_range_batch(texts, num_threads=2)
    assert central.tolist() == want_central
    assert low.tolist() == [half_up(Decimal(n) * Decimal("0.5")) for n in counts]
    assert high.tolist() == [half_up(Decimal(n) * Decimal("2.25")) for n in counts]
    assert enc.count_range("hello world!") == (2, 5, 7)  # 1.5 -> 2, 4.5 -> 5, 6.75 -> 7


def test_scale_beyond_uint64_products() -> None:
    from fractions import Fraction

    big = np.array([2**62, 3], dtype=np.uint64)
    assert _scale(big, Fraction(3, 2)).tolist() == [3 * 2**61, 5]


def test_no_ids_from_an_estimate() -> None:
    enc = tokbench.get_encoding("claude_3_to_4_6")
    for call in (
        lambda: enc.encode("hi"),
        lambda: enc.encode_ordinary("hi"),
        lambda: enc.encode_batch(["hi"]),
        lambda: enc.encode_to_numpy("hi"),
        lambda: enc.decode([1, 2]),
        lambda: enc.decode_single_token_bytes(1),
        lambda: enc.token_byte_values(),
        lambda: enc.n_vocab,
    ):
        with pytest.raises(tokbench.EstimatedEncodingError) as info:
            call()
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, tokbench.TokbenchError)
        assert "o200k_base" in str(info.value)
        assert "count_range" in str(info.value)


def test_estimated_encoding_pickles_to_the_registry_instance() -> None:
    enc = tokbench.get_encoding("grok")
    assert pickle.loads(pickle.dumps(enc)) is enc


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("claude-sonnet-4-5", "claude_3_to_4_6"),
        ("claude-3-5-haiku-20241022", "claude_3_to_4_6"),
        ("anthropic/claude-opus-4-1", "claude_3_to_4_6"),
        ("claude-opus-4-7", "claude_4_7_plus"),
        ("claude-sonnet-5", "claude_4_7_plus"),
        ("grok-4", "grok"),
        ("doubao-seed-1.6", "doubao"),
        ("gemini-2.5-pro", "gemini_2_plus"),
        ("gemini-1.5-flash", "gemini_1_x"),
        ("moonshotai/Kimi-K2-Instruct", "kimi_k2"),
        ("meta-llama/Llama-4-Scout-17B-16E", "llama_4"),
    ],
)
def test_encoding_for_model_gives_estimates_only_when_asked(model: str, family: str) -> None:
    assert tokbench.encoding_name_for_model(model, allow_estimate=True) == family
    with pytest.raises(tokbench.UnknownEncodingError) as info:
        tokbench.encoding_for_model(model)
    assert "allow_estimate=True" in str(info.value)
    assert f'get_encoding("{family}")' in str(info.value)
    if closed_family(family).proxy_encoding in BUNDLED:
        enc = tokbench.encoding_for_model(model, allow_estimate=True)
        assert enc.name == family
        assert enc.exact is False


def test_exact_models_are_unchanged_by_allow_estimate() -> None:
    assert tokbench.encoding_for_model("gpt-4o", allow_estimate=True).name == "o200k_base"
    assert tokbench.encoding_for_model("llama-3.1-8b", allow_estimate=True).name == "llama3"
    with pytest.raises(tokbench.UnknownEncodingError):
        tokbench.encoding_for_model("banana-9000", allow_estimate=True)
