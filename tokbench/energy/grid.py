"""Grid carbon intensity and electricity tariffs by region, each with its source and date."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from ._table import Row, read_table
from .errors import EnergyDataError, UnknownRegionError
from .ranges import Range


@dataclass(frozen=True, slots=True)
class Tariff:
    """Electricity price per kWh in its own currency (never converted here)."""

    per_kwh: Range
    currency: str
    source: str
    as_of: str

    def to_dict(self) -> dict[str, object]:
        return {
            "per_kwh": self.per_kwh.to_dict(),
            "currency": self.currency,
            "source": self.source,
            "as_of": self.as_of,
        }


@dataclass(frozen=True, slots=True)
class Region:
    """A grid: carbon intensity in gCO2e/kWh and, where our sources have one, a tariff."""

    region: str
    name: str
    intensity_g_per_kwh: Range
    intensity_source: str
    intensity_as_of: str
    tariff: Tariff | None
    tariff_note: str

    def to_dict(self) -> dict[str, object]:
        return {
            "region": self.region,
            "name": self.name,
            "intensity_g_per_kwh": self.intensity_g_per_kwh.to_dict(),
            "intensity_source": self.intensity_source,
            "intensity_as_of": self.intensity_as_of,
            "tariff": None if self.tariff is None else self.tariff.to_dict(),
            "tariff_note": self.tariff_note,
        }


def _ordered(row: Row, prefix: str) -> Range:
    r = Range(
        row.number(f"{prefix}_low"), row.number(f"{prefix}_central"), row.number(f"{prefix}_high")
    )
    if not r.low <= r.central <= r.high:
        msg = f"{row.path.name} line {row.line}: {prefix} needs low <= central <= high"
        raise EnergyDataError(msg)
    return r


def _region(row: Row) -> Region:
    tariff = None
    if row.text("tariff_central", required=False):
        tariff = Tariff(
            per_kwh=_ordered(row, "tariff"),
            currency=row.text("tariff_currency"),
            source=row.text("tariff_source"),
            as_of=row.text("tariff_as_of"),
        )
    return Region(
        region=row.text("region").upper(),
        name=row.text("name"),
        intensity_g_per_kwh=_ordered(row, "intensity"),
        intensity_source=row.text("intensity_source"),
        intensity_as_of=row.text("intensity_as_of"),
        tariff=tariff,
        tariff_note="" if tariff else row.text("tariff_source"),
    )


@cache
def _regions() -> tuple[dict[str, Region], dict[str, str]]:
    regions: dict[str, Region] = {}
    names: dict[str, str] = {}
    for row in read_table("regions.csv"):
        region = _region(row)
        regions[region.region] = region
        for name in (
            region.region.lower(),
            region.name.lower().replace(" ", "-"),
            *row.words("aliases"),
        ):
            names[name] = region.region
    return regions, names


def list_regions() -> list[str]:
    """The region codes with grid data (ISO 3166 alpha-2, plus WORLD)."""
    return sorted(_regions()[0])


def region_info(region: str) -> Region:
    """A region by code ("CN", "us") or name ("China", "United Kingdom").

    Raises:
        UnknownRegionError: no grid data for it; the message lists the known regions.

    Example:
        >>> region_info("france").intensity_g_per_kwh.central
        41.44
    """
    regions, names = _regions()
    key = region.strip().lower().replace(" ", "-")
    if key in names:
        return regions[names[key]]
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    msg = f"No grid data for region {region!r}.{hint} Known regions: {', '.join(sorted(regions))}."
    raise UnknownRegionError(msg)
