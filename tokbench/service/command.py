"""`tokbench serve` and `python -m tokbench.service`: run the service under uvicorn.

Imports nothing from FastAPI or uvicorn until the command runs, so the rest of the command
line works without the `service` extra.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .settings import ENV_PREFIX, LOG_LEVELS, Settings, SettingsError

_FLAGS = ("host", "port", "workers", "log_level")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The serve options; each defaults to its TOKBENCH_* variable, then to Settings."""
    parser.add_argument("--host", help="address to bind (default 127.0.0.1; TOKBENCH_HOST)")
    parser.add_argument("--port", type=int, help="port (default 8000; TOKBENCH_PORT)")
    parser.add_argument("--workers", type=int, help="worker processes (default 1)")
    parser.add_argument("--log-level", choices=LOG_LEVELS, help="uvicorn log level (info)")


def serve(args: argparse.Namespace) -> int:
    """Validate the settings, then hand over to uvicorn (which returns on shutdown)."""
    overrides = {f: getattr(args, f) for f in _FLAGS if getattr(args, f, None) is not None}
    try:
        settings = Settings.from_env(**overrides)
    except SettingsError as e:
        sys.stderr.write(f"tokbench serve: error: {e}\n")
        return 2
    try:
        import uvicorn
    except ImportError:
        sys.stderr.write(
            'tokbench serve: needs the service extra: pip install "tokbench[service]"\n'
        )
        return 2
    # Worker processes build their app from the environment: pass the flags on through it.
    for name, value in overrides.items():
        os.environ[ENV_PREFIX + name.upper()] = str(value)
    uvicorn.run(
        "tokbench.service.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tokbench.service", description="Run the tokbench HTTP service."
    )
    add_arguments(parser)
    return serve(parser.parse_args(argv))
