"""Dependencies shared by the routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .limits import RateLimiter, check_api_key, check_rate
from .settings import Settings


def app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


async def guard(request: Request, settings: SettingsDep) -> None:
    """API key, then rate limit: run before every /v1 route (async: it never blocks)."""
    key = check_api_key(request, settings)
    limiter: RateLimiter | None = request.app.state.rate_limiter
    check_rate(request, limiter, key)
