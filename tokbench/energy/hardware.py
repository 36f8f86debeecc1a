"""Accelerator profiles, serving scenarios and data-centre PUE: the physical inputs of the model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from types import MappingProxyType

from ._table import read_table
from .errors import EnergyDataError, UnknownHardwareError
from .ranges import Range

DEFAULT_HARDWARE = "h100"
DEFAULT_PROVIDER = "default"
# Used for providers without a row in providers.csv (see the MANIFEST for the sources).
_DEFAULT_PUE = Range(1.09, 1.2, 1.56)
_DEFAULT_PUE_SOURCE = (
    "default: low = Google's fleet PUE 1.09 (EcoLogits 0.11.3), central = EcoLogits' OpenAI "
    "value 1.20, high = Uptime Institute Global Data Center Survey 2024 average 1.56"
)


@dataclass(frozen=True, slots=True)
class Hardware:
    """One accelerator (per device): dense BF16 peak, memory bandwidth, board power."""

    hardware: str
    name: str
    peak_flops: float
    hbm_bytes_per_s: float
    tdp_w: float
    source: str
    as_of: str


@dataclass(frozen=True, slots=True)
class Serving:
    """How a deployment runs the model: one scenario (low-energy, central or high-energy).

    power_fraction: mean board power as a fraction of TDP. prefill_mfu / decode_mfu: achieved
    fraction of peak FLOP/s. decode_batch: sequences per decode step, which share one read
    of the weights. bytes_per_param: weight precision. bandwidth_utilisation: achieved
    fraction of peak memory bandwidth. host_overhead: full server (host CPU, DRAM, idle
    reserve) over accelerator energy. attention_context: the context length at which a
    token's attention work equals its weight work. cached_input_fraction: energy of a
    prompt-cache hit relative to a freshly computed input token.
    """

    power_fraction: float
    prefill_mfu: float
    decode_mfu: float
    decode_batch: float
    bytes_per_param: float
    bandwidth_utilisation: float
    host_overhead: float
    attention_context: float
    cached_input_fraction: float


@dataclass(frozen=True, slots=True)
class Scenarios:
    """The three serving scenarios and the source of each parameter."""

    low_energy: Serving
    central: Serving
    high_energy: Serving
    sources: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ProviderDefaults:
    provider: str
    pue: Range
    pue_source: str
    region: str | None
    region_source: str


@cache
def _hardware() -> tuple[dict[str, Hardware], dict[str, str]]:
    profiles: dict[str, Hardware] = {}
    names: dict[str, str] = {}
    for row in read_table("hardware.csv"):
        hw = Hardware(
            hardware=row.text("hardware").lower(),
            name=row.text("name"),
            peak_flops=row.number("peak_tflops_bf16_dense") * 1e12,
            hbm_bytes_per_s=row.number("hbm_tb_per_s") * 1e12,
            tdp_w=row.number("tdp_w"),
            source=row.text("source"),
            as_of=row.text("as_of"),
        )
        profiles[hw.hardware] = hw
        for name in (hw.hardware, *row.words("aliases")):
            names[name] = hw.hardware
    return profiles, names


def list_hardware() -> list[str]:
    """The bundled accelerator profiles."""
    return sorted(_hardware()[0])


def hardware_profile(name: str | None = None) -> Hardware:
    """An accelerator profile by name (default "h100").

    Raises:
        UnknownHardwareError: the name is not bundled; the message lists the profiles.
    """
    profiles, names = _hardware()
    key = (name or DEFAULT_HARDWARE).strip().lower()
    if key not in names:
        msg = f"Unknown hardware {name!r}. Bundled profiles: {', '.join(sorted(profiles))}."
        raise UnknownHardwareError(msg)
    return profiles[names[key]]


@cache
def serving_scenarios() -> Scenarios:
    """The low-energy, central and high-energy serving scenarios from serving.csv."""
    rows = {row.text("parameter"): row for row in read_table("serving.csv")}
    names = [f.name for f in fields(Serving)]
    missing = sorted(set(names) - set(rows))
    if missing:
        msg = f"serving.csv lacks the parameters {', '.join(missing)}"
        raise EnergyDataError(msg)
    by_column = {
        column: Serving(**{n: rows[n].number(column) for n in names})
        for column in ("low_energy", "central", "high_energy")
    }
    return Scenarios(
        low_energy=by_column["low_energy"],
        central=by_column["central"],
        high_energy=by_column["high_energy"],
        sources=MappingProxyType({n: rows[n].text("source") for n in names}),
    )


@cache
def _providers() -> dict[str, ProviderDefaults]:
    out: dict[str, ProviderDefaults] = {}
    for row in read_table("providers.csv"):
        pue = Range(row.number("pue_low"), row.number("pue_central"), row.number("pue_high"))
        if not 1.0 <= pue.low <= pue.central <= pue.high:
            msg = f"providers.csv line {row.line}: PUE needs 1 <= low <= central <= high"
            raise EnergyDataError(msg)
        source = row.text("pue_source")
        out[row.text("provider")] = ProviderDefaults(
            provider=row.text("provider"),
            pue=pue,
            pue_source=_DEFAULT_PUE_SOURCE if source.startswith("default") else source,
            region=row.text("region", required=False) or None,
            region_source=row.text("region_source", required=False),
        )
    return out


def provider_defaults(provider: str) -> ProviderDefaults:
    """PUE and default serving region of a provider (a documented default when unlisted)."""
    found = _providers().get(provider)
    if found is not None:
        return found
    return ProviderDefaults(provider, _DEFAULT_PUE, _DEFAULT_PUE_SOURCE, None, "")
