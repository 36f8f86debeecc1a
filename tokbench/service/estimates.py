"""Price one or many requests per model with tokbench.pricing, and add tokbench.energy.

A list of texts is a list of requests: each is priced on its own (its own size tier), and
the model's line items are the sums over the requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from ..energy.of_estimate import OUTPUT_COMPONENTS, PROMPT_COMPONENTS, energy_of_tokens
from ..pricing import Book, CostEstimate, FxRate, LineItem, count_messages, estimate_cost
from ..pricing.result import money
from .prices import pricing_errors
from .pricing_schemas import EstimateRequest, FxIn, LineItemOut, ModelEstimate


def fx_rate(fx: FxIn | None) -> FxRate | None:
    if fx is None:
        return None
    return FxRate(
        base=fx.base, quote=fx.quote, rate=Decimal(str(fx.rate)), as_of=fx.as_of, source=fx.source
    )


def _sum_items(items: Sequence[LineItem]) -> LineItemOut:
    """One component's items over several requests (the same offer, so the same source)."""
    first = items[0]
    units = {i.unit_price for i in items}
    return LineItemOut(
        component=first.component,
        tokens=sum(i.tokens for i in items),
        tokens_low=sum(i.tokens_low for i in items),
        tokens_high=sum(i.tokens_high for i in items),
        unit_price_per_mtok=money(first.unit_price) if len(units) == 1 else None,
        amount=money(sum((i.amount for i in items), Decimal(0))),
        amount_low=money(sum((i.amount_low for i in items), Decimal(0))),
        amount_high=money(sum((i.amount_high for i in items), Decimal(0))),
        currency=first.currency,
        rule=" | ".join(dict.fromkeys(i.rule for i in items)),
        source=first.source,
        as_of=first.as_of.isoformat(),
        price_age_days=first.price_age_days,
        exact=all(i.exact for i in items),
        fx=first.fx,
    )


def summarize(
    model: str, estimates: Sequence[CostEstimate], body: EstimateRequest, framing: str | None
) -> ModelEstimate:
    """The model's estimates over all requests, with the energy of all their tokens."""
    first = estimates[0]
    by_component: dict[str, list[LineItem]] = {}
    for est in estimates:
        for item in est.items:
            by_component.setdefault(item.component, []).append(item)
    items = [_sum_items(v) for v in by_component.values()]

    def tokens(components: Sequence[str], attr: str = "tokens") -> int:
        return sum(int(getattr(i, attr)) for i in items if i.component in components)

    prompt = tokens(PROMPT_COMPONENTS)
    output = tokens(OUTPUT_COMPONENTS)
    energy, note = energy_of_tokens(
        first.model,
        input_tokens=prompt,
        output_tokens=output,
        cached_tokens=tokens(("cache_read",)),
        region=body.region,
        hardware=body.hardware,
    )
    warnings = list(dict.fromkeys(w for est in estimates for w in est.warnings))
    return ModelEstimate(
        model=first.model,
        requested=model,
        tokenizer=first.tokenizer,
        exact=all(e.exact for e in estimates),
        closed_family=first.closed_family,
        ratio=first.ratio,
        framing=framing,
        requests=len(estimates),
        input_tokens=prompt,
        input_tokens_low=tokens(PROMPT_COMPONENTS, "tokens_low"),
        input_tokens_high=tokens(PROMPT_COMPONENTS, "tokens_high"),
        output_tokens=tokens(("output",)),
        reasoning_tokens=tokens(("reasoning_output",)),
        currency=first.currency,
        total=money(sum((e.total for e in estimates), Decimal(0))),
        total_low=money(sum((e.total_low for e in estimates), Decimal(0))),
        total_high=money(sum((e.total_high for e in estimates), Decimal(0))),
        items=items,
        energy=energy,
        warnings=[*warnings, note] if note else warnings,
    )


def _cost(
    book: Book,
    model: str,
    body: EstimateRequest,
    at: dt.datetime,
    *,
    text: str | None = None,
    messages: Sequence[dict[str, str]] | None = None,
    input_tokens: int | None = None,
) -> CostEstimate:
    return estimate_cost(
        model,
        text=text,
        messages=messages,
        input_tokens=input_tokens,
        output_tokens=body.output_tokens,
        reasoning_tokens=body.reasoning_tokens,
        cache_read_tokens=body.cache_read_tokens,
        cache_write_tokens=body.cache_write_tokens,
        cache_hit_fraction=body.cache_hit_fraction,
        at=at,
        service_tier=None if body.service_tier == "standard" else body.service_tier,
        region=body.price_region,
        currency=body.currency,
        fx=fx_rate(body.fx),
        book=book,
    )


def estimate_model(book: Book, model: str, body: EstimateRequest, at: dt.datetime) -> ModelEstimate:
    """Price every request of `body` with `model` (HTTP errors for what cannot be priced)."""
    framing = None
    with pricing_errors(book, model):
        if body.messages is not None:
            messages = [m.model_dump(exclude_none=True) for m in body.messages]
            estimates = [_cost(book, model, body, at, messages=messages)]
            mc = count_messages(messages, model, at=at, book=book)
            framing = f"{mc.method} ({'exact' if mc.exact else 'approximation'})"
        elif body.input_tokens is not None:
            estimates = [_cost(book, model, body, at, input_tokens=body.input_tokens)]
        else:
            texts = [body.text] if body.text is not None else list(body.texts or [])
            estimates = [_cost(book, model, body, at, text=t) for t in texts]
        if not estimates:
            msg = "'texts' is empty: give at least one text"
            raise ValueError(msg)
        return summarize(model, estimates, body, framing)
