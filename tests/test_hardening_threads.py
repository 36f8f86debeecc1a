"""Thread stress beyond test_threads.py: a batch large enough that every worker's piece cache
fills and starts over during the call, many Python threads sharing one cold encoding with
different num_threads at once, odd thread counts, and the corpus API. Every result is
compared with the reference library's counts (not with our own single-threaded output).

These are the inputs a ThreadSanitizer build should run (README, Development: SANITIZE=thread
scripts/sanitize.sh tests/test_hardening_threads.py)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
from fixtures_api import fresh_encoding
from parity import reference_ids_batch

import tokbench

ENCODINGS = ["o200k_base", "llama3", "deepseek_v3"]


def some_by_default(default: set[str]) -> list[object]:
    """ENCODINGS, those outside `default` under -m slow (the default run's time budget)."""
    return [pytest.param(n, marks=[] if n in default else [pytest.mark.slow]) for n in ENCODINGS]


def word(i: int) -> str:
    out = ""
    while True:
        out = "abcdefghijklmnopqrstuvwxyzéж中"[i % 29] + out
        i //= 29
        if i == 0:
            return out


@cache
def churn_docs() -> tuple[str, ...]:
    """300 documents, 150,000 distinct words in all: more than a piece cache holds (it starts
    over at 131,072 entries), with digits, punctuation and repeats mixed in."""
    rng = random.Random(5)
    docs = []
    for d in range(300):
        words = [word(d * 500 + i) for i in range(500)]
        words += rng.choices(["the", "1234", "!!", "\t", "don't", "  "], k=60)
        rng.shuffle(words)
        docs.append(" ".join(words))
    return tuple(docs)


@cache
def reference_counts(name: str) -> tuple[int, ...]:
    return tuple(len(ids) for ids in reference_ids_batch(name, list(churn_docs())))


@pytest.mark.parametrize("name", some_by_default({"o200k_base"}))
def test_cache_restarts_during_a_batch_for_any_thread_count(name: str) -> None:
    docs = list(churn_docs())
    want = list(reference_counts(name))
    for num_threads in (1, 7):
        enc = fresh_encoding(name)  # cold caches: the fills race
        assert enc.count_batch(docs, num_threads=num_threads).tolist() == want, num_threads


@pytest.mark.parametrize("name", some_by_default({"o200k_base"}))
def test_many_python_threads_share_one_cold_encoding(name: str) -> None:
    """Twelve Python threads, each a count_batch with its own num_threads over its own
    rotation of the documents, all at once on one encoding whose caches start empty."""
    docs = list(churn_docs())
    want = list(reference_counts(name))
    enc = fresh_encoding(name)

    def task(k: int) -> bool:
        shift = 25 * k
        rotated = docs[shift:] + docs[:shift]
        got = enc.count_batch(rotated, num_threads=1 + k % 5).tolist()
        return got == want[shift:] + want[:shift]

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert all(pool.map(task, range(12)))


def test_corpus_counts_do_not_depend_on_num_threads(tmp_path: Path) -> None:
    docs = churn_docs()
    for i, lang in enumerate(["eng", "fra", "deu"]):
        (tmp_path / f"{lang}.txt").write_text("\n".join(docs[i::3]) + "\n", encoding="utf-8")
    runs = [
        tokbench.count_corpus(tmp_path, ["o200k_base", "llama3"], num_threads=n, progress=False)
        for n in (1, 4)
    ]
    for run in runs:
        assert run.complete
        for name in ("o200k_base", "llama3"):
            ref = reference_counts(name)
            want = {lang: sum(ref[i::3]) for i, lang in enumerate(["eng", "fra", "deu"])}
            assert {lang: t.tokens[name] for lang, t in run.languages.items()} == want
