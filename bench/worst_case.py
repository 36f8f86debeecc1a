"""Near-linearity check: the time to count one huge input with no pre-token breaks.

    python bench/worst_case.py [--encodings ...] [--sizes 1,2,4,8,10] [--repeats 3]
        [--timeout 60] [--out bench/results] [--corpora DIR]

Inputs (sizes in MB = 10^6 bytes of UTF-8):
  cjk       one repeated CJK character ("中"), a single pre-token
  a         "aaaa...", a single pre-token
  spaces    "    ...", a single pre-token
  punct     "!!!!...", a single pre-token
  base64    base64 of pseudo-random bytes, no spaces or newlines
  normal    ordinary text: FLORES sentences of every language plus CPython source files,
            shuffled by document (no repeated text), for comparison

tokbench: `count(text)` on a fresh instance (cold), median of --repeats (runs over a second
are not repeated), in-process. A linear-time implementation takes ~10x as long at 10 MB as at
1 MB. The reference (tiktoken, or Hugging Face tokenizers for HF-format encodings) runs in a
subprocess (one per encoding x input, loading once) with a timeout per size, because tiktoken
overflows its stack on long runs of some pre-tokens: a run that kills the process is
"crashed", one longer than --timeout "timeout" (larger sizes are then "skipped"); after a run
longer than --ref-budget the larger sizes are "not run". Every reference count that finishes
is checked against tokbench's.

Writes <out>/worst_case.md and <out>/worst_case.csv.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gc
import json
import math
import os
import queue
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import impls  # sets the single-thread environment before tokenizers is imported
from corpus import corpora_dir, tokbench_path

import tokbench

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MB = 1_000_000
REF_EXTRA_SIZES = (0.0625, 0.25)  # the reference also runs at these (MB), to show where it fails
REPEAT_BUDGET_S = 1.0
PATTERNS = ("cjk", "a", "spaces", "punct", "base64", "normal")


# -- inputs --------------------------------------------------------------------------------


def _normal_source(root: Path | None, nbytes: int) -> str:
    """At least nbytes of ordinary, non-repeating text (FLORES of all languages + code)."""
    docs: list[str] = []
    if root is not None:
        flores = root / "flores200_dev"
        for path in sorted(flores.glob("*.dev")) if flores.is_dir() else []:
            docs += path.read_text(encoding="utf-8").splitlines()
        code = root / "code" / "cpython_stdlib_py.jsonl.gz"
        if code.is_file():
            import gzip

            with gzip.open(code, "rt", encoding="utf-8") as f:
                docs += [json.loads(line)["text"] for line in f]
    if not docs:
        return ""
    random.Random(7).shuffle(docs)
    out: list[str] = []
    total = 0
    for d in docs:
        out.append(d)
        total += len(d.encode("utf-8")) + 1
        if total >= nbytes:
            break
    return "\n".join(out)


def _base64_source(nbytes: int) -> str:
    raw = random.Random(11).randbytes(nbytes * 3 // 4 + 3)
    return base64.b64encode(raw).decode("ascii")[:nbytes]


def _prefix_bytes(text: str, nbytes: int) -> str:
    """The longest prefix of `text` with at most nbytes UTF-8 bytes."""
    return text.encode("utf-8")[:nbytes].decode("utf-8", errors="ignore")


def make_inputs(max_bytes: int, root: Path | None) -> dict[str, Callable[[int], str]]:
    normal = _normal_source(root, max_bytes)
    b64 = _base64_source(max_bytes)
    makers: dict[str, Callable[[int], str]] = {
        "cjk": lambda n: "中" * (n // 3),
        "a": lambda n: "a" * n,
        "spaces": lambda n: " " * n,
        "punct": lambda n: "!" * n,
        "base64": lambda n: b64[:n],
    }
    if len(normal.encode("utf-8")) >= max_bytes:
        makers["normal"] = lambda n: _prefix_bytes(normal, n)
    else:
        print("[worst_case] corpora not found or too small: skipping the 'normal' input")
    return makers


# -- measurements --------------------------------------------------------------------------


@dataclass
class Point:
    encoding: str
    impl: str
    pattern: str
    size_mb: float
    nbytes: int
    seconds: float | None  # None: failed (see status)
    status: str  # "ok", "crashed", "timeout", "skipped"
    tokens: int | None
    pieces: int | None = None


def tokbench_point(
    enc: tokbench.Encoding, name: str, pattern: str, size_mb: float, text: str, repeats: int
) -> Point:
    times: list[float] = []
    tokens = 0
    # Repeat (median) while cheap; one run of a second or more is stable enough on its own.
    while len(times) < repeats and sum(times) < REPEAT_BUDGET_S:
        fresh = impls.fresh_encoding(enc) or enc
        gc.collect()
        t0 = time.perf_counter()
        tokens = fresh.count(text)
        times.append(time.perf_counter() - t0)
    core = getattr(enc._backend, "_core", None)
    pieces = len(core.pieces(text)) if core is not None else None
    nbytes = len(text.encode("utf-8"))
    return Point(
        name, "tokbench", pattern, size_mb, nbytes, statistics.median(times), "ok", tokens, pieces
    )


_REF_LADDER = (
    impls.REF_LOADER
    + """
import json, sys, time
count = load_reference(sys.argv[1])
print(json.dumps({"loaded": True}), flush=True)
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    t0 = time.perf_counter()
    n = count(text)
    t1 = time.perf_counter()
    print(json.dumps({"seconds": t1 - t0, "tokens": n}), flush=True)
"""
)


def reference_ladder(
    rf: impls.ReferenceFile,
    pattern: str,
    texts: list[tuple[float, str]],
    timeout: float,
    budget: float,
    tmp: Path,
) -> list[Point]:
    """The reference on each (size, text), smallest first, in ONE subprocess (one load).

    A run that kills the process is "crashed", one that exceeds `timeout` is "timeout"; the
    larger sizes are then "skipped". After a run longer than `budget` seconds the larger sizes
    are "not run" (too slow to be worth the wait; the trend is visible already).
    """
    label = "tiktoken" if rf.kind == "tiktoken" else "HF tokenizers"
    paths = []
    for i, (_, text) in enumerate(texts):
        path = tmp / f"ladder-{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    nbytes = [len(t.encode("utf-8")) for _, t in texts]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (tokbench_path(), str(ROOT / "tests"), env.get("PYTHONPATH", "")) if p
    )
    err_path = tmp / "ladder.stderr"
    points: list[Point] = []
    with err_path.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _REF_LADDER, str(rf.spec_path), *paths],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        try:
            first = lines.get(timeout=600)  # the load itself
            status = "" if first is not None else "crashed"
            for (size, _), n in zip(texts, nbytes, strict=True):
                if status:
                    after = "not run" if status == "budget" else "skipped"
                    points.append(Point(rf.name, label, pattern, size, n, None, after, None))
                    continue
                try:
                    line = lines.get(timeout=timeout)
                except queue.Empty:
                    status = "timeout"
                    points.append(Point(rf.name, label, pattern, size, n, None, status, None))
                    continue
                if line is None:
                    status = "crashed"
                    points.append(Point(rf.name, label, pattern, size, n, None, status, None))
                    continue
                res = json.loads(line)
                points.append(
                    Point(rf.name, label, pattern, size, n, res["seconds"], "ok", res["tokens"])
                )
                if res["seconds"] > budget:
                    status = "budget"
        finally:
            proc.kill()
            proc.wait()
    if any(p.status == "crashed" for p in points):
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        print(f"    {label} {pattern}: crashed: {(tail or ['?'])[-1][:200]}")
    return points


# -- report --------------------------------------------------------------------------------


def _cell(p: Point | None) -> str:
    if p is None:
        return ""
    if p.seconds is None:
        return p.status
    return f"{p.seconds * 1000:.0f} ms" if p.seconds < 10 else f"{p.seconds:.1f} s"


def _exponent(points: list[tuple[int, float]]) -> float | None:
    """b in time ~ size^b, by least squares on log-log (1.0 = linear; noise-robust growth)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---" if i == 0 else "---:" for i in range(len(header))]
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(align) + "|",
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def render_md(
    points: list[Point],
    encodings: list[str],
    patterns: list[str],
    sizes: list[float],
    env: list[tuple[str, str]],
    mismatches: list[str],
) -> str:
    md = ["# tokbench worst cases: one huge pre-token", ""]
    md += [f"- **{k}**: {v}" for k, v in env]
    md += [
        "",
        "Time to count one input of the given size (MB = 10^6 UTF-8 bytes). tokbench: "
        "`count(text)` on a fresh instance (cold), median of the repeats. *pieces* = number of "
        "pre-tokens at the smallest size (1 = no break at all). *growth* = time at the largest "
        f"size / time at the smallest; linear = {sizes[-1] / sizes[0]:.1f}. *exponent* = b in "
        "time ~ size^b, fitted over all sizes (1.00 = linear; less sensitive to one noisy run "
        "than growth). Runs of a second or "
        "more are not repeated. The reference loads once per input in a subprocess and runs "
        "once per size, smallest first, with a timeout per run: *crashed* = the process died "
        "(tiktoken: stack overflow in its regex engine), *timeout* = slower than the timeout; "
        "larger sizes are then *skipped*. *not run* = skipped because the previous size "
        "already took longer than the budget. *tokbench speedup* = reference time / tokbench "
        "time at the largest size both ran.",
        "",
        "## Correctness",
        "",
    ]
    if mismatches:
        md += [f"**{len(mismatches)} COUNT MISMATCHES**:", *(f"- {m}" for m in mismatches)]
    else:
        md.append("Every reference run that finished gave the same count as tokbench.")
    md.append("")
    index = {(p.encoding, p.impl, p.pattern, p.size_mb): p for p in points}
    for e in encodings:
        md += [f"## {e}", "", "### tokbench", ""]
        header = [
            "input",
            "pieces",
            *(f"{s:g} MB" for s in sizes),
            "growth",
            "exponent",
            "MB/s (largest)",
        ]
        rows = []
        for pat in patterns:
            cells = [index.get((e, "tokbench", pat, s)) for s in sizes]
            if not any(cells):
                continue
            first, last = cells[0], cells[-1]
            growth = (
                f"{last.seconds / first.seconds:.1f}"
                if first and last and first.seconds and last.seconds
                else "n/a"
            )
            rate = f"{last.nbytes / last.seconds / MB:.1f}" if last and last.seconds else "n/a"
            pieces = str(first.pieces) if first and first.pieces is not None else "?"
            exp = _exponent([(c.nbytes, c.seconds) for c in cells if c and c.seconds])
            expo = f"{exp:.2f}" if exp is not None else "n/a"
            rows.append([pat, pieces, *(_cell(c) for c in cells), growth, expo, rate])
        md += _table(header, rows)
        md.append("")
        ref_points = [p for p in points if p.encoding == e and p.impl != "tokbench"]
        if ref_points:
            impl = ref_points[0].impl
            ref_sizes = sorted({p.size_mb for p in ref_points} | set(sizes))
            md += [f"### {impl} (reference)", ""]
            rows = []
            for pat in patterns:
                cells = [index.get((e, impl, pat, s)) for s in ref_sizes]
                if not any(cells):
                    continue
                ratios = [
                    (size, c.seconds / t.seconds)
                    for size, c in zip(ref_sizes, cells, strict=True)
                    if c is not None
                    and c.seconds
                    and (t := index.get((e, "tokbench", pat, size))) is not None
                    and t.seconds
                ]
                speed = f"{ratios[-1][1]:.1f}x at {ratios[-1][0]:g} MB" if ratios else "n/a"
                exp = _exponent(
                    [(c.nbytes, c.seconds) for c in cells if c and c.seconds and c.size_mb >= 1]
                )
                expo = f"{exp:.2f}" if exp is not None else "n/a"
                rows.append([pat, *(_cell(c) if c else "skipped" for c in cells), expo, speed])
            header = [
                "input",
                *(f"{s:g} MB" for s in ref_sizes),
                "exponent (>= 1 MB)",
                "tokbench speedup",
            ]
            md += _table(header, rows)
            md.append("")
    return "\n".join(md).rstrip() + "\n"


def write_csv(path: Path, points: list[Point]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "encoding",
                "impl",
                "input",
                "size_mb",
                "nbytes",
                "seconds",
                "status",
                "tokens",
                "pieces",
            ]
        )
        for p in points:
            w.writerow(
                [
                    p.encoding,
                    p.impl,
                    p.pattern,
                    f"{p.size_mb:g}",
                    p.nbytes,
                    "" if p.seconds is None else f"{p.seconds:.6f}",
                    p.status,
                    "" if p.tokens is None else p.tokens,
                    "" if p.pieces is None else p.pieces,
                ]
            )


# -- main ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encodings", default=",".join(impls.DEFAULT_ENCODINGS))
    ap.add_argument("--inputs", default=",".join(PATTERNS))
    ap.add_argument("--sizes", default="1,2,4,8,10", help="sizes in MB (10^6 bytes)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0, help="per reference run, seconds")
    ap.add_argument(
        "--ref-budget",
        type=float,
        default=3.0,
        help="stop an input's reference ladder after a run longer than this (seconds)",
    )
    ap.add_argument("--no-reference", action="store_true", help="tokbench only")
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument(
        "--corpora",
        default=None,
        help="corpora folder (default: $TOKBENCH_CORPORA, else references.CORPORA_DIR)",
    )
    args = ap.parse_args(argv)
    command = "python bench/worst_case.py" + "".join(
        f" {shlex.quote(a)}" for a in (sys.argv[1:] if argv is None else argv)
    )
    encodings = [e for e in args.encodings.split(",") if e]
    sizes = sorted(float(s) for s in args.sizes.split(",") if s)
    ref_sizes = sorted({*REF_EXTRA_SIZES, *sizes})
    root = corpora_dir(args.corpora)
    makers = make_inputs(int(max(sizes) * MB), root if root.is_dir() else None)
    patterns = [p for p in args.inputs.split(",") if p in makers]

    points: list[Point] = []
    mismatches: list[str] = []
    t_start = time.perf_counter()
    core_before = impls.core_fingerprint()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name in encodings:
            enc = tokbench.get_encoding(name)
            rf = None if args.no_reference else impls.reference_file(name, tmp)
            for pat in patterns:
                ours: dict[float, Point] = {}
                for s in sizes:
                    text = makers[pat](int(s * MB))
                    p = tokbench_point(enc, name, pat, s, text, args.repeats)
                    ours[s] = p
                    points.append(p)
                    print(
                        f"  {name} tokbench {pat:<7} {s:>6g} MB: {_cell(p):>9}  "
                        f"pieces={p.pieces} tokens={p.tokens}",
                        flush=True,
                    )
                if rf is None:
                    continue
                ladder = [(s, makers[pat](int(s * MB))) for s in ref_sizes]
                ref_points = reference_ladder(rf, pat, ladder, args.timeout, args.ref_budget, tmp)
                for (s, text), p in zip(ladder, ref_points, strict=True):
                    points.append(p)
                    print(f"  {name} {p.impl} {pat:<7} {s:>6g} MB: {_cell(p):>9}", flush=True)
                    if p.tokens is None:
                        continue
                    want = ours[s].tokens if s in ours else enc.count(text)
                    if p.tokens != want:
                        msg = f"{name} {pat} {s:g} MB: tokbench {want} vs {p.impl} {p.tokens}"
                        mismatches.append(msg)
                        print(f"\n!!!!!!!! COUNT MISMATCH: {msg}\n", flush=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "worst_case.csv", points)
    env = impls.environment_info(command, core_before)
    md = render_md(points, encodings, patterns, sizes, env, mismatches)
    (out / "worst_case.md").write_text(md, encoding="utf-8")
    print(f"\nwrote {out / 'worst_case.md'} in {time.perf_counter() - t_start:.0f} s")
    for p in points:
        if p.impl == "tokbench" and p.size_mb == sizes[-1]:
            first = next(
                q
                for q in points
                if q.encoding == p.encoding
                and q.impl == p.impl
                and q.pattern == p.pattern
                and q.size_mb == sizes[0]
            )
            if (
                first.seconds
                and p.seconds
                and p.seconds / first.seconds > 1.5 * (sizes[-1] / sizes[0])
            ):
                print(
                    f"WARNING: {p.encoding} {p.pattern}: superlinear growth "
                    f"({p.seconds / first.seconds:.1f}x for {sizes[-1] / sizes[0]:g}x the size)"
                )
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
