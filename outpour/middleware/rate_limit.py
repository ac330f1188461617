"""Rate limiting: ``RateLimitConfig`` and its ``RateLimitMiddleware``, with the IETF ``RateLimit-*`` headers.

Each client (``identifier_for_request``: its address by default) may make ``n`` requests in a sliding window of one
second, minute, hour or day. The timestamps of its requests in the window live in a store (``rate_limit`` in the app's
``stores``): a ``RedisStore`` or ``ValkeyStore`` shares the count between workers and hosts, and counts each request
in one atomic step on the server (a Lua script), so two workers never both take the last request of a window. Other
stores count with a read and a write, serialised per client within a worker. A request over the limit is answered 429
with ``Retry-After`` (RFC 9110 section 10.2.3) and the limit headers; the others get the limit headers on their
response.

The default identifier is the connection's peer address, never a header: ``X-Forwarded-For`` is whatever the client
wrote, so trusting it would let any client reset its own limit. Behind a proxy, let the server rewrite the address
from the proxy's headers (uvicorn's ``--forwarded-allow-ips``, a proxy-headers middleware) so that only the trusted
proxy's word counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

import anyio
import msgspec

from outpour.exceptions import ImproperlyConfiguredException, TooManyRequestsException
from outpour.middleware._define import DefineMiddleware
from outpour.middleware.base import AbstractMiddleware

if TYPE_CHECKING:
    from outpour.connection import Request
    from outpour.stores.base import Store
    from outpour.types import ASGIApp, Message, Receive, Scope, Send, SyncOrAsyncUnion

__all__ = [
    "DURATION_VALUES",
    "CacheObject",
    "DurationUnit",
    "RateLimitConfig",
    "RateLimitMiddleware",
    "get_remote_address",
]

DurationUnit = Literal["second", "minute", "hour", "day"]

DURATION_VALUES: Final[dict[DurationUnit, int]] = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
"""The seconds of each window unit."""


@dataclass
class CacheObject:
    """What the store keeps for one client: the times of its requests in the window and when the oldest leaves it.

    Attributes:
        history: The UNIX times (whole seconds) of the requests still in the window, newest first.
        reset: The UNIX time when the oldest of them leaves the window.
    """

    history: list[int]
    reset: int


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(CacheObject).decode


def get_remote_address(request: Request[Any, Any, Any]) -> str:
    """The client's address as the server saw it (``127.0.0.1`` when the server does not know it).

    Args:
        request: The request.

    Returns:
        The address.
    """
    client = request.client
    return client.host if client is not None and client.host else "127.0.0.1"


class RateLimitMiddleware(AbstractMiddleware):
    """Answer 429 to a client past its limit, and add the ``RateLimit-*`` headers to the others' responses.

    Args:
        app: The next ASGI app.
        config: The configuration.
    """

    scopes = {"http"}  # noqa: RUF012 - the base's class attribute

    def __init__(self, app: ASGIApp, config: RateLimitConfig) -> None:
        super().__init__(app, exclude=config.exclude, exclude_opt_key=config.exclude_opt_key, scopes={"http"})
        self.config = config
        self.unit, self.max_requests = config.rate_limit
        self.window = DURATION_VALUES[self.unit]
        self._locks: dict[str, anyio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request, then answer 429 or call the next app with the limit headers added."""
        app = scope["app"]
        request: Request[Any, Any, Any] = app.request_class(scope, receive, send)
        if not await self.should_check_request(request):
            await self.app(scope, receive, send)
            return
        store = self.config.get_store_from_app(app)
        key = f"{type(self).__name__}::{self.unit}::{self.max_requests}::{self.config.identifier_for_request(request)}"
        atomic = getattr(store, "_count_in_window", None)
        if atomic is not None:  # a Redis or Valkey store counts in one step on the server, for every worker
            allowed, reset, count = await atomic(key, int(time.time()), self.window, self.max_requests)
            cache_object = CacheObject(history=[reset - self.window] * count, reset=reset)
        else:
            allowed, cache_object = await self._count_locally(key, store)
        if not allowed:
            headers = self.create_response_headers(cache_object) if self.config.set_rate_limit_headers else {}
            headers["Retry-After"] = str(max(1, cache_object.reset - int(time.time())))
            raise TooManyRequestsException(
                detail=f"Rate limit exceeded: at most {self.max_requests} request(s) per {self.unit}. "
                f"Retry in {headers['Retry-After']} second(s).",
                headers=headers,
            )
        if self.config.set_rate_limit_headers:
            send = self.create_send_wrapper(send, cache_object)
        await self.app(scope, receive, send)

    async def _count_locally(self, key: str, store: Store) -> tuple[bool, CacheObject]:
        """Read, count and write the history; one request per client at a time in this worker."""
        lock = self._locks.setdefault(key, anyio.Lock())
        try:
            async with lock:
                cache_object = await self.retrieve_cached_history(key, store)
                allowed = len(cache_object.history) < self.max_requests
                if allowed:
                    cache_object.history.insert(0, int(time.time()))
                    await self.set_cached_history(key, cache_object, store)
        finally:
            if not lock.locked() and lock.statistics().tasks_waiting == 0:
                self._locks.pop(key, None)
        return allowed, cache_object

    def create_send_wrapper(self, send: Send, cache_object: CacheObject) -> Send:
        """Wrap ``send`` to add the limit headers to the response's start message.

        Args:
            send: The ASGI send callable.
            cache_object: The client's history after this request.

        Returns:
            The wrapped callable.
        """
        extra = [
            (name.lower().encode(), value.encode())
            for name, value in self.create_response_headers(cache_object).items()
        ]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        return send_wrapper

    def create_response_headers(self, cache_object: CacheObject) -> dict[str, str]:
        """The ``RateLimit-*`` headers for a client's history (names from the config).

        Args:
            cache_object: The client's history.

        Returns:
            Header names to values.
        """
        config = self.config
        remaining = max(0, self.max_requests - len(cache_object.history))
        return {
            config.rate_limit_policy_header_key: f"{self.max_requests}; w={self.window}",
            config.rate_limit_limit_header_key: str(self.max_requests),
            config.rate_limit_remaining_header_key: str(remaining),
            config.rate_limit_reset_header_key: str(max(0, cache_object.reset - int(time.time()))),
        }

    async def retrieve_cached_history(self, key: str, store: Store) -> CacheObject:
        """Read a client's history, dropping the requests that left the window.

        A value the store holds that is not a history (written by something else) counts as no history, and so does
        a history whose ``reset`` time has passed.

        Args:
            key: The client's key.
            store: The store.

        Returns:
            The history; ``reset`` is when its oldest request leaves the window.
        """
        now = int(time.time())
        raw = await store.get(key)
        history: list[int] = []
        if raw is not None:
            try:
                stored = _decode(raw)
            except msgspec.DecodeError:
                stored = None
            # A stored `reset` already past ends the window, whatever the history says (as in Litestar).
            if stored is not None and stored.reset > now:
                history = [at for at in stored.history if at > now - self.window]
        reset = (history[-1] if history else now) + self.window
        return CacheObject(history=history, reset=reset)

    async def set_cached_history(self, key: str, cache_object: CacheObject, store: Store) -> None:
        """Write a client's history, expiring with its window.

        Args:
            key: The client's key.
            cache_object: The history.
            store: The store.
        """
        cache_object.reset = cache_object.history[-1] + self.window if cache_object.history else cache_object.reset
        await store.set(key, _encode(cache_object), expires_in=self.window)

    async def should_check_request(self, request: Request[Any, Any, Any]) -> bool:
        """Whether the request counts: ``check_throttle_handler`` decides when given, else every request does.

        Args:
            request: The request.

        Returns:
            Whether to count it.
        """
        handler = self.config.check_throttle_handler
        if handler is None:
            return True
        result = handler(request)
        if not isinstance(result, bool):
            result = await result
        return bool(result)


@dataclass
class RateLimitConfig:
    """Configuration of ``RateLimitMiddleware``; add ``config.middleware`` to a layer's ``middleware``.

    Args:
        rate_limit: The window unit (``"second"``, ``"minute"``, ``"hour"`` or ``"day"``) and the requests allowed in
            it, such as ``("minute", 60)``.
        exclude: Path patterns (regular expressions) not limited.
        exclude_opt_key: Routes whose ``opt`` has this key set are not limited.
        identifier_for_request: Returns the client's identity (its address by default; see the module docstring
            about proxies).
        check_throttle_handler: Called with the request (sync or async): whether it counts. Every request does
            when not given.
        middleware_class: The middleware class ``middleware`` builds.
        set_rate_limit_headers: Add the ``RateLimit-*`` headers to responses (and 429s).
        rate_limit_policy_header_key: The policy header's name.
        rate_limit_remaining_header_key: The remaining-requests header's name.
        rate_limit_reset_header_key: The seconds-to-reset header's name.
        rate_limit_limit_header_key: The limit header's name.
        store: The name of the store in the app's ``stores``.

    Raises:
        ImproperlyConfiguredException: ``rate_limit`` is not a known unit with a number of requests >= 1.
    """

    rate_limit: tuple[DurationUnit, int]
    exclude: str | list[str] | None = None
    exclude_opt_key: str | None = None
    identifier_for_request: Callable[[Request[Any, Any, Any]], str] = field(default=get_remote_address)
    check_throttle_handler: Callable[[Request[Any, Any, Any]], SyncOrAsyncUnion[bool]] | None = None
    middleware_class: type[RateLimitMiddleware] = RateLimitMiddleware
    set_rate_limit_headers: bool = True
    rate_limit_policy_header_key: str = "RateLimit-Policy"
    rate_limit_remaining_header_key: str = "RateLimit-Remaining"
    rate_limit_reset_header_key: str = "RateLimit-Reset"
    rate_limit_limit_header_key: str = "RateLimit-Limit"
    store: str = "rate_limit"

    def __post_init__(self) -> None:
        limit = self.rate_limit
        valid = (
            isinstance(limit, tuple)
            and len(limit) == 2
            and limit[0] in DURATION_VALUES
            and isinstance(limit[1], int)
            and not isinstance(limit[1], bool)
            and limit[1] >= 1
        )
        if not valid:
            raise ImproperlyConfiguredException(
                f"`RateLimitConfig(rate_limit={limit!r})`: give a unit ({', '.join(map(repr, DURATION_VALUES))}) "
                "and the number of requests allowed in it (an `int` >= 1), such as `('minute', 60)`."
            )

    @property
    def middleware(self) -> DefineMiddleware:
        """The middleware to add to a layer's ``middleware``."""
        return DefineMiddleware(self.middleware_class, config=self)

    def get_store_from_app(self, app: Any) -> Store:
        """Return the store named ``store`` from ``app.stores``.

        Args:
            app: The application.

        Returns:
            The store.
        """
        store: Store = app.stores.get(self.store)
        return store
