"""Single-threaded throughput of tokbench vs tiktoken / Hugging Face tokenizers, per slice.

    python bench/throughput.py [--encodings o200k_base,cl100k_base,llama3,qwen3,deepseek_v3]
        [--slices eng_Latn,...,mixed] [--repeats 5] [--out bench/results] [--corpora DIR]

For every encoding x slice, each repeat runs every contender once, in a fixed interleaved
order (A B C ... A B C ...), so machine noise hits them alike; the report gives the median
per contender, in MB/s of UTF-8 input (1 MB = 10^6 bytes), and ours/peer ratios.

Contenders (all single-threaded; see bench/README.md for the definitions of cold and warm):
  tokbench count cold    fresh instance (empty caches): count_batch(docs, num_threads=1)
  tokbench count warm    the same instance again over the same docs
  tokbench encode cold   fresh instance: encode_ordinary_batch(docs, num_threads=1)
  tokbench encode warm   the same instance again
  tiktoken               a loop of Encoding.encode_ordinary(doc); count = len(ids)
  HF batch cold / warm   Tokenizer.encode_batch(docs, add_special_tokens=False) with
                         RAYON_NUM_THREADS=1 and TOKENIZERS_PARALLELISM=false; cold clears
                         the BPE word cache first; count = len(Encoding)
  HF loop cold           a loop of Tokenizer.encode(doc), cache cleared first

Every run's per-document counts are checked against the reference's (all documents, every
repeat), and the ids of a sample of documents are compared once. Mismatches are printed
loudly and listed in the report. Load times are measured in fresh subprocesses.

Writes <out>/throughput.csv and <out>/throughput.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import impls  # sets the single-thread environment before tokenizers is imported
from corpus import SLICE_NAMES, Slice, build_slices, tokbench_path

import tokbench

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CPU_WALL_LIMIT = 1.25  # a single-threaded run should not use more CPU time than wall time
ID_SAMPLE_DOCS = 24


@dataclass
class Contender:
    """One timed way of counting a slice. `run` returns per-document token counts."""

    key: str
    label: str
    run: Callable[[Sequence[str]], Sequence[int]]
    setup: Callable[[], None] = lambda: None
    peer: bool = False  # a reference implementation
    warm: bool = False


@dataclass
class Result:
    encoding: str
    slice: Slice
    key: str
    label: str
    peer: bool
    warm: bool
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    tokens: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def mbps(self) -> float:
        return self.slice.nbytes / self.median / 1e6

    @property
    def cpu_wall(self) -> float:
        return max(c / t for c, t in zip(self.cpu, self.times, strict=True) if t > 0)

    def csv_measures(self) -> list[str | int]:
        """The CSV columns nbytes ... cpu_wall_max (shared with bench/peers.py's CSV)."""
        return [
            self.slice.nbytes,
            self.slice.nchars,
            self.slice.ndocs,
            self.tokens,
            len(self.times),
            f"{self.median:.6f}",
            f"{min(self.times):.6f}",
            f"{self.mbps:.3f}",
            f"{self.cpu_wall:.3f}",
        ]


def _fmt_mbps(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _fmt_ratio(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}x"


# -- contenders --------------------------------------------------------------------------


def contenders(name: str, enc: tokbench.Encoding, ref: impls.Reference) -> list[Contender]:
    """The contenders for one encoding, in the order they run within a repeat.

    The cold tokbench instances are created in setup (untimed), once per repeat; each warm
    contender reuses the instance of the cold one just before it.
    """
    state: dict[str, tokbench.Encoding] = {}

    def make_fresh(slot: str) -> Callable[[], None]:
        def setup() -> None:
            fresh = impls.fresh_encoding(enc)
            if fresh is None:
                msg = f"{name}: not on the native path, no cold instance"
                raise RuntimeError(msg)
            state[slot] = fresh

        return setup

    def count(slot: str) -> Callable[[Sequence[str]], Sequence[int]]:
        return lambda docs: state[slot].count_batch(docs, num_threads=1)

    def encode(slot: str) -> Callable[[Sequence[str]], Sequence[int]]:
        def run(docs: Sequence[str]) -> Sequence[int]:
            return [len(ids) for ids in state[slot].encode_ordinary_batch(docs, num_threads=1)]

        return run

    out = [
        Contender("tb_count_cold", "tokbench count cold", count("c"), make_fresh("c")),
        Contender("tb_count_warm", "tokbench count warm", count("c"), warm=True),
        Contender("tb_encode_cold", "tokbench encode cold", encode("e"), make_fresh("e")),
        Contender("tb_encode_warm", "tokbench encode warm", encode("e"), warm=True),
    ]
    if ref.kind == "tiktoken":
        out.append(Contender("tiktoken", "tiktoken", ref.counter(), peer=True))
    else:
        out += [
            Contender(
                "hf_batch_cold", "HF batch cold", ref.counter("batch"), ref.clear_cache, peer=True
            ),
            Contender("hf_batch_warm", "HF batch warm", ref.counter("batch"), peer=True, warm=True),
            Contender(
                "hf_loop_cold", "HF loop cold", ref.counter("loop"), ref.clear_cache, peer=True
            ),
        ]
    return out


def _timed(
    fn: Callable[[Sequence[str]], Sequence[int]], docs: Sequence[str]
) -> tuple[float, float, list[int]]:
    """(wall seconds, CPU seconds of the whole process, per-document counts)."""
    with impls.gc_paused():
        c0 = time.process_time()
        t0 = time.perf_counter()
        counts = fn(docs)
        t1 = time.perf_counter()
        c1 = time.process_time()
    return t1 - t0, c1 - c0, [int(c) for c in counts]


class Checker:
    """Compares every run's per-document counts with the reference's; records mismatches."""

    def __init__(self) -> None:
        self.mismatches: list[str] = []
        self.checks = 0
        self.id_docs = 0

    def report(self, msg: str) -> None:
        self.mismatches.append(msg)
        print(f"\n!!!!!!!! COUNT MISMATCH: {msg}\n", flush=True)

    def counts(self, where: str, label: str, got: list[int], want: list[int]) -> None:
        self.checks += 1
        if got == want:
            return
        bad = [i for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w]
        self.report(
            f"{where} {label}: total {sum(got)} vs reference {sum(want)}; "
            f"{len(bad)} of {len(want)} documents differ (first: doc {bad[0] if bad else '?'}: "
            f"{got[bad[0]] if bad else '?'} vs {want[bad[0]] if bad else '?'})"
        )

    def ids(self, where: str, enc: tokbench.Encoding, ref: impls.Reference, s: Slice) -> None:
        step = max(1, s.ndocs // ID_SAMPLE_DOCS)
        for i in range(0, s.ndocs, step):
            self.checks += 1
            self.id_docs += 1
            doc = s.docs[i]
            ours = enc.encode_ordinary(doc)
            theirs = ref.ids(doc)
            if ours != theirs:
                self.report(f"{where}: ids differ on doc {i} ({len(ours)} vs {len(theirs)} ids)")


def measure(
    name: str,
    enc: tokbench.Encoding,
    ref: impls.Reference,
    s: Slice,
    repeats: int,
    checker: Checker,
) -> list[Result]:
    where = f"{name}/{s.name}"
    cs = contenders(name, enc, ref)
    results = [Result(name, s, c.key, c.label, c.peer, c.warm) for c in cs]
    docs = list(s.docs)
    want: list[int] | None = None
    for rep in range(repeats):
        runs: list[tuple[Contender, Result, list[int]]] = []
        for c, r in zip(cs, results, strict=True):
            c.setup()
            wall, cpu, counts = _timed(c.run, docs)
            r.times.append(wall)
            r.cpu.append(cpu)
            r.tokens = sum(counts)
            runs.append((c, r, counts))
        if want is None:
            want = next(counts for c, _, counts in runs if c.peer)
        for c, _, counts in runs:
            checker.counts(f"{where} (repeat {rep + 1})", c.label, counts, want)
        line = "  ".join(f"{c.key}={s.nbytes / r.times[-1] / 1e6:.1f}" for c, r, _ in runs)
        print(f"  {where} repeat {rep + 1}/{repeats}: {line} MB/s", flush=True)
    checker.ids(where, enc, ref, s)
    for r in results:
        if r.cpu_wall > CPU_WALL_LIMIT:
            print(
                f"  WARNING {where} {r.label}: CPU/wall {r.cpu_wall:.2f} > {CPU_WALL_LIMIT}: "
                "it used more than one core",
                flush=True,
            )
    return results


# -- load time ---------------------------------------------------------------------------

_TOKBENCH_LOAD = """
import json, sys, time
t0 = time.perf_counter()
import tokbench
t1 = time.perf_counter()
enc = tokbench.get_encoding(sys.argv[1])
t2 = time.perf_counter()
enc.count("hello world")
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first": t3 - t2}))
"""

_REF_LOAD = (
    impls.REF_LOADER
    + """
import json, sys, time
t0 = time.perf_counter()
import_library(sys.argv[1])
t1 = time.perf_counter()
count = load_reference(sys.argv[1])
t2 = time.perf_counter()
count("hello world")
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first": t3 - t2}))
"""
)


@dataclass
class LoadTime:
    encoding: str
    tokbench: dict[str, float]
    ref_label: str
    ref_source: str
    ref: dict[str, float] | None


def _run_py(code: str, *args: str) -> dict[str, float] | None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (tokbench_path(), str(ROOT / "tests"), env.get("PYTHONPATH", "")) if p
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        print(f"  load-time subprocess failed: {proc.stderr.strip()[-500:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _median_runs(code: str, args: Sequence[str], n: int) -> dict[str, float] | None:
    runs = [_run_py(code, *args) for _ in range(n)]
    ok = [r for r in runs if r is not None]
    if not ok:
        return None
    return {k: statistics.median(r[k] for r in ok) for k in ok[0]}


def measure_load(name: str, n: int, tmp: Path) -> LoadTime:
    ours = _median_runs(_TOKBENCH_LOAD, [name], n) or {}
    rf = impls.reference_file(name, tmp)
    ref = _median_runs(_REF_LOAD, [str(rf.spec_path)], n)
    how = "load_tiktoken_bpe + Encoding" if rf.kind == "tiktoken" else "Tokenizer.from_file"
    label = "tiktoken" if rf.kind == "tiktoken" else "HF tokenizers"
    return LoadTime(name, ours, label, f"{how} ({rf.source})", ref)


# -- reports -----------------------------------------------------------------------------

CSV_FIELDS = [
    "encoding",
    "slice",
    "contender",
    "peer",
    "nbytes",
    "nchars",
    "ndocs",
    "tokens",
    "repeats",
    "median_s",
    "min_s",
    "mb_per_s",
    "cpu_wall_max",
    "ratio_vs_peer",
]


def _ratio(r: Result, rows: list[Result]) -> float | None:
    """ours / the best reference, as the median over repeats of the ratio within a repeat.

    The peer is the fastest reference run of the same repeat: among the cold reference runs
    for a cold contender, among all of them for a warm one. Taking the ratio inside a repeat
    (the contenders ran back to back) and then the median cancels slow drifts in machine load
    better than a ratio of medians.
    """
    if r.peer:
        return None
    peers = [p for p in rows if p.peer and (r.warm or not p.warm)]
    if not peers:
        return None
    ratios = [min(p.times[i] for p in peers) / t for i, t in enumerate(r.times) if t > 0]
    return statistics.median(ratios) if ratios else None


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A CSV file (also used by bench/peers.py)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_csv(path: Path, grouped: dict[tuple[str, str], list[Result]]) -> None:
    def row(r: Result, rows: list[Result]) -> list[object]:
        ratio = _ratio(r, rows)
        return [
            r.encoding,
            r.slice.name,
            r.label,
            int(r.peer),
            *r.csv_measures(),
            "" if ratio is None else f"{ratio:.3f}",
        ]

    write_rows(path, CSV_FIELDS, (row(r, rows) for rows in grouped.values() for r in rows))


def _table(header: list[str], rows: list[list[str]], left: Sequence[int] = (0,)) -> list[str]:
    """A Markdown table; columns in `left` are left-aligned, the others right-aligned."""
    align = ["---" if i in left else "---:" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_md(
    grouped: dict[tuple[str, str], list[Result]],
    encodings: list[str],
    slices: dict[str, Slice],
    loads: list[LoadTime],
    env: list[tuple[str, str]],
    checker: Checker,
    repeats: int,
) -> str:
    md: list[str] = ["# tokbench single-threaded throughput", ""]
    md += [f"- **{k}**: {v}" for k, v in env]
    md += [
        f"- **repeats**: {repeats} per contender, interleaved; the table shows medians",
        "",
        "MB/s = 10^6 bytes of UTF-8 input per second, on one core. *cold*: a fresh tokbench "
        "instance (empty caches) on text it has not seen; *warm*: the same instance again. "
        "Ratios are ours / the fastest reference run of the same repeat (cold tokbench against "
        "cold reference runs, warm against all reference runs; tiktoken has no cache), median "
        "over the repeats. tokbench "
        "count = `count_batch(docs, num_threads=1)`, encode = `encode_ordinary_batch(docs, "
        "num_threads=1)`; tiktoken = a loop of `encode_ordinary`; HF batch = "
        "`encode_batch(docs)` on one rayon thread, HF loop = a loop of `encode`.",
        "",
    ]
    md += ["## Correctness", ""]
    if checker.mismatches:
        md.append(f"**{len(checker.mismatches)} MISMATCHES** in {checker.checks} checks:")
        md += [f"- {m}" for m in checker.mismatches]
    else:
        md.append(
            f"All {checker.checks} checks passed: every run's per-document counts equal the "
            f"reference's (all documents, every repeat), and the ids of {checker.id_docs} "
            f"sampled documents (about {ID_SAMPLE_DOCS} per slice) equal the reference's."
        )
    md.append("")

    md += ["## Slices", ""]
    md += _table(
        ["slice", "docs", "bytes", "chars", "source"],
        [[s.name, str(s.ndocs), str(s.nbytes), str(s.nchars), s.source] for s in slices.values()],
        left=(0, 4),
    )
    md.append("")

    md += ["## Summary: tokbench count / reference (x faster)", ""]
    for warm in (False, True):
        title = "warm (same instance, text seen)" if warm else "cold (fresh instance)"
        md += [f"### count {title}", ""]
        rows = []
        for sname in slices:
            row = [sname]
            for e in encodings:
                res = grouped.get((e, sname))
                key = "tb_count_warm" if warm else "tb_count_cold"
                r = next((x for x in res or [] if x.key == key), None)
                row.append(_fmt_ratio(_ratio(r, res)) if r and res else "n/a")
            rows.append(row)
        md += _table(["slice", *encodings], rows)
        md.append("")

    md += ["## Per encoding (MB/s, medians)", ""]
    for e in encodings:
        groups = [(s, grouped[(e, s)]) for s in slices if (e, s) in grouped]
        if not groups:
            continue
        labels = [r.label for r in groups[0][1]]
        ref_label = "tiktoken" if any(r.key == "tiktoken" for r in groups[0][1]) else "HF"
        md += [f"### {e} (reference: {ref_label})", ""]
        header = ["slice", "KB", "tokens", *labels, "count cold x", "count warm x", "encode cold x"]
        rows = []
        for sname, res in groups:
            by_key = {r.key: r for r in res}
            row = [sname, f"{slices[sname].nbytes / 1000:.0f}", str(res[-1].tokens)]
            row += [_fmt_mbps(r.mbps) for r in res]
            row += [
                _fmt_ratio(_ratio(by_key[k], res))
                for k in ("tb_count_cold", "tb_count_warm", "tb_encode_cold")
            ]
            rows.append(row)
        md += _table(header, rows)
        cw = [r.cpu_wall for _, res in groups for r in res]
        md += [
            "",
            f"CPU time / wall time per run: {min(cw):.2f} to {max(cw):.2f} "
            "(1.00 = exactly one core busy).",
            "",
        ]

    if loads:
        md += ["## Load time (fresh subprocess, median of runs, ms)", ""]
        md += [
            "tokbench: `import tokbench`, then `get_encoding(name)` (reads the bundled "
            "vocabulary, builds the tables), then the first `count`. Reference: the import, "
            "then loading from a local file as a user would (tiktoken: `load_tiktoken_bpe` + "
            "`Encoding(...)`, no cache; HF: `Tokenizer.from_file`), then the first encode.",
            "",
        ]
        rows = []
        for lt in loads:
            ours, ref = lt.tokbench, lt.ref or {}

            def ms(d: dict[str, float], k: str) -> str:
                return f"{d[k] * 1000:.0f}" if k in d else "n/a"

            ratio = (
                f"{ref['load'] / ours['load']:.1f}x"
                if "load" in ref and ours.get("load")
                else "n/a"
            )
            total = (
                f"{sum(ref.values()) / sum(ours.values()):.1f}x"
                if ref and ours and sum(ours.values()) > 0
                else "n/a"
            )
            rows.append(
                [
                    lt.encoding,
                    ms(ours, "import"),
                    ms(ours, "load"),
                    ms(ours, "first"),
                    lt.ref_label,
                    ms(ref, "import"),
                    ms(ref, "load"),
                    ms(ref, "first"),
                    ratio,
                    total,
                    lt.ref_source,
                ]
            )
        md += _table(
            [
                "encoding",
                "tokbench import",
                "tokbench get_encoding",
                "tokbench first count",
                "reference",
                "ref import",
                "ref load",
                "ref first encode",
                "load: ref / ours",
                "import+load+first: ref / ours",
                "reference loaded from",
            ],
            rows,
            left=(0, 4, 10),
        )
        md.append("")
    return "\n".join(md).rstrip() + "\n"


# -- main --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encodings", default=",".join(impls.DEFAULT_ENCODINGS))
    ap.add_argument("--slices", default=",".join(SLICE_NAMES))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument(
        "--corpora",
        default=None,
        help="corpora folder (default: $TOKBENCH_CORPORA, else references.CORPORA_DIR)",
    )
    ap.add_argument(
        "--load-runs",
        type=int,
        default=3,
        help="fresh subprocesses per load-time measurement (0: skip)",
    )
    args = ap.parse_args(argv)

    command = "python bench/throughput.py" + "".join(
        f" {shlex.quote(a)}" for a in (sys.argv[1:] if argv is None else argv)
    )
    encodings = [e for e in args.encodings.split(",") if e]
    slices = build_slices([s for s in args.slices.split(",") if s], args.corpora)
    if not slices:
        print("no slices available (corpora not found?): nothing to measure")
    for s in slices.values():
        print(f"slice {s.name}: {s.ndocs} docs, {s.nbytes} bytes, {s.nchars} chars")

    checker = Checker()
    grouped: dict[tuple[str, str], list[Result]] = {}
    t_start = time.perf_counter()
    core_before = impls.core_fingerprint()
    for name in encodings:
        enc = tokbench.get_encoding(name)
        ref = impls.load_reference(name)
        print(f"{name}: tokbench path={enc.path}, reference={ref.label}", flush=True)
        for s in slices.values():
            grouped[(name, s.name)] = measure(name, enc, ref, s, args.repeats, checker)

    loads: list[LoadTime] = []
    if args.load_runs > 0:
        with tempfile.TemporaryDirectory() as tmp:
            for name in encodings:
                print(f"load time: {name}", flush=True)
                loads.append(measure_load(name, args.load_runs, Path(tmp)))

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "throughput.csv", grouped)
    env = impls.environment_info(command, core_before)
    md = render_md(grouped, encodings, slices, loads, env, checker, args.repeats)
    (out / "throughput.md").write_text(md, encoding="utf-8")
    print(
        f"\nwrote {out / 'throughput.csv'} and {out / 'throughput.md'} "
        f"in {time.perf_counter() - t_start:.0f} s"
    )
    if checker.mismatches:
        print(f"\n!!!!!!!! {len(checker.mismatches)} COUNT MISMATCHES:")
        for m in checker.mismatches:
            print(f"  {m}")
        return 1
    print(f"correctness: all {checker.checks} checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
