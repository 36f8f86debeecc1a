"""Currency conversion with a named, dated rate: never an implicit one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..errors import PriceBookError
from .schema import FxRate


class MissingFxRateError(PriceBookError):
    """A conversion was asked for with no rate for that currency pair."""


@dataclass(frozen=True, slots=True)
class Conversion:
    """Multiply by `rate` (or divide, when only the opposite pair was published)."""

    rate: Decimal
    divide: bool
    description: str

    def apply(self, amount: Decimal) -> Decimal:
        return amount / self.rate if self.divide else amount * self.rate


def find_rate(base: str, quote: str, candidates: Iterable[FxRate]) -> Conversion:
    """How to turn `base` amounts into `quote`, with a description naming the rate, its date
    and its source. A rate published for the opposite pair is divided by, and the
    description says so.
    """
    for r in candidates:
        if (r.base, r.quote) == (base, quote):
            return Conversion(
                r.rate, False, f"1 {base} = {r.rate} {quote} (as of {r.as_of}, {r.source})"
            )
        if (r.base, r.quote) == (quote, base):
            desc = f"1 {quote} = {r.rate} {base} (as of {r.as_of}, {r.source}); divided by"
            return Conversion(r.rate, True, desc)
    msg = (
        f"No {base}->{quote} exchange rate: the bundled price book carries none. Pass one, "
        f"e.g. fx=FxRate(base='{base}', quote='{quote}', rate=..., as_of=..., source=...) "
        f"or --fx-rate RATE --fx-as-of DATE --fx-source TEXT on the command line, "
        f"or ask for the offer's own currency."
    )
    raise MissingFxRateError(msg)
