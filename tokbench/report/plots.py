"""The report's figures, as SVG files that are byte-identical for the same input.

matplotlib is the optional `report` extra: without it the report still writes its tables and
says that the figures were skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .metrics import Cell
from .money import LangCost
from .parallel import ParallelCorpus

# Widely spoken languages shown in the heatmap and bar chart when the corpus has too many
# languages to show all (ISO 639-3; FLORES and UDHR codes start with these).
MAJOR = (
    "eng", "cmn", "zho", "spa", "hin", "arb", "ben", "por", "rus", "jpn", "fra", "deu",
    "kor", "tur", "vie", "ind", "tha", "swh", "amh", "yor", "pes", "urd", "tam", "tel",
)  # fmt: skip
MAX_ROWS = 40


def have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def featured(corpus: ParallelCorpus, cells: Sequence[Cell], encoding: str) -> list[str]:
    """All languages if they fit; else English, the major languages present, and the ones
    with the highest premium under `encoding`, up to MAX_ROWS."""
    codes = list(corpus.languages)
    if len(codes) <= MAX_ROWS:
        return codes
    chosen: list[str] = [corpus.english]
    for iso in MAJOR:
        match = next((c for c in codes if c.split("_")[0] == iso and c not in chosen), None)
        if match is not None:
            chosen.append(match)
    premium = {c.lang: c.premium_vs_eng or 0.0 for c in cells if c.encoding == encoding}
    for code in sorted(codes, key=lambda c: (-premium.get(c, 0.0), c)):
        if len(chosen) >= MAX_ROWS:
            break
        if code not in chosen:
            chosen.append(code)
    return chosen


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "tokbench", "font.family": "DejaVu Sans", "font.size": 8})
    return plt


def _save(fig: Any, path: Path) -> None:
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "tokbench"})
    import matplotlib.pyplot as plt

    plt.close(fig)


def heatmap(
    cells: Sequence[Cell], langs: Sequence[str], encodings: Sequence[str], path: Path
) -> None:
    plt = _pyplot()
    value = {(c.lang, c.encoding): c.premium_vs_eng for c in cells}
    rows = sorted(
        langs,
        key=lambda lang: sum((value.get((lang, e)) or 0.0) for e in encodings),
        reverse=True,
    )
    grid = [[value.get((r, e)) or 0.0 for e in encodings] for r in rows]
    fig, ax = plt.subplots(figsize=(1.2 + 0.75 * len(encodings), 1.0 + 0.22 * len(rows)))
    im = ax.imshow(grid, aspect="auto", cmap="magma_r", vmin=0.5)
    ax.set_xticks(range(len(encodings)), encodings, rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=6,
                color="white" if v > 3 else "black",
            )
    ax.set_title("Token premium vs English (tokens / English tokens, same content)")
    fig.colorbar(im, ax=ax, shrink=0.5)
    fig.tight_layout()
    _save(fig, path)


def cost_bars(costs: Sequence[LangCost], langs: Sequence[str], model: str, path: Path) -> None:
    plt = _pyplot()
    mine = {c.lang: c for c in costs if c.model == model and c.lang in set(langs)}
    rows = sorted(mine.values(), key=lambda c: (c.cost, c.lang))
    currency = rows[0].currency if rows else ""
    fig, ax = plt.subplots(figsize=(7, 1.0 + 0.22 * len(rows)))
    ax.barh([c.lang for c in rows], [float(c.cost) for c in rows], color="#3b6ea5")
    if rows and not rows[0].exact:
        lows = [float(c.cost - c.cost_low) for c in rows]
        highs = [float(c.cost_high - c.cost) for c in rows]
        ax.errorbar(
            [float(c.cost) for c in rows],
            range(len(rows)),
            xerr=[lows, highs],
            fmt="none",
            ecolor="black",
            elinewidth=0.6,
        )
    ax.set_xlabel(f"{currency} per content of 1M English characters (input + output)")
    ax.set_title(f"Cost of the same content by language: {model}")
    fig.tight_layout()
    _save(fig, path)


def _jitter(code: str) -> float:
    # Deterministic horizontal spread (no random state, so the file is reproducible).
    return (hashlib.sha256(code.encode()).digest()[0] / 255.0 - 0.5) * 0.6


def premium_by_script(
    corpus: ParallelCorpus, cells: Sequence[Cell], encoding: str, path: Path
) -> None:
    plt = _pyplot()
    points = [
        (corpus.languages[c.lang].script or "?", c.lang, c.premium_vs_eng)
        for c in cells
        if c.encoding == encoding and c.premium_vs_eng is not None
    ]
    by_script: dict[str, list[float]] = {}
    for script, _, p in points:
        by_script.setdefault(script, []).append(p)
    order = sorted(by_script, key=lambda s: (sorted(by_script[s])[len(by_script[s]) // 2], s))
    x = {s: i for i, s in enumerate(order)}
    fig, ax = plt.subplots(figsize=(max(6.0, 0.3 * len(order)), 4))
    ax.scatter(
        [x[s] + _jitter(code) for s, code, _ in points],
        [p for *_, p in points],
        s=8,
        alpha=0.7,
        color="#a5473b",
    )
    ax.axhline(1.0, color="grey", linewidth=0.6)
    ax.set_xticks(range(len(order)), order, rotation=90)
    ax.set_ylabel("premium vs English")
    ax.set_title(f"Token premium by script ({encoding}), one dot per language")
    fig.tight_layout()
    _save(fig, path)
