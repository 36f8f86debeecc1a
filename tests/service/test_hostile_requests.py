"""One hostile request against the real server: a single pre-token as long as the limits
allow (the slowest input per byte, see bench/results/worst_case_bounds.md) must not starve
ordinary /v1/count requests sent while it runs, and one just over the limit is refused
before any counting."""

from __future__ import annotations

import threading

import httpx

import tokbench

# One piece of 1.5M characters: about a second of counting for the two encodings; the
# session server allows 4M characters (conftest).
HOSTILE_CHARS = 1_500_000


def test_small_counts_are_answered_while_a_huge_piece_is_counted(server_url: str) -> None:
    hostile = {"text": "a" * HOSTILE_CHARS, "encodings": ["o200k_base", "llama3"]}
    small = {"texts": ["hello world", "東京の天気は晴れ。"], "encodings": ["o200k_base"]}
    want = [tokbench.get_encoding("o200k_base").count(t) for t in small["texts"]]
    done = threading.Event()
    answer: dict = {}

    def hostile_request() -> None:
        try:
            answer["response"] = httpx.post(f"{server_url}/v1/count", json=hostile, timeout=300)
        finally:
            done.set()

    worker = threading.Thread(target=hostile_request)
    answered_during = 0
    with httpx.Client(base_url=server_url, timeout=60) as client:
        client.get("/healthz")  # connection open before the hostile request starts
        worker.start()
        while not done.is_set():
            r = client.post("/v1/count", json=small)
            assert r.status_code == 200
            assert r.json()["results"][0]["counts"] == want
            answered_during += not done.is_set()
            done.wait(0.05)
    worker.join()
    assert answer["response"].status_code == 200
    assert answer["response"].json()["results"][0]["total"] == tokbench.get_encoding(
        "o200k_base"
    ).count("a" * HOSTILE_CHARS)
    # Counts run on worker threads without the GIL: small requests keep being answered.
    assert answered_during >= 3, answered_during


def test_one_character_over_the_limit_is_refused_before_counting(server_url: str) -> None:
    r = httpx.post(
        f"{server_url}/v1/count",
        json={"texts": ["a" * 2_000_000, "a" * 2_000_001], "encodings": ["o200k_base"]},
        timeout=60,
    )
    assert r.status_code == 413
    assert r.json()["error"]["details"] == {"max_chars": 4_000_000}
