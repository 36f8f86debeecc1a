"""tokbench's HTTP service (the `service` extra): counts, costs and energy as a JSON API.

    python -m tokbench.service          # or: tokbench serve --port 8000

`create_app` is imported on first use, so that `import tokbench.service.command` (used by
the command line) works without FastAPI installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .settings import Settings as Settings

if TYPE_CHECKING:
    from .app import create_app as create_app


def __getattr__(name: str) -> object:
    if name == "create_app":
        from .app import create_app

        return create_app
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
