"""The real server process (python -m tokbench.service) on a free loopback port, over HTTP."""

from __future__ import annotations

import itertools
import threading
import time

import httpx
import numpy as np

import tokbench

# Big enough that counting it with three encodings takes a good fraction of a second.
BIG_CHARS = 1_500_000


def _big_text() -> str:
    """Random words over a mixed alphabet: few repeated pieces, so no cache makes it quick."""
    rng = np.random.default_rng(5)
    # Latin a-z, eight Cyrillic letters, five CJK characters, then the space
    letters = [*range(ord("a"), ord("z") + 1), *range(0x430, 0x438), *map(ord, "東京天気晴")]
    alphabet = np.array([*letters, ord(" ")], np.uint32)
    # about one space in six characters
    weights = np.full(len(alphabet), 5 / 6 / (len(alphabet) - 1))
    weights[-1] = 1 / 6
    codes = rng.choice(alphabet, size=BIG_CHARS, p=weights)
    return codes.astype("<u4").tobytes().decode("utf-32-le")


def test_count_over_http(server_url: str) -> None:
    texts = ["hello world", "東京の天気は晴れ。"]
    r = httpx.post(
        f"{server_url}/v1/count", json={"texts": texts, "encodings": ["cl100k_base", "qwen3"]}
    )
    assert r.status_code == 200
    got = {x["encoding"]: x["counts"] for x in r.json()["results"]}
    for name, counts in got.items():
        assert counts == [tokbench.get_encoding(name).count(t) for t in texts]


def test_errors_over_http_are_json(server_url: str) -> None:
    r = httpx.post(f"{server_url}/v1/count", json={"text": "a", "encodings": ["o200k"]})
    assert r.status_code == 404
    assert r.json()["error"]["details"]["close_matches"][0] == "o200k_base"
    assert httpx.get(f"{server_url}/openapi.json").json()["info"]["title"] == "tokbench"


def test_a_large_count_does_not_block_health_checks(server_url: str) -> None:
    text = _big_text()
    body = {"text": text, "encodings": ["o200k_base", "cl100k_base", "llama3"]}
    done = threading.Event()
    answer: dict = {}

    def big_request() -> None:
        try:
            answer["response"] = httpx.post(f"{server_url}/v1/count", json=body, timeout=120)
        finally:
            done.set()

    worker = threading.Thread(target=big_request)
    with httpx.Client(base_url=server_url, timeout=30) as health:
        health.get("/healthz")  # connection open before the big request starts
        start = time.monotonic()
        worker.start()
        answered = [start]  # when each health check was answered during the big request
        while not done.is_set():
            if health.get("/healthz").status_code == 200:
                answered.append(time.monotonic())
            done.wait(0.02)  # leave the cores to the count
    worker.join()
    elapsed = time.monotonic() - start
    response = answer["response"]
    assert response.status_code == 200
    expected = tokbench.get_encoding("llama3").count(text)
    assert response.json()["results"][2]["total"] == expected
    # Counting runs on a worker thread without the GIL, so the event loop keeps answering:
    # no long silence. (A count on the event loop leaves a gap as long as the count itself,
    # most of the request's time.) A relative bound, not a speed claim.
    longest_gap = max(b - a for a, b in itertools.pairwise(answered))
    assert len(answered) >= 4
    assert longest_gap < 0.4 * elapsed, (longest_gap, elapsed, len(answered))
