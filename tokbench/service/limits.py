"""Request limits: body size (ASGI middleware), texts and characters, API keys, rate limit."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ServiceError, error_body
from .settings import Settings


class BodyTooLarge(HTTPException):
    """Raised from receive() when the body passes the limit. An HTTPException, so that the
    framework's body reader passes it on instead of turning it into a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"Request body larger than {limit} bytes. Send fewer or shorter texts, "
            "or raise TOKBENCH_MAX_BODY_BYTES.",
        )


class BodySizeLimit:
    """ASGI middleware that refuses a body over `max_bytes` before it is fully read.

    A declared Content-Length over the limit is refused before any of the body is read;
    a chunked body is counted as it streams in and refused at the chunk that passes the
    limit, so the server never holds more than the limit plus one chunk.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0  # the server rejects a malformed length itself
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:  # a handler that streamed its answer first; nothing left to say
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = error_body(
            "payload_too_large",
            BodyTooLarge(self.max_bytes).detail,
            {"max_body_bytes": self.max_bytes},
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def check_texts(texts: Sequence[str], settings: Settings) -> int:
    """The total number of characters of `texts`, after checking the request limits.

    Raises:
        ServiceError: 413 when there are more texts or characters than the settings allow.
    """
    if len(texts) > settings.max_texts:
        msg = (
            f"{len(texts)} texts in one request; at most {settings.max_texts} are allowed. "
            "Split the request, or raise TOKBENCH_MAX_TEXTS."
        )
        raise ServiceError(413, "too_many_texts", msg, {"max_texts": settings.max_texts})
    chars = sum(len(t) for t in texts)
    if chars > settings.max_chars:
        msg = (
            f"{chars} characters in one request; at most {settings.max_chars} are allowed. "
            "Split the request, or raise TOKBENCH_MAX_CHARS."
        )
        raise ServiceError(413, "too_many_characters", msg, {"max_chars": settings.max_chars})
    return chars


def presented_key(request: Request) -> str | None:
    """The API key sent as `Authorization: Bearer KEY` or `X-API-Key: KEY`, if any."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key") or None


def check_api_key(request: Request, settings: Settings) -> str | None:
    """The caller's valid key (None when keys are off).

    Raises:
        ServiceError: 401 when keys are configured and none (or a wrong one) is sent.
    """
    if not settings.api_keys:
        return None
    key = presented_key(request)
    # compare_digest against every key: the time taken does not tell which prefix matched
    if key is not None and any(
        hmac.compare_digest(key.encode(), k.encode()) for k in settings.api_keys
    ):
        return key
    msg = "Missing or wrong API key. Send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'."
    raise ServiceError(401, "unauthorized", msg, headers={"WWW-Authenticate": "Bearer"})


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets per client: `per_minute` requests a minute, `burst` at once.

    One instance per app (in app.state), shared by the worker threads of one process;
    with several uvicorn workers, each process limits on its own.
    """

    # Past this many clients, buckets that have refilled are dropped (they equal new ones).
    _PRUNE_AT = 10_000

    def __init__(self, per_minute: int, burst: int = 0) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, client: str, now: float | None = None) -> float:
        """0.0 when `client` may go ahead (and spends one request), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= self._PRUNE_AT:
                    self._prune(now)
                bucket = self._buckets[client] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        full = [
            c
            for c, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.rate >= self.capacity
        ]
        for c in full:
            del self._buckets[c]


def check_rate(request: Request, limiter: RateLimiter | None, key: str | None) -> None:
    """Spend one request of the caller's allowance (by API key, else by client address).

    Raises:
        ServiceError: 429 with Retry-After when the allowance is spent.
    """
    if limiter is None:
        return
    host = request.client.host if request.client else "-"
    client = f"key:{key}" if key is not None else f"ip:{host}"
    wait = limiter.acquire(client)
    if wait > 0.0:
        retry = max(1, int(wait + 0.999))
        msg = f"Rate limit reached; retry in {retry} s."
        raise ServiceError(
            429, "rate_limited", msg, {"retry_after_s": retry}, headers={"Retry-After": str(retry)}
        )
