"""Load, validate, merge and query price books (the bundled one and the user's own)."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import PriceBookError, UnknownNameError
from .schedule import as_utc
from .schema import Book, Offer

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "pricing" / "prices.json"


class AmbiguousModelError(UnknownNameError):
    """A bare model id that several providers sell: the message lists the provider/ ids."""


def _describe(raw: Any, loc: Sequence[int | str]) -> str:
    """'offers[12] (openai/gpt-4o), field rates[0].input' for a pydantic error location."""
    parts: list[str] = []
    for p in loc:
        parts.append(f"[{p}]" if isinstance(p, int) else (f".{p}" if parts else str(p)))
    where = "".join(parts)
    if len(loc) >= 2 and loc[0] == "offers" and isinstance(loc[1], int):
        try:
            row = raw["offers"][loc[1]]
            name = f"{row.get('provider', '?')}/{row.get('model', '?')}"
        except (KeyError, IndexError, TypeError, AttributeError):
            name = "?"
        field = "".join(parts[2:]).lstrip(".") or "(the row itself)"
        return f"offers[{loc[1]}] ({name}), field {field}"
    return where


def parse_book(raw: Any, origin: str) -> Book:
    """Validate a decoded price book; errors name the row (index and id) and the field."""
    try:
        return Book.model_validate(raw)
    except ValidationError as e:
        lines = [f"  {_describe(raw, err['loc'])}: {err['msg']}" for err in e.errors()[:10]]
        more = f"\n  ... and {e.error_count() - 10} more" if e.error_count() > 10 else ""
        msg = f"Invalid price book {origin}:\n" + "\n".join(lines) + more
        raise PriceBookError(msg) from None


def read_book(path: str | Path) -> Book:
    """A price book file: JSON, or TOML (Python 3.11+), in the bundled book's schema."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        msg = f"Cannot read price book {p}: {e.strerror}"
        raise PriceBookError(msg) from e
    try:
        if p.suffix.lower() == ".toml":
            try:
                import tomllib
            except ImportError:  # Python 3.10
                msg = f"Price book {p}: TOML needs Python 3.11+; write it as JSON instead"
                raise PriceBookError(msg) from None
            raw: Any = tomllib.loads(text)
        else:
            raw = json.loads(text)
    except ValueError as e:  # JSONDecodeError and TOMLDecodeError both are ValueErrors
        msg = f"Price book {p} is not valid {p.suffix.lstrip('.').upper() or 'JSON'}: {e}"
        raise PriceBookError(msg) from e
    return parse_book(raw, str(p))


@functools.lru_cache(maxsize=1)
def bundled_book() -> Book:
    """The price book shipped with tokbench (read once)."""
    return read_book(BUNDLED)


def _key(o: Offer) -> tuple[str, dt.datetime | None]:
    return (o.id, o.valid_from)


def merge_books(base: Book, override: Book) -> Book:
    """`base` with `override`'s offers added; an offer with the same id and valid_from
    replaces the base's. FX rates of the override come first."""
    replaced = {_key(o) for o in override.offers}
    offers = tuple(o for o in base.offers if _key(o) not in replaced) + override.offers
    return base.model_copy(
        update={
            "offers": offers,
            "fx_rates": override.fx_rates + base.fx_rates,
            "book_version": f"{base.book_version}+{override.book_version}",
        }
    )


def load_book(path: str | Path | None = None, *, replace: bool = False) -> Book:
    """The bundled book, extended (or, with replace=True, replaced) by the file at `path`."""
    if path is None:
        return bundled_book()
    user = read_book(path)
    return user if replace else merge_books(bundled_book(), user)


def in_force(offer: Offer, at: dt.datetime) -> bool:
    at = as_utc(at)
    return (offer.valid_from is None or offer.valid_from <= at) and (
        offer.valid_to is None or at < offer.valid_to
    )


def offers_at(book: Book, at: dt.datetime, provider: str | None = None) -> list[Offer]:
    """Offers in force at `at` (optionally of one provider), sorted by id."""
    found = [o for o in book.offers if in_force(o, at) and provider in (None, o.provider)]
    return sorted(found, key=lambda o: o.id)


def _matches(book: Book, name: str, provider: str | None) -> list[Offer]:
    found = [o for o in book.offers if name == o.model or name in o.aliases]
    head, sep, rest = name.partition("/")
    if (sep and not found) or (
        sep and provider is None and any(o.provider == head for o in book.offers)
    ):
        prefixed = [o for o in book.offers if o.provider == head and rest in (o.model, *o.aliases)]
        if prefixed:
            found = prefixed
    return [o for o in found if provider in (None, o.provider)]


def resolve(book: Book, name: str, at: dt.datetime, *, provider: str | None = None) -> Offer:
    """The offer a model id names at `at`.

    `name` is the provider's own API id ("gpt-4o", "qwen-plus"), optionally prefixed with
    tokbench's provider id ("alibaba-cn/qwen-plus").

    Raises:
        UnknownNameError: no offer has that id (the message lists close names), or none of
            its offers is in force at `at` (the message lists their periods).
        AmbiguousModelError: several providers sell that id; pick one with a provider/ prefix.
    """
    found = _matches(book, name, provider)
    if not found:
        names = sorted({o.id for o in book.offers} | {o.model for o in book.offers})
        close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
        hint = f" Close names: {', '.join(close)}." if close else ""
        scope = f" from provider {provider!r}" if provider else ""
        msg = (
            f"Unknown model {name!r}{scope}.{hint} "
            "List the known offers with `tokbench prices` (or tokbench.pricing.offers_at)."
        )
        raise UnknownNameError(msg)
    live = [o for o in found if in_force(o, at)]
    if not live:
        periods = "; ".join(
            f"{o.id}: {o.valid_from or '...'} to {o.valid_to or '...'}" for o in found
        )
        when = as_utc(at).isoformat()
        msg = f"No price for {name!r} in force at {when}. Priced periods: {periods}."
        raise UnknownNameError(msg)
    ids = sorted({o.id for o in live})
    if len(ids) > 1:
        msg = (
            f"Model id {name!r} is sold by several providers: {', '.join(ids)}. "
            "Use one of these provider/ ids (or pass provider=...)."
        )
        raise AmbiguousModelError(msg)
    if len(live) > 1:
        msg = f"Price book has overlapping periods for {ids[0]}: fix valid_from/valid_to."
        raise PriceBookError(msg)
    return live[0]
