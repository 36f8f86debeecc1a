"""The tokbench command line.

    tokbench count PATH... [--encodings o200k_base,llama3] [--field text] [--threads N]
                           [--format table|csv|json]
    tokbench encodings
    tokbench estimate --model MODEL (--text T | --file P | --input-tokens N) [...]
    tokbench prices [--provider P] [--at ISO-8601]
    tokbench serve [--host H] [--port P] [--workers N] [--log-level L]

Exit status: 0 success, 1 bad input (unreadable corpus, unknown encoding), 2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Sequence

from . import cli_pricing, cli_report
from .corpus import CorpusError, read_documents
from .counting import LangTotals, count_documents
from .errors import TokbenchError
from .registry import get_encoding, list_encoding_names
from .service import command as service_command

DEFAULT_ENCODINGS = "o200k_base,cl100k_base,llama3,qwen3,deepseek_v3"


class _Progress:
    """A one-line progress report on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.done = 0

    def __call__(self, nbytes: int) -> None:
        self.done += nbytes
        if self.enabled:
            rate = self.done / max(time.perf_counter() - self.start, 1e-9) / 1e6
            sys.stderr.write(f"\r{self.done / 1e6:8.1f} MB counted, {rate:6.1f} MB/s")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _rows(totals: dict[str, LangTotals], names: Sequence[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for lang in sorted(totals):
        t = totals[lang]
        row: dict[str, object] = {"lang": lang, "docs": t.docs, "chars": t.chars, "bytes": t.nbytes}
        for n in names:
            row[n] = t.tokens[n]
        rows.append(row)
    return rows


def _table(rows: list[dict[str, object]], names: Sequence[str]) -> str:
    header = ["lang", "docs", "chars", *names]
    lines = [header] + [[str(r[h]) for h in header] for r in rows]
    total = ["TOTAL", *(str(sum(int(str(r[h])) for r in rows)) for h in header[1:])]
    lines.append(total)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells))
        if k == 0 or k == len(lines) - 2:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _cmd_count(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.encodings.split(",") if n.strip()]
    if names == ["all"]:
        names = list_encoding_names()
    encodings = [get_encoding(n) for n in names]
    progress = _Progress(enabled=not args.quiet)
    docs = read_documents(args.paths, field=args.field, lang=args.lang)
    try:
        totals = count_documents(docs, encodings, num_threads=args.threads, on_batch=progress)
    finally:
        progress.close()
    rows = _rows(totals, names)
    if args.format == "json":
        sys.stdout.write(json.dumps({"encodings": names, "languages": rows}, indent=1) + "\n")
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["lang", "docs", "chars", "bytes", *names])
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(_table(rows, names) + "\n")
    return 0


def _cmd_encodings(args: argparse.Namespace) -> int:
    for name in list_encoding_names():
        enc = get_encoding(name)
        used_by = str(enc.info.get("used_by", ""))
        sys.stdout.write(f"{name:16s} n_vocab={enc.n_vocab:<7d} {enc.path:9s} {used_by[:70]}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tokbench", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    count = sub.add_parser("count", help="count the tokens of a corpus, per language")
    count.add_argument("paths", nargs="+", help="files or directories (.txt, .jsonl, .gz, .xz)")
    count.add_argument(
        "--encodings",
        default=DEFAULT_ENCODINGS,
        help=f"comma-separated (default {DEFAULT_ENCODINGS}; 'all')",
    )
    count.add_argument(
        "--field", default=None, help="JSON Lines field holding the text (default: text)"
    )
    count.add_argument(
        "--lang", default=None, help="language of every document (default: from file names)"
    )
    count.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    count.add_argument("--format", choices=["table", "csv", "json"], default="table")
    count.add_argument("--quiet", action="store_true", help="no progress on stderr")
    count.set_defaults(func=_cmd_count)
    encs = sub.add_parser("encodings", help="list the bundled encodings")
    encs.set_defaults(func=_cmd_encodings)
    cli_pricing.add_commands(sub)
    report = sub.add_parser(
        "report", help="per-language token premium, cost and energy report of a parallel corpus"
    )
    cli_report.add_arguments(report)
    report.set_defaults(func=cli_report.run)
    serve = sub.add_parser("serve", help="run the HTTP service (needs the service extra)")
    service_command.add_arguments(serve)
    serve.set_defaults(func=service_command.serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (CorpusError, TokbenchError, OSError) as e:
        sys.stderr.write(f"tokbench: error: {e}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("tokbench: interrupted\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
