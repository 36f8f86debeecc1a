"""Request and response models of /v1/count and /v1/tokenizers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_ENCODING = "o200k_base"


class TextsIn(BaseModel):
    """One text or a list of texts (exactly one of the two)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str | None = Field(default=None, description="one text")
    texts: list[str] | None = Field(default=None, description="several texts")

    @model_validator(mode="after")
    def _one_of_text_or_texts(self) -> TextsIn:
        if (self.text is None) == (self.texts is None):
            msg = "give exactly one of 'text' (a string) or 'texts' (a list of strings)"
            raise ValueError(msg)
        return self

    def all_texts(self) -> list[str]:
        """The texts of the request, as a list."""
        return [self.text] if self.text is not None else list(self.texts or [])


class CountRequest(TextsIn):
    encodings: list[str] = Field(
        default_factory=lambda: [DEFAULT_ENCODING],
        min_length=1,
        max_length=32,
        description="bundled encoding names (GET /v1/tokenizers)",
        examples=[["o200k_base", "llama3"]],
    )
    return_ids: bool = Field(default=False, description="also return the token ids")


class EncodingCount(BaseModel):
    encoding: str
    counts: list[int] = Field(description="tokens per text, in request order")
    total: int
    ids: list[list[int]] | None = Field(
        default=None, description="token ids per text (only with return_ids)"
    )


class CountResponse(BaseModel):
    results: list[EncodingCount]
    texts: int = Field(description="number of texts")
    characters: int = Field(description="characters (code points) over all texts")


class TokenizerSource(BaseModel):
    file: str | None
    sha256: str | None
    package: str | None
    license: str | None
    status: str | None


class TokenizerInfo(BaseModel):
    name: str
    algorithm: str
    vocab_size: int
    path: str = Field(description="'native' (tokbench's core) or 'reference' (HF tokenizers)")
    used_by: str | None
    source: TokenizerSource


class TokenizersResponse(BaseModel):
    tokenizers: list[TokenizerInfo]


class Health(BaseModel):
    status: str
    version: str
    price_book: dict[str, str] | None = Field(
        default=None, description="as_of and snapshot id of the loaded price book"
    )


class ErrorInfo(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. 'unknown_tokenizer'")
    message: str = Field(description="what was wrong and how to fix it")
    details: dict[str, object] = Field(description="code-specific fields")


class ErrorBody(BaseModel):
    """The shape of every error answer."""

    error: ErrorInfo


def _err(description: str) -> dict[str, object]:
    return {"model": ErrorBody, "description": description}


# Documented on every /v1 route (422 replaces FastAPI's default validation schema).
V1_ERRORS: dict[int | str, dict[str, object]] = {
    401: _err("missing or wrong API key (only when keys are configured)"),
    404: _err("unknown tokenizer or model; details.close_matches lists near names"),
    413: _err("body, number of texts or characters over the limit"),
    422: _err("invalid request body; details.errors lists each problem"),
    429: _err("rate limit reached; see the Retry-After header"),
}
