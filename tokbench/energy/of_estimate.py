"""The energy block of a priced request: estimate_energy over a CostEstimate's tokens."""

from __future__ import annotations

from ..pricing.result import CostEstimate
from .errors import UnknownEnergyModelError
from .estimate import estimate_energy

# Which priced components are prompt tokens (prefill; cache reads among them) and which
# are generated (decode).
PROMPT_COMPONENTS = ("input", "cache_read", "cache_write_5m", "cache_write_1h")
OUTPUT_COMPONENTS = ("output", "reasoning_output")


def energy_of_tokens(
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    cached_tokens: int,
    region: str | None = None,
    hardware: str | None = None,
) -> tuple[dict[str, object] | None, str | None]:
    """(estimate_energy(...).to_dict(), None), or (None, why) when tokbench has no
    parameter count for the model."""
    try:
        e = estimate_energy(
            model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cached_tokens=cached_tokens,
            region=region,
            hardware=hardware,
        )
    except UnknownEnergyModelError as err:
        return None, f"no energy estimate: {err}"
    return e.to_dict(), None


def energy_of_estimate(
    est: CostEstimate, *, region: str | None = None, hardware: str | None = None
) -> tuple[dict[str, object] | None, str | None]:
    """(estimate_energy(...).to_dict(), None) for the request `est` priced, or (None, why)
    when tokbench has no parameter count for the model."""

    def tokens(components: tuple[str, ...]) -> int:
        return sum(i.tokens for i in est.items if i.component in components)

    return energy_of_tokens(
        est.model,
        input_tokens=tokens(PROMPT_COMPONENTS),
        output_tokens=tokens(OUTPUT_COMPONENTS),
        cached_tokens=tokens(("cache_read",)),
        region=region,
        hardware=hardware,
    )
