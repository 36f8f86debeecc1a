"""What an estimate returns: an itemised, sourced breakdown that serialises to JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def money(d: Decimal) -> str:
    """A decimal amount as a plain string (never exponent notation)."""
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass(frozen=True, slots=True)
class LineItem:
    """One billed component: tokens x unit price (per million tokens) = amount."""

    component: str
    tokens: int
    unit_price: Decimal  # per 1M tokens, in `currency`, after service tier/region/FX
    amount: Decimal
    currency: str
    rule: str  # which tier/window/service rule priced it
    source: str
    as_of: dt.date
    price_age_days: int
    exact: bool
    amount_low: Decimal
    amount_high: Decimal
    tokens_low: int
    tokens_high: int
    fx: str | None = None  # the exchange rate used, if converted

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "tokens": self.tokens,
            "unit_price_per_mtok": money(self.unit_price),
            "amount": money(self.amount),
            "currency": self.currency,
            "rule": self.rule,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "price_age_days": self.price_age_days,
            "exact": self.exact,
            "range": {
                "tokens_low": self.tokens_low,
                "tokens_high": self.tokens_high,
                "amount_low": money(self.amount_low),
                "amount_high": money(self.amount_high),
            },
            "fx": self.fx,
        }


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """The price of one request (or one batch of identical token counts).

    `extra` is open for other blocks computed from the same counts (e.g. "energy").
    """

    model: str  # the offer id, provider/model
    requested: str  # the id the caller gave
    at: dt.datetime
    currency: str
    total: Decimal
    total_low: Decimal
    total_high: Decimal
    exact: bool
    items: tuple[LineItem, ...]
    tokenizer: str  # the encoding that counted (the proxy for a closed family)
    closed_family: str | None
    ratio: dict[str, str] | None  # central/low/high/basis of a closed family's calibration
    service_tier: str | None
    region: str | None
    warnings: tuple[str, ...]
    book_version: str
    extra: dict[str, Any] = field(default_factory=dict)

    def tokens(self, component: str) -> int:
        """Tokens billed for `component` (0 if none)."""
        return sum(i.tokens for i in self.items if i.component == component)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "model": self.model,
            "requested": self.requested,
            "at": self.at.isoformat(),
            "currency": self.currency,
            "total": money(self.total),
            "exact": self.exact,
            "range": {"low": money(self.total_low), "high": money(self.total_high)},
            "items": [i.to_dict() for i in self.items],
            "tokenizer": self.tokenizer,
            "closed_family": self.closed_family,
            "ratio": self.ratio,
            "service_tier": self.service_tier,
            "region": self.region,
            "warnings": list(self.warnings),
            "price_book": self.book_version,
        }
        out.update(self.extra)
        return out
