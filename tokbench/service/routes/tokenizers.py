"""GET /v1/tokenizers: the bundled encodings, with vocabulary size and provenance."""

from __future__ import annotations

from fastapi import APIRouter

import tokbench

from ..lookup import encoding
from ..schemas import TokenizerInfo, TokenizerSource, TokenizersResponse

router = APIRouter(prefix="/v1", tags=["tokenizers"])


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def describe(name: str) -> TokenizerInfo:
    """What the API says about one encoding."""
    enc = encoding(name)
    info = enc.info
    return TokenizerInfo(
        name=name,
        # every bundled encoding is BPE; a loader that adds another kind records it in info
        algorithm=str(info.get("algorithm", "BPE")),
        vocab_size=enc.n_vocab,
        path=enc.path,
        used_by=_str_or_none(info.get("used_by")),
        source=TokenizerSource(
            file=_str_or_none(info.get("source_file")),
            sha256=_str_or_none(info.get("source_sha256")),
            package=_str_or_none(info.get("source_package")),
            license=_str_or_none(info.get("license")),
            status=_str_or_none(info.get("status")),
        ),
    )


@router.get("/tokenizers", response_model=TokenizersResponse)
def list_tokenizers() -> TokenizersResponse:
    """All bundled encodings (the first call loads each vocabulary once)."""
    return TokenizersResponse(tokenizers=[describe(n) for n in tokbench.list_encoding_names()])


@router.get("/tokenizers/{name}", response_model=TokenizerInfo)
def get_tokenizer(name: str) -> TokenizerInfo:
    """One encoding; 404 with close names when it is not bundled."""
    return describe(name)
