"""The same content priced across many models (and, given texts per language, per language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..closed import ClosedFamily, closed_family
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


def compare_counts(
    models: Sequence[str],
    counts_by_lang: Mapping[str, Mapping[str, int]],
    *,
    output_per_input: Decimal = Decimal(0),
    request_tokens: int = 1000,
    at: dt.datetime | None = None,
    currency: str | None = "USD",
    fx: FxRate | None = None,
    book: Book | None = None,
) -> list[CompareRow]:
    """Price a counted corpus per language: `counts_by_lang[lang][encoding]` = its tokens
    (e.g. each language's `tokens` from tokbench.count_corpus). Each model takes the count
    of its own encoding; a closed family takes its proxy's count x its ratio (low..high).

    The corpus is priced as requests of `request_tokens` input tokens each (so size tiers
    apply per request, not to the whole corpus), with `output_per_input` output tokens per
    input token.

    >>> rows = compare_counts(["gpt-4o"], {"eng": {"o200k_base": 2000}},
    ...                       at=dt.datetime(2026, 11, 29))
    >>> rows[0].total  # 2000 x $2.50/M
    Decimal('0.005')
    """
    book = book or bundled_book()
    opts: PriceOptions = {"at": at, "currency": currency, "fx": fx, "book": book}
    out = int(request_tokens * output_per_input)
    rows = []
    for m in models:
        one = estimate_cost(m, input_tokens=request_tokens, output_tokens=out, **opts)
        fam = closed_family(one.closed_family) if one.closed_family else None
        for lang, by_encoding in counts_by_lang.items():
            if one.tokenizer not in by_encoding:
                msg = f"{one.model} counts with {one.tokenizer!r}: no {lang} count for it"
                raise KeyError(msg)
            proxy = by_encoding[one.tokenizer]
            ratios = (Decimal(1),) * 3 if fam is None else fam_ratios(fam)
            n, lo, hi = (int(proxy * r + Decimal("0.5")) for r in ratios)  # half up
            per_token = one.total / request_tokens
            lo_c, mid_c, hi_c = (_tidy(per_token * k) for k in (lo, n, hi))
            rows.append(
                CompareRow(one.model, lang, n, mid_c, lo_c, hi_c, one.currency, fam is None)
            )
    return sorted(rows, key=lambda r: (r.lang or "", r.total, r.model))


def fam_ratios(fam: ClosedFamily) -> tuple[Decimal, Decimal, Decimal]:
    return fam.ratio_central, fam.ratio_low, fam.ratio_high


def _tidy(d: Decimal) -> Decimal:
    """Without trailing zeros (0.0050000 -> 0.005), never in exponent form for integers."""
    d = d.normalize()
    exp = d.as_tuple().exponent
    return d.quantize(Decimal(1)) if isinstance(exp, int) and exp > 0 else d
