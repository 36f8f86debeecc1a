"""Which rate row prices a request: tier rules (cliff, request size) and time windows."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import PriceBookError
from .schema import Offer, Rate


class OutsideTiersError(PriceBookError):
    """A request larger than the offer's largest priced tier."""


def tier_total(offer: Offer, counts: dict[str, int]) -> int:
    """The tokens that decide the tier: the sum of the components the offer's rule counts."""
    return sum(counts.get(c, 0) for c in offer.tier_rule.counts)


def select_rate(offer: Offer, rows: Sequence[Rate], total: int) -> tuple[Rate, str]:
    """(rate row, rule description) for a request whose counted tokens are `total`.

    cliff and request_size pick ONE row for the whole request (all components, output
    included); they differ only in how providers describe the threshold.
    """
    rows = sorted(rows, key=lambda r: r.above)
    kind = offer.tier_rule.kind
    if kind == "none":
        return rows[0], "flat rate"
    if kind == "graduated":
        msg = (
            f"{offer.id}: graduated tiers are not supported yet (no provider in the book uses them)"
        )
        raise PriceBookError(msg)
    counted = "+".join(offer.tier_rule.counts)
    for r in rows:
        if total <= r.above and r is not rows[0]:
            continue
        if r.up_to is None or total <= r.up_to:
            bound = f"{r.above} < {counted} = {total}" + (f" <= {r.up_to}" if r.up_to else "")
            if total <= r.above:  # zero tokens: the first tier, nothing billed
                bound = f"{counted} = {total} (first tier)"
            return r, f"{kind}: {bound}; whole request billed at this tier"
    msg = (
        f"{offer.id}: a request of {total} tokens ({counted}) exceeds its largest priced tier "
        f"(up to {rows[-1].up_to}); split the request."
    )
    raise OutsideTiersError(msg)
