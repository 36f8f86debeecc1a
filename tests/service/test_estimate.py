"""POST /v1/estimate and GET /v1/models: arithmetic checked by hand against the book's
published unit prices and the reference tokenizers' counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from references import reference

from tokbench import get_encoding

AT = "2026-11-29T12:00:00Z"
MTOK = Decimal(1_000_000)


def _offer(client, provider: str, model_id: str) -> dict:
    models = client.get("/v1/models", params={"provider": provider, "at": AT}).json()["models"]
    (offer,) = [m for m in models if m["id"] == model_id]
    return offer


def _price(offer: dict, component: str) -> Decimal:
    (rate,) = [r for r in offer["rates"] if r["above"] == 0]
    return Decimal(rate["prices_per_mtok"][component])


def _estimate(client, **body) -> dict:
    r = client.post("/v1/estimate", json={"at": AT, **body})
    assert r.status_code == 200, r.text
    return r.json()


def test_text_priced_by_hand(client) -> None:
    text = "The quick brown fox jumps over the lazy dog. 東京の天気は晴れ。"
    n = len(reference("o200k_base").encode_ordinary(text))
    offer = _offer(client, "openai", "openai/gpt-4o")
    (res,) = _estimate(client, text=text, models=["gpt-4o"], output_tokens=250)["results"]
    expected = (n * _price(offer, "input") + 250 * _price(offer, "output")) / MTOK
    assert Decimal(res["total"]) == expected
    assert (res["model"], res["tokenizer"], res["exact"]) == ("openai/gpt-4o", "o200k_base", True)
    assert (res["input_tokens"], res["output_tokens"], res["currency"]) == (n, 250, "USD")
    assert res["total_low"] == res["total_high"] == res["total"]
    items = {i["component"]: i for i in res["items"]}
    assert items["input"]["tokens"] == n
    assert Decimal(items["output"]["amount"]) == 250 * _price(offer, "output") / MTOK
    assert items["input"]["source"]
    assert items["input"]["as_of"]


def test_raw_counts_cache_hits_and_batch(client) -> None:
    offer = _offer(client, "openai", "openai/gpt-4o")
    body = {"input_tokens": 10_000, "models": ["gpt-4o"], "output_tokens": 1000}
    (plain,) = _estimate(client, **body)["results"]
    assert (
        Decimal(plain["total"])
        == (10_000 * _price(offer, "input") + 1000 * _price(offer, "output")) / MTOK
    )
    (cached,) = _estimate(client, **body, cache_hit_fraction=0.25)["results"]
    assert (
        Decimal(cached["total"])
        == (
            7_500 * _price(offer, "input")
            + 2_500 * _price(offer, "cache_read")
            + 1000 * _price(offer, "output")
        )
        / MTOK
    )
    assert cached["input_tokens"] == 10_000  # fresh + cached prompt tokens
    (batch,) = _estimate(client, **body, service_tier="batch")["results"]
    assert Decimal(batch["total"]) == Decimal(plain["total"]) / 2  # OpenAI Batch API: -50%


def test_several_texts_are_several_requests(client) -> None:
    texts = ["hello world", "a longer second text, with punctuation!", ""]
    both = _estimate(client, texts=texts, models=["deepseek-chat"], output_tokens=10)
    (res,) = both["results"]
    singles = [
        _estimate(client, text=t, models=["deepseek-chat"], output_tokens=10)["results"][0]
        for t in texts
    ]
    assert res["requests"] == 3
    assert Decimal(res["total"]) == sum(Decimal(s["total"]) for s in singles)
    assert res["input_tokens"] == sum(get_encoding("deepseek_v3").count(t) for t in texts)
    assert res["output_tokens"] == 30


def test_deepseek_2025_night_discount_at_a_timestamp(client) -> None:
    # DeepSeek's 2025 off-peak rule: UTC 16:30-00:30, deepseek-chat (V3) at 50% off.
    body = {"input_tokens": 1_000_000, "models": ["deepseek-chat"], "currency": "USD"}
    day = client.post("/v1/estimate", json={**body, "at": "2025-06-02T10:00:00Z"}).json()
    night = client.post("/v1/estimate", json={**body, "at": "2025-06-02T17:00:00Z"}).json()
    assert Decimal(night["results"][0]["total"]) * 2 == Decimal(day["results"][0]["total"])


def test_closed_tokenizer_is_an_estimate_with_a_range(client) -> None:
    text = "Estimating Claude's tokens through a proxy encoding, with its calibration range."
    (res,) = _estimate(client, text=text, models=["claude-sonnet-4-5"])["results"]
    assert res["exact"] is False
    assert res["closed_family"]
    assert res["ratio"]["proxy_encoding"] == res["tokenizer"]
    proxy = len(reference(res["tokenizer"]).encode_ordinary(text))
    low, high = Decimal(res["ratio"]["low"]), Decimal(res["ratio"]["high"])
    assert res["input_tokens_low"] == int((proxy * low).to_integral_value(rounding="ROUND_HALF_UP"))
    assert res["input_tokens_high"] == int(
        (proxy * high).to_integral_value(rounding="ROUND_HALF_UP")
    )
    assert Decimal(res["total_low"]) <= Decimal(res["total"]) <= Decimal(res["total_high"])
    assert Decimal(res["total_low"]) < Decimal(res["total_high"])


def test_chat_messages_framing(client) -> None:
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "How many tokens is this?"},
    ]
    data = _estimate(client, messages=messages, models=["gpt-4o", "deepseek-chat"])
    by_model = {r["model"]: r for r in data["results"]}
    gpt = by_model["openai/gpt-4o"]
    # OpenAI's published rule of thumb: 3 per message + content tokens + 3 to prime the reply
    enc = reference("o200k_base")
    expected = 3 + sum(
        3 + len(enc.encode_ordinary(m["role"])) + len(enc.encode_ordinary(m["content"]))
        for m in messages
    )
    assert gpt["input_tokens"] == expected
    assert gpt["exact"] is False
    assert "approximation" in gpt["framing"]
    ds = by_model["deepseek/deepseek-chat"]
    assert ds["exact"] is True
    assert "(exact)" in ds["framing"]


def test_energy_and_carbon_ranges(client) -> None:
    (fr,) = _estimate(client, input_tokens=1000, output_tokens=500, models=["gpt-4o"], region="FR")[
        "results"
    ]
    energy = fr["energy"]
    assert energy["region"]["region"] == "FR"
    assert 0 < energy["wh"]["low"] <= energy["wh"]["central"] <= energy["wh"]["high"]
    assert energy["tokens"] == {"input": 1000, "output": 500, "cached": 0}
    assert energy["methodology"]
    # carbon = energy x grid intensity, by hand for the central values
    intensity = energy["region"]["intensity_g_per_kwh"]["central"]
    assert energy["gco2e"]["central"] == pytest.approx(energy["wh"]["central"] / 1000 * intensity)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "x", "models": ["gpt-4oo"]}, 404, "unknown_model"),
        ({"text": "x", "models": ["qwen-plus"]}, 422, "ambiguous_model"),
        ({"text": "x", "models": ["gpt-4o"], "region": "Atlantis"}, 404, "unknown_region"),
        ({"text": "x", "models": ["gpt-4o"], "hardware": "abacus"}, 404, "unknown_hardware"),
        ({"text": "x", "models": ["gpt-4o"], "currency": "CNY"}, 422, "missing_fx_rate"),
        ({"text": "x", "models": ["deepseek-chat"], "service_tier": "flex"}, 422, "not_priced"),
        ({"text": "x", "texts": ["y"], "models": ["gpt-4o"]}, 422, "invalid_request"),
        ({"text": "x", "models": []}, 422, "invalid_request"),
        ({"text": "x", "models": ["gpt-4o"], "cache_hit_fraction": 1.5}, 422, "invalid_request"),
    ],
)
def test_estimate_errors(client, body: dict, status: int, code: str) -> None:
    r = client.post("/v1/estimate", json={"at": AT, **body})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code


def test_unknown_model_lists_close_names(client) -> None:
    r = client.post("/v1/estimate", json={"text": "x", "models": ["gpt-4oo"]})
    assert "gpt-4o" in r.json()["error"]["details"]["close_matches"]
    r = client.post("/v1/estimate", json={"text": "x", "models": ["qwen-plus"]})
    assert "alibaba-cn/qwen-plus" in r.json()["error"]["message"]


def test_models_filter_and_sources(client) -> None:
    data = client.get("/v1/models", params={"at": AT}).json()
    assert data["price_book"]["snapshot"]
    assert len(data["models"]) > 20
    for m in data["models"]:
        assert m["source"]
        assert m["as_of"]
        assert m["currency"] in ("USD", "CNY", "EUR")
        assert m["rates"]
        assert m["tokenizer"]
        assert m["exact_tokenizer"] == (m["closed_family"] is None)
    ds = client.get("/v1/models", params={"provider": "deepseek", "at": AT}).json()["models"]
    assert ds
    assert {m["provider"] for m in ds} == {"deepseek"}
    r = client.get("/v1/models", params={"provider": "deepsek"})
    assert r.status_code == 404
    assert r.json()["error"]["details"]["close_matches"][0] == "deepseek"


def test_compare_ranks_by_cost(client) -> None:
    text = "Compare me across models: 東京の天気は晴れ。"
    data = client.post(
        "/v1/compare",
        json={"text": text, "models": ["gpt-4o", "gpt-4o-mini", "deepseek-chat"], "at": AT},
    ).json()
    rows = data["results"]
    assert [r["rank"] for r in rows] == [1, 2, 3]
    totals = [Decimal(r["total"]) for r in rows]
    assert totals == sorted(totals)
    assert data["characters"] == len(text)
    for r in rows:
        assert r["tokens_per_char"] == pytest.approx(r["tokens"] / len(text))
        assert r["energy_wh"]["central"] > 0
    mini = next(r for r in rows if r["model"] == "openai/gpt-4o-mini")
    assert mini["tokens"] == len(reference("o200k_base").encode_ordinary(text))


def test_compare_all_in_one_currency_skips_what_needs_fx(client) -> None:
    data = client.post("/v1/compare", json={"text": "hello", "currency": "USD", "at": AT}).json()
    assert {r["currency"] for r in data["results"]} == {"USD"}
    assert any(s["code"] == "missing_fx_rate" for s in data["skipped"])
    ranks = [r["rank"] for r in data["results"]]
    assert ranks == list(range(1, len(ranks) + 1))


def test_without_a_price_book_priced_routes_are_503(make_client, tmp_path) -> None:
    client = make_client(price_book=str(tmp_path / "missing.json"))
    for r in (
        client.post("/v1/estimate", json={"text": "x", "models": ["gpt-4o"]}),
        client.post("/v1/compare", json={"text": "x"}),
        client.get("/v1/models"),
    ):
        assert r.status_code == 503
        assert r.json()["error"]["code"] == "price_book_unavailable"
        assert "missing.json" in r.json()["error"]["message"]
    assert client.post("/v1/count", json={"text": "x"}).status_code == 200
    assert client.get("/healthz").json()["price_book"] is None
