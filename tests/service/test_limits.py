"""Limits: body size (413 before the body is read), texts and characters (413), API keys
(401) and the per-key rate limit (429)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tokbench.service.limits import BodySizeLimit, RateLimiter
from tokbench.service.settings import Settings, SettingsError


def test_body_over_the_limit_is_413(make_client) -> None:
    client = make_client(max_body_bytes=1000)
    small = client.post("/v1/count", json={"text": "a" * 900})
    assert small.status_code == 200
    r = client.post("/v1/count", json={"text": "a" * 1000})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    assert r.json()["error"]["details"] == {"max_body_bytes": 1000}


def _run_middleware(headers: list, chunks: int) -> tuple[int, list[dict]]:
    """Drive BodySizeLimit(max 1000 bytes) around an app that reads the whole body;
    return how many chunks it pulled and what it sent."""
    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 100, "more_body": pulled < chunks}

    async def send(message: dict) -> None:
        sent.append(message)

    async def app(scope, receive, send) -> None:
        more = True
        while more:
            more = (await receive())["more_body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read it all"})

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    asyncio.run(BodySizeLimit(app, max_bytes=1000)(scope, receive, send))
    return pulled, sent


def test_chunked_body_is_cut_off_while_streaming() -> None:
    pulled, sent = _run_middleware([], chunks=50)
    assert pulled == 11  # the chunk that passes 1000 bytes, and none after it
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"]["code"] == "payload_too_large"


def test_declared_length_over_the_limit_reads_nothing() -> None:
    pulled, sent = _run_middleware([(b"content-length", b"5000")], chunks=50)
    assert pulled == 0
    assert sent[0]["status"] == 413


def test_body_within_the_limit_passes() -> None:
    pulled, sent = _run_middleware([(b"content-length", b"1000")], chunks=10)
    assert pulled == 10
    assert sent[0]["status"] == 200


def test_too_many_texts_is_413(make_client) -> None:
    client = make_client(max_texts=3)
    assert client.post("/v1/count", json={"texts": ["a"] * 3}).status_code == 200
    r = client.post("/v1/count", json={"texts": ["a"] * 4})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_many_texts"
    assert r.json()["error"]["details"] == {"max_texts": 3}


def test_too_many_characters_is_413(make_client) -> None:
    client = make_client(max_chars=10)
    # 10 characters (code points), more bytes: the limit counts characters
    assert client.post("/v1/count", json={"texts": ["東京", "ééééé", "abc"]}).status_code == 200
    r = client.post("/v1/count", json={"texts": ["東京", "ééééé", "abcd"]})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_many_characters"


@pytest.mark.parametrize("path", ["/v1/models", "/v1/tokenizers/gpt2"])
def test_api_keys_guard_every_v1_route(make_client, path: str) -> None:
    client = make_client(api_keys=("k1", "k2"))
    r = client.get(path)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert client.get(path, headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.get(path, headers={"X-API-Key": "k2"}).status_code == 200
    assert client.get(path, headers={"Authorization": "Bearer k1"}).status_code == 200


def test_api_keys_guard_post_and_spare_health_and_page(make_client) -> None:
    client = make_client(api_keys=("secret",))
    assert client.post("/v1/count", json={"text": "a"}).status_code == 401
    ok = client.post("/v1/count", json={"text": "a"}, headers={"X-API-Key": "secret"})
    assert ok.status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200


def test_rate_limit_is_429_per_key(make_client) -> None:
    client = make_client(api_keys=("a", "b"), rate_limit_per_minute=2)
    for _ in range(2):
        assert client.get("/v1/tokenizers/gpt2", headers={"X-API-Key": "a"}).status_code == 200
    r = client.get("/v1/tokenizers/gpt2", headers={"X-API-Key": "a"})
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    # 2 per minute: the next request is allowed 30 s after the bucket ran dry
    assert 1 <= int(r.headers["retry-after"]) <= 30
    # another key has its own allowance
    assert client.get("/v1/tokenizers/gpt2", headers={"X-API-Key": "b"}).status_code == 200


def test_rate_limit_per_client_without_keys(make_client) -> None:
    client = make_client(rate_limit_per_minute=60, rate_limit_burst=1)
    assert client.post("/v1/count", json={"text": "a"}).status_code == 200
    assert client.post("/v1/count", json={"text": "a"}).status_code == 429
    assert client.get("/healthz").status_code == 200  # health is never limited


def test_token_bucket_refills_at_the_rate() -> None:
    limiter = RateLimiter(per_minute=60, burst=2)  # one request a second, two at once
    assert limiter.acquire("c", now=100.0) == 0.0
    assert limiter.acquire("c", now=100.0) == 0.0
    assert limiter.acquire("c", now=100.0) == pytest.approx(1.0)
    assert limiter.acquire("c", now=100.5) == pytest.approx(0.5)
    assert limiter.acquire("c", now=101.0) == 0.0
    assert limiter.acquire("c", now=101.0) == pytest.approx(1.0)
    assert limiter.acquire("other", now=101.0) == 0.0


def test_settings_from_environment() -> None:
    env = {
        "TOKBENCH_PORT": "9001",
        "TOKBENCH_API_KEYS": " k1, k2 ,,",
        "TOKBENCH_LOG_LEVEL": "DEBUG",
        "TOKBENCH_MAX_TEXTS": "5",
    }
    s = Settings.from_env(env, host="0.0.0.0")
    assert (s.port, s.api_keys, s.log_level, s.max_texts, s.host) == (
        9001,
        ("k1", "k2"),
        "debug",
        5,
        "0.0.0.0",
    )
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TOKBENCH_PORT": "http"}, "TOKBENCH_PORT"),
        ({"TOKBENCH_MAX_BODY_BYTES": "0"}, "TOKBENCH_MAX_BODY_BYTES"),
        ({"TOKBENCH_LOG_LEVEL": "loud"}, "TOKBENCH_LOG_LEVEL"),
        ({"TOKBENCH_RATE_LIMIT_PER_MINUTE": "-1"}, "TOKBENCH_RATE_LIMIT_PER_MINUTE"),
    ],
)
def test_bad_settings_name_the_variable(env: dict, named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_body_limit_error_is_json(make_client) -> None:
    client = make_client(max_body_bytes=10)
    r = client.post("/v1/count", content=json.dumps({"text": "0123456789"}))
    assert json.loads(r.content)["error"]["details"]["max_body_bytes"] == 10


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/estimate", {"texts": ["ab"] * 3, "models": ["gpt-4o"]}),
        (
            "/v1/estimate",
            {"messages": [{"role": "user", "content": "ab"}] * 3, "models": ["gpt-4o"]},
        ),
        ("/v1/compare", {"text": "abcde", "models": ["gpt-4o"]}),
    ],
)
def test_priced_routes_have_the_same_limits(make_client, path: str, body: dict) -> None:
    client = make_client(max_texts=2, max_chars=4, api_keys=("k",))
    assert client.post(path, json=body).status_code == 401
    r = client.post(path, json=body, headers={"X-API-Key": "k"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] in ("too_many_texts", "too_many_characters")
