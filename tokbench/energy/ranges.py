"""A low / central / high value: every estimate of the energy model is one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Range:
    """Three values of one quantity: the low and high ends and the central estimate.

    The ends are scenario bounds (every input at its low or its high end), not a
    confidence interval.
    """

    low: float
    central: float
    high: float

    @classmethod
    def point(cls, value: float) -> Range:
        return cls(value, value, value)

    def map(self, f: Callable[[float], float]) -> Range:
        return Range(f(self.low), f(self.central), f(self.high))

    def combine(self, other: Range, f: Callable[[float, float], float]) -> Range:
        """Ends combined with ends: f(low, low), f(central, central), f(high, high)."""
        return Range(
            f(self.low, other.low), f(self.central, other.central), f(self.high, other.high)
        )

    def to_dict(self) -> dict[str, float]:
        return {"low": self.low, "central": self.central, "high": self.high}
