"""Shared pytest configuration: the corpus fixture (corpus_texts.py) and the `slow` marker.

Tests marked `slow` are deselected unless a -m expression is given (e.g. `pytest -m slow`,
or `-m "slow or not slow"` for everything) or tests are named by node id.
The FLORES sample step of the default run comes from the environment variable
TOKBENCH_SAMPLE (default 40: every 40th line of every language).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

# corpus_texts imports tokbench and the references: imported lazily so that a broken build
# fails the tests that need it, not the collection of every test.


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_loader() -> Callable[..., list[tuple[str, list[Any]]]]:
    """corpus_loader(name, full=False) -> [(chunk, texts)]; skips when the data is absent.

    Sampled corpora are cached for the session; full ones are read afresh (they are large).
    """
    from corpus_texts import corpus_chunks

    cached: dict[str, list[tuple[str, list[Any]]]] = {}

    def load(name: str, full: bool = False) -> list[tuple[str, list[Any]]]:
        if full:
            return list(corpus_chunks(name, full=True))
        if name not in cached:
            cached[name] = list(corpus_chunks(name, full=False))
        return cached[name]

    return load


# -- hooks --------------------------------------------------------------------------------


def pytest_report_header(config: pytest.Config) -> list[str]:
    try:
        from corpus_texts import sample_every
        from references import SHARED
    except ImportError as e:
        return [f"tokbench: test helpers not importable ({e})"]
    shared = "present" if SHARED.is_dir() else "absent"
    return [f"tokbench: shared data folder {SHARED} {shared}; FLORES every {sample_every()}th line"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect `slow` tests unless the run selects markers itself (-m ...) or names tests by
    node id (path::test)."""
    if config.getoption("markexpr", "") or any("::" in str(a) for a in config.args):
        return
    keep = [item for item in items if item.get_closest_marker("slow") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item.get_closest_marker("slow") is not None]
        )
        items[:] = keep
