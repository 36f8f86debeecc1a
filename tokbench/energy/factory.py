"""The "token factory": what it costs to produce 1M tokens on accelerators you rent.

    hours per 1M tokens = 1e6 / (throughput tokens/s x 3600)
    accelerator cost    = hours x accelerators x hourly price per accelerator
    electricity (kWh)   = hours x accelerators x power per accelerator (W) x PUE / 1000
    electricity cost    = kWh x tariff
    total               = accelerator cost + electricity cost

Throughput is that of the whole deployment (all `accelerators` together). If the hourly
price already includes power (cloud rental usually does), pass `tariff_per_kwh=0` or read
`accelerator_cost` alone. All money is in one currency; nothing is converted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .grid import region_info
from .hardware import hardware_profile, serving_scenarios
from .model import decode_seconds
from .params import model_size
from .ranges import Range

TOKENS = 1_000_000


@dataclass(frozen=True, slots=True)
class FactoryEstimate:
    """Cost to produce 1M tokens, itemised, with the inputs used and where each came from.

    Money in `currency` (floats); `api_price_per_mtok` and `api_over_factory` are None unless
    the caller passed an API price. `api_over_factory` > 1 means the API costs more than
    running the model yourself at this throughput.
    """

    currency: str
    hours_per_mtok: float
    kwh_per_mtok: float
    accelerator_cost: float
    electricity_cost: float
    total: float
    api_price_per_mtok: float | None
    api_over_factory: float | None
    inputs: dict[str, float | int | str]
    sources: dict[str, str]

    def to_dict(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "hours_per_mtok": self.hours_per_mtok,
            "kwh_per_mtok": self.kwh_per_mtok,
            "accelerator_cost": self.accelerator_cost,
            "electricity_cost": self.electricity_cost,
            "total": self.total,
            "api_price_per_mtok": self.api_price_per_mtok,
            "api_over_factory": self.api_over_factory,
            "inputs": dict(self.inputs),
            "sources": dict(self.sources),
        }


def _positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{name} must be a number, got {type(value).__name__} {value!r}"
        raise TypeError(msg)
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        msg = f"{name} must be finite and {bound}, got {value!r}"
        raise ValueError(msg)
    return v


def token_factory(
    *,
    accelerator_hourly_price: float,
    currency: str,
    throughput_tokens_per_s: float,
    accelerators: int = 1,
    hardware: str | None = None,
    power_w: float | None = None,
    pue: float | None = None,
    region: str | None = None,
    tariff_per_kwh: float | None = None,
    api_price_per_mtok: float | None = None,
) -> FactoryEstimate:
    """Cost to produce 1M tokens from rented accelerators, compared with an API price.

    Args:
        accelerator_hourly_price: rent per accelerator per hour, in `currency`.
        currency: the currency of every money input and output (e.g. "USD").
        throughput_tokens_per_s: tokens produced per second by the whole deployment.
        accelerators: how many accelerators the deployment uses.
        hardware: profile whose TDP x the central power fraction (serving.csv) is the
            default power draw; default "h100".
        power_w: mean power per accelerator in watts (overrides the hardware default).
        pue: data-centre PUE; default: the central value of the default PUE (1.2).
        region: take the tariff from this region (its currency must equal `currency`).
        tariff_per_kwh: electricity price per kWh in `currency` (overrides `region`).
        api_price_per_mtok: an API's price per 1M tokens in `currency`, to compare.

    Raises:
        ValueError: a non-positive input, no tariff given or found, or a region whose
            tariff is in another currency. TypeError: a non-numeric input.

    Example:
        >>> f = token_factory(accelerator_hourly_price=2.0, currency="USD",
        ...                   throughput_tokens_per_s=1000, tariff_per_kwh=0.10)
        >>> round(f.total, 4)  # 0.2778 h x (2.0 + 0.49 kW x 1.2 x 0.10)
        0.5719
    """
    price = _positive("accelerator_hourly_price", accelerator_hourly_price, allow_zero=True)
    throughput = _positive("throughput_tokens_per_s", throughput_tokens_per_s)
    if isinstance(accelerators, bool) or not isinstance(accelerators, int) or accelerators < 1:
        msg = f"accelerators must be an int >= 1, got {accelerators!r}"
        raise ValueError(msg)
    sources: dict[str, str] = {
        "accelerator_hourly_price": "caller",
        "throughput_tokens_per_s": "caller",
    }
    if power_w is None:
        hw = hardware_profile(hardware)
        fraction = serving_scenarios().central.power_fraction
        watts = hw.tdp_w * fraction
        sources["power_w"] = (
            f"{hw.name} TDP {hw.tdp_w:g} W ({hw.source}) x {fraction:g} of TDP "
            + (f"({serving_scenarios().sources['power_fraction']})")
        )
    else:
        watts = _positive("power_w", power_w)
        sources["power_w"] = "caller"
    if pue is None:
        pue_used = 1.2
        sources["pue"] = "default: EcoLogits 0.11.3's OpenAI value 1.20 (see MANIFEST)"
    else:
        pue_used = _positive("pue", pue)
        if pue_used < 1.0:
            msg = f"pue must be >= 1 (facility energy over IT energy), got {pue!r}"
            raise ValueError(msg)
        sources["pue"] = "caller"
    if tariff_per_kwh is not None:
        tariff = _positive("tariff_per_kwh", tariff_per_kwh, allow_zero=True)
        sources["tariff_per_kwh"] = "caller"
    elif region is not None:
        grid = region_info(region)
        if grid.tariff is None:
            msg = f"Region {grid.region} has no tariff in our sources; pass tariff_per_kwh."
            raise ValueError(msg)
        if grid.tariff.currency != currency.upper():
            msg = (
                f"The {grid.region} tariff is in {grid.tariff.currency}, not {currency}; "
                f"pass tariff_per_kwh in {currency} (tokbench does not convert currencies here)."
            )
            raise ValueError(msg)
        tariff = grid.tariff.per_kwh.central
        sources["tariff_per_kwh"] = f"{grid.tariff.source} ({grid.tariff.as_of})"
    else:
        msg = "Give tariff_per_kwh (in the same currency) or a region with a tariff."
        raise ValueError(msg)
    api = (
        None if api_price_per_mtok is None else _positive("api_price_per_mtok", api_price_per_mtok)
    )

    hours = TOKENS / (throughput * 3600.0)
    kwh = hours * accelerators * watts * pue_used / 1000.0
    accelerator_cost = hours * accelerators * price
    electricity_cost = kwh * tariff
    total = accelerator_cost + electricity_cost
    return FactoryEstimate(
        currency=currency.upper(),
        hours_per_mtok=hours,
        kwh_per_mtok=kwh,
        accelerator_cost=accelerator_cost,
        electricity_cost=electricity_cost,
        total=total,
        api_price_per_mtok=api,
        api_over_factory=None if api is None or total == 0 else api / total,
        inputs={
            "accelerator_hourly_price": price,
            "throughput_tokens_per_s": throughput,
            "accelerators": accelerators,
            "power_w": watts,
            "pue": pue_used,
            "tariff_per_kwh": tariff,
        },
        sources=sources,
    )


def estimated_throughput(
    model: str, *, hardware: str | None = None, context_tokens: int = 1000
) -> Range:
    """Output tokens per second per accelerator that the energy model implies for a model.

    The inverse of the decode time per token (compute plus the weight stream shared by the
    batch) in each serving scenario: low = the high-energy scenario (small batch, BF16),
    high = the low-energy one. A model-based guess to start from when you have no
    measurement, not a benchmark: multiply by the accelerators of a deployment and pass it
    to token_factory.

    Example:
        >>> t = estimated_throughput("llama-3.3-70b")
        >>> t.low < t.central < t.high
        True
    """
    size = model_size(model)
    hw = hardware_profile(hardware)
    s = serving_scenarios()
    ends = (
        (size.active_b.high, size.total_b.high, s.high_energy),
        (size.active_b.central, size.total_b.central, s.central),
        (size.active_b.low, size.total_b.low, s.low_energy),
    )
    return Range(*(1.0 / decode_seconds(a, t, hw, sc, context_tokens) for a, t, sc in ends))
