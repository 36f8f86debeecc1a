"""compare_models, cheapest_window, monthly_allowance and price_trend on hand-worked cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from references import reference

from tokbench.pricing.compare import compare_counts, compare_models
from tokbench.pricing.planner import cheapest_window, monthly_allowance
from tokbench.pricing.trend import price_trend

UTC = dt.timezone.utc
AT = dt.datetime(2026, 11, 29, tzinfo=UTC)
M = Decimal(1_000_000)


def test_compare_prices_each_language_with_each_models_own_tokenizer():
    texts = {"eng": "The weather is nice today.", "zho": "今天天气很好。"}
    rows = compare_models(["gpt-4o", "deepseek-chat"], texts_by_lang=texts, at=AT)
    o200k, ds = reference("o200k_base"), reference("deepseek_v3")
    expected = []
    for lang, text in texts.items():
        n_gpt = len(o200k.encode_ordinary(text))
        n_ds = len(ds.encode_ordinary(text))
        # gpt-4o input $2.50/M; deepseek-chat (V3.2) $0.28/M
        expected += [
            ("openai/gpt-4o", lang, n_gpt, n_gpt * Decimal("2.5") / M),
            ("deepseek/deepseek-chat", lang, n_ds, n_ds * Decimal("0.28") / M),
        ]
    expected.sort(key=lambda r: (r[1], r[3]))
    assert [(r.model, r.lang, r.input_tokens, r.total) for r in rows] == expected


def test_compare_needs_one_currency():
    from tokbench.pricing import MissingFxRateError

    with pytest.raises(MissingFxRateError):
        compare_models(["gpt-4o", "alibaba-cn/qwen-plus"], text="hi", at=AT)


def test_compare_counts_prices_a_counted_corpus_per_language():
    counts = {"eng": {"o200k_base": 1000, "deepseek_v3": 1100}}
    rows = compare_counts(
        ["gpt-4o", "deepseek-chat", "claude-sonnet-4-6"],
        counts,
        output_per_input=Decimal("0.5"),
        at=AT,
    )
    got = [(r.model, r.input_tokens, r.total, r.total_low, r.total_high, r.exact) for r in rows]
    assert got == [
        # 1100 x (0.28 + 0.5 x 0.42) per M
        ("deepseek/deepseek-chat", 1100, Decimal("0.000539"), Decimal("0.000539"),
         Decimal("0.000539"), True),
        # 1000 x (2.5 + 0.5 x 10) per M
        ("openai/gpt-4o", 1000, Decimal("0.0075"), Decimal("0.0075"), Decimal("0.0075"), True),
        # o200k 1000 x 1.18 (1.10..1.30) = 1180 (1100..1300) tokens x (3 + 0.5 x 15) per M
        ("anthropic/claude-sonnet-4-6", 1180, Decimal("0.01239"), Decimal("0.01155"),
         Decimal("0.01365"), False),
    ]  # fmt: skip
    with pytest.raises(KeyError, match="no eng count"):
        compare_counts(["llama-3.3-70b"], counts, at=AT)


def test_cheapest_window_for_an_instant_job():
    # Friday 2026-11-27 01:00 UTC = 09:00 Beijing, peak (0.30/M); 04:00 UTC = 12:00, off-peak
    w = cheapest_window(
        "deepseek-flash", input_tokens=1_000_000, now=dt.datetime(2026, 11, 27, 1, tzinfo=UTC)
    )
    assert w.start == dt.datetime(2026, 11, 27, 4, tzinfo=UTC)
    assert (w.cost_now, w.cost, w.saving, w.saving_fraction) == (
        Decimal("0.3"),
        Decimal("0.15"),
        Decimal("0.15"),
        Decimal("0.5"),
    )


def test_cheapest_window_for_a_four_hour_job():
    # From Monday 00:00 UTC: 2 half-hours off-peak (08:00-09:00 BJT) then 6 peak -> mean
    # (2 x 0.15 + 6 x 0.30) / 8 = 0.2625. The first fully off-peak 4 h run starts at 10:00
    # UTC (18:00 BJT): the 04:00-06:00 UTC lunch gap is only 2 h long.
    w = cheapest_window(
        "deepseek-flash",
        input_tokens=1_000_000,
        duration=dt.timedelta(hours=4),
        now=dt.datetime(2026, 11, 23, 0, tzinfo=UTC),
    )
    assert w.cost_now == Decimal("0.2625")
    assert (w.start, w.cost) == (dt.datetime(2026, 11, 23, 10, tzinfo=UTC), Decimal("0.15"))
    assert w.saving == Decimal("0.1125")


def test_cheapest_window_without_time_pricing_is_now():
    w = cheapest_window("gpt-4o", input_tokens=1000, now=AT, days=1)
    assert (w.start, w.saving) == (AT, Decimal(0))


def test_monthly_allowance():
    sample = "A short support ticket about a late parcel."
    n = len(reference("o200k_base").encode_ordinary(sample))
    a = monthly_allowance(
        "gpt-4o", budget=Decimal(10), sample_text=sample, output_tokens_per_document=200, at=AT
    )
    per_doc = (n * Decimal("2.5") + 200 * Decimal(10)) / M  # input $2.50/M, output $10/M
    docs = int(Decimal(10) / per_doc)
    assert (a.cost_per_document, a.documents) == (per_doc, docs)
    assert (a.input_tokens, a.output_tokens, a.characters) == (
        docs * n,
        docs * 200,
        docs * len(sample),
    )


def test_price_trend_of_deepseek_chat_output():
    t = price_trend(["deepseek-chat"], component="output")
    # 2025-02-26 1.10 (V3, standard window) -> 2025-09-05 1.68 (V3.1) -> 2025-09-29 0.42 (V3.2)
    assert [(p.date.isoformat(), p.price) for p in t.points] == [
        ("2025-02-26", Decimal("1.10")),
        ("2025-09-05", Decimal("1.68")),
        ("2025-09-29", Decimal("0.42")),
    ]
    assert t.ratio == Decimal("0.42") / Decimal("1.10")
    assert t.per_year == pytest.approx((0.42 / 1.10) ** (365 / 215))


def test_price_trend_needs_two_points():
    with pytest.raises(ValueError, match="two or more"):
        price_trend(["gpt-4o"])


def test_docstring_examples():
    import doctest

    import tokbench.pricing.compare
    import tokbench.pricing.planner
    import tokbench.pricing.trend

    for m in (tokbench.pricing.compare, tokbench.pricing.planner, tokbench.pricing.trend):
        result = doctest.testmod(m)
        assert result.attempted > 0
        assert result.failed == 0
