"""estimate_cost: token counts (or text) + a model id + a time -> an itemised price."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, TypedDict

from ..closed import closed_family
from ..errors import PriceBookError, UnknownEncodingError, UnsupportedTokenizerError
from ..estimate import EstimatedEncoding
from ..registry import get_encoding
from .book import bundled_book, resolve
from .fx import Conversion, find_rate
from .messages import count_messages
from .result import CostEstimate, LineItem
from .schedule import as_utc, window_at
from .schema import COMPONENTS, Book, FxRate, Offer, Rate
from .tiers import select_rate, tier_total

ServiceTier = Literal["batch", "flex", "priority"]


class PriceOptions(TypedDict, total=False):
    """The options helpers pass through to estimate_cost unchanged."""

    at: dt.datetime | None
    currency: str | None
    fx: FxRate | None
    book: Book | None


MTOK = Decimal(1_000_000)
STALE_AFTER_DAYS = 90


def count_text(offer: Offer, text: str) -> tuple[int, int, int, str]:
    """(tokens, low, high, encoding used) for `text` under the offer's tokenizer.

    Exact (low = high = tokens) for a bundled tokenizer; for a closed family, the proxy
    encoding's count times the family's central/low/high ratio, rounded half up.
    """
    if offer.tokenizer is not None:
        try:
            n = get_encoding(offer.tokenizer).count(text)
        except UnknownEncodingError as e:
            msg = (
                f"{offer.id} counts with the encoding {offer.tokenizer!r}, which is not bundled "
                "in this build; pass token counts instead of text."
            )
            raise UnsupportedTokenizerError(msg) from e
        return n, n, n, offer.tokenizer
    fam = closed_family(str(offer.closed_family))
    try:
        enc = get_encoding(fam.family)  # the family's EstimatedEncoding: proxy x ratios
    except UnknownEncodingError as e:
        msg = (
            f"{offer.id}: its tokenizer is not public; the proxy for family {fam.family!r} is "
            f"{fam.proxy_encoding!r}, which is not bundled in this build. Pass token counts "
            "instead of text (tokbench never substitutes another encoding silently)."
        )
        raise UnsupportedTokenizerError(msg) from e
    if not isinstance(enc, EstimatedEncoding):
        msg = f"{fam.family!r} should name an estimated encoding, got {type(enc).__name__}"
        raise TypeError(msg)
    low, central, high = enc.count_range(text)
    return central, low, high, fam.proxy_encoding


def _rows(offer: Offer, currency: str, window: str | None) -> list[Rate]:
    return [r for r in offer.rates if r.currency == currency and r.window == window]


class _Pricer:
    """Prices one set of counts for a resolved offer, currency, window and options."""

    def __init__(
        self,
        offer: Offer,
        book: Book,
        at: dt.datetime,
        currency: str | None,
        fx: FxRate | None,
        service_tier: ServiceTier | None,
        region: str | None,
        thinking: bool = False,
    ) -> None:
        self.offer = offer
        self.thinking = thinking
        self.window = window_at(offer.schedule, at) if offer.schedule else None
        native = offer.rates[0].currency
        have = {r.currency for r in offer.rates}
        self.currency = currency or native
        self.fx: Conversion | None = None
        self.rate_currency = self.currency if self.currency in have else native
        if self.currency not in have:
            rates = ([fx] if fx else []) + list(book.fx_rates)
            self.fx = find_rate(native, self.currency, rates)
        self.service_tier = service_tier
        self.region = region
        self.region_mult = Decimal(1)
        if region is not None:
            reg = offer.regions.get(region)
            if reg is None:
                known = ", ".join(sorted(offer.regions)) or "none"
                msg = f"{offer.id} has no region {region!r} (regions with their own price: {known})"
                raise PriceBookError(msg)
            self.region_mult = reg.multiplier
        if service_tier is not None and getattr(offer.service_tiers, service_tier) is None:
            msg = f"{offer.id} offers no {service_tier!r} service tier in the price book"
            raise PriceBookError(msg)

    def _unit(self, rate: Rate, is_first: bool, comp: str) -> tuple[Decimal, list[str]]:
        tiers = self.offer.service_tiers
        notes: list[str] = []
        unit = rate.price(comp)
        if self.thinking and comp in ("output", "reasoning_output"):
            if rate.thinking_output is not None:
                unit = rate.thinking_output
                notes.append("thinking-mode price")
            else:
                notes.append("no separate thinking-mode price")
        if self.service_tier in ("flex", "priority"):
            priced = getattr(tiers, self.service_tier)
            if not is_first:
                msg = f"{self.offer.id}: no {self.service_tier} price above the first size tier"
                raise PriceBookError(msg)
            key = "output" if comp == "reasoning_output" else comp
            unit = priced.rates.get(key)
            if unit is None:
                msg = (
                    f"{self.offer.id}: the {self.service_tier} tier has no {comp} price in the book"
                )
                raise PriceBookError(msg)
            notes.append(f"{self.service_tier} tier price")
        if unit is None:
            msg = (
                f"{self.offer.id} has no {comp} price in the book; bill those tokens as "
                "another component (e.g. cached tokens as input) or extend the book."
            )
            raise PriceBookError(msg)
        if self.service_tier == "batch" and tiers.batch is not None:
            if comp in tiers.batch.components:
                unit *= tiers.batch.multiplier
                notes.append(f"batch x{tiers.batch.multiplier}")
            else:
                notes.append("batch discount not applied (not stated for this component)")
        if self.region_mult != 1:
            unit *= self.region_mult
            notes.append(f"region {self.region} x{self.region_mult}")
        return (unit if self.fx is None else self.fx.apply(unit)), notes

    def price(self, counts: dict[str, int]) -> list[tuple[str, int, Decimal, Decimal, str]]:
        """[(component, tokens, unit price, amount, rule)] for components with tokens."""
        rows = _rows(self.offer, self.rate_currency, self.window)
        if not rows:
            msg = f"{self.offer.id}: no {self.rate_currency} rates for window {self.window!r}"
            raise PriceBookError(msg)
        total = tier_total(self.offer, counts)
        rate, rule = select_rate(self.offer, rows, total)
        is_first = rate.above == min(r.above for r in rows)
        if self.window:
            rule = f"{rule}; time window {self.window!r}"
        out = []
        for comp in COMPONENTS:
            n = counts.get(comp, 0)
            if n == 0:
                continue
            unit, notes = self._unit(rate, is_first, comp)
            out.append((comp, n, unit, unit * n / MTOK, "; ".join([rule, *notes])))
        return out


def _split(counts: dict[str, int], fraction: Decimal | None) -> dict[str, int]:
    if fraction is None:
        return counts
    cached = int(counts.get("input", 0) * fraction)
    out = dict(counts)
    out["input"] = counts.get("input", 0) - cached
    out["cache_read"] = counts.get("cache_read", 0) + cached
    return out


def estimate_cost(
    model: str,
    *,
    text: str | None = None,
    messages: Sequence[Mapping[str, str]] | None = None,
    input_tokens: int | None = None,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
    cache_write_1h_tokens: int = 0,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    cache_hit_fraction: float | Decimal | None = None,
    at: dt.datetime | None = None,
    service_tier: ServiceTier | None = None,
    region: str | None = None,
    thinking: bool = False,
    currency: str | None = None,
    fx: FxRate | None = None,
    provider: str | None = None,
    book: Book | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
    today: dt.date | None = None,
) -> CostEstimate:
    """The itemised price of one request to `model` at time `at` (default: now).

    Components are disjoint: `input_tokens` are fresh (uncached) prompt tokens, billed at the
    input price; `cache_read_tokens` (cache hits) and `cache_write_tokens` (5-minute writes;
    `cache_write_1h_tokens` for 1-hour writes) are billed at their own prices. Reasoning
    tokens are billed at the reasoning price, which defaults to the output price. Give
    one of `text` (counted with the model's tokenizer), `messages` (a chat request, counted
    with its framing by count_messages) or `input_tokens`.

    Args:
        model: the provider's API id ("gpt-4o"), optionally "provider/model".
        cache_hit_fraction: moves that share of the input (rounded down) to cache reads.
        at: when the request runs (naive = UTC); picks the period and the time window.
        service_tier: "batch", "flex" or "priority" where the offer has it.
        region: a regional price (e.g. Anthropic "us" inference), where the offer has it.
        thinking: thinking mode on (Qwen): output and reasoning tokens at the offer's
            thinking-mode price where it has one.
        currency: the result's currency; the offer's own prices in it when it has them,
            otherwise converted with `fx` or a book rate, named in every item.
        book: a price book (default: the bundled one; see load_book for your own file).
        stale_after_days: warn when the price row's as_of is older than this.
        today: the date prices are aged against (default: today, UTC).

    Returns:
        CostEstimate with exact=False and a low/high range when the text was counted with
        a closed family's proxy encoding.

    Raises:
        UnknownNameError: unknown model (with close names), or none in force at `at`.
        AmbiguousModelError: a bare id several providers sell.
        PriceBookError: the offer lacks a price the request needs (never a silent zero).

    >>> est = estimate_cost("gpt-4o", input_tokens=1000, output_tokens=500,
    ...                     at=dt.datetime(2026, 11, 29), today=dt.date(2026, 11, 29))
    >>> est.total, est.currency  # 1000 x $2.50/M + 500 x $10/M
    (Decimal('0.0075'), 'USD')
    """
    book = book or bundled_book()
    at = as_utc(at or dt.datetime.now(dt.timezone.utc))
    today = today or dt.datetime.now(dt.timezone.utc).date()
    offer = resolve(book, model, at, provider=provider)
    if sum(x is not None for x in (text, messages, input_tokens)) != 1:
        msg = "give exactly one of text=, messages= or input_tokens="
        raise ValueError(msg)
    given = {
        "input_tokens": input_tokens or 0,
        "cache_read_tokens": cache_read_tokens,
        "cache_write_tokens": cache_write_tokens,
        "cache_write_1h_tokens": cache_write_1h_tokens,
        "output_tokens": output_tokens,
        "reasoning_tokens": reasoning_tokens,
    }
    for name, n in given.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            msg = f"{name} must be a non-negative int, got {n!r}"
            raise ValueError(msg)
    frac = None if cache_hit_fraction is None else Decimal(str(cache_hit_fraction))
    if frac is not None and not Decimal(0) <= frac <= Decimal(1):
        msg = f"cache_hit_fraction must be between 0 and 1, got {cache_hit_fraction}"
        raise ValueError(msg)
    base = {
        "cache_read": cache_read_tokens,
        "cache_write_5m": cache_write_tokens,
        "cache_write_1h": cache_write_1h_tokens,
        "output": output_tokens,
        "reasoning_output": reasoning_tokens,
    }
    if text is not None:
        n, lo, hi, encoding = count_text(offer, text)
        exact = offer.tokenizer is not None
    elif messages is not None:
        mc = count_messages(messages, offer.id, at=at, book=book)
        n, lo, hi, encoding, exact = mc.tokens, mc.low, mc.high, mc.encoding, mc.exact
    else:
        n = lo = hi = int(input_tokens or 0)
        encoding = offer.tokenizer or closed_family(str(offer.closed_family)).proxy_encoding
        exact = True
    runs = [_split({**base, "input": k}, frac) for k in (n, lo, hi)]
    pricer = _Pricer(offer, book, at, currency, fx, service_tier, region, thinking)
    central, low, high = (pricer.price(c) for c in runs)
    age = (today - offer.as_of).days
    items = []
    for (comp, tok, unit, amount, rule), lo_i, hi_i in zip(central, low, high, strict=True):
        text_counted = comp in ("input", "cache_read") and not exact
        items.append(
            LineItem(
                component=comp,
                tokens=tok,
                unit_price=unit,
                amount=amount,
                currency=pricer.currency,
                rule=rule,
                source=offer.source,
                as_of=offer.as_of,
                price_age_days=age,
                exact=not text_counted,
                amount_low=lo_i[3],
                amount_high=hi_i[3],
                tokens_low=lo_i[1],
                tokens_high=hi_i[1],
                fx=None if pricer.fx is None else pricer.fx.description,
            )
        )
    fam = closed_family(offer.closed_family) if offer.closed_family else None
    return CostEstimate(
        model=offer.id,
        requested=model,
        at=at,
        currency=pricer.currency,
        total=sum((i.amount for i in items), Decimal(0)),
        total_low=sum((i.amount_low for i in items), Decimal(0)),
        total_high=sum((i.amount_high for i in items), Decimal(0)),
        exact=exact,
        items=tuple(items),
        tokenizer=encoding,
        closed_family=offer.closed_family,
        ratio=None
        if fam is None
        else {
            "central": str(fam.ratio_central),
            "low": str(fam.ratio_low),
            "high": str(fam.ratio_high),
            "basis": fam.basis,
            "proxy_encoding": fam.proxy_encoding,
        },
        service_tier=service_tier,
        region=region,
        warnings=tuple(_warnings(offer, runs[0], at, today, age, stale_after_days)),
        book_version=book.book_version,
    )


def _warnings(
    offer: Offer, counts: dict[str, int], at: dt.datetime, today: dt.date, age: int, stale: int
) -> list[str]:
    out = []
    closed_period = offer.valid_to is not None and offer.valid_to <= as_utc(
        dt.datetime.combine(today, dt.time(), dt.timezone.utc)
    )
    if age > stale and not closed_period:
        out.append(
            f"stale price: {offer.id} row is {age} days old (as of {offer.as_of}, threshold "
            f"{stale} days); re-check {offer.source}"
        )
    if offer.deprecation_date and offer.deprecation_date <= at.date():
        out.append(f"{offer.id} was deprecated on {offer.deprecation_date}")
    prompt = sum(
        counts.get(c, 0) for c in ("input", "cache_read", "cache_write_5m", "cache_write_1h")
    )
    out_tok = counts.get("output", 0) + counts.get("reasoning_output", 0)
    if offer.context_window and prompt + out_tok > offer.context_window:
        out.append(
            f"request of {prompt + out_tok} tokens exceeds {offer.id}'s context window "
            f"({offer.context_window})"
        )
    if offer.max_output and out_tok > offer.max_output:
        out.append(
            f"{out_tok} output tokens exceed {offer.id}'s maximum output ({offer.max_output})"
        )
    return out
