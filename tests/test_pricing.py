"""estimate_cost against hand-computed bills (prices per 1M tokens from the bundled book).

Every expected value below is worked out in the comment next to it from the price
snapshot (tokbench/data/pricing/MANIFEST.md), not copied from tokbench's output.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tokbench.errors import PriceBookError, UnknownNameError, UnsupportedTokenizerError
from tokbench.pricing import AmbiguousModelError, FxRate, MissingFxRateError, estimate_cost
from tokbench.pricing.tiers import OutsideTiersError
from tokbench.registry import list_encoding_names

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TODAY = dt.date(2026, 11, 29)
M = 1_000_000


def cost(model: str, at: dt.datetime = NOW, **kw: object):
    return estimate_cost(model, at=at, today=TODAY, **kw)  # type: ignore[arg-type]


def by_component(est) -> dict[str, Decimal]:
    return {i.component: i.amount for i in est.items}


# --- cliff tier: gpt-5.5 is 5/0.5/30 up to 272k counted prompt tokens, 10/1/45 above ---------


def test_cliff_at_the_threshold_stays_on_the_base_tier():
    est = cost("gpt-5.5", input_tokens=272_000, output_tokens=1_000)
    # 272000 x 5/M = 1.36; 1000 x 30/M = 0.03
    assert est.total == Decimal("1.39")
    assert est.exact


def test_cliff_one_token_over_bills_the_whole_request_higher():
    est = cost("gpt-5.5", input_tokens=272_001, output_tokens=1_000)
    # 272001 x 10/M = 2.72001; 1000 x 45/M = 0.045 (output too moves to the long tier)
    assert by_component(est) == {"input": Decimal("2.72001"), "output": Decimal("0.045")}
    assert est.total == Decimal("2.76501")
    assert "cliff" in est.items[0].rule


def test_cliff_threshold_counts_cached_prompt_tokens():
    est = cost("gpt-5.5", input_tokens=200_000, cache_read_tokens=72_001)
    # 200000 + 72001 > 272000: 200000 x 10/M = 2; 72001 x 1/M = 0.072001
    assert est.total == Decimal("2.072001")


# --- request-size tier: alibaba-cn/qwen-plus, CNY 0.8/2.0 (<=128k), 2.4/20 (<=256k) ----------


def test_qwen_request_size_tier_bills_all_tokens_at_the_selected_tier():
    low = cost("alibaba-cn/qwen-plus", input_tokens=128_000, output_tokens=1_000)
    # 128000 x 0.8/M = 0.1024; 1000 x 2.0/M = 0.002
    assert (low.total, low.currency) == (Decimal("0.1044"), "CNY")
    high = cost("alibaba-cn/qwen-plus", input_tokens=128_001, output_tokens=1_000)
    # whole request at 128k-256k: 128001 x 2.4/M = 0.3072024; 1000 x 20/M = 0.02
    assert high.total == Decimal("0.3272024")
    assert "request_size" in high.items[0].rule


def test_request_above_the_largest_tier_is_an_error():
    with pytest.raises(OutsideTiersError, match="1000001 tokens"):
        cost("alibaba-cn/qwen-plus", input_tokens=1_000_001)


# --- Anthropic prompt caching and batch ------------------------------------------------------
# claude-sonnet-4-6: input 3, cache read 0.3, 5-minute write 3.75, 1-hour write 6, output 15
CACHED = {
    "input_tokens": 1_000,
    "cache_write_tokens": 10_000,
    "cache_write_1h_tokens": 2_000,
    "cache_read_tokens": 50_000,
    "output_tokens": 500,
}


def test_anthropic_cache_write_and_read():
    est = cost("claude-sonnet-4-6", **CACHED)
    assert by_component(est) == {
        "input": Decimal("0.003"),  # 1000 x 3/M
        "cache_read": Decimal("0.015"),  # 50000 x 0.3/M
        "cache_write_5m": Decimal("0.0375"),  # 10000 x 3.75/M
        "cache_write_1h": Decimal("0.012"),  # 2000 x 6/M
        "output": Decimal("0.0075"),  # 500 x 15/M
    }
    assert est.total == Decimal("0.075")


def test_anthropic_batch_halves_cache_reads_and_writes_too():
    est = cost("claude-sonnet-4-6", service_tier="batch", **CACHED)
    assert est.total == Decimal("0.0375")  # every component x 0.5
    assert all("batch x0.5" in i.rule for i in est.items)


def test_openai_batch_with_cache_discounts_only_what_the_source_states():
    # gpt-4o: input 2.5, cached 1.25, output 10; batch: 50% off input and output
    est = cost("gpt-4o", service_tier="batch", input_tokens=1_000, cache_read_tokens=4_000,
               output_tokens=1_000)  # fmt: skip
    # 1000 x 1.25/M + 4000 x 1.25/M (no batch discount stated) + 1000 x 5/M
    assert by_component(est) == {
        "input": Decimal("0.00125"),
        "cache_read": Decimal("0.005"),
        "output": Decimal("0.005"),
    }
    assert "not applied" in est.items[1].rule


def test_anthropic_us_region_multiplier():
    est = cost("claude-sonnet-4-6", region="us", input_tokens=M)
    assert est.total == Decimal("3.3")  # 3 x 1.1


# --- DeepSeek time-of-day pricing ------------------------------------------------------------
ONE_EACH = {"input_tokens": M, "cache_read_tokens": M, "output_tokens": M}


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 2025 rule: off-peak Beijing 00:30-08:30 (UTC 16:30-00:30), V3 half price.
        ("2025-03-03T16:29:00+00:00", "1.44"),  # 00:29 Beijing: standard 0.27+0.07+1.10
        ("2025-03-03T16:30:00+00:00", "0.72"),  # 00:30 Beijing: off-peak 0.135+0.035+0.55
        ("2025-03-04T00:15:00+00:00", "0.72"),  # 08:15 Beijing, past UTC midnight: off-peak
        ("2025-03-04T00:30:00+00:00", "1.44"),  # 08:30 Beijing: the window has ended
        ("2025-03-04T08:15:00+08:00", "0.72"),  # the same instant written in Beijing time
    ],
)
def test_deepseek_2025_night_discount_v3(at: str, expected: str):
    est = cost("deepseek-chat", at=dt.datetime.fromisoformat(at), **ONE_EACH)
    assert est.total == Decimal(expected)


def test_deepseek_2025_night_discount_r1_is_75_percent():
    peak = cost("deepseek-reasoner", at=dt.datetime(2025, 3, 3, 12, tzinfo=UTC), **ONE_EACH)
    night = cost("deepseek-reasoner", at=dt.datetime(2025, 3, 3, 20, tzinfo=UTC), **ONE_EACH)
    assert peak.total == Decimal("2.88")  # 0.55 + 0.14 + 2.19
    assert night.total == Decimal("0.72")  # 0.135 + 0.035 + 0.55


def test_deepseek_night_discount_ended_2025_09_05():
    # 2025-09-05 17:00 UTC would be off-peak under the old rule; V3.1 is flat 0.56/0.07/1.68
    est = cost("deepseek-chat", at=dt.datetime(2025, 9, 5, 17, tzinfo=UTC), **ONE_EACH)
    assert est.total == Decimal("2.31")
    assert est.warnings == ()  # a closed period's price cannot go stale


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 2026 rule: peak Mon-Fri Beijing 09-12 and 14-18; off-peak = 50%.
        # deepseek-flash peak 0.3 + 0.006 + 1.2 = 1.506; off-peak 0.15 + 0.003 + 0.6 = 0.753
        ("2026-11-23T09:30:00+08:00", "1.506"),  # Monday 09:30 Beijing (01:30 UTC)
        ("2026-11-23T04:30:00+00:00", "0.753"),  # Monday 12:30 Beijing: lunch gap
        ("2026-11-23T09:59:00+00:00", "1.506"),  # Monday 17:59 Beijing
        ("2026-11-23T10:00:00+00:00", "0.753"),  # Monday 18:00 Beijing: peak has ended
        ("2026-11-22T01:30:00+00:00", "0.753"),  # Sunday 09:30 Beijing: weekend
        ("2026-11-20T23:30:00-02:00", "0.753"),  # Saturday 09:30 Beijing (Fri 23:30 at -02:00)
    ],
)
def test_deepseek_2026_peak_and_off_peak(at: str, expected: str):
    est = cost("deepseek-flash", at=dt.datetime.fromisoformat(at), **ONE_EACH)
    assert est.total == Decimal(expected)


def test_deepseek_2026_rule_starts_2026_08_16_1600_utc():
    with pytest.raises(UnknownNameError, match="in force"):
        cost("deepseek-flash", at=dt.datetime(2026, 8, 16, 15, 59, tzinfo=UTC), input_tokens=1)


# --- currencies ------------------------------------------------------------------------------


def test_cny_and_usd_use_each_official_price_not_a_conversion():
    at = dt.datetime(2025, 3, 3, 12, tzinfo=UTC)  # standard window
    usd = cost("deepseek-chat", at=at, input_tokens=M, currency="USD")
    cny = cost("deepseek-chat", at=at, input_tokens=M, currency="CNY")
    assert (usd.total, usd.currency, usd.items[0].fx) == (Decimal("0.27"), "USD", None)
    assert (cny.total, cny.currency, cny.items[0].fx) == (Decimal("2"), "CNY", None)


def test_conversion_needs_a_dated_rate_and_names_it():
    with pytest.raises(MissingFxRateError, match="No CNY->USD exchange rate"):
        cost("alibaba-cn/qwen-plus", input_tokens=128_000, currency="USD")
    fx = FxRate(base="CNY", quote="USD", rate=Decimal("0.14"), as_of=dt.date(2026, 11, 27),
                source="example rate")  # fmt: skip
    est = cost(
        "alibaba-cn/qwen-plus", input_tokens=128_000, output_tokens=1_000, currency="USD", fx=fx
    )
    # 0.1024 CNY x 0.14 = 0.014336; 0.002 CNY x 0.14 = 0.00028
    assert est.total == Decimal("0.014616")
    assert est.items[0].fx == "1 CNY = 0.14 USD (as of 2026-11-27, example rate)"


def test_conversion_with_the_opposite_pair_divides():
    fx = FxRate(base="USD", quote="CNY", rate=Decimal("8"), as_of=dt.date(2026, 11, 27),
                source="example rate")  # fmt: skip
    est = cost("alibaba-cn/qwen-plus", input_tokens=128_000, currency="USD", fx=fx)
    assert est.total == Decimal("0.0128")  # 0.1024 CNY / 8
    assert "divided by" in str(est.items[0].fx)


# --- closed tokenizers -----------------------------------------------------------------------


def test_proxy_counted_model_is_not_exact_and_carries_the_range():
    from references import reference

    text = "The quick brown fox jumps over the lazy dog. " * 20
    proxy = len(reference("o200k_base").encode_ordinary(text))  # tiktoken, not tokbench
    est = cost("claude-sonnet-4-6", text=text, output_tokens=100)

    def half_up(x: Decimal) -> int:
        return int(x + Decimal("0.5"))

    # claude_3_to_4_6: o200k_base x 1.18 (1.10 .. 1.30); input at $3/M, output $15/M
    n, lo, hi = (half_up(proxy * Decimal(r)) for r in ("1.18", "1.10", "1.30"))
    assert not est.exact
    assert est.closed_family == "claude_3_to_4_6"
    assert est.tokenizer == "o200k_base"
    inp = est.items[0]
    assert (inp.tokens, inp.tokens_low, inp.tokens_high, inp.exact) == (n, lo, hi, False)
    assert est.total == Decimal(n * 3 + 100 * 15) / M
    assert (est.total_low, est.total_high) == (
        Decimal(lo * 3 + 1500) / M,
        Decimal(hi * 3 + 1500) / M,
    )
    assert est.ratio is not None
    assert est.ratio["basis"] == "third-party measurement"
    assert est.to_dict()["exact"] is False


def test_gemini_counts_through_its_named_proxy_or_fails_clearly():
    text = "Hello world, this is a test."
    if "gemma3" not in list_encoding_names():
        with pytest.raises(UnsupportedTokenizerError, match="'gemma3', which is not bundled"):
            cost("gemini-2.5-pro", text=text)
        return
    import tokbench

    proxy = tokbench.get_encoding("gemma3").count(text)
    est = cost("gemini-2.5-pro", text=text)
    # gemini_2_plus: gemma3 x 1.00 (0.95 .. 1.10), rounded half up
    low, high = (int(proxy * Decimal(r) + Decimal("0.5")) for r in ("0.95", "1.10"))
    assert (est.tokenizer, est.exact, est.closed_family) == ("gemma3", False, "gemini_2_plus")
    assert (est.items[0].tokens, est.items[0].tokens_low, est.items[0].tokens_high) == (
        proxy,
        low,
        high,
    )


# --- names -----------------------------------------------------------------------------------


def test_unknown_model_lists_close_names():
    with pytest.raises(UnknownNameError, match=r"Unknown model 'gpt-4oo'.*gpt-4o"):
        cost("gpt-4oo", input_tokens=1)


def test_bare_ambiguous_id_lists_provider_ids_and_provider_picks_one():
    with pytest.raises(AmbiguousModelError) as info:
        cost("qwen-plus", input_tokens=1)
    assert "alibaba-cn/qwen-plus" in str(info.value)
    assert "alibaba-intl/qwen-plus-2025-09-11" in str(info.value)
    assert cost("qwen-plus", input_tokens=1, provider="alibaba-cn").model == "alibaba-cn/qwen-plus"


def test_missing_component_price_is_an_error_not_zero():
    # gpt-5.5-pro has no cached-input price in the book
    with pytest.raises(PriceBookError, match="no cache_read price"):
        cost("gpt-5.5-pro", input_tokens=10, cache_read_tokens=10)


# --- warnings --------------------------------------------------------------------------------


def test_stale_price_row_is_flagged():
    est = cost("claude-sonnet-4-5", input_tokens=1)  # as of 2025-11-01, 393 days before
    assert any(w.startswith("stale price") and "393 days" in w for w in est.warnings)
    assert est.items[0].price_age_days == 393
    assert cost("gpt-4o", input_tokens=1).warnings == ()


def test_over_the_context_window_says_so():
    est = cost("claude-sonnet-5", input_tokens=999_000, output_tokens=2_000)
    assert any("context window (1000000)" in w for w in est.warnings)


def test_reasoning_tokens_default_to_the_output_price():
    # gpt-4o has no reasoning price: output's 10/M applies; gemini-2.5-flash states 2.5/M
    assert cost("gpt-4o", input_tokens=0, reasoning_tokens=M).total == Decimal(10)
    assert cost("gemini-2.5-flash", input_tokens=0, reasoning_tokens=M).total == Decimal("2.5")


def test_qwen_thinking_mode_bills_all_output_at_its_own_price():
    # alibaba-cn/qwen-plus first tier: input 0.8, output 2.0, thinking-mode output 8.0 CNY/M
    plain = cost("alibaba-cn/qwen-plus", input_tokens=1_000, output_tokens=1_000)
    think = cost(
        "alibaba-cn/qwen-plus",
        input_tokens=1_000,
        output_tokens=1_000,
        reasoning_tokens=500,
        thinking=True,
    )
    assert plain.total == Decimal("0.0028")  # 1000 x 0.8 + 1000 x 2.0, per M
    assert think.total == Decimal("0.0128")  # 1000 x 0.8 + (1000 + 500) x 8.0, per M
    assert "thinking-mode price" in think.items[1].rule
    # without a separate price (gpt-4o), thinking changes nothing and says so
    other = cost("gpt-4o", input_tokens=0, output_tokens=1_000, thinking=True)
    assert other.total == Decimal("0.01")
    assert "no separate thinking-mode price" in other.items[0].rule
