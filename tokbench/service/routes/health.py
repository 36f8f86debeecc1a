"""GET /healthz: the process is up and answering (async: it never waits for a worker thread)."""

from __future__ import annotations

from fastapi import APIRouter, Request

import tokbench

from ..schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(request: Request) -> Health:
    book: dict[str, str] | None = request.app.state.prices.info
    return Health(status="ok", version=tokbench.__version__, price_book=book)
