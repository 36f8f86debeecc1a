"""Thread scaling of count_batch and count_corpus: 1 thread against 2 on a large batch.

The batch: the `mixed` bench slice (FLORES dev in 8 languages + UDHR + code) when the shared
corpora are there, else the UDHR paragraphs of the shipped corpus, repeated to --mb MB.
count_batch runs on a fresh instance each time (cold caches: every run does the same work);
count_corpus reads the batch from a temporary file, one document per line. Runs alternate
1 and 2 threads, --rounds times; the table gives medians, the speed-up, and CPU time / wall
time of each run (how many cores the process actually got: on a shared machine, below 2.0
means the second thread waited for a core, not that the code serialised).

    python bench/corpus_threads.py [--encoding o200k_base] [--mb 20] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from corpus import ROOT, build_slices, ensure_import_paths

ensure_import_paths()

from impls import environment_info, fresh_encoding  # noqa: E402

import tokbench  # noqa: E402
from tokbench.corpus import read_documents  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def batch(mb: int) -> tuple[str, list[str]]:
    slices = build_slices(["mixed"], log=False)
    if "mixed" in slices:
        base, name = list(slices["mixed"].docs), "mixed slice (FLORES + UDHR + code)"
    else:
        docs = read_documents([ROOT / "corpora" / "udhr"])
        base, name = [p for d in docs for p in d.text.split("\n") if p.strip()], "UDHR paragraphs"
    # One document per line for count_corpus: line ends inside documents become spaces.
    base = [" ".join(d.splitlines()) for d in base]
    out: list[str] = []
    size = 0
    while size < mb * 10**6:
        out += base
        size += sum(len(d.encode()) for d in base)
    return name, out


def hash_threads(docs: list[str], threads: int) -> None:
    """sha256 of the batch's bytes split over `threads` threads (hashlib releases the GIL):
    how much parallelism the machine gives right now, with nothing shared."""
    blob = "".join(docs).encode()
    parts = [
        blob[i * len(blob) // threads : (i + 1) * len(blob) // threads] for i in range(threads)
    ]
    # Hash 4 times over, so the run lasts about as long as a count.
    work = [
        threading.Thread(target=lambda p=p: [hashlib.sha256(p) for _ in range(4)]) for p in parts
    ]
    for w in work:
        w.start()
    for w in work:
        w.join()


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one call."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoding", default="o200k_base")
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    name, docs = batch(args.mb)
    nbytes = sum(len(d.encode()) for d in docs)
    enc = tokbench.get_encoding(args.encoding)
    expected = enc.count_batch(docs, num_threads=1)
    load_before = os.getloadavg()
    results: dict[str, dict[int, list[tuple[float, float]]]] = {}

    def cold_batch(threads: int) -> None:
        fresh = fresh_encoding(enc) or enc
        got = fresh.count_batch(docs, num_threads=threads)
        assert (got == expected).all()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.txt"
        path.write_text("".join(d + "\n" for d in docs), encoding="utf-8")

        def corpus(threads: int) -> None:
            r = tokbench.count_corpus(
                [path], [enc], num_threads=threads, progress=False, per_document=False
            )
            assert r.total.tokens[enc.name] == int(expected.sum())

        cases: dict[str, Callable[[int], None]] = {
            "calibration: sha256 (no shared state)": lambda t: hash_threads(docs, t),
            "count_batch (cold)": cold_batch,
            "count_batch (warm)": lambda t: enc.count_batch(docs, num_threads=t),
            "count_corpus (file)": corpus,
        }
        for _ in range(args.rounds):
            for label, fn in cases.items():
                for threads in (1, 2):
                    run = timed(lambda fn=fn, threads=threads: fn(threads))
                    results.setdefault(label, {}).setdefault(threads, []).append(run)
    load_after = os.getloadavg()

    rows = []
    for label, by_threads in results.items():
        wall = {t: statistics.median(w for w, _ in runs) for t, runs in by_threads.items()}
        cores = {t: statistics.median(c / w for w, c in runs) for t, runs in by_threads.items()}
        cpu = {t: statistics.median(c for _, c in runs) for t, runs in by_threads.items()}
        rows.append(
            f"| {label} | {nbytes / 1e6 / wall[1]:.1f} | {nbytes / 1e6 / wall[2]:.1f} | "
            f"**{wall[1] / wall[2]:.2f}x** | {cores[1]:.2f} | {cores[2]:.2f} | "
            f"{nbytes / 1e6 / cpu[1]:.1f} | {nbytes / 1e6 / cpu[2]:.1f} | {cpu[2] / cpu[1]:.2f} |"
        )
    command = "python bench/corpus_threads.py " + " ".join(
        f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
    )
    info = [(k, v) for k, v in environment_info(command) if k != "threads"]
    load = " / ".join(f"{x:.1f}" for x in load_before)
    lines = ["# Thread scaling: 1 vs 2 threads", ""]
    lines += [f"- **{k}**: {v}" for k, v in info]
    lines += [
        f"- **load average at the start (1/5/15 min)**: {load}",
        f"- **batch**: {name}, {len(docs):,} documents, {nbytes / 1e6:.1f} MB, "
        f"{args.encoding}; median of {args.rounds} alternating runs",
        "",
        "| run | MB/s, 1 thread | MB/s, 2 threads | speed-up | cores used, 1 | cores used, 2 "
        "| MB per CPU s, 1 | MB per CPU s, 2 | CPU time 2 / 1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "*cores used* = process CPU time / wall time during the run (2.00 = both cores). "
        "*CPU time 2 / 1* = CPU seconds of a 2-thread run / a 1-thread run: 1.00 means the "
        "second thread adds no work (no lock contention, no spinning), so on two otherwise "
        "idle cores the 2-thread run takes half the wall time of the 1-thread run.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    print(f"load average at the end: {' / '.join(f'{x:.1f}' for x in load_after)}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "corpus_threads.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
