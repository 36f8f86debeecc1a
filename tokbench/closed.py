"""Tokenizer families whose real tokenizer is not public (or not bundled): the proxy encoding
that stands in for each and the calibration ratio, with its range and basis.

A count made through a proxy is an estimate: real tokens ~= proxy tokens x ratio, with the
real value expected between ratio_low and ratio_high. The table is data
(`data/reference/closed_tokenizers.csv`, sources in the MANIFEST next to it), loaded once.
"""

from __future__ import annotations

import csv
import difflib
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import UnknownNameError

CLOSED_CSV = Path(__file__).resolve().parent / "data" / "reference" / "closed_tokenizers.csv"
# The CSV has no per-row date: all rows come from one snapshot (see the MANIFEST).
CLOSED_AS_OF = "2026-11-29"


@dataclass(frozen=True, slots=True)
class ClosedFamily:
    """One closed tokenizer family and how tokbench estimates its counts.

    Attributes:
        family: short id, e.g. "claude_3_to_4_6".
        models: the models it covers, as prose.
        proxy_encoding: the bundled encoding that counts in its place.
        ratio_central, ratio_low, ratio_high: real tokens per proxy token.
        basis: what the ratio rests on (measurement, vendor statement, assumption).
        source: where the figure comes from ("none" for plain assumptions).
        notes: caveats.
        as_of: date of the snapshot the row comes from (ISO-8601).
    """

    family: str
    models: str
    proxy_encoding: str
    ratio_central: Decimal
    ratio_low: Decimal
    ratio_high: Decimal
    basis: str
    source: str
    notes: str
    as_of: str


_FIELDS = ("family", "models", "proxy_encoding", "ratio_central", "ratio_low", "ratio_high")


def _parse_row(row: dict[str, str], line: int) -> ClosedFamily:
    for field in (*_FIELDS, "basis", "source", "notes"):
        if row.get(field) is None:
            msg = f"{CLOSED_CSV.name} line {line}: missing field {field!r}"
            raise ValueError(msg)
    ratios: list[Decimal] = []
    for field in ("ratio_central", "ratio_low", "ratio_high"):
        try:
            ratios.append(Decimal(row[field]))
        except InvalidOperation as e:
            msg = f"{CLOSED_CSV.name} line {line}: {field}={row[field]!r} is not a number"
            raise ValueError(msg) from e
    central, low, high = ratios
    if not (Decimal(0) < low <= central <= high):
        msg = f"{CLOSED_CSV.name} line {line}: need 0 < ratio_low <= ratio_central <= ratio_high"
        raise ValueError(msg)
    return ClosedFamily(
        family=row["family"],
        models=row["models"],
        proxy_encoding=row["proxy_encoding"],
        ratio_central=central,
        ratio_low=low,
        ratio_high=high,
        basis=row["basis"],
        source=row["source"],
        notes=row["notes"],
        as_of=CLOSED_AS_OF,
    )


@functools.lru_cache(maxsize=1)
def _load() -> dict[str, ClosedFamily]:
    with CLOSED_CSV.open(encoding="utf-8", newline="") as f:
        # line numbers count the header as line 1, so the first row is line 2
        rows = [_parse_row(r, i) for i, r in enumerate(csv.DictReader(f), start=2)]
    return {r.family: r for r in rows}


def closed_families() -> dict[str, ClosedFamily]:
    """All closed tokenizer families, by family id (a fresh dict; the values are immutable).

    >>> closed_families()["claude_3_to_4_6"].proxy_encoding
    'o200k_base'
    """
    return dict(_load())


def closed_family(name: str) -> ClosedFamily:
    """The closed tokenizer family called `name`.

    Raises:
        UnknownNameError (a KeyError): for an unknown name; the message lists close names.

    >>> str(closed_family("grok").ratio_high)
    '1.30'
    """
    families = _load()
    fam = families.get(name)
    if fam is not None:
        return fam
    close = difflib.get_close_matches(str(name), list(families), n=3, cutoff=0.4)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    msg = f"Unknown closed tokenizer family {name!r}.{hint} Known: {', '.join(sorted(families))}."
    raise UnknownNameError(msg)
