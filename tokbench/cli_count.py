"""`tokbench count`: token counts of a corpus per language (or per file), for several
encodings in one pass.

Exit status: 0 ok, 1 bad input (unreadable or invalid file, missing field, unknown encoding,
missing optional package), 2 usage (options that do not go together), 130 interrupted
(Ctrl-C; the partial totals are printed, marked incomplete).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

from .corpus_errors import UsageError
from .corpus_result import CorpusCounts, Totals
from .counting import CountInterrupted, count_corpus
from .reading.inputs import FORMATS
from .registry import list_encoding_names

DEFAULT_ENCODINGS = "o200k_base,cl100k_base,llama3,qwen3,deepseek_v3"


def add_arguments(count: argparse.ArgumentParser) -> None:
    count.add_argument(
        "paths",
        nargs="+",
        help="files, directories, globs, or - for standard input "
        "(.txt/.dev/.jsonl/.csv/.tsv/.parquet; .gz/.xz/.bz2/.zst)",
    )
    count.add_argument(
        "--encodings",
        default=DEFAULT_ENCODINGS,
        help=f"comma-separated (default {DEFAULT_ENCODINGS}; 'all')",
    )
    count.add_argument(
        "--field", default=None, help="JSON Lines field / CSV, TSV, Parquet column of the text"
    )
    count.add_argument(
        "--lang", default=None, help="language of every document (default: from file names)"
    )
    count.add_argument(
        "--lang-field", default=None, help="record field / column holding each language"
    )
    count.add_argument(
        "--per-file", action="store_true", help="plain text: one document per file, not per line"
    )
    count.add_argument(
        "--input-format",
        choices=["auto", *FORMATS],
        default="auto",
        help="format of every input (default: by suffix; standard input: text)",
    )
    count.add_argument(
        "--errors",
        choices=["strict", "replace"],
        default="strict",
        help="invalid UTF-8: an error naming file, line and byte offset (strict), or U+FFFD",
    )
    count.add_argument(
        "--skip-missing",
        action="store_true",
        help="skip records without the text field (counted and reported) instead of failing",
    )
    count.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    count.add_argument("--format", choices=["table", "csv", "json"], default="table")
    count.add_argument("--by", choices=["lang", "file"], default="lang", help="rows per ...")
    count.add_argument("--quiet", action="store_true", help="no progress on stderr")
    dask = count.add_mutually_exclusive_group()
    dask.add_argument(
        "--dask-scheduler", metavar="ADDRESS", help="count on a Dask cluster (tcp://host:8786)"
    )
    dask.add_argument(
        "--dask-local", metavar="N", type=int, help="count on a local Dask cluster of N processes"
    )
    count.set_defaults(func=run)


def _rows(result: CorpusCounts, by: str) -> list[dict[str, object]]:
    groups: dict[str, Totals] = result.languages if by == "lang" else result.files
    rows: list[dict[str, object]] = []
    for key, t in groups.items():
        row: dict[str, object] = {by: key, "docs": t.docs, "chars": t.chars, "bytes": t.nbytes}
        row.update({n: t.tokens.get(n, 0) for n in result.encodings})
        row.update(
            {f"{n}_per_1k_chars": round(t.tokens_per_1k_chars(n), 3) for n in result.encodings}
        )
        rows.append(row)
    return rows


def _table(result: CorpusCounts, by: str) -> str:
    names = result.encodings
    header = [by, "docs", "chars", *names]
    groups = result.languages if by == "lang" else result.files

    def cells(key: str, t: Totals) -> list[str]:
        return [key, str(t.docs), str(t.chars), *(str(t.tokens.get(n, 0)) for n in names)]

    lines = [header, *(cells(k, v) for k, v in groups.items()), cells("TOTAL", result.total)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        padded = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(padded))
        if k == 0 or k == len(lines) - 2:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def write_result(result: CorpusCounts, fmt: str, by: str) -> None:
    """The result on stdout as a table, CSV or JSON."""
    rows = _rows(result, by)
    if fmt == "json":
        doc = result.as_dict()
        out = {
            "encodings": result.encodings,
            "complete": result.complete,
            "languages" if by == "lang" else "files": rows,
            "total": doc["total"],
            "skipped": doc["skipped"],
        }
        sys.stdout.write(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        fields = [by, "docs", "chars", "bytes", *result.encodings]
        fields += [f"{n}_per_1k_chars" for n in result.encodings]
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(_table(result, by) + "\n")


def _report_skipped(result: CorpusCounts) -> None:
    if result.skipped:
        sys.stderr.write(f"tokbench: skipped {result.skipped_records} records:\n")
        for s in result.skipped:
            sys.stderr.write(f"  {s.file}: {s.reason}: {s.count} (first at line {s.first_line})\n")


def _encodings(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    return list_encoding_names() if names == ["all"] else names


def _dask_options(args: argparse.Namespace) -> object | None:
    if args.dask_scheduler is None and args.dask_local is None:
        return None
    from .distributed import DaskOptions

    if args.dask_local is not None and args.dask_local < 1:
        msg = "--dask-local needs at least 1 worker"
        raise UsageError(msg)
    return DaskOptions(scheduler=args.dask_scheduler, local_workers=args.dask_local)


def run(args: argparse.Namespace) -> int:
    try:
        if args.threads is not None and args.threads < 1:
            msg = f"--threads must be at least 1, not {args.threads}"
            raise UsageError(msg)
        dask = _dask_options(args)
        result = count_corpus(
            args.paths,
            _encodings(args.encodings),
            field=args.field,
            lang=args.lang,
            lang_field=args.lang_field,
            per_file=args.per_file,
            input_format=args.input_format,
            num_threads=args.threads,
            progress=not args.quiet,
            errors=args.errors,
            skip_missing=args.skip_missing,
            per_document=False,
            dask=dask,  # type: ignore[arg-type]
        )
    except UsageError as e:
        sys.stderr.write(f"tokbench count: error: {e}\n")
        return 2
    except CountInterrupted as e:
        sys.stderr.write("tokbench: interrupted; partial totals of what was counted:\n")
        write_result(e.partial, args.format, args.by)
        _report_skipped(e.partial)
        return 130
    write_result(result, args.format, args.by)
    _report_skipped(result)
    return 0
