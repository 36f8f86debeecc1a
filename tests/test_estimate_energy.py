"""`tokbench estimate` carries the energy block of the request it priced."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import tokbench.energy.of_estimate as of_estimate
from tokbench.cli import main
from tokbench.energy import UnknownEnergyModelError, estimate_energy
from tokbench.energy.of_estimate import energy_of_estimate
from tokbench.pricing import estimate_cost

AT = ["--at", "2026-11-29"]


def test_json_energy_is_estimate_energy_of_the_billed_tokens(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["estimate", "--model", "claude-sonnet-4-5", "--input-tokens", "1200",
            "--cached-tokens", "800", "--output-tokens", "300", "--grid-region", "FR",
            *AT]  # fmt: skip
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    # The prompt is the fresh input plus the cache reads; cache reads are also "cached".
    direct = estimate_energy(
        "anthropic/claude-sonnet-4-5",
        input_tokens=2000,
        output_tokens=300,
        cached_tokens=800,
        region="FR",
    ).to_dict()
    assert out["energy"] == json.loads(json.dumps(direct))
    assert out["energy"]["region"]["region"] == "FR"


def test_table_shows_the_energy_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["estimate", "--model", "gpt-4o", "--input-tokens", "1000", "--format", "table", *AT])
        == 0
    )
    text = capsys.readouterr().out
    wh = estimate_energy("openai/gpt-4o", input_tokens=1000, output_tokens=0).wh
    assert f"energy {wh.central:.3g} ({wh.low:.3g}..{wh.high:.3g}) Wh" in text


def test_no_parameter_count_means_no_energy_and_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unknown(model: str, **_: object) -> None:
        raise UnknownEnergyModelError(f"no size for {model}")

    monkeypatch.setattr(of_estimate, "estimate_energy", unknown)
    est = estimate_cost("gpt-4o", input_tokens=10, at=dt.datetime(2026, 11, 29))
    energy, why = energy_of_estimate(est)
    assert energy is None
    assert why is not None
    assert "no size for openai/gpt-4o" in why
