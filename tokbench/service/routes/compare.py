"""POST /v1/compare: one text across all (or the chosen) models, ranked by cost."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...energy import region_info
from ...pricing import offers_at
from ..deps import SettingsDep
from ..errors import ServiceError
from ..estimates import estimate_model
from ..limits import check_texts
from ..prices import book_of, pricing_errors
from ..pricing_schemas import CompareRequest, CompareResponse, CompareRow, EstimateRequest, Skipped
from .estimate import when

router = APIRouter(prefix="/v1", tags=["compare"])


def _range(energy: dict[str, object] | None, key: str) -> dict[str, float] | None:
    value = None if energy is None else energy.get(key)
    return value if isinstance(value, dict) else None


@router.post("/compare", response_model=CompareResponse)
def compare(body: CompareRequest, request: Request, settings: SettingsDep) -> CompareResponse:
    """Each model counts the text with its own tokenizer and is priced for it. Models that
    cannot be priced (no FX rate for the asked currency, tokenizer not bundled) are listed
    under `skipped` with the reason, not dropped silently."""
    chars = check_texts([body.text], settings)
    book = book_of(request)
    at = when(body.at)
    if body.region is not None:
        with pricing_errors(book, ""):
            region_info(body.region)
    models = body.models or [o.id for o in offers_at(book, at, body.provider)]
    one = EstimateRequest(
        text=body.text,
        models=["-"],
        output_tokens=body.output_tokens,
        at=at,
        currency=body.currency,
        fx=body.fx,
        region=body.region,
    )
    rows: list[CompareRow] = []
    skipped: list[Skipped] = []
    for model in dict.fromkeys(models):
        try:
            est = estimate_model(book, model, one, at)
        except ServiceError as e:
            if e.code == "unknown_model":
                raise
            skipped.append(Skipped(model=model, code=e.code, reason=e.message))
            continue
        rows.append(
            CompareRow(
                rank=0,
                model=est.model,
                tokenizer=est.tokenizer,
                exact=est.exact,
                tokens=est.input_tokens,
                tokens_low=est.input_tokens_low,
                tokens_high=est.input_tokens_high,
                tokens_per_char=est.input_tokens / chars if chars else None,
                currency=est.currency,
                total=est.total,
                total_low=est.total_low,
                total_high=est.total_high,
                energy_wh=_range(est.energy, "wh"),
                gco2e=_range(est.energy, "gco2e"),
            )
        )
    rows.sort(key=lambda r: (r.currency, float(r.total), r.model))
    for currency in {r.currency for r in rows}:
        same = [r for r in rows if r.currency == currency]
        for i, r in enumerate(same, start=1):
            r.rank = i
    ranking = "by total cost, cheapest first, within each currency" + (
        "" if body.currency else " (pass 'currency' and 'fx' to rank all in one)"
    )
    return CompareResponse(
        at=at.isoformat(),
        price_book=request.app.state.prices.info,
        characters=chars,
        ranking=ranking,
        results=rows,
        skipped=skipped,
    )
