"""estimate_energy and token_factory: properties, hand-computed values and errors."""

from __future__ import annotations

import doctest
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokbench.energy import (
    METHODOLOGY_VERSION,
    UnknownEnergyModelError,
    UnknownHardwareError,
    UnknownRegionError,
    estimate_energy,
    estimated_throughput,
    list_energy_models,
    list_regions,
    model_size,
    token_factory,
)

counts = st.integers(min_value=0, max_value=2_000_000)
MODELS = ["gpt-4o", "deepseek-chat", "llama-3.1-8b", "gpt-oss-120b", "claude-sonnet-4-5"]


def _wh(model: str, i: int, o: int, c: int = 0) -> tuple[float, float, float]:
    e = estimate_energy(model, input_tokens=i, output_tokens=o, cached_tokens=c)
    return e.wh.low, e.wh.central, e.wh.high


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MODELS), counts, counts, counts, st.integers(1, 100_000))
def test_more_tokens_never_less_energy(model, i, o, c, extra) -> None:
    c = min(c, i)
    base = _wh(model, i, o, c)
    for more in (
        _wh(model, i + extra, o, c),
        _wh(model, i, o + extra, c),
        _wh(model, i + extra, o, c + extra),
    ):
        assert all(m >= b for m, b in zip(more, base, strict=True))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MODELS), st.integers(1, 500_000), counts)
def test_cached_input_costs_less_than_fresh(model, i, o) -> None:
    fresh = _wh(model, i, o, 0)
    cached = _wh(model, i, o, i)
    assert all(c < f for c, f in zip(cached, fresh, strict=True))


@pytest.mark.parametrize("model", MODELS)
def test_zero_tokens_zero_energy(model) -> None:
    e = estimate_energy(model, input_tokens=0, output_tokens=0, region="DE")
    for r in (e.wh, e.accelerator_wh, e.gco2e, e.electricity_cost):
        assert (r.low, r.central, r.high) == (0.0, 0.0, 0.0)


def test_ranges_are_ordered_and_full_stack_exceeds_accelerator() -> None:
    for model in list_energy_models():
        e = estimate_energy(model, input_tokens=2000, output_tokens=700, cached_tokens=500)
        assert 0 < e.wh.low <= e.wh.central <= e.wh.high, model
        assert e.accelerator_wh.central < e.wh.central, model


def test_one_output_token_by_hand() -> None:
    # Llama 3.1 8B (8.03B dense) on H100 (989 TFLOPS, 3.35 TB/s, 700 W), central scenario:
    # 0.7 x TDP, decode MFU 0.1, batch 128, FP8 (1 byte), 70% bandwidth, L = 70k tokens,
    # context 0.5 token; host overhead 1.6; the "meta" hosts' default PUE 1.2.
    compute_s = 2 * 8.03e9 * (1 + 0.5 / 70_000) / (989e12 * 0.1)
    weights_s = 8.03e9 / (128 * 3.35e12 * 0.7)
    joules = 700 * 0.7 * (compute_s + weights_s)  # 0.09268 J
    e = estimate_energy("llama-3.1-8b", input_tokens=0, output_tokens=1)
    assert e.accelerator_wh.central == pytest.approx(joules / 3600, rel=1e-12)
    assert e.wh.central == pytest.approx(joules * 1.6 * 1.2 / 3600, rel=1e-12)
    assert joules == pytest.approx(0.092677, rel=1e-4)


def test_carbon_and_electricity_cost_by_hand_for_china() -> None:
    e = estimate_energy("deepseek-chat", input_tokens=3000, output_tokens=800, region="China")
    assert e.region.region == "CN"
    # China: 525.34 gCO2e/kWh central (EcoLogits 2025), 582.317 high (codecarbon 2023);
    # tariff CNY 0.35 / 0.641 / 1.2 per kWh.
    assert e.gco2e.central == pytest.approx(e.wh.central / 1000 * 525.34, rel=1e-12)
    assert e.gco2e.low == pytest.approx(e.wh.low / 1000 * 525.34, rel=1e-12)
    assert e.gco2e.high == pytest.approx(e.wh.high / 1000 * 582.317, rel=1e-12)
    assert e.currency == "CNY"
    assert e.electricity_cost.central == pytest.approx(e.wh.central / 1000 * 0.641, rel=1e-12)
    assert e.electricity_cost.high == pytest.approx(e.wh.high / 1000 * 1.2, rel=1e-12)


def test_region_defaults_to_the_providers_and_has_no_tariff_gap_surprises() -> None:
    assert estimate_energy("qwen-plus", input_tokens=1, output_tokens=1).region.region == "CN"
    assert estimate_energy("gpt-4o", input_tokens=1, output_tokens=1).region.region == "US"
    e = estimate_energy("gpt-4o", input_tokens=1, output_tokens=1, region="jp")
    assert e.electricity_cost is None
    assert e.currency is None
    assert e.to_dict()["region"]["tariff_note"]
    assert "WORLD" in list_regions()


def test_to_dict_is_json_with_sources_and_version() -> None:
    e = estimate_energy("anthropic/claude-sonnet-4-5", input_tokens=10, output_tokens=5)
    d = json.loads(json.dumps(e.to_dict()))
    assert d["methodology"] == METHODOLOGY_VERSION
    assert d["model"] == "claude-sonnet-4-5"
    for part, field in [
        ("params", "source"),
        ("params", "as_of"),
        ("region", "intensity_source"),
        ("region", "intensity_as_of"),
        ("hardware", "source"),
        ("hardware", "as_of"),
        ("pue", "source"),
    ]:
        assert d[part][field], (part, field)
    assert set(d["wh"]) == {"low", "central", "high"}


@pytest.mark.parametrize(
    ("query", "model"),
    [
        ("gpt-4o", "gpt-4o"),
        ("openai/gpt-4o", "gpt-4o"),
        ("GPT-4o-2024-08-06", "gpt-4o"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("deepseek-reasoner", "deepseek-chat"),
        ("dashscope/qwen-plus-2025-09-11", "qwen-plus"),
        ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b"),
        ("volcengine/doubao-seed-2-0-pro-260215", "doubao-seed-2-0-pro"),
        ("fireworks_ai/accounts/fireworks/models/gpt-oss-120b", "gpt-oss-120b"),
    ],
)
def test_model_ids_resolve(query, model) -> None:
    assert model_size(query).model == model


def test_unknown_model_lists_close_names() -> None:
    with pytest.raises(UnknownEnergyModelError, match=r"gpt-4o") as info:
        estimate_energy("gpt-4oo", input_tokens=1, output_tokens=1)
    assert isinstance(info.value, LookupError)


def test_unknown_region_and_hardware() -> None:
    with pytest.raises(UnknownRegionError, match=r"Known regions: .*CN"):
        estimate_energy("gpt-4o", input_tokens=1, output_tokens=1, region="Atlantis")
    with pytest.raises(UnknownHardwareError, match=r"h100"):
        estimate_energy("gpt-4o", input_tokens=1, output_tokens=1, hardware="tpu-v9")


def test_bad_token_counts() -> None:
    with pytest.raises(ValueError, match="cached_tokens"):
        estimate_energy("gpt-4o", input_tokens=10, output_tokens=1, cached_tokens=11)
    with pytest.raises(ValueError, match="output_tokens"):
        estimate_energy("gpt-4o", input_tokens=10, output_tokens=-1)
    with pytest.raises(TypeError, match="input_tokens"):
        estimate_energy("gpt-4o", input_tokens=1.5, output_tokens=1)  # type: ignore[arg-type]


def test_token_factory_by_hand() -> None:
    # 4 accelerators producing 2,000 tokens/s together: 1e6 / 7.2e6 h = 0.138889 h;
    # rent 0.138889 x 4 x 2.50 = 1.388889; energy 0.138889 x 4 x 0.6 kW x 1.25 = 0.416667
    # kWh; at 0.12 per kWh 0.05; total 1.438889; an API at 5.00 per 1M is 3.4749x that.
    f = token_factory(
        accelerator_hourly_price=2.5,
        currency="USD",
        throughput_tokens_per_s=2000,
        accelerators=4,
        power_w=600,
        pue=1.25,
        tariff_per_kwh=0.12,
        api_price_per_mtok=5.0,
    )
    assert f.hours_per_mtok == pytest.approx(0.1388889, rel=1e-6)
    assert f.accelerator_cost == pytest.approx(1.3888889, rel=1e-6)
    assert f.kwh_per_mtok == pytest.approx(0.4166667, rel=1e-6)
    assert f.electricity_cost == pytest.approx(0.05, rel=1e-9)
    assert f.total == pytest.approx(1.4388889, rel=1e-6)
    assert f.api_over_factory == pytest.approx(3.4749, rel=1e-4)
    assert json.loads(json.dumps(f.to_dict()))["currency"] == "USD"


def test_token_factory_defaults_and_currency_check() -> None:
    f = token_factory(
        accelerator_hourly_price=2.0, currency="EUR", throughput_tokens_per_s=1000, region="DE"
    )
    # H100 700 W x 0.7 = 490 W, PUE 1.2, Germany 0.233 EUR/kWh.
    assert f.inputs["power_w"] == pytest.approx(490.0)
    assert f.electricity_cost == pytest.approx(1e6 / 3.6e6 * 0.490 * 1.2 * 0.233, rel=1e-12)
    assert "Eurostat" in f.sources["tariff_per_kwh"]
    with pytest.raises(ValueError, match="in EUR, not USD"):
        token_factory(
            accelerator_hourly_price=2.0, currency="USD", throughput_tokens_per_s=1, region="DE"
        )
    with pytest.raises(ValueError, match="no tariff"):
        token_factory(
            accelerator_hourly_price=2.0, currency="NOK", throughput_tokens_per_s=1, region="NO"
        )
    with pytest.raises(ValueError, match="throughput_tokens_per_s"):
        token_factory(
            accelerator_hourly_price=2.0,
            currency="USD",
            throughput_tokens_per_s=0,
            tariff_per_kwh=0.1,
        )
    assert math.isfinite(f.total)


def test_estimated_throughput_by_hand() -> None:
    # Llama 3.1 8B on H100, central: 1 / (compute 0.16238 ms + weight stream 0.02675 ms).
    seconds = 2 * 8.03e9 / (989e12 * 0.1) + 8.03e9 / (128 * 3.35e12 * 0.7)
    t = estimated_throughput("llama-3.1-8b", context_tokens=0)
    assert t.central == pytest.approx(1 / seconds, rel=1e-12)
    assert t.central == pytest.approx(5287.2, rel=1e-4)
    assert t.low < t.central < t.high


def test_docstring_examples_run() -> None:
    import tokbench.energy.estimate as estimate
    import tokbench.energy.factory as factory
    import tokbench.energy.grid as grid
    import tokbench.energy.params as params

    for module in (estimate, factory, grid, params):
        failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert attempted > 0, module.__name__
        assert failed == 0, module.__name__
