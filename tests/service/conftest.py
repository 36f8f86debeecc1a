"""Fixtures of the service tests: an app per test (its own settings and rate limiter)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi) is not installed")
pytest.importorskip("httpx", reason="TestClient needs httpx (the test extra)")

from fastapi.testclient import TestClient
from server_process import running_server

from tokbench.service import Settings, create_app


@pytest.fixture
def make_client() -> Callable[..., TestClient]:
    """make_client(**settings) -> a TestClient on a new app with those settings."""

    def make(**overrides: object) -> TestClient:
        return TestClient(create_app(Settings(**overrides)), raise_server_exceptions=False)  # type: ignore[arg-type]

    return make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Base URL of one real server process (python -m tokbench.service) for the session."""
    # Characters as many as the default 4 MB body holds: the real-server test sends 1.5M.
    with running_server(env={"TOKBENCH_MAX_CHARS": "4000000"}) as url:
        yield url
