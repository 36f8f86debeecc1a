"""Writing the report: CSV and JSON tables, a Markdown summary and one static HTML page.

Numbers are written with fixed precision and rows in a fixed order, so the same input gives
byte-identical files."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .metrics import Cell
from .money import LangCost
from .parallel import ParallelCorpus


def _f(x: float | None, digits: int = 4) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _money(d: Decimal) -> str:
    return f"{d:.6f}"


def premium_rows(corpus: ParallelCorpus, cells: Sequence[Cell]) -> list[dict[str, str]]:
    rows = []
    for c in cells:
        lang = corpus.languages[c.lang]
        rows.append(
            {
                "lang": c.lang,
                "name": lang.name,
                "script": lang.script,
                "encoding": c.encoding,
                "tokens": str(c.tokens),
                "chars": str(c.chars),
                "bytes": str(c.bytes),
                "words": "" if c.words is None else str(c.words),
                "tokens_per_1k_chars": _f(c.tokens_per_1k_chars, 2),
                "bytes_per_token": _f(c.bytes_per_token, 3),
                "tokens_per_word": _f(c.tokens_per_word, 3),
                "common_units": str(c.common_units),
                "premium_vs_eng": _f(c.premium_vs_eng),
                "premium_median": _f(c.premium_median),
                "premium_p90": _f(c.premium_p90),
            }
        )
    return rows


def ratio_rows(cells: Sequence[Cell], baseline: str) -> list[dict[str, str]]:
    """tokens(encoding) / tokens(baseline) per language: below 1 means fewer tokens."""
    base = {c.lang: c.tokens for c in cells if c.encoding == baseline}
    return [
        {
            "lang": c.lang,
            "baseline": baseline,
            "encoding": c.encoding,
            "ratio": _f(c.tokens / base[c.lang] if base.get(c.lang) else None),
        }
        for c in cells
        if c.encoding != baseline
    ]


def cost_rows(costs: Sequence[LangCost]) -> list[dict[str, str]]:
    rows = []
    for c in costs:
        rows.append(
            {
                "lang": c.lang,
                "model": c.model,
                "encoding": c.encoding,
                "exact": "true" if c.exact else "false",
                "input_tokens": str(c.input_tokens),
                "output_tokens": str(c.output_tokens),
                "currency": c.currency,
                "cost_per_1m_eng_chars": _money(c.cost),
                "cost_low": _money(c.cost_low),
                "cost_high": _money(c.cost_high),
                "wh_per_1m_eng_chars": _f(c.wh, 3),
                "gco2e_per_1m_eng_chars": _f(c.gco2e, 3),
            }
        )
    return rows


def write_csv(path: Path, rows: Sequence[dict[str, str]]) -> None:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def summary_markdown(
    meta: dict[str, Any],
    cells: Sequence[Cell],
    langs: Sequence[str],
    costs: Sequence[LangCost],
    cheapest: dict[str, LangCost],
    figures: Sequence[str],
) -> str:
    encodings: list[str] = meta["encodings"]
    value = {(c.lang, c.encoding): c.premium_vs_eng for c in cells}
    lines = [
        "# Token premium by language",
        "",
        f"Corpus: `{meta['corpus']}` ({meta['languages']} languages, English = "
        f"`{meta['english']}`). Premium = tokens of the language / tokens of English over the "
        "same content (1.00 = English; higher = the language pays more).",
        "",
        _md_table(
            ["lang", *encodings],
            [[lang, *(_f(value.get((lang, e)), 2) for e in encodings)] for lang in langs],
        ),
    ]
    if costs:
        models = list(dict.fromkeys(c.model for c in costs))
        cost = {(c.lang, c.model): c for c in costs}
        lines += [
            "",
            "## Cost of the same content",
            "",
            f"Per content whose English version has 1M characters: input, plus "
            f"{meta['output_ratio']} x as many output tokens, prices in force at {meta['at']} "
            f"(price book {meta['price_book']}). `~` marks estimates (closed tokenizers).",
            "",
            _md_table(
                ["lang", *models, "cheapest"],
                [
                    [
                        lang,
                        *(
                            ("" if cost[(lang, m)].exact else "~")
                            + f"{cost[(lang, m)].cost:.2f} {cost[(lang, m)].currency}"
                            for m in models
                            if (lang, m) in cost
                        ),
                        cheapest[lang].model if lang in cheapest else "",
                    ]
                    for lang in langs
                ],
            ),
        ]
    if figures:
        lines += ["", "## Figures", ""] + [f"![{f}](figures/{f})" for f in figures]
    lines += [
        "",
        "Full tables: `premium.csv`, `ratios.csv`, `costs.csv`, `cheapest.csv`, `report.json`.",
        "",
    ]
    return "\n".join(lines)


def html_page(title: str, markdown_tables: str, figures: Sequence[str]) -> str:
    """A self-contained page: the summary tables (pre-rendered) and the figures."""
    body = []
    for block in markdown_tables.split("\n\n"):
        if block.startswith("|"):
            rows = [
                r.strip("|").split(" | ") for r in block.splitlines() if not r.startswith("|---")
            ]
            head, *rest = rows
            body.append(
                "<table><thead><tr>"
                + "".join(f"<th>{html.escape(h.strip())}</th>" for h in head)
                + "</tr></thead><tbody>"
                + "".join(
                    "<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r) + "</tr>"
                    for r in rest
                )
                + "</tbody></table>"
            )
        elif block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            body.append(f"<h{level}>{html.escape(block.lstrip('#').strip())}</h{level}>")
        elif not block.startswith("!["):
            body.append(f"<p>{html.escape(block)}</p>")
    body += [f'<figure><img src="figures/{f}" alt="{f}"></figure>' for f in figures]
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;"
        "padding:2px 6px;text-align:right}td:first-child{text-align:left}img{max-width:100%}"
    )
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
