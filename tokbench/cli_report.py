"""`tokbench report`: the per-language token premium and cost report of a parallel corpus."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from .cli_pricing import add_fx_arguments, fx_rate
from .formats.bundle import read_meta
from .registry import DATA_DIR, get_encoding, list_encoding_names

DEFAULT_ENCODINGS = "o200k_base,cl100k_base,llama3,qwen3,deepseek_v3"
DEFAULT_MODELS = "gpt-4o,claude-sonnet-4-5,deepseek-chat,alibaba-intl/qwen-plus"


class _LanguageProgress:
    """`[ 120/532] counted cmn_hans` on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, code: str, done: int, total: int) -> None:
        if self.enabled:
            width = len(str(total))
            sys.stderr.write(f"\r[{done:{width}d}/{total}] languages counted ({code:<16.16s})")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()


# Fields of a bundled encoding's description that do not change what `count` returns.
_NOT_COUNTED = {"name", "added", "info", "extra_decode", "explicit_n_vocab", "format_version"}


def distinct_encodings(names: list[str]) -> list[str]:
    """Drops aliases that count exactly like another listed encoding (gpt2 = r50k_base,
    p50k_edit = p50k_base, o200k_harmony = o200k_base without special tokens), keeping the
    one named like its vocabulary."""
    chosen: dict[str, str] = {}
    for name in names:
        path = DATA_DIR / "encodings" / f"{name}.json"
        if not path.is_file():
            chosen[name] = name
            continue
        d = read_meta(path)
        key = json.dumps({k: v for k, v in d.items() if k not in _NOT_COUNTED}, sort_keys=True)
        if key not in chosen or name == d.get("vocab"):
            chosen[key] = name
    return sorted(chosen.values())


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()]


def _timestamp(value: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        msg = f"not an ISO-8601 time: {value!r}"
        raise argparse.ArgumentTypeError(msg) from e
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--corpus",
        required=True,
        help="a UDHR jsonl file or folder (corpora/udhr), or a folder of <lang>.<split> files",
    )
    p.add_argument(
        "--encodings",
        default=DEFAULT_ENCODINGS,
        help=f"comma-separated bundled encodings, or 'all' (default {DEFAULT_ENCODINGS})",
    )
    p.add_argument(
        "--models",
        default=DEFAULT_MODELS,
        help=f"comma-separated provider API model ids ('' for none; default {DEFAULT_MODELS})",
    )
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument(
        "--at",
        type=_timestamp,
        default=None,
        help="ISO-8601 time the prices apply at (no offset = UTC; default now)",
    )
    p.add_argument(
        "--output-ratio",
        type=float,
        default=0.25,
        help="output tokens assumed per input token for the cost (default 0.25)",
    )
    p.add_argument("--currency", default="USD", help="currency of every cost (default USD)")
    add_fx_arguments(p)  # prices in another currency (CNY) need a rate: none is bundled
    p.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    from .report import build_report  # imports pricing and plotting only when asked

    encodings = _names(args.encodings)
    if encodings == ["all"]:
        exact = [n for n in list_encoding_names() if getattr(get_encoding(n), "exact", True)]
        encodings = distinct_encodings(exact)
    if args.output_ratio < 0:
        sys.stderr.write("tokbench: error: --output-ratio must be >= 0\n")
        return 2
    report = build_report(
        args.corpus,
        encodings,
        _names(args.models),
        args.out,
        at=args.at,
        output_ratio=args.output_ratio,
        currency=args.currency,
        fx=fx_rate(args),
        num_threads=args.threads,
        on_language=_LanguageProgress(enabled=not args.quiet),
    )
    figures = "" if report.figures else " (no figures: install matplotlib, the report extra)"
    sys.stdout.write(
        f"wrote {report.out}/summary.md, index.html and the tables for "
        f"{report.meta['languages']} languages x {len(report.meta['encodings'])} encodings"
        f"{figures}\n"
    )
    return 0
