"""Splitting text on literal tokens in Python (slow paths only; the core does it natively)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..definition import AddedToken


@lru_cache(maxsize=64)
def _pattern(contents: frozenset[str]) -> re.Pattern[str]:
    # Longest first: at each position the longest literal wins (Hugging Face LeftmostLongest).
    ordered = sorted(contents, key=lambda s: (-len(s), s))
    return re.compile("|".join(re.escape(s) for s in ordered))


def split_literals(text: str, tokens: Iterable[AddedToken]) -> Iterator[tuple[str, int | None]]:
    """Yields (text, None) for plain stretches and (content, id) for each literal token."""
    by_content = {t.content: t.id for t in tokens if t.content}
    if not by_content:
        if text:
            yield text, None
        return
    pos = 0
    for m in _pattern(frozenset(by_content)).finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], None
        yield m.group(), by_content[m.group()]
        pos = m.end()
    if pos < len(text):
        yield text[pos:], None
