"""Thread safety: results do not depend on num_threads, on how many Python threads share one
Encoding, or on what other calls run at the same time. Fresh encodings (empty caches) are
used where the first, racing fills of the caches matter."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fixtures_api import TRICKY, fresh_encoding, mixed_text, udhr_texts
from references import reference

import tokbench

# qwen3 and claude_legacy normalize (qwen3 in Python for non-NFC text, the Hugging Face way),
# deepseek_v3 has a three-stage pre-tokenizer, llama3 ignore_merges.
ENCODINGS = ["o200k_base", "cl100k_base", "qwen3", "deepseek_v3", "claude_legacy"]


@cache
def mixed_batch() -> tuple[str, ...]:
    """All 532 UDHR declarations (cut to 2500 characters), plus the golden text, short and
    empty strings and special-token text, interleaved."""
    texts = list(udhr_texts(2500))
    extras = [*TRICKY, mixed_text(), "<|endoftext|> and <|im_start|>", "x"]
    for i, extra in enumerate(extras):
        texts.insert((i * 37) % len(texts), extra)
    return tuple(texts)


@cache
def expected(name: str) -> tuple[tuple[int, ...], ...]:
    """Ids of mixed_batch() from the reference library, one text at a time."""
    ref = reference(name)
    return tuple(tuple(ref.encode_ordinary(t)) for t in mixed_batch())


# gemma3 and llama2: the SentencePiece-style core, whose chunks share the same caches.
@pytest.mark.parametrize("name", [*ENCODINGS, "llama3", "gemma3", "llama2"])
def test_results_do_not_depend_on_num_threads(name: str) -> None:
    texts = list(mixed_batch())
    want = [list(ids) for ids in expected(name)]
    want_counts = [len(ids) for ids in want]
    for num_threads in (1, 2, 8):
        enc = fresh_encoding(name)  # empty caches: the threads race to fill them
        assert enc.count_batch(texts, num_threads=num_threads).tolist() == want_counts
        assert enc.encode_batch(texts, num_threads=num_threads, disallowed_special=()) == want
        assert enc.encode_ordinary_batch(texts, num_threads=num_threads) == want
    shared = tokbench.get_encoding(name)
    assert shared.count_batch(texts).tolist() == want_counts  # num_threads=None: all cores


def run_concurrently(tasks: list[Callable[[], Any]], workers: int = 8) -> list[Any]:
    """Runs the tasks on `workers` Python threads; the first `workers` tasks wait for each
    other (a barrier) so that they start together."""
    assert len(tasks) >= workers
    barrier = threading.Barrier(workers)

    def run(i: int) -> Any:
        if i < workers:
            barrier.wait(timeout=60)
        return tasks[i]()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(len(tasks)), timeout=600))


@pytest.mark.parametrize("name", ENCODINGS)
def test_one_encoding_shared_by_eight_python_threads(name: str) -> None:
    enc = fresh_encoding(name)
    texts = list(mixed_batch())
    want = [list(ids) for ids in expected(name)]
    tasks: list[Callable[[], Any]] = []
    for i, text in enumerate(texts):
        kind = i % 4
        if kind == 0:
            tasks.append(lambda t=text: enc.encode(t, disallowed_special=()))
        elif kind == 1:
            tasks.append(lambda t=text: enc.encode_ordinary(t))
        elif kind == 2:
            tasks.append(lambda t=text: enc.encode_to_numpy(t, disallowed_special=()).tolist())
        else:
            tasks.append(lambda t=text: enc.count(t))
    results = run_concurrently(tasks)
    for i, (got, ids) in enumerate(zip(results, want, strict=True)):
        assert got == (len(ids) if i % 4 == 3 else ids), i


@pytest.mark.parametrize("name", ["o200k_base", "qwen3"])
def test_small_calls_interleaved_with_big_batches(name: str) -> None:
    enc = fresh_encoding(name)
    texts = list(mixed_batch())
    want = [list(ids) for ids in expected(name)]
    want_counts = [len(ids) for ids in want]
    small = [(t[:60], reference(name).encode_ordinary(t[:60])) for t in texts[::7]]

    def big_batch(i: int) -> bool:
        if i % 2:
            return enc.count_batch(texts, num_threads=2).tolist() == want_counts
        return enc.encode_batch(texts, num_threads=3, disallowed_special=()) == want

    def small_calls(seed: int) -> bool:
        rng = random.Random(seed)
        ok = True
        for _ in range(400):
            text, ids = rng.choice(small)
            ok &= enc.encode_ordinary(text) == ids
            ok &= enc.count(text) == len(ids)
            ok &= enc.count_batch([text, text], num_threads=2).tolist() == [len(ids)] * 2
        return ok

    tasks: list[Callable[[], bool]] = [lambda i=i: big_batch(i) for i in range(4)]
    tasks += [lambda s=s: small_calls(s) for s in range(6)]
    assert run_concurrently(tasks) == [True] * len(tasks)


def test_special_token_matchers_built_concurrently() -> None:
    """Each allowed_special set builds (and caches) its own literal matcher; build many at
    once from several threads."""
    enc = fresh_encoding("o200k_harmony")
    specials = sorted(enc.special_tokens_set)
    ref = reference("o200k_harmony")

    def task(i: int) -> bool:
        allowed = set(specials[i % 40 : i % 40 + 3])
        text = f"a{specials[i % 40]}b{specials[(i * 7) % len(specials)]}c"
        kwargs: dict[str, Any] = {"allowed_special": allowed, "disallowed_special": ()}
        return enc.encode(text, **kwargs) == ref.encode(text, **kwargs)

    assert run_concurrently([lambda i=i: task(i) for i in range(200)]) == [True] * 200


def test_get_encoding_from_many_threads_loads_once(tmp_path: Path) -> None:
    """In a new process (nothing loaded yet), 8 threads ask for the same encodings at once and
    all get the same object."""
    names = ["o200k_base", "o200k_harmony", "qwen3", "deepseek_v3", "deepseek_v4"]
    text = mixed_text()
    code = textwrap.dedent(
        """
        import json
        import threading
        from concurrent.futures import ThreadPoolExecutor
        import tokbench

        names = NAMES
        barrier = threading.Barrier(8)

        def get(i):
            barrier.wait(timeout=60)
            return [tokbench.get_encoding(n) for n in names[i % 2 :] + names[: i % 2]]

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(get, range(8)))
        first = {e.name: e for e in results[0]}
        same = all(first[e.name] is e for r in results for e in r)
        print(json.dumps({"same": same, "counts": {n: first[n].count(TEXT) for n in names}}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code.replace("TEXT", repr(text)).replace("NAMES", repr(names))],
        # The same tokbench this process imported (installed or built in place), from a
        # directory where the source tree cannot shadow it.
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(tokbench.__file__).resolve().parents[1])},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["same"] is True
    assert result["counts"] == {n: tokbench.get_encoding(n).count(text) for n in names}
