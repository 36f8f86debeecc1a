"""GET /v1/models: the offers in force, with tokenizer, prices, currency, source and as_of."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated

from fastapi import APIRouter, Query, Request

from ...closed import closed_family
from ...pricing import Offer, offers_at
from ...pricing.result import money
from ...pricing.schema import COMPONENTS
from ..errors import ServiceError
from ..prices import book_of
from ..pricing_schemas import ModelInfo, ModelsResponse, RateOut, Timestamp

router = APIRouter(prefix="/v1", tags=["models"])


def describe(offer: Offer) -> ModelInfo:
    proxy = closed_family(offer.closed_family).proxy_encoding if offer.closed_family else None
    tiers = offer.service_tiers
    return ModelInfo(
        id=offer.id,
        provider=offer.provider,
        model=offer.model,
        aliases=list(offer.aliases),
        tokenizer=offer.tokenizer or str(proxy),
        exact_tokenizer=offer.tokenizer is not None,
        closed_family=offer.closed_family,
        currency=offer.rates[0].currency,
        tier_rule=offer.tier_rule.kind,
        rates=[
            RateOut(
                currency=r.currency,
                above=r.above,
                up_to=r.up_to,
                window=r.window,
                prices_per_mtok={
                    c: None if (p := r.price(c)) is None else money(p) for c in COMPONENTS
                },
            )
            for r in offer.rates
        ],
        service_tiers=[t for t in ("batch", "flex", "priority") if getattr(tiers, t) is not None],
        context_window=offer.context_window,
        max_output=offer.max_output,
        source=offer.source,
        as_of=offer.as_of.isoformat(),
    )


@router.get("/models", response_model=ModelsResponse)
def list_models(
    request: Request,
    provider: Annotated[str | None, Query(description="only this provider")] = None,
    at: Annotated[Timestamp | None, Query(description="offers in force then (default now)")] = None,
) -> ModelsResponse:
    book = book_of(request)
    when = at or dt.datetime.now(dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    offers = offers_at(book, when, provider)
    if provider is not None and not offers:
        known = sorted({o.provider for o in book.offers})
        close = difflib.get_close_matches(provider, known, n=3, cutoff=0.5)
        msg = (
            f"No offers from provider {provider!r} at {when.isoformat()}. "
            f"Providers: {', '.join(known)}."
        )
        raise ServiceError(404, "unknown_provider", msg, {"name": provider, "close_matches": close})
    return ModelsResponse(
        at=when.isoformat(),
        price_book=request.app.state.prices.info,
        models=[describe(o) for o in offers],
    )
