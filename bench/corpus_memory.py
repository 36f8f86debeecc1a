"""Peak memory and throughput of `tokbench count` on a ~1 GB line-structured file.

Generates the file in the system temporary directory (never in the repository): UDHR
paragraphs of the shipped corpus (532 languages), shuffled per round, one per line (or one
JSON Lines record per line with --format jsonl), until the size is reached. Then runs
`tokbench count` on it in a subprocess and reads the child's peak RSS (os.wait4 rusage), and
the same command on a one-line file: the difference is what counting 1 GB costs beyond the
interpreter and the loaded vocabularies. The bar: under 300 MB.

    python bench/corpus_memory.py [--size-mb 1000] [--encodings o200k_base] [--threads 2]
                                  [--format text|jsonl] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import ROOT, ensure_import_paths, tokbench_path

ensure_import_paths()

from impls import environment_info  # noqa: E402

from tokbench.corpus import read_documents  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BAR_MB = 300


def paragraphs() -> list[str]:
    docs = read_documents([ROOT / "corpora" / "udhr"])
    return [p for d in docs for p in d.text.split("\n") if p.strip()]


def generate(path: Path, size: int, fmt: str) -> None:
    paras = paragraphs()
    rng = random.Random(20261129)
    written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size:
            rng.shuffle(paras)
            if fmt == "jsonl":
                block = "".join(json.dumps({"text": p}, ensure_ascii=False) + "\n" for p in paras)
            else:
                block = "".join(p + "\n" for p in paras)
            f.write(block)
            written += len(block.encode("utf-8"))


def run_count(
    path: Path, encodings: str, threads: int
) -> tuple[float, float, float, dict[str, object]]:
    """(wall seconds, CPU seconds, peak RSS in MB, JSON output) of `tokbench count` in a
    child process."""
    env = {**os.environ, "PYTHONPATH": tokbench_path()}
    cmd = [sys.executable, "-m", "tokbench", "count", str(path), "--encodings", encodings]
    cmd += ["--threads", str(threads), "--format", "json", "--quiet"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        # Run from the temp dir: `-m` would otherwise import a tokbench in the current folder
        # rather than the one this process uses.
        proc = subprocess.Popen(cmd, stdout=out, env=env, cwd=tempfile.gettempdir())
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            msg = f"{' '.join(cmd)} exited with {proc.returncode}"
            raise SystemExit(msg)
        out.seek(0)
        result = json.loads(out.read())
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, result  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--encodings", default="o200k_base")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--format", choices=["text", "jsonl"], default="text")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated file")
    args = parser.parse_args()

    suffix = ".jsonl" if args.format == "jsonl" else ".txt"
    big = Path(tempfile.gettempdir()) / f"tokbench_memory_{args.size_mb}mb{suffix}"
    if not big.exists():
        print(f"generating {big} ...", flush=True)
        generate(big, args.size_mb * 10**6, args.format)
    tiny = Path(tempfile.gettempdir()) / f"tokbench_memory_tiny{suffix}"
    tiny.write_text(json.dumps({"text": "hello"}) + "\n" if args.format == "jsonl" else "hello\n")
    try:
        nbytes = big.stat().st_size
        _, _, base_mb, _ = run_count(tiny, args.encodings, args.threads)
        load = os.getloadavg()
        seconds, cpu, peak_mb, result = run_count(big, args.encodings, args.threads)
    finally:
        tiny.unlink()
        if not args.keep:
            big.unlink()
    total = result["total"]
    assert isinstance(total, dict)
    beyond = peak_mb - base_mb
    rows = [
        ("input", f"{nbytes / 1e6:,.0f} MB of {args.format}, {total['docs']:,} documents"),
        ("encodings", args.encodings),
        ("threads", str(args.threads)),
        ("peak RSS, 1-line file (interpreter + vocabularies)", f"{base_mb:.0f} MB"),
        ("peak RSS, the big file", f"{peak_mb:.0f} MB"),
        ("beyond the vocabularies", f"**{beyond:.0f} MB** (bar: < {BAR_MB} MB)"),
        ("wall time", f"{seconds:.1f} s (load average at the start: {load[0]:.1f})"),
        ("throughput", f"{nbytes / 1e6 / seconds:.1f} MB/s"),
        ("CPU time (user + system)", f"{cpu:.1f} s: {cpu / seconds:.2f} cores used on average"),
        ("throughput per CPU second", f"{nbytes / 1e6 / cpu:.1f} MB"),
        ("tokens", ", ".join(f"{k} {v:,}" for k, v in total["tokens"].items())),
    ]
    command = "python bench/corpus_memory.py " + " ".join(sys.argv[1:])
    lines = ["# tokbench count: peak memory on a large line-structured file", ""]
    lines += [f"- **{k}**: {v}" for k, v in environment_info(command.strip()) if k != "threads"]
    lines += ["", "| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = f"corpus_memory_{args.format}.md"
    (RESULTS / name).write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS / name}")
    if beyond >= BAR_MB:
        msg = f"peak memory beyond the vocabularies {beyond:.0f} MB >= {BAR_MB} MB"
        raise SystemExit(msg)


if __name__ == "__main__":
    main()
