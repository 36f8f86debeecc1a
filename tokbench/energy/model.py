"""The two-phase energy model: joules per input (prefill) and output (decode) token.

Per token on one accelerator profile (P = TDP x power_fraction, the mean board power):

    prefill  J = P * 2 * N_active * (1 + c / L) / (peak_flops * prefill_mfu)
    decode   J = P * [2 * N_active * (1 + c / L) / (peak_flops * decode_mfu)
                      + bytes_per_param * N_total / (decode_batch * bandwidth * bw_utilisation)]
    cached   J = cached_input_fraction * prefill J (at the cached prefix's own context)

A forward pass costs 2 FLOPs per active parameter; attention adds work that grows with
the context c (L is the context at which it equals the weight work). Prefill is
compute-bound. Decode also streams every weight from memory once per step, shared by the
batch: that term is why a large mixture-of-experts model costs more per token than its
active parameters alone suggest. Full-stack energy = accelerator energy x host_overhead
x PUE. Each of low / central / high takes every input at that end.
"""

from __future__ import annotations

from dataclasses import dataclass

from .hardware import Hardware, Scenarios, Serving
from .ranges import Range

JOULES_PER_WH = 3600.0


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token counts of one request. `cached` is the part of `input` served from a prompt cache."""

    input: int
    output: int
    cached: int = 0


@dataclass(frozen=True, slots=True)
class Phases:
    """Energy of one request by phase (the holder names the unit)."""

    prefill: float
    cached: float
    decode: float

    @property
    def total(self) -> float:
        return self.prefill + self.cached + self.decode


def _flop_seconds(active_b: float, context: float, hw: Hardware, s: Serving, mfu: float) -> float:
    return 2.0 * active_b * 1e9 * (1.0 + context / s.attention_context) / (hw.peak_flops * mfu)


def decode_seconds(
    active_b: float, total_b: float, hw: Hardware, s: Serving, context: float
) -> float:
    """Accelerator-seconds per output token: compute plus its share of the weight stream."""
    weights_s = (
        s.bytes_per_param
        * total_b
        * 1e9
        / (s.decode_batch * hw.hbm_bytes_per_s * s.bandwidth_utilisation)
    )
    return _flop_seconds(active_b, context, hw, s, s.decode_mfu) + weights_s


def accelerator_joules(
    active_b: float, total_b: float, hw: Hardware, s: Serving, tokens: Tokens
) -> Phases:
    """Accelerator-only energy of one request under one serving scenario.

    Returns joules per phase. The cached tokens are the prompt's prefix; fresh input follows
    them, and output follows the whole input. Each phase uses its mean context length.
    """
    power = hw.tdp_w * s.power_fraction
    fresh = tokens.input - tokens.cached
    prefill_j = power * _flop_seconds(active_b, tokens.cached + fresh / 2, hw, s, s.prefill_mfu)
    cached_j = (
        s.cached_input_fraction
        * power
        * _flop_seconds(active_b, tokens.cached / 2, hw, s, s.prefill_mfu)
    )
    decode_j = power * decode_seconds(active_b, total_b, hw, s, tokens.input + tokens.output / 2)
    return Phases(
        prefill=fresh * prefill_j, cached=tokens.cached * cached_j, decode=tokens.output * decode_j
    )


@dataclass(frozen=True, slots=True)
class EnergyRanges:
    """Energy of one request: accelerator-only and full-stack, in Wh, plus the phase split."""

    accelerator_wh: Range
    facility_wh: Range
    central_phases_wh: Phases  # accelerator-only, central scenario


def energy_ranges(
    active_b: Range,
    total_b: Range,
    hw: Hardware,
    scenarios: Scenarios,
    pue: Range,
    tokens: Tokens,
) -> EnergyRanges:
    """Low / central / high energy: model size, serving scenario and PUE all at the same end."""
    ends = (
        (active_b.low, total_b.low, scenarios.low_energy, pue.low),
        (active_b.central, total_b.central, scenarios.central, pue.central),
        (active_b.high, total_b.high, scenarios.high_energy, pue.high),
    )
    phases = [accelerator_joules(a, t, hw, s, tokens) for a, t, s, _ in ends]
    acc = [p.total / JOULES_PER_WH for p in phases]
    full = [wh * s.host_overhead * u for wh, (_, _, s, u) in zip(acc, ends, strict=True)]
    c = phases[1]
    return EnergyRanges(
        accelerator_wh=Range(*acc),
        facility_wh=Range(*full),
        central_phases_wh=Phases(
            c.prefill / JOULES_PER_WH, c.cached / JOULES_PER_WH, c.decode / JOULES_PER_WH
        ),
    )
