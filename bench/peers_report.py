"""The peer table (bench/peers.py) as Markdown and CSV, and the list of problems to print."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import peer_libs
import throughput
from peer_table import (
    CPU_WALL_LIMIT,
    HF,
    TB_NUMPY,
    TIKTOKEN,
    TOKBENCH,
    TT_NUMPY,
    Series,
    Table,
    fastest_peer,
    find,
    speedup,
)
from throughput import _fmt_mbps, _fmt_ratio, _table

# The bars of issue 7 for single-threaded counting (tokbench / the other library).
PEER_BAR = 1.5  # cold, against the fastest exact peer, on every slice
TIKTOKEN_BARS = (("cold", "mixed", 10.0), ("cold", "zho_Hans", 4.0), ("cold", "jpn_Jpan", 4.0))
TIKTOKEN_WARM_BAR = ("warm", "mixed", 20.0)
NUMPY_BAR = 8.0  # encode to numpy, against tiktoken (cold), on every slice


def ours_for(s: Series) -> tuple[str, str]:
    """The tokbench series a row is compared with: same state for counting, the numpy encode
    for encoding."""
    return (TB_NUMPY, "cold") if s.op == "encode" else (TOKBENCH, s.state)


def tokbench_x(s: Series, cell: Sequence[Series]) -> float | None:
    """How many times faster tokbench is than this series (None for tokbench's own rows)."""
    if s.ours:
        return None
    ours = find(cell, *ours_for(s))
    return speedup(ours, [s]) if ours else None


def numpy_x(cell: Sequence[Series]) -> float | None:
    """tokbench encode_to_numpy against tiktoken's faster encode (ids list or numpy), cold."""
    ours = find(cell, TB_NUMPY)
    theirs = [s for s in (find(cell, TIKTOKEN), find(cell, TT_NUMPY)) if s]
    return speedup(ours, theirs) if ours else None


def tiktoken_x(cell: Sequence[Series], state: str) -> float | None:
    ours, tt = find(cell, TOKBENCH, state), find(cell, TIKTOKEN)
    return speedup(ours, [tt]) if ours and tt else None


def problems(table: Table) -> list[str]:
    """Count mismatches (any contender) and runs that used more than one core."""
    out = []
    for cell in table.cells.values():
        for s in cell:
            where = f"{s.key} {s.state} {s.encoding}/{s.slice.name}"
            if s.bad_docs:
                out.append(
                    f"{where}: {s.bad_docs} of {s.slice.ndocs} documents differ from "
                    f"tiktoken's count (first: {s.first_bad})"
                )
            if s.cpu_wall > CPU_WALL_LIMIT:
                out.append(f"{where}: CPU/wall {s.cpu_wall:.2f} > {CPU_WALL_LIMIT}: >1 core")
    return out


# -- CSV -----------------------------------------------------------------------------------

# throughput.csv's columns where they mean the same (all but its "peer" and ratio).
CSV_FIELDS = [
    *throughput.CSV_FIELDS[:3],  # encoding, slice, contender
    "op",
    "state",
    *throughput.CSV_FIELDS[4:13],  # nbytes ... cpu_wall_max
    "docs_mismatched",
    "tokbench_x",
    "times_s",
]


def write_csv(path: Path, table: Table) -> None:
    def row(s: Series, cell: Sequence[Series]) -> list[object]:
        x = tokbench_x(s, cell)
        return [
            s.encoding,
            s.slice.name,
            s.key,
            s.op,
            s.state,
            *s.csv_measures(),
            s.bad_docs,
            "" if x is None else f"{x:.3f}",
            ";".join(f"{t:.9f}" for t in s.times),
        ]

    cells = table.cells.values()
    throughput.write_rows(path, CSV_FIELDS, (row(s, cell) for cell in cells for s in cell))


# -- Markdown ------------------------------------------------------------------------------


def _peer_versions(table: Table) -> str:
    seen: dict[str, str] = {}
    for p in table.peers:
        seen.setdefault(p.dist, p.version() or "not installed")
    return ", ".join(f"{d} {v}" for d, v in seen.items())


def _summary(table: Table) -> list[str]:
    md = [
        "## Summary: tokbench count / the fastest exact peer (x faster)",
        "",
        "Cold: tokbench's first pass on a new instance against every other library's first "
        "pass (a new instance where it caches). Warm: tokbench's second pass against the "
        "faster of each library's first and second pass. The fastest exact peer of each "
        "slice is named; tiktoken and Hugging Face tokenizers count as peers.",
        "",
    ]
    header = ["slice"]
    for e in table.encodings:
        header += [f"{e} cold", f"{e} warm"]
    rows = []
    for sname in table.slices:
        row = [sname]
        for e in table.encodings:
            cell = table.cells.get((e, sname), [])
            for state in ("cold", "warm"):
                name, x = fastest_peer(cell, state)
                row.append(f"{_fmt_ratio(x)} ({name})")
        rows.append(row)
    md += _table(header, rows)
    md += ["", "## tokbench / tiktoken (x faster)", ""]
    header = ["slice"]
    for e in table.encodings:
        header += [f"{e} count cold", f"{e} count warm", f"{e} encode numpy"]
    rows = []
    for sname in table.slices:
        row = [sname]
        for e in table.encodings:
            cell = table.cells.get((e, sname), [])
            row += [
                _fmt_ratio(tiktoken_x(cell, "cold")),
                _fmt_ratio(tiktoken_x(cell, "warm")),
                _fmt_ratio(numpy_x(cell)),
            ]
        rows.append(row)
    md += _table(header, rows)
    md += [
        "",
        "encode numpy: tokbench `encode_to_numpy(doc)` on a new instance against the faster of "
        "tiktoken's `encode_ordinary(doc)` and `encode_to_numpy(doc)` (loops over documents).",
        "",
    ]
    return md


def _met(x: float | None, bar: float) -> str:
    if x is None:
        return "n/a"
    return f"{x:.2f}x ({'met' if x >= bar else 'NOT met'})"


def _bars(table: Table) -> list[str]:
    md = ["## The issue's bars (single-threaded)", ""]
    for e in table.encodings:
        cells = {s: table.cells[(e, s)] for s in table.slices if (e, s) in table.cells}
        if not cells:
            continue
        md.append(f"**{e}**")
        md.append("")
        peer_x = {s: fastest_peer(c, "cold") for s, c in cells.items()}
        known = {s: (n, x) for s, (n, x) in peer_x.items() if x is not None}
        if known:
            worst = min(known, key=lambda s: known[s][1] or 0.0)
            n_met = sum(1 for _, x in known.values() if x is not None and x >= PEER_BAR)
            md.append(
                f"- cold >= {PEER_BAR}x the fastest exact peer on every slice: met on {n_met} "
                f"of {len(known)} slices; lowest {_fmt_ratio(known[worst][1])} on {worst} "
                f"(against {known[worst][0]})"
            )
        for state, sname, bar in (*TIKTOKEN_BARS, TIKTOKEN_WARM_BAR):
            if sname in cells:
                md.append(
                    f"- {state} >= {bar:g}x tiktoken on {sname}: "
                    f"{_met(tiktoken_x(cells[sname], state), bar)}"
                )
        nx = {s: numpy_x(c) for s, c in cells.items()}
        vals = {s: x for s, x in nx.items() if x is not None}
        if vals:
            low = min(vals, key=lambda s: vals[s])
            md.append(
                f"- encode to numpy >= {NUMPY_BAR:g}x tiktoken cold: lowest "
                f"{_met(vals[low], NUMPY_BAR)} on {low}"
                + (f"; {_fmt_ratio(vals['mixed'])} on mixed" if "mixed" in vals else "")
            )
        md.append("")
    return md


def _peers_section(table: Table) -> list[str]:
    md = [
        "## Peers",
        "",
        "Every library is loaded from local files only (nothing is downloaded): the original "
        "`.tiktoken` file where it can read one, else the vocabulary its package ships. "
        "*caches*: it keeps what it has seen in an instance, so each cold run gets a new "
        "instance (loaded untimed); the others reuse one. *load*: the first load of the "
        "encoding, in seconds.",
        "",
    ]
    rows = []
    for p in table.peers:
        status = []
        for e in table.encodings:
            st = table.status.get((p.key, e))
            if st is None:
                continue
            text = st.status
            if st.load_s is not None:
                text += f" (load {st.load_s:.2f} s)"
            status.append(f"{e}: {text}")
        note = peer_libs.INSTALL_NOTES.get(p.dist, "")
        missing = p.version() is None
        rows.append(
            [
                p.key,
                p.version() or "-",
                "; ".join(status) + (f". Install: {note}" if missing and note else ""),
                "yes" if p.caches else "no",
                p.call,
                p.vocab,
                p.threads,
            ]
        )
    rows += [
        [
            TIKTOKEN,
            "",
            "reference",
            "no",
            "a loop of `encode_ordinary(doc)`, count = len",
            "`tiktoken.Encoding` on the ranks tokbench bundles",
            "single-threaded call",
        ],
        [
            HF,
            "",
            "measured" if any(find(c, HF) for c in table.cells.values()) else "left out (--no-hf)",
            "yes (word cache, cleared for cold runs)",
            "`Tokenizer.encode_batch(docs)`, count = len(Encoding)",
            "a `Tokenizer` built from the .tiktoken ranks (merges derived from them)",
            "RAYON_NUM_THREADS=1, TOKENIZERS_PARALLELISM=false",
        ],
    ]
    md += _table(
        ["peer", "version", "status", "caches", "timed call", "vocabulary", "one thread via"],
        rows,
        left=(0, 1, 2, 3, 4, 5, 6),
    )
    md.append("")
    return md


def _correctness(table: Table) -> list[str]:
    md = ["## Correctness (per-document counts against tiktoken, every run)", ""]
    keys: list[str] = []
    for cell in table.cells.values():
        for s in cell:
            if s.key not in keys and s.key != TIKTOKEN:
                keys.append(s.key)
    rows = []
    for key in keys:
        row = [key]
        for e in table.encodings:
            bad = []
            ndocs = 0
            for sname in table.slices:
                cell = table.cells.get((e, sname), [])
                worst = max((s.bad_docs for s in cell if s.key == key), default=None)
                if worst is None:
                    continue
                ndocs += table.slices[sname].ndocs
                if worst:
                    bad.append(f"{sname} {worst}")
            row.append(
                f"**{'; '.join(bad)} documents differ**" if bad else f"exact ({ndocs} documents)"
            )
        rows.append(row)
    md += _table(["contender", *table.encodings], rows, left=tuple(range(len(table.encodings) + 1)))
    md += [
        "",
        f"Each contender's runs (cold and warm, {table.repeats} repeats) are all checked; a "
        "number is the most documents of that slice that differed in one run. A library that "
        "differs on a slice is still timed, but not counted as an exact peer there.",
        "",
    ]
    return md


def _per_encoding(table: Table, e: str) -> list[str]:
    cells = [(s, table.cells[(e, s)]) for s in table.slices if (e, s) in table.cells]
    if not cells:
        return []
    order = [(s.key, s.state) for s in cells[0][1]]
    md = [f"### {e}: MB/s (median) and tokbench's speedup over each", ""]
    rows = []
    for key, state in order:
        row = [key, state]
        worst_cpu = 0.0
        for _, cell in cells:
            s = find(cell, key, state)
            if s is None:
                row.append("n/a")
                continue
            worst_cpu = max(worst_cpu, s.cpu_wall)
            x = tokbench_x(s, cell)
            flag = "≠ " if s.bad_docs else ""
            row.append(f"{flag}{_fmt_mbps(s.mbps)}" + (f" / {x:.2f}x" if x is not None else ""))
        flag = " **>1 core**" if worst_cpu > CPU_WALL_LIMIT else ""
        rows.append([*row, f"{worst_cpu:.2f}{flag}"])
    md += _table(["contender", "state", *(s for s, _ in cells), "CPU/wall max"], rows, left=(0, 1))
    md += [
        "",
        "A cell is `MB/s / x`: x = how many times faster tokbench is (count rows: tokbench "
        "count in the same state; encode rows: tokbench `encode_to_numpy`). `≠`: counts "
        "differ from tiktoken's on that slice.",
        "",
    ]
    return md


def render_md(table: Table, env: Sequence[tuple[str, str]]) -> str:
    md = ["# tokbench against the exact peers: single-threaded counting", ""]
    md += [f"- **{k}**: {v}" for k, v in env]
    knobs = ", ".join(f"{k}={os.environ.get(k)}" for k in peer_libs.THREAD_ENV)
    md += [
        f"- **peers**: {_peer_versions(table)}",
        f"- **peer settings**: {knobs} (and each library's own knob, below)",
        f"- **repeats**: {table.repeats} per contender, interleaved (order rotated each "
        "repeat); medians",
        "",
        "MB/s = 10^6 bytes of UTF-8 input per second on one core. *cold*: a new instance (for "
        "tokbench, empty caches over the loaded tables) on text it has not seen, after an "
        "untimed one-word call so that lazy set-up is not timed; *warm*: the same instance "
        "again on the same text. Ratios are medians over the repeats of the ratio within a "
        "repeat. tokbench count = `count_batch(docs, num_threads=1)`.",
        "",
    ]
    md += _summary(table)
    md += _bars(table)
    md += _peers_section(table)
    md += _correctness(table)
    md += ["## Per encoding", ""]
    for e in table.encodings:
        md += _per_encoding(table, e)
    md += ["## Slices", ""]
    md += _table(
        ["slice", "docs", "bytes", "chars", "source"],
        [
            [s.name, str(s.ndocs), str(s.nbytes), str(s.nchars), s.source]
            for s in table.slices.values()
        ],
        left=(0, 4),
    )
    issues = problems(table)
    if issues:
        md += ["", "## Problems", ""] + [f"- {p}" for p in issues]
    return "\n".join(md).rstrip() + "\n"
