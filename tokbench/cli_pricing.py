"""`tokbench estimate` and `tokbench prices`: the price book on the command line.

tokbench estimate --model MODEL (--text TEXT | --file PATH | --messages JSON
                  | --input-tokens N)
                  [--output-tokens N] [--cached-tokens N] [--at ISO-8601]
                  [--tier batch|flex|priority] [--currency USD|CNY] --format json
tokbench prices [--provider P] [--at ISO-8601]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .energy.of_estimate import energy_of_estimate
from .errors import TokbenchError
from .pricing import Book, FxRate, estimate_cost, load_book, offers_at
from .pricing.result import money
from .pricing.schedule import as_utc


class CliInputError(TokbenchError, ValueError):
    """A command-line value that cannot be used (bad date, bad number, unreadable file)."""


def parse_time(text: str | None) -> dt.datetime:
    """ISO-8601; without an offset it is UTC; None is now."""
    if text is None:
        return dt.datetime.now(dt.timezone.utc)
    try:
        return as_utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError as e:
        msg = f"--at {text!r} is not an ISO-8601 time (e.g. 2026-11-29T08:30:00+08:00)"
        raise CliInputError(msg) from e


def _book(args: argparse.Namespace) -> Book:
    return load_book(args.price_book)


def add_fx_arguments(p: argparse.ArgumentParser) -> None:
    """--fx-rate, --fx-pair, --fx-as-of, --fx-source (read back with fx_rate(args))."""
    p.add_argument("--fx-rate", default=None, help="exchange rate: 1 USD = RATE CURRENCY")
    p.add_argument(
        "--fx-pair",
        default=None,
        help="BASE/QUOTE of --fx-rate (default USD/--currency, or USD/CNY)",
    )
    p.add_argument("--fx-as-of", default=None, help="date of --fx-rate (YYYY-MM-DD)")
    p.add_argument("--fx-source", default=None, help="who published --fx-rate")


def fx_rate(args: argparse.Namespace) -> FxRate | None:
    if args.fx_rate is None:
        return None
    if not (args.fx_as_of and args.fx_source and args.currency):
        msg = "--fx-rate needs --fx-as-of DATE, --fx-source TEXT and --currency"
        raise CliInputError(msg)
    # --fx-rate is "1 USD = RATE X"; X is --currency, or CNY (the book's other currency)
    # when converting into USD.
    default_pair = f"USD/{args.currency}" if args.currency != "USD" else "USD/CNY"
    base, _, quote = (args.fx_pair or default_pair).partition("/")
    try:
        return FxRate(
            base=base,  # type: ignore[arg-type]
            quote=quote,  # type: ignore[arg-type]
            rate=Decimal(args.fx_rate),
            as_of=dt.date.fromisoformat(args.fx_as_of),
            source=args.fx_source,
        )
    except (ValueError, InvalidOperation) as e:
        msg = f"bad exchange rate options: {e}"
        raise CliInputError(msg) from e


def _text(args: argparse.Namespace) -> str | None:
    if args.text is not None:
        return str(args.text)
    if args.file is not None:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            msg = f"cannot read --file {args.file}: {e}"
            raise CliInputError(msg) from e
    return None


def _messages(args: argparse.Namespace) -> list[dict[str, str]] | None:
    if args.messages is None:
        return None
    try:
        data = json.loads(Path(args.messages).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        msg = f"cannot read --messages {args.messages}: {e}"
        raise CliInputError(msg) from e
    if not isinstance(data, list) or not all(isinstance(m, dict) for m in data):
        msg = f"--messages {args.messages}: expected a JSON list of {{role, content}} objects"
        raise CliInputError(msg)
    return data


def _short(d: Decimal) -> str:
    """At most 10 decimals for the table (the JSON keeps every digit)."""
    exp = d.as_tuple().exponent
    return money(d.quantize(Decimal("1e-10")) if isinstance(exp, int) and exp < -10 else d)


def _range(r: object) -> str:
    """'central (low..high)' of a Range's to_dict()."""
    v = r if isinstance(r, dict) else {}
    return f"{v.get('central', 0):.3g} ({v.get('low', 0):.3g}..{v.get('high', 0):.3g})"


def _cmd_estimate(args: argparse.Namespace) -> int:
    try:
        est = estimate_cost(
            args.model,
            text=_text(args),
            messages=_messages(args),
            input_tokens=args.input_tokens,
            cache_read_tokens=args.cached_tokens,
            cache_write_tokens=args.cache_write_tokens,
            cache_write_1h_tokens=args.cache_write_1h_tokens,
            output_tokens=args.output_tokens,
            reasoning_tokens=args.reasoning_tokens,
            at=parse_time(args.at),
            service_tier=args.tier,
            region=args.region,
            thinking=args.thinking,
            currency=args.currency,
            fx=fx_rate(args),
            provider=args.provider,
            book=_book(args),
            stale_after_days=args.stale_after_days,
        )
    except ValueError as e:
        if isinstance(e, TokbenchError):
            raise
        raise CliInputError(str(e)) from e
    energy, why_not = energy_of_estimate(est, region=args.grid_region, hardware=args.hardware)
    if args.format == "json":
        out = est.to_dict()
        out["energy"] = energy
        if why_not:
            out["warnings"].append(why_not)
        sys.stdout.write(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
        return 0
    lines = [f"{est.model} at {est.at.isoformat()} ({'exact' if est.exact else 'ESTIMATE'})"]
    for i in est.items:
        lines.append(
            f"  {i.component:16s} {i.tokens:>10d} x {_short(i.unit_price):>12s}/M = "
            f"{_short(i.amount):>14s} {i.currency}  [{i.rule}]"
        )
    rng = "" if est.exact else f" (range {_short(est.total_low)}..{_short(est.total_high)})"
    lines.append(f"  total {_short(est.total)} {est.currency}{rng}")
    if energy is not None:
        lines.append(f"  energy {_range(energy['wh'])} Wh, {_range(energy['gco2e'])} gCO2e")
    lines += [f"  warning: {w}" for w in [*est.warnings, *([why_not] if why_not else [])]]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _cmd_prices(args: argparse.Namespace) -> int:
    at = parse_time(args.at)
    offers = offers_at(_book(args), at, args.provider)
    if args.format == "json":
        data = [o.model_dump(mode="json", exclude_defaults=True) for o in offers]
        for d, o in zip(data, offers, strict=True):
            d["id"] = o.id
        sys.stdout.write(json.dumps({"at": at.isoformat(), "offers": data}, indent=1) + "\n")
        return 0
    head = ("id", "cur", "window", "tier", "input", "cache_rd", "cache_wr", "output", "tokenizer")
    rows: list[tuple[str, ...]] = [head]
    for o in offers:
        tok = o.tokenizer or f"~{o.closed_family}"
        for r in o.rates:
            tier = f"{r.above}-{r.up_to or ''}" if o.tier_rule.kind != "none" else ""
            cells = (r.input, r.cache_read, r.cache_write_5m, r.output)
            prices = tuple("" if p is None else money(p) for p in cells)
            rows.append((o.id, r.currency, r.window or "", tier, *prices, tok))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    note = "prices per 1M tokens; ~family = estimated with a proxy tokenizer"
    sys.stdout.write("\n".join(out) + f"\n({len(offers)} offers at {at.isoformat()}; {note})\n")
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", default=None, help="ISO-8601 time (no offset = UTC; default now)")
    p.add_argument("--provider", default=None, help="only this provider id (e.g. alibaba-cn)")
    p.add_argument("--price-book", default=None, help="your own price book (JSON/TOML)")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `estimate` and `prices` on the tokbench command line."""
    est = sub.add_parser("estimate", help="price one request (itemised, sourced)")
    est.add_argument("--model", required=True, help="API id, e.g. gpt-4o or alibaba-cn/qwen-plus")
    src = est.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help="prompt text, counted with the model's tokenizer")
    src.add_argument("--file", help="UTF-8 file holding the prompt text")
    src.add_argument("--messages", help="JSON file: a chat request's [{role, content}, ...]")
    src.add_argument("--input-tokens", type=int, help="uncached input tokens")
    est.add_argument("--output-tokens", type=int, default=0)
    est.add_argument("--reasoning-tokens", type=int, default=0, help="billed as output by default")
    est.add_argument(
        "--cached-tokens", type=int, default=0, help="cache-read tokens, on top of the input"
    )
    est.add_argument("--cache-write-tokens", type=int, default=0, help="5-minute cache writes")
    est.add_argument("--cache-write-1h-tokens", type=int, default=0, help="1-hour cache writes")
    est.add_argument("--tier", choices=["batch", "flex", "priority"], default=None)
    est.add_argument("--region", default=None, help="regional price, e.g. us (Anthropic)")
    est.add_argument(
        "--thinking", action="store_true", help="thinking mode on (Qwen: its own output price)"
    )
    est.add_argument("--currency", default=None, help="USD, CNY, EUR (default: the offer's own)")
    add_fx_arguments(est)
    est.add_argument(
        "--grid-region",
        default=None,
        help="electricity grid for the energy block (US, CN, FR, ...; default: the provider's)",
    )
    est.add_argument("--hardware", default=None, help="accelerator profile (default h100)")
    est.add_argument("--stale-after-days", type=int, default=90)
    est.add_argument("--format", choices=["json", "table"], default="json")
    _common(est)
    est.set_defaults(func=_cmd_estimate)
    prices = sub.add_parser("prices", help="list the offers in force at a time")
    prices.add_argument("--format", choices=["table", "json"], default="table")
    _common(prices)
    prices.set_defaults(func=_cmd_prices)
