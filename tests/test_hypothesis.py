"""Property tests: on any text, every encoding gives the reference's ids, count() equals the
number of ids, and decoding gives the text back (up to the encoding's normalization).

The default run keeps the example counts small; `pytest -m slow` runs many more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parity import ENCODINGS, assert_same_ids, check_text, reference_ids
from strategies import interesting_text

import tokbench

STRATEGIES = {
    "any_text": st.text(),
    "interesting": interesting_text(),
    "with_surrogates": st.text(
        alphabet=st.characters(categories=["Cs", "Ll", "Lu", "Zs", "Nd", "Po", "Mn", "So"]),
        max_size=20,
    ),
}
EXAMPLES = {"any_text": 60, "interesting": 120, "with_surrogates": 25}
SLOW_FACTOR = 25


def params() -> list[object]:
    out: list[object] = []
    for name in ENCODINGS:
        for strategy, n in EXAMPLES.items():
            out.append(pytest.param(name, strategy, n, id=f"{name}-{strategy}"))
            out.append(
                pytest.param(
                    name, strategy, n * SLOW_FACTOR, marks=pytest.mark.slow,
                    id=f"{name}-{strategy}-many",
                )
            )  # fmt: skip
    return out


def run(max_examples: int, strategy: st.SearchStrategy[Any]) -> Callable[[Any], Any]:
    """@given(strategy) with these settings (no deadline: references load lazily)."""

    def decorate(test: Callable[..., None]) -> Any:
        return settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )(given(strategy)(test))

    return decorate


@pytest.mark.parametrize(("name", "strategy", "max_examples"), params())
def test_text_matches_reference(name: str, strategy: str, max_examples: int) -> None:
    @run(max_examples, STRATEGIES[strategy])
    def check(text: str) -> None:
        check_text(name, text, "hypothesis")

    check()


@pytest.mark.parametrize("name", ENCODINGS)
def test_batches_match_reference(name: str) -> None:
    enc = tokbench.get_encoding(name)

    @run(25, st.lists(interesting_text(20), max_size=6))
    def check(texts: list[str]) -> None:
        ref = [reference_ids(name, t) for t in texts]
        ours = enc.encode_ordinary_batch(texts, num_threads=2)
        for text, o, r in zip(texts, ours, ref, strict=True):
            assert_same_ids(name, text, o, r, "encode_ordinary_batch")
        assert enc.count_batch(texts, num_threads=2).tolist() == [len(r) for r in ref]

    check()
