"""The price book the service runs on, and tokbench.pricing/energy errors as HTTP errors.

The book is loaded once when the app is created (the bundled one, extended by the file in
TOKBENCH_PRICE_BOOK if set). If it cannot be loaded the service still counts tokens, and the
priced routes answer 503 with the reason instead of guessing.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from starlette.requests import Request

from ..energy import UnknownHardwareError, UnknownRegionError
from ..errors import PriceBookError, UnknownNameError, UnsupportedTokenizerError
from ..pricing import AmbiguousModelError, Book, MissingFxRateError, load_book
from .errors import ServiceError
from .settings import Settings

log = logging.getLogger("tokbench.service")


@dataclass(frozen=True, slots=True)
class PriceBookState:
    """The loaded book (or why there is none) and how the API names it."""

    book: Book | None
    info: dict[str, str] | None
    problem: str | None = None


def load_price_book(settings: Settings) -> PriceBookState:
    """Read the book at app start; a bad book is logged and reported, not fatal."""
    try:
        book = load_book(settings.price_book or None)
    except PriceBookError as e:
        log.error("price book unavailable: %s", e)
        return PriceBookState(None, None, str(e))
    newest = max((o.as_of for o in book.offers), default=None)
    info = {
        "snapshot": book.book_version,
        "as_of": newest.isoformat() if newest else "",
        "source": settings.price_book or "bundled",
    }
    return PriceBookState(book, info)


def book_of(request: Request) -> Book:
    """The app's price book, or a 503 saying why there is none."""
    state: PriceBookState = request.app.state.prices
    if state.book is None:
        msg = f"Prices are unavailable on this server: {state.problem}"
        raise ServiceError(503, "price_book_unavailable", msg)
    return state.book


def _model_names(book: Book) -> list[str]:
    return sorted({o.id for o in book.offers} | {o.model for o in book.offers})


@contextmanager
def pricing_errors(book: Book, model: str) -> Iterator[None]:
    """Turn the library's errors about `model` into HTTP errors with stable codes."""
    try:
        yield
    except AmbiguousModelError as e:
        raise ServiceError(422, "ambiguous_model", str(e), {"name": model}) from None
    except UnknownNameError as e:
        close = difflib.get_close_matches(model, _model_names(book), n=5, cutoff=0.5)
        details = {"name": model, "close_matches": close}
        raise ServiceError(404, "unknown_model", str(e), details) from None
    except MissingFxRateError as e:
        raise ServiceError(422, "missing_fx_rate", str(e), {"model": model}) from None
    except PriceBookError as e:
        raise ServiceError(422, "not_priced", str(e), {"model": model}) from None
    except UnsupportedTokenizerError as e:
        raise ServiceError(501, "tokenizer_unavailable", str(e), {"model": model}) from None
    except (UnknownRegionError, UnknownHardwareError) as e:
        code = "unknown_region" if isinstance(e, UnknownRegionError) else "unknown_hardware"
        raise ServiceError(404, code, str(e)) from None
    except ValueError as e:  # bad messages, counts the models cannot take
        raise ServiceError(422, "invalid_request", str(e), {"model": model}) from None
