"""Service settings: defaults, overridden by TOKBENCH_* environment variables.

A plain frozen dataclass (no pydantic-settings): the service needs a dozen scalars, and a
bad variable should fail at start with its name and the fix, not deep in a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache

ENV_PREFIX = "TOKBENCH_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class SettingsError(ValueError):
    """A TOKBENCH_* variable (or a Settings field) with a value the service cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service can be configured with.

    Each field `x` is read from the environment variable `TOKBENCH_X` by from_env().

    Attributes:
        host, port, workers, log_level: where and how uvicorn serves (default 127.0.0.1:8000).
        max_body_bytes: largest request body accepted (checked while it streams in).
        max_texts: most texts (or messages) in one request.
        max_chars: most characters, summed over all texts of one request.
        api_keys: when non-empty, every /v1 route requires one of them in the
            `Authorization: Bearer KEY` or `X-API-Key: KEY` header.
        rate_limit_per_minute: requests per minute allowed per API key (or per client
            address without keys); 0 turns the limit off.
        rate_limit_burst: requests a client may make at once before the rate applies
            (0: the same as rate_limit_per_minute).
        count_threads: threads per count_batch call (0: all cores).
        price_book: a price book file (JSON, or TOML on Python 3.11+) whose offers extend
            and override the bundled book; empty for the bundled book alone.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    max_body_bytes: int = 4 * 1024 * 1024
    max_texts: int = 1000
    max_chars: int = 2_000_000
    api_keys: tuple[str, ...] = field(default=())
    rate_limit_per_minute: int = 0
    rate_limit_burst: int = 0
    count_threads: int = 0
    price_book: str = ""

    def __post_init__(self) -> None:
        for name in ("port", "workers", "max_body_bytes", "max_texts", "max_chars"):
            if getattr(self, name) < 1:
                msg = f"{ENV_PREFIX}{name.upper()} must be a positive integer"
                raise SettingsError(msg)
        for name in ("rate_limit_per_minute", "rate_limit_burst", "count_threads"):
            if getattr(self, name) < 0:
                msg = f"{ENV_PREFIX}{name.upper()} must be 0 or more"
                raise SettingsError(msg)
        if self.port > 65535:
            msg = f"{ENV_PREFIX}PORT must be at most 65535, got {self.port}"
            raise SettingsError(msg)
        if self.log_level not in LOG_LEVELS:
            msg = f"{ENV_PREFIX}LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}"
            raise SettingsError(msg)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from TOKBENCH_* variables (api keys comma-separated), then `overrides`.

        Raises:
            SettingsError: naming the variable whose value is not usable.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            if f.name == "api_keys":
                values[f.name] = tuple(k.strip() for k in raw.split(",") if k.strip())
            elif f.type == "int":
                try:
                    values[f.name] = int(raw)
                except ValueError:
                    msg = f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not an integer"
                    raise SettingsError(msg) from None
            else:
                values[f.name] = raw.strip().lower() if f.name == "log_level" else raw.strip()
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment once."""
    return Settings.from_env()
