"""The same content priced across many models (and, given texts per language, per language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .book import bundled_book
from .engine import PriceOptions, estimate_cost
from .schema import Book, FxRate


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One model's price for one text (`lang` is None for a single text)."""

    model: str
    lang: str | None
    input_tokens: int
    total: Decimal
    total_low: Decimal
    total_high: Decimal
    currency: str
    exact: bool


def compare_models(
    models: Sequence[str],
    *,
    text: str | None = None,
    texts_by_lang: Mapping[str, str] | None = None,
    output_tokens: int = 0,
    at: dt.datetime | None = None,
    currency: str | None = "USD",
    fx: FxRate | None = None,
    book: Book | None = None,
) -> list[CompareRow]:
    """Price `text` (or each language's text) with each model, cheapest first per language.

    Each model counts the text with its own tokenizer, so the same content costs a
    different number of tokens per model and per language. All rows are in `currency`
    (offers in another currency need `fx`), so they can be sorted.

    >>> rows = compare_models(["gpt-4o", "gpt-4o-mini"], text="hello world",
    ...                       at=dt.datetime(2026, 11, 29))
    >>> [r.model for r in rows]
    ['openai/gpt-4o-mini', 'openai/gpt-4o']
    """
    if (text is None) == (texts_by_lang is None):
        msg = "give exactly one of text= or texts_by_lang="
        raise ValueError(msg)
    texts: dict[str | None, str] = {None: text} if text is not None else {}
    texts.update(texts_by_lang or {})
    book = book or bundled_book()
    rows = []
    for lang, body in texts.items():
        for m in models:
            opts: PriceOptions = {"at": at, "currency": currency, "fx": fx, "book": book}
            est = estimate_cost(m, text=body, output_tokens=output_tokens, **opts)
            n = est.tokens("input")
            rows.append(
                CompareRow(
                    est.model,
                    lang,
                    n,
                    est.total,
                    est.total_low,
                    est.total_high,
                    est.currency,
                    est.exact,
                )
            )
    return sorted(rows, key=lambda r: (r.lang or "", r.total, r.model))
