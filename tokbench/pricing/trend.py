"""Price trend: how a model family's price moved across the dated offers of the book."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .book import bundled_book
from .schema import Book


@dataclass(frozen=True, slots=True)
class PricePoint:
    date: dt.date  # valid_from when the book has it, else the row's as_of
    offer: str
    price: Decimal  # per 1M tokens, first size tier, standard window


@dataclass(frozen=True, slots=True)
class Trend:
    points: tuple[PricePoint, ...]
    ratio: Decimal  # last price / first price
    per_year: float  # ratio ** (365 / days between them); float because of the fractional power
    currency: str
    component: str


def price_trend(
    models: Sequence[str],
    *,
    component: str = "input",
    currency: str = "USD",
    book: Book | None = None,
) -> Trend:
    """Prices of the offers whose model id (or provider/model id) is in `models`, by date.

    Only the book's own prices in `currency` are used (no conversion). For time-windowed
    offers the standard/peak price (the schedule's default or 'standard'/'peak' window) is
    used.

    >>> t = price_trend(["deepseek-chat"])
    >>> [str(p.price) for p in t.points], t.ratio
    (['0.27', '0.56', '0.28'], Decimal('1.037037037037037037037037037'))
    """
    book = book or bundled_book()
    points = []
    for o in book.offers:
        if o.model not in models and o.id not in models:
            continue
        rows = [r for r in o.rates if r.currency == currency and r.above == 0]
        rows = [r for r in rows if r.window in (None, "standard", "peak")]
        if not rows or rows[0].price(component) is None:
            continue
        date = o.valid_from.date() if o.valid_from else o.as_of
        points.append(PricePoint(date, o.id, Decimal(str(rows[0].price(component)))))
    points.sort(key=lambda p: (p.date, p.offer))
    if len(points) < 2:
        found = len(points)
        msg = f"need two or more dated {currency} {component} prices for {list(models)}: {found}"
        raise ValueError(msg)
    first, last = points[0], points[-1]
    ratio = last.price / first.price
    days = (last.date - first.date).days
    per_year = float(ratio) ** (365 / days) if days > 0 else float("nan")
    return Trend(tuple(points), ratio, per_year, currency, component)
