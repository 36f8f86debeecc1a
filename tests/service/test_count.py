"""POST /v1/count: the same ids and counts as the reference tokenizers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from references import reference
from strategies import interesting_text

from tokbench import get_encoding

TEXTS = [
    "hello world",
    "Ünïcödé façade — 東京の天気は晴れ。",
    "    def f(x):\n\treturn x ** 2  # comment\r\n",
    "<|endoftext|> is plain text here",
    "",
    "🇺🇳 👩‍👩‍👧 ١٢٣ नमस्ते",
]


def test_hello_world_golden_ids(client) -> None:
    # Published tiktoken ids of "hello world" (also in the README's quick start).
    r = client.post(
        "/v1/count",
        json={
            "text": "hello world",
            "encodings": ["o200k_base", "cl100k_base"],
            "return_ids": True,
        },
    )
    assert r.status_code == 200
    by_name = {x["encoding"]: x for x in r.json()["results"]}
    assert by_name["o200k_base"]["ids"] == [[24912, 2375]]
    assert by_name["cl100k_base"]["ids"] == [[15339, 1917]]
    assert by_name["o200k_base"]["counts"] == [2]
    assert r.json()["characters"] == 11


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base", "llama3"])
def test_counts_and_ids_equal_the_reference(client, name: str) -> None:
    ref = reference(name)
    expected = [ref.encode_ordinary(t) for t in TEXTS]
    r = client.post("/v1/count", json={"texts": TEXTS, "encodings": [name], "return_ids": True})
    assert r.status_code == 200, r.text
    (result,) = r.json()["results"]
    assert result["encoding"] == name
    assert result["ids"] == expected
    assert result["counts"] == [len(ids) for ids in expected]
    assert result["total"] == sum(len(ids) for ids in expected)


def test_shape_and_order_for_several_encodings(client) -> None:
    body = {"texts": ["a b", "hello"], "encodings": ["llama3", "o200k_base"]}
    r = client.post("/v1/count", json=body)
    assert r.status_code == 200
    data = r.json()
    assert [x["encoding"] for x in data["results"]] == ["llama3", "o200k_base"]
    assert all(x["ids"] is None for x in data["results"])
    assert data["texts"] == 2
    assert data["characters"] == len("a b") + len("hello")


def test_default_encoding_is_o200k_base(client) -> None:
    r = client.post("/v1/count", json={"texts": ["hello world"]})
    assert r.status_code == 200
    assert r.json()["results"] == [
        {"encoding": "o200k_base", "counts": [2], "total": 2, "ids": None}
    ]


def test_duplicate_encodings_are_counted_once(client) -> None:
    r = client.post("/v1/count", json={"text": "x", "encodings": ["gpt2", "gpt2"]})
    assert [x["encoding"] for x in r.json()["results"]] == ["gpt2"]


ENCODINGS = ["o200k_base", "cl100k_base", "llama3", "qwen3", "deepseek_v3", "mistral_tekken"]


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(st.one_of(interesting_text(), st.text(max_size=30)), min_size=1, max_size=4),
    names=st.lists(st.sampled_from(ENCODINGS), min_size=1, max_size=3, unique=True),
)
def test_counts_survive_the_json_round_trip(client, texts: list[str], names: list[str]) -> None:
    """CR/LF, NUL, BOM, noncharacters, emoji: the service counts what the library counts."""
    r = client.post("/v1/count", json={"texts": texts, "encodings": names, "return_ids": True})
    assert r.status_code == 200, r.text
    for result in r.json()["results"]:
        enc = get_encoding(result["encoding"])
        assert result["counts"] == enc.count_batch(texts).tolist()
        assert result["ids"] == [enc.encode_ordinary(t) for t in texts]
