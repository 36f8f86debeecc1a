"""The app factory: create_app(settings) builds a FastAPI app with no import-time effects."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

import tokbench

from .deps import guard
from .errors import install_error_handlers
from .limits import BodySizeLimit, RateLimiter
from .prices import load_price_book
from .routes import compare, count, estimate, health, models, page, tokenizers
from .routes.page import STATIC_DIR
from .schemas import V1_ERRORS
from .settings import Settings, get_settings

DESCRIPTION = """Exact token counts with the real tokenizers of paid models, and what they
cost in money and energy. Errors are JSON: {"error": {"code", "message", "details"}}."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app configured by `settings` (default: the TOKBENCH_* environment).

    Each app has its own settings and rate limiter (in app.state); tokenizers are loaded
    lazily by tokbench's registry, once per process, and shared by every app and thread.
    """
    settings = settings if settings is not None else get_settings()
    # FastAPIOffline serves Swagger UI's files from its own package: /docs works offline.
    app = FastAPIOffline(
        title="tokbench",
        version=tokbench.__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
        static_url="/docs-static",
    )
    app.state.settings = settings
    app.state.rate_limiter = (
        RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
        if settings.rate_limit_per_minute
        else None
    )
    app.state.prices = load_price_book(settings)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    for router in (tokenizers.router, count.router, models.router, estimate.router, compare.router):
        app.include_router(router, dependencies=[Depends(guard)], responses=V1_ERRORS)
    app.include_router(page.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def create_app_from_env() -> FastAPI:
    """The app uvicorn's workers build (`factory=True`): settings from the environment."""
    return create_app(Settings.from_env())
