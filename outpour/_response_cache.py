"""The response cache: a stage around the compiled app of each route whose handler has ``cache`` set.

Routes without ``cache`` are not wrapped and pay nothing. For a cached route, a request's key (the handler's
``cache_key_builder``, the config's ``key_builder``, or the method, path and sorted query read straight from the
scope) is looked up in the configured store:

- a hit replays the stored status, headers (cookies included) and body without running the handler, its
  dependencies or ``before_request``; the route's guards still run first. ``If-None-Match`` / ``If-Modified-Since``
  are evaluated against the stored validators (RFC 9110 section 13), so a hit may be a 304.
- a miss runs the route with the request's conditional headers hidden, so that the full response is what gets
  stored; the client still gets its 304 when its validators match. A response sent in several body messages
  (``Stream``, ``ServerSentEvent``, a large ``File``) is passed through and not stored. Concurrent misses for one key
  in one worker wait for the first (stampede protection) and then read what it stored.

Only what the route itself produced is stored: middleware wraps this stage, so a cookie a middleware adds for one
client (a session, a CSRF token) is never replayed to another. A response's ``Vary`` header is honoured: the entry
under the key names the headers, and each combination of their values is stored under a key of its own; a
``Content-Encoding`` body varies on ``Accept-Encoding`` even without ``Vary``, and ``Vary: *`` is never stored.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

import anyio
import msgspec

from outpour._errors import handle_exception
from outpour._precondition_hook import precondition_status, send_not_modified, validators_from_encoded
from outpour.config.response_cache import (
    CACHE_FOREVER,
    CACHE_KEY_SEPARATOR,
    cache_key_of_scope,
    default_cache_key_builder,
)
from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour._route_settings import RouteSettings
    from outpour.app import Outpour
    from outpour.config.response_cache import ResponseCacheConfig
    from outpour.handlers import HTTPRouteHandler
    from outpour.stores.base import Store
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["cache_expiration", "wrap_cached"]

logger = logging.getLogger("outpour")

_CONDITIONAL: Final = frozenset({b"if-none-match", b"if-modified-since", b"if-match", b"if-unmodified-since"})
_MEMO_SIZE: Final = 4096


def _is_stream(start: Message) -> bool:
    """Whether a response is streamed: a status with a body, and no ``Content-Length`` (it is sent chunked)."""
    status = start["status"]
    if status < 200 or status in (204, 304):
        return False
    return not any(name.lower() == b"content-length" for name, _ in start.get("headers") or ())


class _Entry(msgspec.Struct, array_like=True):
    """A stored response, or (``status == 0``) the marker saying which request headers its variants depend on."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    vary: list[str]


_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(_Entry).decode


def cache_expiration(handler: HTTPRouteHandler, config: ResponseCacheConfig) -> int | None:
    """The seconds a handler's responses are kept (``None``: no expiry), checked at app creation.

    Raises:
        ImproperlyConfiguredException: ``cache`` is neither ``True``, a number of seconds > 0 nor ``CACHE_FOREVER``,
            or ``cache_key_builder`` is not callable.
    """
    cache: Any = handler.cache
    builder = handler.cache_key_builder
    where = f"Handler `{handler.handler_name}`"
    if builder is not None and not callable(builder):
        raise ImproperlyConfiguredException(
            f"{where} has `cache_key_builder={builder!r}`, which is not callable: pass a function taking the request "
            "and returning the key (a `str`)."
        )
    if cache is CACHE_FOREVER:
        return None
    if cache is True:
        return config.default_expiration
    if isinstance(cache, int) and not isinstance(cache, bool) and cache > 0:
        return cache
    raise ImproperlyConfiguredException(
        f"{where} has `cache={cache!r}`: pass `True` (the config's `default_expiration`), a number of seconds > 0, "
        "or `CACHE_FOREVER`."
    )


def _header_values(scope: Scope, names: list[str]) -> str:
    wanted = {name.encode("latin-1"): index for index, name in enumerate(names)}
    values = [b""] * len(names)
    for name, value in scope["headers"]:
        index = wanted.get(name.lower())
        if index is not None:
            values[index] = value if not values[index] else values[index] + b"," + value
    return CACHE_KEY_SEPARATOR.join(value.decode("latin-1") for value in values)


def _vary_of(headers: list[tuple[bytes, bytes]]) -> list[str] | None:
    """The request headers a response varies on, lower-case and sorted; ``None`` for ``Vary: *`` (never stored)."""
    names: set[str] = set()
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"vary":
            for part in value.decode("latin-1").split(","):
                part = part.strip().lower()
                if part == "*":
                    return None
                if part:
                    names.add(part)
        elif lowered == b"content-encoding":
            names.add("accept-encoding")
    return sorted(names)


class _CacheStage:
    """The cache around one route's compiled app (see the module docstring)."""

    def __init__(
        self,
        owner: Outpour,
        handler: HTTPRouteHandler,
        settings: RouteSettings,
        method: str,
        app: ASGIApp,
        expiration: int | None,
    ) -> None:
        config = owner.response_cache_config
        self.owner = owner
        self.handler = handler
        self.guards = settings.guards
        self.exception_handlers = settings.exception_handlers
        self.request_class = settings.request_class
        self.app = app
        self.expiration = expiration
        self.config = config
        builder = handler.cache_key_builder or config.key_builder
        self.key_builder = None if builder is default_cache_key_builder else builder
        self.is_head = method == "HEAD"
        # the default key starts with the method, as `default_cache_key_builder`'s does (HEAD reads GET's entries);
        # a custom builder's key is used as it is for GET, and kept apart for the other methods
        self.default_prefix = "GET" if method == "HEAD" else method
        self.method_prefix = "" if method in ("GET", "HEAD") else method + CACHE_KEY_SEPARATOR
        self.inflight: dict[str, anyio.Event] = {}
        self.memo: dict[str, tuple[bytes, _Entry]] = {}
        """The last decoded entry of each key: a store returning the same bytes object (memory) skips decoding."""

    def _store(self) -> Store:
        return self.config.get_store_from_app(self.owner)

    def _request(self, scope: Scope, receive: Receive, send: Send) -> Any:
        scope["route_handler"] = self.handler
        return self.request_class(scope, receive, send)

    async def _read(self, store: Store, key: str) -> _Entry | None:
        raw = await store.get(key)
        if raw is None:
            return None
        memo = self.memo.get(key)
        if memo is not None and memo[0] is raw:
            return memo[1]
        try:
            entry = _decode(raw)
        except msgspec.DecodeError:  # not written by this cache: a miss, overwritten by the next response
            return None
        if len(self.memo) >= _MEMO_SIZE:
            self.memo.clear()
        self.memo[key] = (raw, entry)
        return entry

    async def _lookup(self, store: Store, key: str, scope: Scope) -> _Entry | None:
        entry = await self._read(store, key)
        if entry is not None and entry.status == 0:
            return await self._read(store, key + CACHE_KEY_SEPARATOR + _header_values(scope, entry.vary))
        return entry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.key_builder is None:
            key = self.default_prefix + cache_key_of_scope(scope)
        else:
            key = self.method_prefix + self.key_builder(self._request(scope, receive, send))
        store = self._store()
        entry = await self._lookup(store, key, scope)
        if entry is None and not self.is_head:
            pending = self.inflight.get(key)
            if pending is None:
                await self._miss(store, key, scope, receive, send)
                return
            await pending.wait()  # another request of this worker is computing this key: take what it stored
            entry = await self._lookup(store, key, scope)
        if entry is None:  # HEAD (never stored: no body), or the response just computed was not stored
            await self.app(scope, receive, send)
            return
        if self.guards and not await self._authorized(scope, receive, send):
            return
        await self._replay(entry, scope, send)

    async def _authorized(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Run the route's guards before a hit is replayed: a cached response never skips authorisation."""
        request = self._request(scope, receive, send)
        try:
            for guard in self.guards:
                result = guard(request, self.handler)
                if hasattr(result, "__await__"):
                    await result
        except Exception as exc:
            await handle_exception(exc, scope, receive, send, request, self.exception_handlers, self.owner.debug)
            if self.owner.after_exception:
                await self.owner.run_after_exception(exc, scope)
            return False
        return True

    async def _replay(self, entry: _Entry, scope: Scope, send: Send) -> None:
        headers = entry.headers
        if 200 <= entry.status < 300:
            validators = validators_from_encoded(headers)
            if validators is not None and precondition_status(scope, validators) is not None:
                await send_not_modified(send, headers)
                return
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if self.is_head else entry.body})

    async def _miss(self, store: Store, key: str, scope: Scope, receive: Receive, send: Send) -> None:
        event = self.inflight[key] = anyio.Event()
        original = scope["headers"]
        hidden = any(name.lower() in _CONDITIONAL for name, _ in original)
        if hidden:  # the route must produce the full response to store; the client's conditions are applied below
            scope["headers"] = [(name, value) for name, value in original if name.lower() not in _CONDITIONAL]
        start: Message | None = None
        captured: _Entry | None = None
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, captured, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                if _is_stream(message):  # even one whose chunks were all ready, and so come in one message
                    passing = True
                    await send(message)
                else:
                    start = message
            elif message["type"] == "http.response.body" and not message.get("more_body") and start is not None:
                status, headers = start["status"], list(start.get("headers") or [])
                captured = _Entry(status, [(bytes(n), bytes(v)) for n, v in headers], message.get("body", b""), [])
                scope["headers"] = original
                await self._replay(captured, scope, send)
            else:  # a stream, or a message this cache does not know: sent on as it comes, not stored
                passing = True
                if start is not None:  # pragma: no branch - an ASGI response starts with `http.response.start`
                    await send(start)
                await send(message)

        try:
            await self.app(scope, receive, capture)
            scope["headers"] = original
            if captured is not None:
                await self._keep(store, key, scope, captured)
        finally:
            scope["headers"] = original
            del self.inflight[key]
            event.set()  # the waiting requests read what was stored, or run the route themselves

    async def _keep(self, store: Store, key: str, scope: Scope, entry: _Entry) -> None:
        if not self.config.cache_response_filter(scope, entry.status):  # type: ignore[arg-type]
            return
        vary = _vary_of(entry.headers)
        if vary is None:
            return
        try:
            if vary:
                marker = _Entry(0, [], b"", vary)
                await store.set(key, _encode(marker), expires_in=self.expiration)
                key = key + CACHE_KEY_SEPARATOR + _header_values(scope, vary)
            await store.set(key, _encode(entry), expires_in=self.expiration)
        except Exception:  # the response was sent: a failing store costs the next request a miss, not an error
            logger.exception("The response cache could not store `%s` in store `%s`", key, self.config.store)


def wrap_cached(
    owner: Outpour, handler: HTTPRouteHandler, settings: RouteSettings, method: str, app: ASGIApp
) -> ASGIApp:
    """Wrap a route's compiled app in the response cache when its handler has ``cache`` set.

    Args:
        owner: The app (its ``response_cache_config`` and ``stores``).
        handler: The route's handler (``cache``, ``cache_key_builder``).
        settings: The route's resolved settings (guards, exception handlers, request class).
        method: The route's HTTP method.
        app: The route's compiled app.

    Returns:
        ``app`` itself when the handler is not cached, else the cache stage around it.

    Raises:
        ImproperlyConfiguredException: ``cache`` or ``cache_key_builder`` has an invalid value.
    """
    if handler.cache is False or handler.cache is None:
        return app
    expiration = cache_expiration(handler, owner.response_cache_config)
    return _CacheStage(owner, handler, settings, method, app, expiration)
