"""Model sizes (total and active parameters) by API model id, with their sources.

Sizes of closed models are not published; for those the catalog holds a range from
EcoLogits' estimates or a marked tokbench assumption (the `basis` field says which).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from ._table import Row, read_table
from .errors import EnergyDataError, UnknownEnergyModelError
from .ranges import Range

BASES = ("published", "estimate", "assumption")

# Dated snapshots (-20250514, -2025-09-11) and Volcengine's six-digit ones (-260215).
_DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2}|\d{6})$")


@dataclass(frozen=True, slots=True)
class ModelSize:
    """Parameters of one model in billions, each as a range.

    Attributes:
        model: the catalog id (a provider's API id).
        provider: who serves it (selects the data-centre PUE and default region).
        total_b: all parameters (weights held in accelerator memory).
        active_b: parameters used per token (equal to total_b for dense models).
        basis: "published" (model card), "estimate" (EcoLogits) or "assumption" (tokbench).
        source: where the figures come from; as_of: when they were read or published.
    """

    model: str
    provider: str
    total_b: Range
    active_b: Range
    basis: str
    source: str
    as_of: str

    def to_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "provider": self.provider,
            "total_params_b": self.total_b.to_dict(),
            "active_params_b": self.active_b.to_dict(),
            "basis": self.basis,
            "source": self.source,
            "as_of": self.as_of,
        }


def _size(row: Row) -> ModelSize:
    total = Range(
        row.number("total_b_low"), row.number("total_b_central"), row.number("total_b_high")
    )
    active = Range(
        row.number("active_b_low"), row.number("active_b_central"), row.number("active_b_high")
    )
    where = f"{row.path.name} line {row.line}"
    for name, r in (("total_b", total), ("active_b", active)):
        if not 0 < r.low <= r.central <= r.high:
            msg = f"{where}: {name} needs 0 < low <= central <= high, got {r}"
            raise EnergyDataError(msg)
    if active.high > total.high:
        msg = f"{where}: active parameters exceed total parameters"
        raise EnergyDataError(msg)
    basis = row.text("basis")
    if basis not in BASES:
        msg = f"{where}: basis {basis!r} is not one of {', '.join(BASES)}"
        raise EnergyDataError(msg)
    return ModelSize(
        model=row.text("model").lower(),
        provider=row.text("provider"),
        total_b=total,
        active_b=active,
        basis=basis,
        source=row.text("source"),
        as_of=row.text("as_of"),
    )


@cache
def _catalog() -> tuple[dict[str, ModelSize], dict[str, str]]:
    """(id -> size, alias -> id), read once; both immutable after this call."""
    sizes: dict[str, ModelSize] = {}
    names: dict[str, str] = {}
    for row in read_table("models.csv"):
        size = _size(row)
        for name in (size.model, *row.words("aliases")):
            if name in names:
                msg = f"models.csv line {row.line}: {name!r} is listed twice"
                raise EnergyDataError(msg)
            names[name] = size.model
        sizes[size.model] = size
    return sizes, names


def list_energy_models() -> list[str]:
    """The catalog ids, sorted (aliases and provider-prefixed forms also resolve)."""
    return sorted(_catalog()[0])


def model_size(model: str) -> ModelSize:
    """The size of a model by its API id, optionally prefixed with `provider/`.

    Args:
        model: e.g. "gpt-4o", "deepseek-chat", "qwen-plus", "openai/gpt-4o",
            "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "claude-sonnet-4-20250514".

    Raises:
        UnknownEnergyModelError: the id is not in the catalog; the message lists close ids.

    Example:
        >>> model_size("deepseek-chat").active_b.central
        37.0
    """
    sizes, names = _catalog()
    key = model.strip().lower()
    parts = key.split("/")
    for i in range(len(parts)):
        candidate = "/".join(parts[i:])
        for name in (candidate, _DATE_SUFFIX.sub("", candidate)):
            if name in names:
                return sizes[names[name]]
    close = difflib.get_close_matches(parts[-1], list(names), n=5, cutoff=0.6)
    hint = f" Close ids: {', '.join(close)}." if close else ""
    msg = (
        f"No model size for {model!r}.{hint} tokbench.energy.list_energy_models() lists the "
        "known ids; models not listed need a row in tokbench/data/energy/models.csv."
    )
    raise UnknownEnergyModelError(msg)
