"""The bundled energy tables: checked against the reference files and for clear load errors."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from references import SHARED

from tokbench.energy import (
    EnergyDataError,
    list_energy_models,
    list_regions,
    model_size,
    region_info,
)
from tokbench.energy._table import DATA_DIR, read_table
from tokbench.energy.hardware import provider_defaults
from tokbench.energy.params import _size

GRID_CSV = SHARED / "reference" / "grid.csv"
PRICES_CSV = SHARED / "reference" / "prices.csv"


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


@pytest.mark.skipif(not GRID_CSV.exists(), reason="reference grid.csv not present")
def test_regions_match_the_reference_grid_file() -> None:
    grid = _csv(GRID_CSV)
    for code in list_regions():
        region = region_info(code)
        intensities = [
            float(r["value"])
            for r in grid
            if r["region"] == region.name and r["unit"].startswith("gCO2")
        ]
        r = region.intensity_g_per_kwh
        assert (r.low, r.high) == (min(intensities), max(intensities)), code
        assert r.central in intensities, code
        if region.tariff is not None:
            prices = " ".join(
                row["value"]
                for row in grid
                if row["region"].startswith(region.name)
                and ("price" in row["metric"] or "tariff" in row["metric"])
            )
            found = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", prices)}
            t = region.tariff.per_kwh
            assert {t.low, t.central, t.high} <= found, code


@pytest.mark.skipif(not PRICES_CSV.exists(), reason="reference prices.csv not present")
def test_every_priced_model_has_a_size() -> None:
    missing = []
    for row in _csv(PRICES_CSV):
        for model in re.split(r" / ", row["model"].split(" (")[0]):
            if model.startswith("(all models)"):
                continue
            try:
                model_size(model.strip())
            except LookupError:
                missing.append(model)
    assert not missing


def test_default_pue_rows_equal_the_documented_default() -> None:
    unlisted = provider_defaults("some-new-provider")
    for row in read_table("providers.csv"):
        if row.text("pue_source").startswith("default"):
            assert provider_defaults(row.text("provider")).pue == unlisted.pue


def test_every_model_row_has_basis_source_and_date() -> None:
    for model in list_energy_models():
        size = model_size(model)
        assert size.source, model
        assert size.as_of, model
        if size.basis == "published":
            assert size.total_b.low == size.total_b.high, model


def test_bad_row_names_file_line_and_field(tmp_path) -> None:
    text = (DATA_DIR / "models.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1].replace(",440,440,440,", ",440,lots,440,", 1)
    (tmp_path / "models.csv").write_text(f"{header}\n{first}\n", encoding="utf-8")
    row = read_table("models.csv", tmp_path)[0]
    with pytest.raises(
        EnergyDataError, match=r"models.csv line 2: field 'total_b_central' is 'lots'"
    ):
        _size(row)
