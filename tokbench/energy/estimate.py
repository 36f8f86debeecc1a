"""estimate_energy: the energy, carbon and electricity cost of one request to a model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .grid import Region, region_info
from .hardware import Hardware, hardware_profile, provider_defaults, serving_scenarios
from .model import EnergyRanges, Tokens, energy_ranges
from .params import ModelSize, model_size
from .ranges import Range

METHODOLOGY_VERSION = "tokbench-energy 1 (2026-11-29)"
DEFAULT_REGION = "WORLD"


@dataclass(frozen=True, slots=True)
class EnergyEstimate:
    """Energy, carbon and electricity cost of one request, each as a low/central/high range.

    Units: `wh` and `accelerator_wh` in watt-hours (full stack including host overhead and
    PUE, and accelerators only); `gco2e` in grams of CO2-equivalent (location-based:
    energy x grid intensity); `electricity_cost` in `currency` (the tariff's own, never
    converted; None where our sources have no tariff for the region). All numbers are
    floats. Instances are immutable.
    """

    model: str
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    wh: Range
    accelerator_wh: Range
    central_accelerator_wh_by_phase: Mapping[str, float]
    gco2e: Range
    electricity_cost: Range | None
    currency: str | None
    region: Region
    region_source: str
    hardware: Hardware
    params: ModelSize
    pue: Range
    pue_source: str
    serving_sources: Mapping[str, str]
    methodology: str = METHODOLOGY_VERSION

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (floats, strings, None), with every source and as-of date."""
        hw = self.hardware
        return {
            "model": self.model,
            "methodology": self.methodology,
            "tokens": {
                "input": self.input_tokens,
                "output": self.output_tokens,
                "cached": self.cached_tokens,
            },
            "wh": self.wh.to_dict(),
            "accelerator_wh": self.accelerator_wh.to_dict(),
            "central_accelerator_wh_by_phase": dict(self.central_accelerator_wh_by_phase),
            "gco2e": self.gco2e.to_dict(),
            "electricity_cost": None
            if self.electricity_cost is None
            else self.electricity_cost.to_dict(),
            "currency": self.currency,
            "region": {**self.region.to_dict(), "chosen_by": self.region_source},
            "hardware": {
                "hardware": hw.hardware,
                "name": hw.name,
                "source": hw.source,
                "as_of": hw.as_of,
            },
            "params": self.params.to_dict(),
            "pue": {**self.pue.to_dict(), "source": self.pue_source},
            "serving_sources": dict(self.serving_sources),
        }


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be an int, got {type(value).__name__} {value!r}"
        raise TypeError(msg)
    if value < 0:
        msg = f"{name} must be >= 0, got {value}"
        raise ValueError(msg)
    return value


def estimate_energy(
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    cached_tokens: int = 0,
    region: str | None = None,
    hardware: str | None = None,
) -> EnergyEstimate:
    """Energy, carbon and electricity cost of one request.

    Args:
        model: a provider's API model id, optionally `provider/`-prefixed ("gpt-4o",
            "deepseek-chat", "qwen-plus", "anthropic/claude-sonnet-4-5").
        input_tokens: all prompt tokens, including the cached ones.
        output_tokens: generated tokens, reasoning tokens included.
        cached_tokens: the part of input_tokens served from the provider's prompt cache.
        region: grid region code or name ("US", "China", "FR"); default: the provider's
            data-centre region where known (providers.csv), else WORLD.
        hardware: accelerator profile ("h100" by default; see list_hardware()).

    Returns:
        An EnergyEstimate; `to_dict()` gives JSON. Pure function of bundled tables: safe to
        call from any thread.

    Raises:
        UnknownEnergyModelError, UnknownRegionError, UnknownHardwareError: with the valid
            names. TypeError / ValueError: token counts that are not non-negative ints, or
            cached_tokens > input_tokens.

    Example:
        >>> e = estimate_energy("gpt-4o", input_tokens=1000, output_tokens=500, region="FR")
        >>> e.wh.low < e.wh.central < e.wh.high
        True
    """
    tokens = Tokens(
        input=_count("input_tokens", input_tokens),
        output=_count("output_tokens", output_tokens),
        cached=_count("cached_tokens", cached_tokens),
    )
    if tokens.cached > tokens.input:
        msg = (
            f"cached_tokens ({tokens.cached}) exceeds input_tokens ({tokens.input}): "
            "input_tokens counts every prompt token, the cached ones included"
        )
        raise ValueError(msg)
    size = model_size(model)
    hw = hardware_profile(hardware)
    provider = provider_defaults(size.provider)
    if region is not None:
        grid, region_source = region_info(region), "caller"
    elif provider.region is not None:
        grid, region_source = region_info(provider.region), provider.region_source
    else:
        grid, region_source = region_info(DEFAULT_REGION), "default (provider region unknown)"
    scenarios = serving_scenarios()
    energy: EnergyRanges = energy_ranges(
        size.active_b, size.total_b, hw, scenarios, provider.pue, tokens
    )
    kwh = energy.facility_wh.map(lambda wh: wh / 1000.0)
    tariff = grid.tariff
    phases = energy.central_phases_wh
    return EnergyEstimate(
        model=size.model,
        input_tokens=tokens.input,
        output_tokens=tokens.output,
        cached_tokens=tokens.cached,
        wh=energy.facility_wh,
        accelerator_wh=energy.accelerator_wh,
        central_accelerator_wh_by_phase=MappingProxyType(
            {
                "prefill": phases.prefill,
                "cached": phases.cached,
                "decode": phases.decode,
            }
        ),
        gco2e=kwh.combine(grid.intensity_g_per_kwh, lambda e, g: e * g),
        electricity_cost=None
        if tariff is None
        else kwh.combine(tariff.per_kwh, lambda e, p: e * p),
        currency=None if tariff is None else tariff.currency,
        region=grid,
        region_source=region_source,
        hardware=hw,
        params=size,
        pue=provider.pue,
        pue_source=provider.pue_source,
        serving_sources=MappingProxyType(dict(scenarios.sources)),
    )
