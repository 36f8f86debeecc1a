"""bench/peers.py's table builder on a tiny handmade slice, with the peers installed here.

One table is built (cl100k_base, one repeat, no Hugging Face) with the peers that load in a
fraction of a second (FAST_PEERS, those installed) plus two stand-ins: one that miscounts a
document (and answers instantly, so it would be the fastest peer if mismatches were not
excluded) and one whose module does not exist. The checks are on the table's consistency and
on what the report says, not on speed. The same table with every peer is `-m slow`.
"""

from __future__ import annotations

import csv
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import tokbench

BENCH = Path(__file__).resolve().parents[1] / "bench"
ENCODING = "cl100k_base"  # the smaller vocabulary: the peers load it faster
# Peers whose cl100k_base loads in about 0.1-0.3 s (the others take up to 2 s each).
FAST_PEERS = ("gigatoken", "toktok-rs", "splintr-rs", "rs-bpe", "kitoken")
DOCS = (
    "Hello world, how are you? I'm fine.",
    "Привет, мир! Как дела?",
    "你好\uff0c世界。今天天气很好。",
    "日本語のテキストです。",
    "안녕하세요 세계",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "def f(x):\n\treturn x + 1  \n\n\n    pass\r\n",
    "   leading   and\t\ttrailing   \n\n  ",
    "1234567 numbers 3.14159 and more text",
)


@pytest.fixture(scope="module")
def bench_modules() -> Iterator[dict[str, Any]]:
    """The bench modules, imported with bench/ on sys.path; the thread variables they set
    for the benchmark are restored afterwards."""
    saved_env = dict(os.environ)
    added = str(BENCH) not in sys.path
    if added:
        sys.path.append(str(BENCH))
    import peer_libs
    import peer_table
    import peers_report
    from corpus import Slice

    yield {"libs": peer_libs, "table": peer_table, "report": peers_report, "Slice": Slice}
    os.environ.clear()
    os.environ.update(saved_env)
    if added:
        sys.path.remove(str(BENCH))


def _build(bench_modules: dict[str, Any], peer_keys: Sequence[str]) -> Any:
    libs, pt = bench_modules["libs"], bench_modules["table"]

    def miscounting(v: Any) -> Any:
        # tokbench's counts (checked against tiktoken's by the tests below), computed at load
        # time, with the first document's off by one.
        counts = [int(n) for n in tokbench.get_encoding(v.name).count_batch(DOCS)]
        counts[0] += 1
        return lambda docs: counts[: len(docs)] if len(docs) == len(DOCS) else [1] * len(docs)

    fake = libs.Peer("miscounter", "tiktoken", "tiktoken", "", "", False, "", miscounting)
    absent = libs.Peer(
        "absent", "no-such-dist", "no_such_module_tokbench", "", "", False, "", miscounting
    )
    s = bench_modules["Slice"]("tiny", DOCS, "handmade")
    peers = [*libs.select(peer_keys), fake, absent]
    with warnings.catch_warnings(), pytest.MonkeyPatch.context() as mp:
        # Some peers use deprecated APIs on import (their business, not this test's).
        warnings.simplefilter("ignore", DeprecationWarning)
        # The collection before each timed run steadies timings; in a test process with a
        # large heap its ~20 calls would take seconds, and the checks here are not timings.
        mp.setattr(pt.throughput.impls.gc, "collect", lambda: 0)
        return pt.build_table([ENCODING], {"tiny": s}, peers, repeats=1, hf=False)


@pytest.fixture(scope="module")
def built(bench_modules: dict[str, Any]) -> Any:
    return _build(bench_modules, FAST_PEERS)


def _cell(built: Any) -> Sequence[Any]:
    return built.cells[(ENCODING, "tiny")]  # type: ignore[no-any-return]


def _check_counts(built: Any, bench_modules: dict[str, Any]) -> None:
    pt = bench_modules["table"]
    cell = _cell(built)
    tiktoken_tokens = pt.find(cell, pt.TIKTOKEN).tokens
    assert tiktoken_tokens > len(DOCS)
    for s in cell:
        if s.key == "miscounter":
            continue
        assert s.bad_docs == 0, (s.key, s.first_bad)
        assert s.tokens == tiktoken_tokens, s.key


def test_tokbench_and_the_measured_peers_count_like_tiktoken(
    built: Any, bench_modules: dict[str, Any]
) -> None:
    _check_counts(built, bench_modules)


@pytest.mark.slow
def test_every_installed_peer_counts_like_tiktoken(bench_modules: dict[str, Any]) -> None:
    built = _build(bench_modules, bench_modules["libs"].PEER_KEYS)
    _check_counts(built, bench_modules)


def test_every_contender_has_its_states_and_runs(built: Any, bench_modules: dict[str, Any]) -> None:
    pt = bench_modules["table"]
    cell = _cell(built)
    keys = {s.key for s in cell}
    measured = [p.key for p in built.peers if built.status[(p.key, ENCODING)].status == "measured"]
    assert keys == {
        pt.TOKBENCH,
        pt.TIKTOKEN,
        pt.TB_NUMPY,
        pt.TB_LISTS,
        pt.TT_NUMPY,
        *measured,
    }
    for key in (pt.TOKBENCH, *measured):  # counters that can cache have a warm run
        assert {s.state for s in cell if s.key == key} == {"cold", "warm"}, key
    for s in cell:
        assert len(s.times) == len(s.cpu) == 1
        assert s.times[0] > 0


def test_a_missing_peer_is_reported_not_fatal(built: Any) -> None:
    status = built.status[("absent", ENCODING)]
    assert status.status.startswith("not installed")
    assert status.version is None


def test_a_miscounting_peer_is_flagged_and_never_the_fastest(
    built: Any, bench_modules: dict[str, Any]
) -> None:
    pt, report = bench_modules["table"], bench_modules["report"]
    cell = _cell(built)
    fake = [s for s in cell if s.key == "miscounter"]
    assert fake
    assert all(s.bad_docs == 1 and s.first_bad.startswith("doc 0:") for s in fake)
    for state in ("cold", "warm"):
        assert "miscounter" not in {s.key for s in pt.exact_peers(cell, state)}
        name, x = pt.fastest_peer(cell, state)
        assert name not in ("miscounter", "n/a")
        assert x is not None
    problems = report.problems(built)
    assert any(p.startswith("miscounter cold") and "1 of 11 documents" in p for p in problems)


def test_report_and_csv_agree_with_the_table(
    built: Any, bench_modules: dict[str, Any], tmp_path: Path
) -> None:
    report = bench_modules["report"]
    md = report.render_md(built, [("command", "`test`")])
    assert "**tiny 1 documents differ**" in md  # the miscounter's correctness cell
    assert "absent" in md
    assert "not installed" in md
    path = tmp_path / "peers.csv"
    report.write_csv(path, built)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == report.CSV_FIELDS
    assert len(rows) == len(_cell(built))
    by_key = {(r["contender"], r["state"]): r for r in rows}
    tt = by_key[("tiktoken", "cold")]
    assert int(by_key[("tokbench", "cold")]["tokens"]) == int(tt["tokens"])
    assert by_key[("tokbench", "cold")]["tokbench_x"] == ""
    # tokbench_x of a single-repeat run is the ratio of the two times.
    ours = float(by_key[("tokbench", "cold")]["times_s"])
    assert float(tt["tokbench_x"]) == pytest.approx(float(tt["times_s"]) / ours, rel=2e-3)


def test_speedup_is_the_median_of_per_repeat_ratios(bench_modules: dict[str, Any]) -> None:
    pt = bench_modules["table"]
    s = bench_modules["Slice"]("x", ("a",), "")

    def series(key: str, times: list[float]) -> Any:
        return pt.Series(ENCODING, s, key, key, key != pt.TOKBENCH, False, times=times)

    ours = series(pt.TOKBENCH, [1.0, 2.0, 4.0])
    a = series("a", [2.0, 2.0, 2.0])
    b = series("b", [3.0, 1.0, 8.0])
    # Per repeat, the faster of a and b takes 2, 1, 2: ratios 2/1, 1/2, 2/4, median 0.5 (a
    # ratio of medians would say 2/2 = 1).
    assert pt.speedup(ours, [a, b]) == pytest.approx(0.5)
    assert pt.speedup(ours, [a]) == pytest.approx(1.0)  # 2, 1, 0.5
    assert pt.speedup(ours, [b]) == pytest.approx(2.0)  # 3, 0.5, 2
