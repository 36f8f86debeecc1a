"""The energy model against every published figure in the reference energy.csv.

Each row of tests/data/energy_anchors.csv restates one figure with the conditions it was
measured or estimated under. `central` rows fail if the model's central estimate under
those conditions is outside the published range (a point value: outside a factor of
`tolerance`). `band` rows (figures from an older serving stack) must overlap the model's
low-high band; `spread` rows bound the ratio of its high and low serving scenarios.
`excluded` rows say why a figure cannot be checked this way.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pytest
from references import SHARED

from tokbench.energy import Range, model_size
from tokbench.energy.hardware import (
    Scenarios,
    hardware_profile,
    provider_defaults,
    serving_scenarios,
)
from tokbench.energy.model import Tokens, accelerator_joules, energy_ranges

ANCHORS = Path(__file__).parent / "data" / "energy_anchors.csv"
ENERGY_CSV = SHARED / "reference" / "energy.csv"
ROWS = list(csv.DictReader(ANCHORS.read_text(encoding="utf-8").splitlines()))
CHECKED = [r for r in ROWS if r["check"] != "excluded"]


def _scenarios(overrides: str) -> Scenarios:
    s = serving_scenarios()
    if not overrides:
        return s
    changes = {k: float(v) for k, v in (item.split("=") for item in overrides.split())}
    return dataclasses.replace(
        s,
        low_energy=dataclasses.replace(s.low_energy, **changes),
        central=dataclasses.replace(s.central, **changes),
        high_energy=dataclasses.replace(s.high_energy, **changes),
    )


def _model_value(row: dict[str, str]) -> Range:
    if row["model"]:
        size = model_size(row["model"])
        total, active = size.total_b, size.active_b
        pue = provider_defaults(size.provider).pue
    else:
        total, active = Range.point(float(row["total_b"])), Range.point(float(row["active_b"]))
        pue = Range.point(1.0)  # only used by rows that give their own PUE
    if row["pue"]:
        pue = Range.point(float(row["pue"]))
    hw = hardware_profile(row["hardware"])
    scenarios = _scenarios(row["serving"])
    tokens = Tokens(input=int(row["input_tokens"]), output=int(row["output_tokens"]))
    if row["quantity"] == "facility_wh":
        return energy_ranges(active, total, hw, scenarios, pue, tokens).facility_wh
    assert row["quantity"] == "accelerator_decode_j_per_token", row["quantity"]
    ends = (
        (active.low, total.low, scenarios.low_energy),
        (active.central, total.central, scenarios.central),
        (active.high, total.high, scenarios.high_energy),
    )
    return Range(
        *(accelerator_joules(a, t, hw, s, tokens).decode / tokens.output for a, t, s in ends)
    )


@pytest.mark.parametrize("row", CHECKED, ids=[f"{r['row']}:{r['anchor'][:40]}" for r in CHECKED])
def test_model_meets_anchor(row: dict[str, str]) -> None:
    got = _model_value(row)
    low, high, tol = (
        float(row["published_low"]),
        float(row["published_high"]),
        float(row["tolerance"]),
    )
    what = f"{row['anchor']} ({row['conditions']}): model gives {got}"
    if row["check"] == "central":
        assert low / tol <= got.central <= high * tol, what
    elif row["check"] == "band":
        assert got.low <= high, what
        assert low <= got.high, what
    else:
        assert row["check"] == "spread", row["check"]
        assert got.high / got.low >= low, what


def test_every_anchor_row_is_accounted_for() -> None:
    rows = {int(r["row"]) for r in ROWS}
    assert rows == set(range(28))
    for r in ROWS:
        assert r["check"] in {"central", "band", "spread", "excluded"}
        if r["check"] == "excluded":
            assert r["reason"], f"row {r['row']} is excluded without a reason"


@pytest.mark.skipif(not ENERGY_CSV.exists(), reason="reference energy.csv not present")
def test_anchor_values_match_the_reference_file() -> None:
    reference = list(csv.DictReader(ENERGY_CSV.read_text(encoding="utf-8").splitlines()))
    assert len(reference) == 28
    for r in CHECKED:
        published = reference[int(r["row"])]["value"]
        numbers = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", published)}
        for field in ("published_low", "published_high"):
            assert float(r[field]) in numbers, f"row {r['row']}: {r[field]} not in {published!r}"
