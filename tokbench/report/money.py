"""What the same content costs in each language, per model: money, energy and carbon.

The content is each language's units shared with English. It is priced as one request of
that size (the corpus's content is a realistic prompt: about 3k tokens for the UDHR, 30k for
FLORES dev), with `output_ratio` x its input tokens as output in the same language, and the
result is scaled to content whose English version has one million characters
(`per_1m_eng_chars`), so that corpora of different sizes compare. Tokens are counted with the
offer's own tokenizer; for a closed family, the proxy's count times the family's
low/central/high ratio (never exact).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..closed import closed_family
from ..energy import UnknownEnergyModelError, estimate_energy
from ..pricing import FxRate, estimate_cost
from ..pricing.book import bundled_book, resolve
from ..pricing.schedule import as_utc
from ..pricing.schema import Offer
from .metrics import Cell
from .parallel import ParallelCorpus

SCALE_CHARS = 1_000_000


@dataclass(frozen=True)
class Pricing:
    """An offer and how its tokens are counted from the report's encodings."""

    offer: Offer
    encoding: str  # the encoding counted (the proxy for a closed family)
    ratio: tuple[Decimal, Decimal, Decimal]  # low, central, high (1, 1, 1 when exact)

    @property
    def exact(self) -> bool:
        return self.offer.tokenizer is not None


@dataclass(frozen=True)
class LangCost:
    lang: str
    model: str  # offer id, provider/model
    encoding: str
    exact: bool
    input_tokens: int  # the content's tokens under the model (central)
    output_tokens: int
    currency: str
    cost: Decimal  # per 1M English characters of content
    cost_low: Decimal
    cost_high: Decimal
    wh: float | None  # per 1M English characters of content (central), None if unknown
    gco2e: float | None


def pricings(models: Sequence[str], at: dt.datetime) -> list[Pricing]:
    """Resolves model ids to offers in force at `at` (errors name close ids)."""
    book = bundled_book()
    out: list[Pricing] = []
    for m in models:
        offer = resolve(book, m, as_utc(at))
        if offer.tokenizer is not None:
            one = Decimal(1)
            out.append(Pricing(offer, offer.tokenizer, (one, one, one)))
        else:
            fam = closed_family(str(offer.closed_family))
            ratio = (fam.ratio_low, fam.ratio_central, fam.ratio_high)
            out.append(Pricing(offer, fam.proxy_encoding, ratio))
    return out


def _scaled(n: int, r: Decimal) -> int:
    return int((n * r).to_integral_value(rounding=ROUND_HALF_UP))


def lang_costs(
    corpus: ParallelCorpus,
    cells: Sequence[Cell],
    prices: Sequence[Pricing],
    *,
    at: dt.datetime,
    output_ratio: float,
    currency: str | None,
    fx: FxRate | None = None,
) -> list[LangCost]:
    """One LangCost per (language, model), languages sorted, models in the given order."""
    by_key = {(c.lang, c.encoding): c for c in cells}
    eng = corpus.languages[corpus.english].units
    out: list[LangCost] = []
    for code in corpus.languages:
        common = corpus.common_units(code)
        eng_chars = sum(len(eng[u]) for u in common)
        if not eng_chars:
            continue
        factor = Decimal(SCALE_CHARS) / Decimal(eng_chars)
        for p in prices:
            cell = by_key[(code, p.encoding)]
            # Priced once per distinct ratio: an exact count (ratio 1, 1, 1) is priced once.
            priced: dict[Decimal, tuple[Decimal, str, int, int]] = {}
            for r in dict.fromkeys(p.ratio):
                n_in = _scaled(cell.tokens_common, r)
                n_out = _scaled(n_in, Decimal(str(output_ratio)))
                est = estimate_cost(
                    p.offer.id,
                    input_tokens=n_in,
                    output_tokens=n_out,
                    at=at,
                    currency=currency,
                    fx=fx,
                    today=at.date(),
                )
                priced[r] = (est.total * factor, est.currency, n_in, n_out)
            totals = [priced[r][0] for r in p.ratio]
            _, cost_currency, n_in, n_out = priced[p.ratio[1]]
            wh: float | None = None
            gco2e: float | None = None
            try:
                energy = estimate_energy(p.offer.id, input_tokens=n_in, output_tokens=n_out)
                wh = energy.wh.central * float(factor)
                gco2e = energy.gco2e.central * float(factor)
            except UnknownEnergyModelError:
                pass  # reported as empty: no parameter count for this model
            out.append(
                LangCost(
                    lang=code,
                    model=p.offer.id,
                    encoding=p.encoding,
                    exact=p.exact,
                    input_tokens=n_in,
                    output_tokens=n_out,
                    currency=cost_currency,
                    cost=totals[1],
                    cost_low=min(totals),
                    cost_high=max(totals),
                    wh=wh,
                    gco2e=gco2e,
                )
            )
    return out


def cheapest_per_language(costs: Sequence[LangCost]) -> dict[str, LangCost]:
    """The lowest central cost per language (ties: the model listed first). Costs in
    different currencies are not compared: pass one currency to the report."""
    best: dict[str, LangCost] = {}
    for c in costs:
        if c.lang not in best or c.cost < best[c.lang].cost:
            best[c.lang] = c
    return best
