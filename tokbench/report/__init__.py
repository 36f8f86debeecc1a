"""The language cost study: the same content in many languages, counted with many
tokenizers, turned into token premiums, money, energy and figures.

    report = build_report("corpora/udhr", ["o200k_base", "llama3"], ["gpt-4o"], "out/")

writes premium.csv, ratios.csv, costs.csv, cheapest.csv, report.json, summary.md, index.html
and figures/*.svg (when matplotlib is installed) into the output folder. Metric definitions:
tokbench/report/metrics.py and the README's "Language cost report" section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._core import __version__
from ..pricing import FxRate, bundled_book
from ..registry import get_encoding
from . import plots
from .metrics import Cell, cells, count_corpus_units
from .money import LangCost, cheapest_per_language, lang_costs, pricings
from .parallel import ParallelCorpus, read_parallel
from .write import (
    cost_rows,
    html_page,
    premium_rows,
    ratio_rows,
    summary_markdown,
    write_csv,
    write_json,
)


@dataclass
class Report:
    corpus: ParallelCorpus
    cells: list[Cell]
    costs: list[LangCost]
    meta: dict[str, Any]
    out: Path
    figures: list[str]


def build_report(
    corpus: str | Path,
    encodings: Sequence[str],
    models: Sequence[str],
    out: str | Path,
    *,
    at: dt.datetime | None = None,
    output_ratio: float = 0.25,
    currency: str = "USD",
    fx: FxRate | None = None,
    num_threads: int | None = None,
    on_language: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Counts `corpus` with `encodings`, prices it for `models` and writes the report to `out`.

    Args:
        corpus: a UDHR jsonl file or folder, or a folder of `<lang>.<split>` files (FLORES).
        encodings: bundled encoding names; the models' own tokenizers are added.
        models: provider API model ids ("gpt-4o", "deepseek-chat"); may be empty.
        at: when the prices apply (naive = UTC; default now). The same `at` and input give
            byte-identical files.
        output_ratio: output tokens per input token assumed for the cost.
        currency: every cost in this currency; offers priced only in another currency need
            `fx` (tokbench bundles no exchange rate: it has none with a source and date).
        on_language: called as (code, done, total) after each language is counted.
    """
    at = at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    parallel = read_parallel(corpus)
    prices = pricings(models, at)
    names = list(dict.fromkeys([*encodings, *(p.encoding for p in prices)]))
    encs = [get_encoding(n) for n in names]
    total = len(parallel.languages)
    done = 0

    def step(code: str) -> None:
        nonlocal done
        done += 1
        if on_language is not None:
            on_language(code, done, total)

    counts = count_corpus_units(parallel, encs, num_threads=num_threads, on_language=step)
    table = cells(counts)
    costs = lang_costs(
        parallel, table, prices, at=at, output_ratio=output_ratio, currency=currency, fx=fx
    )
    cheapest = cheapest_per_language(costs)
    meta: dict[str, Any] = {
        "tokbench": __version__,
        "corpus": str(corpus),
        "layout": parallel.layout,
        "languages": total,
        "english": parallel.english,
        "encodings": names,
        "models": [p.offer.id for p in prices],
        "at": at.isoformat(),
        "output_ratio": output_ratio,
        "currency": currency,
        "fx": None if fx is None else fx.model_dump(mode="json"),
        "price_book": bundled_book().book_version,
    }
    dest = Path(out)
    (dest / "figures").mkdir(parents=True, exist_ok=True)
    write_csv(dest / "premium.csv", premium_rows(parallel, table))
    write_csv(dest / "ratios.csv", ratio_rows(table, names[0]))
    crows = cost_rows(costs)
    write_csv(dest / "costs.csv", crows)
    write_csv(
        dest / "cheapest.csv",
        [
            {"lang": c.lang, "model": c.model, "currency": c.currency, "cost": f"{c.cost:.6f}"}
            for c in cheapest.values()
        ],
    )
    write_json(
        dest / "report.json",
        {"meta": meta, "premium": premium_rows(parallel, table), "costs": crows},
    )
    langs = plots.featured(parallel, table, names[0])
    figures: list[str] = []
    if plots.have_matplotlib():
        plots.heatmap(table, langs, names, dest / "figures" / "premium_heatmap.svg")
        figures.append("premium_heatmap.svg")
        if prices:
            plots.cost_bars(
                costs, langs, prices[0].offer.id, dest / "figures" / "cost_by_language.svg"
            )
            figures.append("cost_by_language.svg")
        plots.premium_by_script(
            parallel, table, names[0], dest / "figures" / "premium_by_script.svg"
        )
        figures.append("premium_by_script.svg")
    summary = summary_markdown(meta, table, langs, costs, cheapest, figures)
    (dest / "summary.md").write_text(summary, encoding="utf-8")
    (dest / "index.html").write_text(
        html_page("tokbench: token premium by language", summary, figures), encoding="utf-8"
    )
    return Report(parallel, table, costs, meta, dest, figures)
