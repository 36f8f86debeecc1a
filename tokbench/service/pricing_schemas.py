"""Request and response models of /v1/models, /v1/estimate and /v1/compare.

Money is a decimal string in the row's currency (never a float); energy and carbon are
floats with low/central/high, as tokbench.energy computes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Currency = Literal["USD", "CNY", "EUR"]
Range = dict[str, float]  # {"low", "central", "high"}


def _iso_text(value: object) -> object:
    """Dates and times only as ISO-8601 text: not numbers (or numeric query strings), which
    lax mode would read as Unix times. Strict mode refuses text, so the fields are lax."""
    numeric = isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
    if numeric or not isinstance(value, (str, dt.date)):
        msg = "expected an ISO-8601 date or date-time string, e.g. 2026-11-29T12:00:00Z"
        raise ValueError(msg)  # pydantic turns it into a 422 item (a TypeError would not)
    return value


Timestamp = Annotated[dt.datetime, BeforeValidator(_iso_text), Field(strict=False)]
Day = Annotated[dt.date, BeforeValidator(_iso_text), Field(strict=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Message(_Strict):
    role: Literal["system", "user", "assistant"]
    content: str
    name: str | None = None


class FxIn(_Strict):
    """An exchange rate the caller supplies: 1 base = rate quote, as published."""

    base: Currency
    quote: Currency
    rate: float = Field(gt=0)
    as_of: Day
    source: str = Field(min_length=1)


class EstimateRequest(_Strict):
    """What to price: exactly one of text, texts (one request each), messages (one chat
    request), or input_tokens (raw count); and the models and options."""

    text: str | None = None
    texts: list[str] | None = Field(default=None, description="several requests, priced each")
    messages: list[Message] | None = Field(default=None, description="one chat request")
    input_tokens: int | None = Field(default=None, ge=0, description="raw prompt tokens")
    models: list[str] = Field(min_length=1, max_length=50, examples=[["gpt-4o", "deepseek-chat"]])
    output_tokens: int = Field(default=0, ge=0, description="expected output, per request")
    reasoning_tokens: int = Field(default=0, ge=0, description="expected reasoning tokens")
    cache_hit_fraction: float | None = Field(
        default=None, ge=0, le=1, description="share of the prompt served from cache"
    )
    cache_read_tokens: int = Field(default=0, ge=0)
    cache_write_tokens: int = Field(default=0, ge=0, description="5-minute cache writes")
    service_tier: Literal["standard", "batch", "flex", "priority"] = "standard"
    at: Timestamp | None = Field(default=None, description="when it runs (default now; UTC)")
    currency: Currency | None = Field(default=None, description="default: the offer's own")
    fx: FxIn | None = None
    price_region: str | None = Field(
        default=None, description="a provider's regional price (e.g. Anthropic 'us')"
    )
    region: str | None = Field(
        default=None, description="grid region for energy and carbon (e.g. 'FR', 'US')"
    )
    hardware: str | None = Field(default=None, description="accelerator profile for energy")

    @model_validator(mode="after")
    def _one_input(self) -> EstimateRequest:
        given = [self.text, self.texts, self.messages, self.input_tokens]
        if sum(x is not None for x in given) != 1:
            msg = "give exactly one of 'text', 'texts', 'messages' or 'input_tokens'"
            raise ValueError(msg)
        return self


class LineItemOut(BaseModel):
    component: str
    tokens: int
    tokens_low: int
    tokens_high: int
    unit_price_per_mtok: str | None = Field(
        description="per million tokens; null when requests were priced at different tiers"
    )
    amount: str
    amount_low: str
    amount_high: str
    currency: str
    rule: str
    source: str
    as_of: str
    price_age_days: int
    exact: bool
    fx: str | None


class ModelEstimate(BaseModel):
    model: str = Field(description="the offer, provider/model")
    requested: str
    tokenizer: str = Field(description="the encoding that counted (a proxy when not exact)")
    exact: bool
    closed_family: str | None
    ratio: dict[str, str] | None = Field(description="a closed family's calibration")
    framing: str | None = Field(description="how chat messages were counted")
    requests: int
    input_tokens: int = Field(description="prompt tokens billed (fresh + cached + writes)")
    input_tokens_low: int
    input_tokens_high: int
    output_tokens: int
    reasoning_tokens: int
    currency: str
    total: str
    total_low: str
    total_high: str
    items: list[LineItemOut]
    energy: dict[str, object] | None = Field(description="tokbench.energy estimate, to_dict()")
    warnings: list[str]


class EstimateResponse(BaseModel):
    at: str
    price_book: dict[str, str]
    results: list[ModelEstimate]


class CompareRequest(_Strict):
    text: str
    models: list[str] | None = Field(
        default=None, max_length=200, description="default: every offer in force"
    )
    provider: str | None = Field(
        default=None, description="only this provider's offers (when models is not given)"
    )
    output_tokens: int = Field(default=0, ge=0)
    at: Timestamp | None = None
    currency: Currency | None = Field(
        default=None, description="convert all to this (needs fx for other currencies)"
    )
    fx: FxIn | None = None
    region: str | None = Field(default=None, description="grid region for energy")


class CompareRow(BaseModel):
    rank: int = Field(description="1 = cheapest, within its currency")
    model: str
    tokenizer: str
    exact: bool
    tokens: int
    tokens_low: int
    tokens_high: int
    tokens_per_char: float | None
    currency: str
    total: str
    total_low: str
    total_high: str
    energy_wh: Range | None
    gco2e: Range | None


class Skipped(BaseModel):
    model: str
    code: str
    reason: str


class CompareResponse(BaseModel):
    at: str
    price_book: dict[str, str]
    characters: int
    ranking: str
    results: list[CompareRow]
    skipped: list[Skipped]


class RateOut(BaseModel):
    currency: str
    above: int
    up_to: int | None
    window: str | None
    prices_per_mtok: dict[str, str | None]


class ModelInfo(BaseModel):
    id: str
    provider: str
    model: str
    aliases: list[str]
    tokenizer: str = Field(description="bundled encoding, or a closed family's proxy")
    exact_tokenizer: bool
    closed_family: str | None
    currency: str = Field(description="the offer's own currency")
    tier_rule: str
    rates: list[RateOut]
    service_tiers: list[str]
    context_window: int | None
    max_output: int | None
    source: str
    as_of: str


class ModelsResponse(BaseModel):
    at: str
    price_book: dict[str, str]
    models: list[ModelInfo]
