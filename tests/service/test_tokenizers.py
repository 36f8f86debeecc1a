"""GET /healthz and /v1/tokenizers."""

from __future__ import annotations

import tokbench


def test_healthz(client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["version"] == tokbench.__version__


def test_tokenizers_lists_every_bundled_encoding(client) -> None:
    r = client.get("/v1/tokenizers")
    assert r.status_code == 200
    listed = {t["name"]: t for t in r.json()["tokenizers"]}
    assert sorted(listed) == tokbench.list_encoding_names()
    # Vocabulary sizes as published for these tokenizers.
    assert listed["cl100k_base"]["vocab_size"] == 100277
    assert listed["gpt2"]["vocab_size"] == 50257
    assert listed["llama3"]["vocab_size"] == 128256
    o200k = listed["o200k_base"]
    assert o200k["algorithm"] == "BPE"
    assert o200k["path"] == "native"
    assert o200k["source"]["file"] == "o200k_base.tiktoken"
    assert len(o200k["source"]["sha256"]) == 64


def test_one_tokenizer_and_close_names(client) -> None:
    assert client.get("/v1/tokenizers/qwen3").json()["name"] == "qwen3"
    r = client.get("/v1/tokenizers/lama3")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "unknown_tokenizer"
    assert "llama3" in err["details"]["close_matches"]
    assert "'llama3'" in err["message"]


def test_docs_page_needs_no_cdn(client) -> None:
    html = client.get("/docs").text
    assert "/docs-static/swagger-ui-bundle.js" in html
    assert "https://" not in html
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "tokbench"


def test_page_is_served_without_external_resources(client) -> None:
    html = client.get("/").text
    assert "/static/app.js" in html
    assert "http://" not in html
    assert "https://" not in html
    assert client.get("/static/app.js").status_code == 200
