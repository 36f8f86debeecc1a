"""Errors as JSON with one stable shape: {"error": {"code", "message", "details"}}.

Every failure a client can see goes through here, so none of them leaks a stack trace:
unexpected exceptions are logged in full on the server and answered with a bare 500.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Mapping
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("tokbench.service")

# Codes for plain HTTP errors raised by the framework (unknown route, wrong method, ...).
_HTTP_CODES = {
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "rate_limited",
}


class ServiceError(Exception):
    """An error the service answers on purpose, with its HTTP status and stable code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.headers = dict(headers or {})


def unknown_name(name: str, known: Iterable[str], *, kind: str) -> ServiceError:
    """404 for an unknown tokenizer/model, naming the closest known names."""
    known = sorted(known)
    close = difflib.get_close_matches(name.lower(), known, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    return ServiceError(
        404,
        f"unknown_{kind}",
        f"Unknown {kind} {name!r}.{hint} GET /v1/{kind}s lists the known ones.",
        {"name": name, "close_matches": close},
    )


def error_body(code: str, message: str, details: Mapping[str, Any] | None = None) -> bytes:
    """The JSON bytes of an error (for the ASGI middleware, which has no JSONResponse)."""
    response = JSONResponse(
        {"error": {"code": code, "message": message, "details": dict(details or {})}}
    )
    return bytes(response.body)


def _response(
    status: int,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": dict(details or {})}},
        status_code=status,
        headers=dict(headers or {}),
    )


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(ServiceError, exc)  # registered for ServiceError only
    return _response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(StarletteHTTPException, exc)  # registered for HTTPException only
    if exc.status_code == 400:  # FastAPI's "error parsing the body": a body that is not JSON
        msg = "Invalid request: the body is not JSON (UTF-8). Send a JSON object."
        return _response(422, "invalid_request", msg, {"errors": []})
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"No route {request.url.path!r}. See /docs for the API."
    return _response(exc.status_code, code, message, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(RequestValidationError, exc)  # registered for it only
    # Only location, message and type: the raw input can be large, and ctx may hold
    # objects that are not JSON.
    problems = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg")), "type": e["type"]}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    where = ".".join(first["loc"][1:] if first["loc"][:1] == ["body"] else first["loc"])
    message = f"Invalid request: {where + ': ' if where else ''}{first['msg']}"
    return _response(422, "invalid_request", message, {"errors": problems})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _response(500, "internal_error", "Internal server error; it has been logged.")


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error raised in `app` with the stable JSON shape."""
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
