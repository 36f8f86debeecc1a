"""The tokbench command line.

    tokbench count PATH... [--encodings o200k_base,llama3] [--field text] [--threads N]
                           [--format table|csv|json] [--lang-field F] [--dask-local N] [...]
    tokbench encodings
    tokbench estimate --model MODEL (--text T | --file P | --input-tokens N) [...]
    tokbench prices [--provider P] [--at ISO-8601]
    tokbench serve [--host H] [--port P] [--workers N] [--log-level L]

Exit status: 0 success, 1 bad input (unreadable corpus, unknown encoding), 2 usage error,
130 interrupted (count prints the partial totals).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import cli_count, cli_pricing, cli_report
from .corpus import CorpusError
from .errors import TokbenchError
from .registry import get_encoding, list_encoding_names
from .service import command as service_command


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
    cli_count.add_arguments(count)
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
