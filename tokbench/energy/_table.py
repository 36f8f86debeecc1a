"""Reading the CSV tables of tokbench/data/energy, with errors that name file, line and field."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import EnergyDataError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "energy"


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV row and where it came from, so that a bad field can be reported precisely."""

    fields: dict[str, str]
    path: Path
    line: int

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.fields.get(field)
        if value is None:
            msg = f"{self.path.name}: column {field!r} is missing (line {self.line})"
            raise EnergyDataError(msg)
        value = value.strip()
        if required and not value:
            msg = f"{self.path.name} line {self.line}: field {field!r} is empty; it is required"
            raise EnergyDataError(msg)
        return value

    def number(self, field: str) -> float:
        raw = self.text(field)
        try:
            value = float(raw)
        except ValueError:
            msg = f"{self.path.name} line {self.line}: field {field!r} is {raw!r}, not a number"
            raise EnergyDataError(msg) from None
        if not value >= 0.0 or value == float("inf"):
            msg = f"{self.path.name} line {self.line}: field {field!r} must be finite and >= 0"
            raise EnergyDataError(msg)
        return value

    def optional_number(self, field: str) -> float | None:
        return self.number(field) if self.text(field, required=False) else None

    def words(self, field: str) -> tuple[str, ...]:
        return tuple(self.text(field, required=False).lower().split())


def read_table(name: str, directory: Path = DATA_DIR) -> list[Row]:
    """All rows of one CSV table; line numbers count the header as line 1."""
    path = directory / name
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return [Row(dict(r), path, reader.line_num) for r in reader]
