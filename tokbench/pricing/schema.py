"""The price book's schema (pydantic): what a row must say, checked when the book is loaded.

Prices are decimal strings per million tokens, in the rate row's currency. Token bounds of a
tier are `above` < T <= `up_to` (None = no upper bound), T being the sum of the components
listed in the offer's `tier_rule.counts`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Billable components, in display order. Adding one here (and to Rate) is all it takes.
COMPONENTS = (
    "input",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "output",
    "reasoning_output",
)
Component = Literal[
    "input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "reasoning_output"
]
Currency = Literal["USD", "CNY", "EUR"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Price = Decimal  # per million tokens


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rate(_Strict):
    """Unit prices of one tier (and one time window) in one currency."""

    currency: Currency
    above: int = Field(0, ge=0)
    up_to: int | None = Field(None, gt=0)
    window: str | None = None
    input: Price = Field(ge=0)
    cache_read: Price | None = Field(None, ge=0)
    cache_write_5m: Price | None = Field(None, ge=0)
    cache_write_1h: Price | None = Field(None, ge=0)
    output: Price = Field(ge=0)
    # Reasoning ("thinking") tokens are billed as output unless the provider says otherwise.
    reasoning_output: Price | None = Field(None, ge=0)
    # Qwen's thinking mode: with thinking on, ALL output (answer and reasoning) costs this.
    thinking_output: Price | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> Rate:
        if self.up_to is not None and self.up_to <= self.above:
            msg = f"up_to ({self.up_to}) must be greater than above ({self.above})"
            raise ValueError(msg)
        return self

    def price(self, component: str) -> Price | None:
        if component == "reasoning_output":
            return self.output if self.reasoning_output is None else self.reasoning_output
        value: Price | None = getattr(self, component)
        return value


class TierRule(_Strict):
    """How the request's size picks a rate row.

    none: one row. cliff: past the threshold the WHOLE request is billed at the higher row
    (OpenAI >272k, Anthropic/Gemini >200k). request_size: the request's total input picks
    the row and all its tokens are billed at it (Alibaba Qwen, Doubao). graduated: each
    slice at its own row, only where a provider documents it.
    """

    kind: Literal["none", "cliff", "request_size", "graduated"]
    counts: tuple[Component, ...] = ("input", "cache_read", "cache_write_5m", "cache_write_1h")


class Window(_Strict):
    name: str
    days: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    start: dt.time
    end: dt.time  # exclusive; end <= start means the window runs past midnight


class Schedule(_Strict):
    """Time-of-day pricing: which named window a timestamp falls in, in the schedule's zone."""

    tz: str  # "+08:00" (fixed offset) or an IANA name such as "Asia/Shanghai"
    default_window: str
    windows: tuple[Window, ...]
    holidays: tuple[dt.date, ...] = ()  # dates (local) priced as default_window all day
    note: str = ""


class BatchTier(_Strict):
    multiplier: Decimal = Field(gt=0, le=1)
    components: tuple[Component, ...]
    note: str = ""


class PricedTier(_Strict):
    """A service tier with its own prices (flex, priority); components not listed have none."""

    rates: dict[Component, Price]
    note: str = ""


class Region(_Strict):
    multiplier: Decimal = Field(gt=0)
    source: str
    as_of: dt.date
    note: str = ""


class ServiceTiers(_Strict):
    batch: BatchTier | None = None
    flex: PricedTier | None = None
    priority: PricedTier | None = None


class Offer(_Strict):
    """One model as sold by one provider during one period."""

    provider: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    model: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    tokenizer: str | None = None  # a bundled encoding name
    closed_family: str | None = None  # a family in closed_tokenizers.csv
    source: str = Field(min_length=1)
    as_of: dt.date
    as_of_note: str = ""
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None  # exclusive
    tier_rule: TierRule = TierRule(kind="none")
    schedule: Schedule | None = None
    rates: tuple[Rate, ...] = Field(min_length=1)
    service_tiers: ServiceTiers = ServiceTiers()
    regions: dict[str, Region] = {}
    context_window: int | None = Field(None, gt=0)
    max_output: int | None = Field(None, gt=0)
    max_input_tokens: int | None = Field(None, gt=0)
    deprecation_date: dt.date | None = None
    notes: str = ""

    @property
    def id(self) -> str:
        return f"{self.provider}/{self.model}"

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _aware(cls, v: dt.datetime | None) -> dt.datetime | None:
        if v is not None and v.tzinfo is None:
            msg = "needs a UTC offset, e.g. 2025-09-05T16:00:00Z"
            raise ValueError(msg)
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Offer:
        if (self.tokenizer is None) == (self.closed_family is None):
            msg = "set exactly one of 'tokenizer' (bundled encoding) or 'closed_family'"
            raise ValueError(msg)
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            msg = "valid_to must be after valid_from"
            raise ValueError(msg)
        windows: set[str | None] = {None}
        if self.schedule is not None:
            windows = {None, self.schedule.default_window}
            windows.update(w.name for w in self.schedule.windows)
        for i, r in enumerate(self.rates):
            if r.window not in windows:
                msg = f"rates[{i}].window={r.window!r}: expected one of {sorted(map(str, windows))}"
                raise ValueError(msg)
        _check_tiers(self)
        return self


def _check_tiers(offer: Offer) -> None:
    """Rows of one currency and window must tile [0, inf) or [0, max] without gaps."""
    groups: dict[tuple[str, str | None], list[Rate]] = {}
    for r in offer.rates:
        groups.setdefault((r.currency, r.window), []).append(r)
    for (cur, win), rows in groups.items():
        rows = sorted(rows, key=lambda r: r.above)
        where = f"rates ({cur}{', window ' + win if win else ''})"
        if offer.tier_rule.kind == "none" and len(rows) > 1:
            msg = f"{where}: tier_rule 'none' allows one row, found {len(rows)}"
            raise ValueError(msg)
        if rows[0].above != 0:
            msg = f"{where}: the first tier must start at above=0"
            raise ValueError(msg)
        for a, b in itertools.pairwise(rows):
            if a.up_to != b.above:
                msg = f"{where}: tier ending at up_to={a.up_to} is followed by above={b.above}"
                raise ValueError(msg)


class FxRate(_Strict):
    """1 `base` = `rate` `quote`, published on `as_of` by `source`."""

    base: Currency
    quote: Currency
    rate: Decimal = Field(gt=0)
    as_of: dt.date
    source: str = Field(min_length=1)


class Book(_Strict):
    schema_version: Literal[1]
    book_version: str
    description: str = ""
    fx_rates: tuple[FxRate, ...] = ()
    offers: tuple[Offer, ...]

    @model_validator(mode="after")
    def _no_overlaps(self) -> Book:
        """Two offers with one id must not be in force at the same time."""
        far_past = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        far_future = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
        seen: dict[str, list[tuple[int, dt.datetime, dt.datetime]]] = {}
        for i, o in enumerate(self.offers):
            start, end = o.valid_from or far_past, o.valid_to or far_future
            for j, s, e in seen.get(o.id, []):
                if start < e and s < end:
                    msg = f"offers[{j}] and offers[{i}] ({o.id}) are in force at the same time"
                    raise ValueError(msg)
            seen.setdefault(o.id, []).append((i, start, end))
        return self
