"""Planning helpers: the cheapest time window for a job, and a monthly token allowance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .book import bundled_book
from .engine import PriceOptions, estimate_cost
from .schedule import as_utc
from .schema import Book, FxRate


@dataclass(frozen=True, slots=True)
class Window:
    """The best start for a job, and what it saves versus starting at `now`."""

    start: dt.datetime
    cost: Decimal
    cost_now: Decimal
    saving: Decimal
    saving_fraction: Decimal
    currency: str


def cheapest_window(
    model: str,
    *,
    input_tokens: int,
    output_tokens: int = 0,
    cache_read_tokens: int = 0,
    duration: dt.timedelta = dt.timedelta(0),
    now: dt.datetime | None = None,
    days: int = 7,
    step: dt.timedelta = dt.timedelta(minutes=30),
    currency: str | None = None,
    book: Book | None = None,
) -> Window:
    """When to start a job in the next `days` days under time-of-day pricing.

    The job's tokens are spread evenly over `duration` (0 = one instant), so its cost at a
    start time is the mean of the full job's price at each `step` inside the run. Starts
    are tried every `step` from `now`; the earliest cheapest one wins.

    >>> w = cheapest_window("deepseek-flash", input_tokens=10**6,
    ...                     now=dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.timezone.utc))
    >>> w.start.isoformat(), w.cost_now, w.cost  # Monday 09:00 Beijing is peak; 12:00 is not
    ('2026-11-23T04:00:00+00:00', Decimal('0.3'), Decimal('0.15'))
    """
    if step <= dt.timedelta(0) or days < 0 or duration < dt.timedelta(0):
        msg = "need step > 0, days >= 0 and duration >= 0"
        raise ValueError(msg)
    book = book or bundled_book()
    now = as_utc(now or dt.datetime.now(dt.timezone.utc))
    slots = max(1, -(-duration // step))  # ceil
    memo: dict[dt.datetime, Decimal] = {}
    unit = ""

    def price_at(t: dt.datetime) -> Decimal:
        nonlocal unit
        if t not in memo:
            est = estimate_cost(
                model,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cache_read_tokens=cache_read_tokens,
                at=t,
                currency=currency,
                book=book,
            )
            memo[t], unit = est.total, est.currency
        return memo[t]

    def job(start: dt.datetime) -> Decimal:
        return sum((price_at(start + k * step) for k in range(slots)), Decimal(0)) / slots

    cost_now = job(now)
    best, best_cost = now, cost_now
    for k in range(1, int(dt.timedelta(days=days) / step) + 1):
        start = now + k * step
        c = job(start)
        if c < best_cost:
            best, best_cost = start, c
    saving = cost_now - best_cost
    frac = saving / cost_now if cost_now else Decimal(0)
    return Window(best, best_cost, cost_now, saving, frac, unit)


@dataclass(frozen=True, slots=True)
class Allowance:
    """What a monthly budget buys: documents like the sample, their tokens and characters."""

    budget: Decimal
    currency: str
    cost_per_document: Decimal
    documents: int
    input_tokens: int
    output_tokens: int
    characters: int
    exact: bool


def monthly_allowance(
    model: str,
    *,
    budget: Decimal,
    sample_text: str,
    output_tokens_per_document: int = 0,
    at: dt.datetime | None = None,
    currency: str | None = None,
    fx: FxRate | None = None,
    book: Book | None = None,
) -> Allowance:
    """Money -> documents -> tokens -> characters, for documents like `sample_text` (its
    language and length), each sent as one request.

    >>> a = monthly_allowance("gpt-4o", budget=Decimal("10"), sample_text="hello world",
    ...                       at=dt.datetime(2026, 11, 29))
    >>> a.cost_per_document, a.documents, a.input_tokens  # 2 tokens x $2.50/M
    (Decimal('0.000005'), 2000000, 4000000)
    """
    opts: PriceOptions = {"at": at, "currency": currency, "fx": fx, "book": book}
    out = output_tokens_per_document
    est = estimate_cost(model, text=sample_text, output_tokens=out, **opts)
    if est.total <= 0:
        msg = "the sample document costs nothing: give a non-empty sample_text"
        raise ValueError(msg)
    docs = int(budget / est.total)
    n = est.tokens("input")
    return Allowance(
        budget=budget,
        currency=est.currency,
        cost_per_document=est.total,
        documents=docs,
        input_tokens=docs * n,
        output_tokens=docs * output_tokens_per_document,
        characters=docs * len(sample_text),
        exact=est.exact,
    )
