"""The bundled price book's coverage, and loading books: bad rows name the row and field."""

from __future__ import annotations

import copy
import datetime as dt
import doctest
import json
from decimal import Decimal
from pathlib import Path

import pytest

import tokbench.pricing.engine
import tokbench.pricing.messages
import tokbench.pricing.schedule
from tokbench.closed import closed_families
from tokbench.errors import PriceBookError
from tokbench.pricing import bundled_book, estimate_cost, load_book, offers_at, read_book
from tokbench.pricing.book import BUNDLED
from tokbench.registry import list_encoding_names

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 29, tzinfo=UTC)
# Encodings another part of tokbench is adding; offers may name them before they ship.
PENDING = {"gemma3", "gemma2", "llama2"}


def test_every_offer_is_sourced_dated_and_names_a_known_tokenizer():
    encodings = set(list_encoding_names()) | PENDING
    families = closed_families()
    for o in bundled_book().offers:
        assert o.source.strip(), o.id
        assert o.as_of <= dt.date(2026, 11, 29), o.id
        if o.tokenizer is not None:
            assert o.tokenizer in encodings, o.id
        else:
            assert o.closed_family in families, o.id
            assert families[str(o.closed_family)].proxy_encoding in encodings, o.id


def test_providers_required_by_the_issue_are_present():
    providers = {o.provider for o in offers_at(bundled_book(), NOW)}
    for p in (
        "openai", "anthropic", "google", "deepseek", "alibaba-cn", "alibaba-intl", "moonshot",
        "zhipu", "minimax", "volcengine", "mistral", "xai", "together", "groq",
    ):  # fmt: skip
        assert p in providers, p
    models = {o.model for o in offers_at(bundled_book(), NOW)} | {
        a for o in offers_at(bundled_book(), NOW) for a in o.aliases
    }
    assert {"gpt-oss-120b", "meta-llama/Llama-3.3-70B-Instruct-Turbo"} <= models


def test_claude_and_gemini_name_their_closed_family_never_o200k_directly():
    for o in bundled_book().offers:
        if o.provider in ("anthropic", "google", "xai", "volcengine"):
            assert o.tokenizer is None, o.id
            assert o.closed_family, o.id


def _raw() -> dict:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def _write(tmp_path: Path, book: dict, name: str = "book.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(book), encoding="utf-8")
    return p


def _user_offer(**over: object) -> dict:
    offer = {
        "provider": "acme",
        "model": "acme-1",
        "tokenizer": "o200k_base",
        "source": "acme.example/pricing",
        "as_of": "2026-11-01",
        "rates": [{"currency": "USD", "input": "1", "output": "2"}],
    }
    offer.update(over)
    return offer


def _user_book(*offers: dict) -> dict:
    return {"schema_version": 1, "book_version": "user-1", "offers": list(offers)}


def test_bad_row_names_the_row_and_the_field(tmp_path: Path):
    bad = _user_offer(model="acme-2", rates=[{"currency": "USD", "input": "abc", "output": "2"}])
    path = _write(tmp_path, _user_book(_user_offer(), bad))
    with pytest.raises(PriceBookError) as info:
        read_book(path)
    msg = str(info.value)
    assert str(path) in msg
    assert "offers[1] (acme/acme-2), field rates[0].input" in msg


def test_bad_bundled_style_row_names_it(tmp_path: Path):
    raw = _raw()
    broken = copy.deepcopy(raw)
    i = next(k for k, o in enumerate(broken["offers"]) if o["model"] == "gpt-4o")
    del broken["offers"][i]["source"]
    with pytest.raises(PriceBookError, match=rf"offers\[{i}\] \(openai/gpt-4o\), field source"):
        read_book(_write(tmp_path, broken))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closed_family": "grok"}, "exactly one of 'tokenizer'"),
        (
            {
                "tier_rule": {"kind": "cliff"},
                "rates": [
                    {"currency": "USD", "up_to": 100, "input": "1", "output": "1"},
                    {"currency": "USD", "above": 200, "input": "2", "output": "2"},
                ],
            },
            "up_to=100 is followed by above=200",
        ),
        ({"valid_from": "2026-01-01T00:00:00"}, "needs a UTC offset"),
        ({"rates": [{"currency": "USD", "input": "-1", "output": "1"}]}, "rates[0].input"),
    ],
)
def test_inconsistent_rows_are_rejected(tmp_path: Path, change: dict, message: str):
    with pytest.raises(PriceBookError) as info:
        read_book(_write(tmp_path, _user_book(_user_offer(**change))))
    assert message in str(info.value)
    assert "offers[0] (acme/acme-1)" in str(info.value)


def test_unreadable_and_malformed_files(tmp_path: Path):
    with pytest.raises(PriceBookError, match="Cannot read price book"):
        read_book(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(PriceBookError, match="is not valid JSON"):
        read_book(bad)


def test_user_book_extends_and_overrides_the_bundled_one(tmp_path: Path):
    gpt4o = _user_offer(
        provider="openai", model="gpt-4o", rates=[{"currency": "USD", "input": "2", "output": "8"}]
    )
    book = load_book(_write(tmp_path, _user_book(_user_offer(), gpt4o)))
    today = dt.date(2026, 11, 29)
    acme = estimate_cost("acme-1", input_tokens=1_000_000, book=book, at=NOW, today=today)
    assert acme.total == Decimal(1)
    assert acme.model == "acme/acme-1"
    over = estimate_cost("gpt-4o", input_tokens=1_000_000, book=book, at=NOW, today=today)
    assert over.total == Decimal(2)  # the user's price replaced the bundled 2.5
    assert over.items[0].source == "acme.example/pricing"
    assert book.book_version == "2026-11-29+user-1"


def test_toml_book(tmp_path: Path):
    pytest.importorskip("tomllib")
    p = tmp_path / "book.toml"
    p.write_text(
        'schema_version = 1\nbook_version = "t"\n[[offers]]\nprovider = "acme"\n'
        'model = "acme-1"\ntokenizer = "o200k_base"\nsource = "s"\nas_of = "2026-11-01"\n'
        '[[offers.rates]]\ncurrency = "USD"\ninput = "1.5"\noutput = "3"\n',
        encoding="utf-8",
    )
    assert read_book(p).offers[0].rates[0].input == Decimal("1.5")


def test_offers_at_respects_effective_dates():
    ids_2025 = {o.id for o in offers_at(bundled_book(), dt.datetime(2025, 3, 1, tzinfo=UTC))}
    ids_now = {o.id for o in offers_at(bundled_book(), NOW)}
    assert "deepseek/deepseek-chat" in ids_2025
    assert "deepseek/deepseek-flash" not in ids_2025
    assert "deepseek/deepseek-flash" in ids_now


@pytest.mark.parametrize(
    "module", [tokbench.pricing.engine, tokbench.pricing.schedule, tokbench.pricing.messages]
)
def test_docstring_examples(module: object):
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


def test_overlapping_periods_of_one_id_are_rejected(tmp_path: Path):
    first = _user_offer(valid_from="2026-01-01T00:00:00Z", valid_to="2026-06-01T00:00:00Z")
    second = _user_offer(valid_from="2026-05-01T00:00:00Z")
    with pytest.raises(PriceBookError, match=r"offers\[0\] and offers\[1\] \(acme/acme-1\)"):
        read_book(_write(tmp_path, _user_book(first, second)))
    ok = _user_offer(valid_from="2026-06-01T00:00:00Z")
    assert len(read_book(_write(tmp_path, _user_book(first, ok))).offers) == 2
