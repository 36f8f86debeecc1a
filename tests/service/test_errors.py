"""Every error is JSON {"error": {"code", "message", "details"}}, with the right status."""

from __future__ import annotations

import pytest
from fastapi import APIRouter


def _error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


def test_unknown_encoding_is_404_with_close_names(client) -> None:
    r = client.post("/v1/count", json={"text": "x", "encodings": ["o200k_base", "cl100k"]})
    err = _error(r, 404, "unknown_tokenizer")
    assert err["details"]["name"] == "cl100k"
    assert err["details"]["close_matches"][0] == "cl100k_base"


def test_unknown_encoding_with_nothing_close(client) -> None:
    r = client.post("/v1/count", json={"text": "x", "encodings": ["zzzzzzzz"]})
    err = _error(r, 404, "unknown_tokenizer")
    assert err["details"]["close_matches"] == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"texts": "not a list"}, "texts"),
        ({"texts": ["a", 3]}, "texts.1"),
        ({"text": "a", "texts": ["b"]}, "exactly one"),
        ({}, "exactly one"),
        ({"text": "a", "encodings": []}, "encodings"),
        ({"text": "a", "colour": "red"}, "colour"),
        ({"text": "a", "return_ids": "maybe"}, "return_ids"),
    ],
)
def test_invalid_body_is_422_naming_the_field(client, body: dict, where: str) -> None:
    err = _error(client.post("/v1/count", json=body), 422, "invalid_request")
    assert where in err["message"]
    assert err["details"]["errors"]


def test_malformed_json_is_422(client) -> None:
    r = client.post(
        "/v1/count", content=b'{"texts": [', headers={"content-type": "application/json"}
    )
    _error(r, 422, "invalid_request")


def test_body_that_is_not_utf8_is_422(client) -> None:
    r = client.post(
        "/v1/count", content=b"\xde\x88\xff\x05", headers={"content-type": "application/json"}
    )
    _error(r, 422, "invalid_request")


def test_unknown_route_and_wrong_method(client) -> None:
    err = _error(client.get("/v1/nothing-here"), 404, "not_found")
    assert "/v1/nothing-here" in err["message"]
    _error(client.get("/v1/count"), 405, "method_not_allowed")


def test_unexpected_error_is_500_without_a_trace(client) -> None:
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail /some/file.py line 3")

    client.app.include_router(router)
    err = _error(client.get("/boom"), 500, "internal_error")
    assert "secret" not in err["message"]
    assert "Traceback" not in client.get("/boom").text
