"""The corpora of the parity tests (see conftest.py for the fixture and the slow marker).

Corpora (each text is a `Text` with a label that names its origin, e.g. "flores/eng_Latn:41"):

- "flores": FLORES-200 dev (shared data folder only; skipped when absent). Default run: every
  Nth line of every language, N from the environment variable TOKBENCH_SAMPLE (default 40);
  full run (-m slow): every line of all 204 languages.
- "udhr": the repo's corpora/udhr/udhr_articles.jsonl.xz, one text per declaration (title,
  preamble and articles joined with "\\n"). Default run: every 4th declaration plus a fixed
  set of major languages; full run: all 532.
- "code": default run: the repo's corpora/code/python_stdlib_sample.jsonl.gz (45 files); full
  run: the shared folder's corpora/code/cpython_stdlib_py.jsonl.gz (skipped when absent).
"""

from __future__ import annotations

import gzip
import json
import lzma
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from references import CORPORA_DIR, FLORES_DIR

REPO = Path(__file__).resolve().parents[1]
REPO_UDHR = REPO / "corpora" / "udhr" / "udhr_articles.jsonl.xz"
REPO_CODE = REPO / "corpora" / "code" / "python_stdlib_sample.jsonl.gz"
SHARED_CODE = CORPORA_DIR / "code" / "cpython_stdlib_py.jsonl.gz"

CORPORA = ("flores", "udhr", "code")
UDHR_ALWAYS = frozenset({"eng", "cmn_hans", "jpn", "arb", "hin", "tha", "kor", "rus"})
UDHR_EVERY = 4


@dataclass(frozen=True)
class Text:
    """One text of a corpus; `label` says where it comes from (corpus/file:line)."""

    label: str
    text: str


def sample_every() -> int:
    """Sampling step for FLORES lines in the default run (env TOKBENCH_SAMPLE, default 40)."""
    raw = os.environ.get("TOKBENCH_SAMPLE", "40")
    n = int(raw) if raw.isdigit() else 0
    if n < 1:
        raise pytest.UsageError(f"TOKBENCH_SAMPLE must be a positive integer, got {raw!r}")
    return n


# -- readers ------------------------------------------------------------------------------


def flores_files() -> list[Path]:
    if not FLORES_DIR.is_dir():
        pytest.skip(f"FLORES-200 not found in {FLORES_DIR} (shared data folder absent)")
    files = sorted(FLORES_DIR.glob("*.dev"))
    if not files:
        pytest.skip(f"no *.dev files in {FLORES_DIR}")
    return files


def flores_by_language(every: int) -> Iterator[tuple[str, list[Text]]]:
    """(language, texts) for every FLORES language, every `every`th line from the first."""
    for path in flores_files():
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        yield (
            path.stem,
            [
                Text(f"flores/{path.stem}:{i + 1}", line)
                for i, line in enumerate(lines)
                if i % every == 0
            ],
        )


def udhr_text(doc: dict[str, object]) -> str:
    articles = doc.get("articles") or {}
    assert isinstance(articles, dict)
    parts = [str(doc.get("title") or ""), str(doc.get("preamble") or "")]
    parts += [str(v) for v in articles.values()]
    return "\n".join(parts)


@cache
def udhr_all() -> tuple[Text, ...]:
    with lzma.open(REPO_UDHR, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return tuple(Text(f"udhr/{d['code']}", udhr_text(d)) for d in docs)


def udhr_sample() -> tuple[Text, ...]:
    return tuple(
        t
        for i, t in enumerate(udhr_all())
        if i % UDHR_EVERY == 0 or t.label.removeprefix("udhr/") in UDHR_ALWAYS
    )


def code_texts(path: Path) -> tuple[Text, ...]:
    if not path.is_file():
        pytest.skip(f"code corpus not found: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return tuple(Text(f"code/{d['path']}", d["text"]) for d in docs)


def corpus_chunks(corpus: str, *, full: bool) -> Iterator[tuple[str, list[Text]]]:
    """The corpus as (chunk name, texts) pairs: one chunk per FLORES language, else one."""
    if corpus == "flores":
        yield from flores_by_language(1 if full else sample_every())
    elif corpus == "udhr":
        yield "udhr", list(udhr_all() if full else udhr_sample())
    elif corpus == "code":
        yield "code", list(code_texts(SHARED_CODE if full else REPO_CODE))
    else:
        raise ValueError(f"unknown corpus {corpus!r}")
