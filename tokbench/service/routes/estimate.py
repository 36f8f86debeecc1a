"""POST /v1/estimate: itemised cost, energy and carbon per model for text, texts, chat
messages or raw token counts."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request

from ...energy import region_info
from ..deps import SettingsDep
from ..estimates import estimate_model
from ..limits import check_texts
from ..prices import book_of, pricing_errors
from ..pricing_schemas import EstimateRequest, EstimateResponse

router = APIRouter(prefix="/v1", tags=["estimate"])


def when(at: dt.datetime | None) -> dt.datetime:
    """The request's timestamp in UTC (naive = UTC; default now), one for all its models."""
    if at is None:
        return dt.datetime.now(dt.timezone.utc)
    return at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at


@router.post("/estimate", response_model=EstimateResponse)
def estimate(body: EstimateRequest, request: Request, settings: SettingsDep) -> EstimateResponse:
    """Per model: line items (component, tokens, unit price, amount, rule, source, as_of),
    total with its range, exact flag, and energy/carbon ranges. Sync: counting runs on the
    thread pool."""
    if body.messages is not None:
        check_texts([m.content for m in body.messages], settings)
    elif body.input_tokens is None:
        check_texts([body.text] if body.text is not None else list(body.texts or []), settings)
    book = book_of(request)
    if body.region is not None:
        with pricing_errors(book, ""):
            region_info(body.region)  # an unknown region fails once, before any counting
    at = when(body.at)
    results = [estimate_model(book, m, body, at) for m in dict.fromkeys(body.models)]
    return EstimateResponse(
        at=at.isoformat(), price_book=request.app.state.prices.info, results=results
    )
