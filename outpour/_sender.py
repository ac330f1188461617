"""The sending stage of a route: how a handler's return value reaches the wire.

The layered headers and cookies are checked and encoded once, at start-up. Per request, plain data is rendered to
bytes and sent in two messages; a returned response goes through its own class: ``response_parts`` for a plain
``Response``, ``stream_start`` and ``send_stream`` for a ``Stream`` or ``ServerSentEvent``, ``to_asgi_response`` for
everything else. Nothing here repeats a response class's logic: those functions live with the classes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeAlias, cast, get_origin

from outpour._dependencies import maybe_await
from outpour._errors import end_disconnected, handle_exception
from outpour._precondition_hook import (
    SAFE_METHODS,
    precondition_failed,
    precondition_status,
    send_not_modified,
    validators_from_values,
)
from outpour.background_tasks import run_background
from outpour.connection.request import ClientDisconnected
from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.datastructures.cookie import Cookie
from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response._render import (
    body_forbidden,
    content_type_header,
    direct_encoders,
    get_renderer,
    media_type_str,
)
from outpour.response.base import Response, plain_head, response_parts
from outpour.response.redirect import (
    Redirect,
    location_pair,
    plain_redirect_template,
    redirect_media_type,
    redirect_parts,
)
from outpour.response.sse import ServerSentEvent
from outpour.response.streaming import (
    ASGIStreamingResponse,
    Stream,
    _chunk_to_bytes,
    send_stream,
    send_stream_head,
    stream_start,
)
from outpour.serialization import get_serializer

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from outpour._route_settings import RouteSettings
    from outpour.app import Outpour
    from outpour.connection import Request
    from outpour.handlers import HTTPRouteHandler
    from outpour.response.streaming import Wire
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SendPath", "Sender"]

SendPath: TypeAlias = "Callable[[Any, Scope, Receive, Send, Request[Any, Any, Any] | None], Awaitable[None]]"
"""How a returned value of one kind is sent: ``(value, scope, receive, send, request)``."""

_PLAIN_STREAMS = frozenset({Stream, ServerSentEvent})
"""Stream classes sent by ``stream_start``/``send_stream`` when a handler returns one of them exactly."""
_REQUEST_FREE = frozenset({Stream.to_asgi_response, ServerSentEvent.to_asgi_response})
"""``to_asgi_response`` methods that do not use the request: no ``Request`` is built for them."""
_MAX_PLAIN_HEADS = 256
"""How many distinct header sets of returned responses a route keeps encoded."""
_SMALL = 1024
_CONTENT_LENGTHS = tuple((b"content-length", b"%d" % size) for size in range(_SMALL))
"""The ``Content-Length`` headers of small bodies, built once."""
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})
_UNSAFE_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
"""Bytes no header line may carry: CR, LF, NUL and the other control characters but HTAB."""


class Sender:
    """Sends one route's answers: its return values, its returned responses and its errors."""

    def __init__(
        self,
        app: Outpour,
        handler: HTTPRouteHandler,
        settings: RouteSettings,
        *,
        label: str,
        method: str,
        status_code: int,
        media_type: str,
        handler_media_type: str | None,
        return_annotation: Any,
        general: bool,
    ) -> None:
        self.app = app
        self.handler = handler
        self.label = label
        self.is_head = method == "HEAD"
        self.status_code = status_code
        self.bodyless = body_forbidden(status_code)
        self.media_type = media_type
        self.handler_media_type = handler_media_type
        """The media type the handler sets (``handler.media_type``), which a returned ``Redirect`` may take."""
        self.type_encoders = settings.type_encoders or None
        self.error_serializer = get_serializer(self.type_encoders) if self.type_encoders else None
        """Encodes what an error response's ``extra`` holds with the route's ``type_encoders``."""
        self.response_class: type[Response[Any]] = settings.response_class
        self.request_class: type[Request[Any, Any, Any]] = settings.request_class
        self.exception_handlers = settings.exception_handlers
        self.after_request = settings.after_request
        self.background = handler.background
        self.last_stream_start: tuple[Any, ...] | None = None
        """The start line of the last stream sent without headers or cookies of its own (``send_plain_stream``)."""
        # On the general path plain data is wrapped in the response class too, as `handler.to_response` does.
        self.prepares = general or self.after_request is not None or self.response_class is not Response
        """Whether returned values go through ``prepare`` (an ``after_request`` hook or a custom response class)."""
        self._compile_headers(settings, method)
        self.encoders = direct_encoders(self.media_type, self.type_encoders, return_annotation)
        """What the renderer applies to values of a few types, by type: called directly, one call less."""
        self.plain_heads: dict[tuple[Any, ...], list[tuple[bytes, bytes]]] | None = (
            None if self.bodyless or self.timed_cookies else {}
        )
        """``plain_head`` by a returned ``Response``'s own header items, for responses with the route's defaults."""
        self.plain_validators = self.response_validators if 200 <= self.status_code < 300 else None
        self.redirect_template: tuple[int, list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]] | None = None
        """``plain_redirect_template``: the status and the headers around the ``Location`` of a plain redirect."""
        if not self.timed_cookies and not general:
            self.redirect_template = plain_redirect_template(
                self.header_values,
                self.cookies,
                self.encoded_cookies,
                self.handler_media_type,
                self.status_code,
                self.redirect_content_type,
            )
        self.direct: dict[type, SendPath] = (
            {}
            if general
            else {
                Response: self.send_plain_response,
                Redirect: self.send_redirect,
                Stream: self.send_plain_stream,
                ServerSentEvent: self.send_plain_stream,
            }
        )
        """The send path of each response class sent without its ``to_asgi_response`` (none on the general path)."""
        # A handler annotated to return exactly one of those classes goes straight to its send path, which hands any
        # other value to `send_value`.
        returned = get_origin(return_annotation) or return_annotation
        self.finish: SendPath = self.direct.get(returned, self.send_value)

    # -- start-up ---------------------------------------------------------------------------------------------------

    def _compile_headers(self, settings: RouteSettings, method: str) -> None:
        header_values: dict[str, str] = {
            h.name.lower(): str(h.value)
            for h in settings.response_headers
            if not h.documentation_only and h.value is not None
        }
        cache_control = settings.cache_control
        if cache_control is not None and not getattr(cache_control, "documentation_only", False):
            header_values["cache-control"] = cache_control.to_header()
        if settings.etag is not None and not settings.etag.documentation_only:
            header_values["etag"] = settings.etag.to_header()
        self.header_values = header_values
        self.cookies = [c for c in settings.response_cookies if not c.documentation_only]
        encoded = [self._check_static_header(name, value) for name, value in header_values.items()]
        # A cookie with `expires` carries a date relative to now: it is rendered per response, the rest once.
        self.timed_cookies = [c for c in self.cookies if c.expires is not None]
        self.encoded_cookies = [self._check_static_cookie(c) for c in self.cookies if c.expires is None]
        for cookie in self.timed_cookies:
            self._check_static_cookie(cookie)
        # With timed cookies, rendered per response in the layered order: the pre-encoded line, or the cookie.
        pre = iter(self.encoded_cookies)
        self.cookie_slots: list[tuple[bytes, bytes] | Cookie] = (
            [c if c.expires is not None else next(pre) for c in self.cookies] if self.timed_cookies else []
        )
        prefix = list(encoded)
        if "content-type" not in header_values and not self.bodyless:
            prefix.append((b"content-type", content_type_header(self.media_type)))
        self.start_headers = [*prefix, *self.encoded_cookies]
        self.encoded_header_values = [(name.lower(), value) for name, value in encoded]
        # Static validators (layered `etag`, or `Last-Modified` in `response_headers`): GET and HEAD are evaluated
        # before the body is rendered, other methods before the handler runs (see `outpour._runners`). A returned
        # response is evaluated against them when its own status is 2xx, as its `ASGIResponse` would.
        layered = validators_from_values(header_values)
        validators = layered if 200 <= self.status_code < 300 else None
        self.validators = validators if method in SAFE_METHODS else None
        self.unsafe_validators = validators if method not in SAFE_METHODS else None
        self.response_validators = layered if method in SAFE_METHODS else None
        self.renderer = get_renderer(self.media_type, self.type_encoders)
        self.content_type = content_type_header(self.media_type)
        redirect_type = redirect_media_type(self.handler_media_type) or MediaType.TEXT
        self.redirect_content_type = content_type_header(media_type_str(redirect_type))

    def _check_static_header(self, name: str, value: str) -> tuple[bytes, bytes]:
        """Check and encode a layered header once, at start-up (a field may have been edited after it was built)."""
        try:
            check_header_name(name, error=ImproperlyConfiguredException)
            check_header_value(value, name=name, error=ImproperlyConfiguredException)
        except ImproperlyConfiguredException as exc:
            raise ImproperlyConfiguredException(f"{self.label}: {exc.detail}") from None
        if name in _FRAMING_HEADERS:
            raise ImproperlyConfiguredException(
                f"{self.label} declares the header `{name}` in `response_headers`, but the framework sets it from the "
                "body it sends: a second one would corrupt the response. Remove it."
            )
        return name.encode("latin-1"), value.encode("latin-1")

    def _check_static_cookie(self, cookie: Cookie) -> tuple[bytes, bytes]:
        """Check and encode a layered cookie once, at start-up (a field may have been edited after it was built)."""
        name, value = cookie.to_encoded_header()
        if _UNSAFE_BYTES.search(value) is not None:
            raise ImproperlyConfiguredException(
                f"{self.label}: cookie `{cookie.key}` renders with a control character (CR, LF, NUL, ...): "
                f"`{value!r}`. A field was changed after the `Cookie` was built: build a new `Cookie` instead."
            )
        return name, value

    # -- per request ------------------------------------------------------------------------------------------------

    def _cookie_headers(self) -> list[tuple[bytes, bytes]]:
        return [slot.to_encoded_header() if isinstance(slot, Cookie) else slot for slot in self.cookie_slots]

    def headers(self) -> list[tuple[bytes, bytes]]:
        """The route's start headers for this response (timed cookies rendered now)."""
        if not self.timed_cookies:
            return list(self.start_headers)
        return [*self.start_headers[: len(self.start_headers) - len(self.encoded_cookies)], *self._cookie_headers()]

    async def send_value(
        self, value: Any, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a handler's return value: plain data goes straight to bytes; responses and ASGI apps are delegated."""
        encode = self.encoders.get(type(value))
        if encode is None and (isinstance(value, Response) or (callable(value) and not isinstance(value, type))):
            direct = self.direct.get(type(value))
            if direct is not None:
                await direct(value, scope, receive, send, request)
            else:
                await self.send_response_object(value, scope, receive, send, request)
            return
        if self.validators is not None:
            outcome = precondition_status(scope, self.validators)
            if outcome == 304:
                await send_not_modified(send, self.headers())
                if self.background is not None:
                    await run_background(self.background, scope)
                return
            if outcome == 412:
                await self.on_error(precondition_failed(), scope, receive, send, request)
                return
        if self.bodyless:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.headers()})
            await send({"type": "http.response.body", "body": b""})
        else:
            try:
                body = encode(value) if encode is not None else self.renderer(value)
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
            size = len(body)
            length = _CONTENT_LENGTHS[size] if size < _SMALL else (b"content-length", b"%d" % size)
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": [*self.headers(), length] if self.timed_cookies else [*self.start_headers, length],
                }
            )
            await send({"type": "http.response.body", "body": b"" if self.is_head else body})
        if self.background is not None:
            await run_background(self.background, scope)

    async def send_plain_response(
        self, value: Any, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a returned ``Response`` (the class itself) without a Request, an ASGIResponse or a send wrapper.

        A handler annotated to return ``Response`` has this method as its ``finish``: any other value goes to
        ``send_value``.
        """
        if type(value) is not Response:
            await self.send_value(value, scope, receive, send, request)
            return
        heads = self.plain_heads
        if (
            heads is not None
            and value.status_code is None
            and not value.cookies
            and value.media_type is None
            and value.response_type_encoders is None
            and value.encoding == "utf-8"
        ):
            # The route's status, renderer and cookies: only the response's own headers vary, and they repeat.
            body = b""
            try:
                own = value.headers
                head: list[tuple[bytes, bytes]] | None
                try:
                    head = heads[tuple(own.items())]
                except (KeyError, TypeError, AttributeError):
                    head = self._plain_head(own)
                if head is not None:
                    content = value.content
                    encode = self.encoders.get(type(content))
                    body = encode(content) if encode is not None else self.renderer(content)
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
            if head is not None:
                size = len(body)
                headers = [
                    *head,
                    _CONTENT_LENGTHS[size] if size < _SMALL else (b"content-length", b"%d" % size),
                    *self.encoded_cookies,
                ]
                validators = self.plain_validators
                if validators is not None:
                    outcome = precondition_status(scope, validators)
                    if outcome is not None:
                        await self._precondition_outcome(outcome, value, headers, scope, receive, send, request)
                        return
                await send({"type": "http.response.start", "status": self.status_code, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if self.is_head else body})
                background = value.background or self.background
                if background is not None:
                    await run_background(background, scope)
                return
        try:
            parts = response_parts(
                value,
                self.encoded_header_values,
                self.cookies,
                self._cookie_headers() if self.timed_cookies else self.encoded_cookies,
                self.media_type,
                self.status_code,
                self.type_encoders,
                self.renderer,
                self.content_type,
            )
        except Exception as exc:
            await self.on_error(exc, scope, receive, send, request)
            return
        if parts is None:  # an ETag or Last-Modified of its own to evaluate
            await self.send_response_object(value, scope, receive, send, request)
            return
        status, headers, body = parts
        validators = self.response_validators
        if validators is not None and 200 <= status < 300:
            # The layered validators, evaluated as the response's `ASGIResponse` would (RFC 9110, section 13.2.2).
            outcome = precondition_status(scope, validators)
            if outcome == 304:
                await send_not_modified(send, headers)
                background = value.background or self.background
                if background is not None:
                    await run_background(background, scope)
                return
            if outcome == 412:
                await self.on_error(precondition_failed(), scope, receive, send, request)
                return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if self.is_head else body})
        background = value.background or self.background
        if background is not None:
            await run_background(background, scope)

    def _plain_head(self, own: dict[str, Any]) -> list[tuple[bytes, bytes]] | None:
        """``plain_head`` for a returned ``Response``'s own headers, kept when they are strings (most are constants)."""
        head = plain_head(own, self.encoded_header_values, self.content_type)
        heads = self.plain_heads
        if (
            head is not None
            and heads is not None
            and type(own) is dict
            and all(type(k) is str and type(v) is str for k, v in own.items())
        ):
            if len(heads) >= _MAX_PLAIN_HEADS:
                heads.clear()
            heads[tuple(own.items())] = head
        return head

    async def _precondition_outcome(
        self,
        outcome: int,
        value: Response[Any],
        headers: list[tuple[bytes, bytes]],
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request[Any, Any, Any] | None,
    ) -> None:
        """Answer a returned response's failed precondition: 304 with its headers, or the 412 error."""
        if outcome == 304:
            await send_not_modified(send, headers)
            background = value.background or self.background
            if background is not None:
                await run_background(background, scope)
            return
        await self.on_error(precondition_failed(), scope, receive, send, request)

    async def send_redirect(
        self, value: Any, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a returned ``Redirect`` (the class itself) without a Request or an ASGIRedirectResponse.

        A handler annotated to return ``Redirect`` has this method as its ``finish``: any other value goes to
        ``send_value``.
        """
        if type(value) is not Redirect:
            await self.send_value(value, scope, receive, send, request)
            return
        template = self.redirect_template
        if (
            template is not None
            and not value.headers
            and not value.cookies
            and not value.query_params
            and type(value.path) is str
            and value.media_type is None
            and value.encoding == "utf-8"
        ):
            # A plain redirect: only its status and Location vary; the headers around them are the route's.
            status = value.status_code
            if status is None:
                status = template[0]
            try:
                headers = [*template[1], location_pair(value.path), *template[2]]
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
        else:
            try:
                status, headers = redirect_parts(
                    value,
                    self.header_values,
                    self.cookies,
                    self._cookie_headers() if self.timed_cookies else self.encoded_cookies,
                    self.handler_media_type,
                    self.status_code,
                    self.redirect_content_type,
                )
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        background = value.background or self.background
        if background is not None:
            await run_background(background, scope)

    async def send_plain_stream(
        self, value: Any, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a returned ``Stream`` or ``ServerSentEvent`` (those classes exactly) without an ASGIResponse.

        The start line of a stream without headers or cookies of its own depends only on its class, status, media
        type and encoding: the last one is kept, and reused while they are the same objects. A handler annotated to
        return one of these classes has this method as its ``finish``: any other value goes to ``send_value``.
        """
        if type(value) not in _PLAIN_STREAMS:  # a handler annotated `-> Stream` returned something else
            await self.send_value(value, scope, receive, send, request)
            return
        last = self.last_stream_start
        if (
            last is not None
            and last[0] is type(value)
            and last[1] is value.status_code
            and last[2] is value.media_type
            and last[3] is value.encoding
            and not value.headers
            and not value.cookies
        ):
            status, headers, head = last[4], [*last[5]], last[6]
        else:
            try:
                status, headers = stream_start(
                    value,
                    self.encoded_header_values,
                    self.cookies,
                    self._cookie_headers() if self.timed_cookies else self.encoded_cookies,
                    self.media_type,
                    self.status_code,
                )
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
            head = self.is_head or body_forbidden(status)
            if not value.headers and not value.cookies and not self.timed_cookies:
                last = (type(value), value.status_code, value.media_type, value.encoding, status, tuple(headers), head)
                self.last_stream_start = last
        start = {"type": "http.response.start", "status": status, "headers": headers}
        if head:
            await send_stream_head(send, start, value.iterator)
        elif type(value) is Stream and value.encoding == "utf-8":
            # After the start line, errors are the server's to handle (as for any stream).
            await send_stream(scope, receive, send, start, value.iterator, _chunk_to_bytes, b"", None, b"")
        else:
            try:
                wire: Wire = value._wire(self.type_encoders)
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
            await send_stream(scope, receive, send, start, value.iterator, *wire)
        background = value.background or self.background
        if background is not None:
            await run_background(background, scope)

    async def send_response_object(
        self,
        value: Any,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request[Any, Any, Any] | None,
        wrapped: bool = False,
    ) -> None:
        """Send a returned response through its class's ``to_asgi_response`` (or a returned ASGI app as it is)."""
        if isinstance(value, Response):
            try:
                if request is None and type(value).to_asgi_response not in _REQUEST_FREE:
                    request = self.make_request(scope, receive, send)
                asgi_response: Any = self.asgi_response_of(value, wrapped, request)
            except Exception as exc:
                await self.on_error(exc, scope, receive, send, request)
                return
        else:
            asgi_response = value
        if isinstance(asgi_response, ASGIStreamingResponse):
            # A stream checks everything before its start line; after it, errors are the server's to handle.
            await asgi_response(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await asgi_response(scope, receive, tracking_send)
        except Exception as exc:
            # A response may refuse before sending anything (a missing file is a 404); after the start line went
            # out, only the server can end the exchange.
            if started:
                raise
            await self.on_error(exc, scope, receive, send, request)

    def make_request(self, scope: Scope, receive: Receive, send: Send) -> Request[Any, Any, Any]:
        """The route's ``Request`` for this exchange (its ``request_class``)."""
        scope["route_handler"] = self.handler
        return self.request_class(scope, receive, send)

    async def on_error(
        self, exc: Exception, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Answer ``exc`` through the route's exception handlers, then run the app's ``after_exception`` hooks.

        The default error response takes the handler's media type, as Litestar's does (JSON when it has none).
        """
        if isinstance(exc, ClientDisconnected):
            await end_disconnected(scope, send)
            return
        await handle_exception(
            exc,
            scope,
            receive,
            send,
            request,
            self.exception_handlers,
            self.app.debug,
            self.handler_media_type,
            self.error_serializer,
        )
        if self.app.after_exception:
            await self.app.run_after_exception(exc, scope)

    async def prepare(self, value: Any) -> tuple[Any, bool]:
        """Apply the response class and the ``after_request`` hook to a returned value (when ``prepares``).

        As Litestar does, plain data becomes the layer's response class built with the route's defaults, which the
        hook may then replace. Returns the value and whether it was built here.
        """
        wrapped = False
        if not (isinstance(value, Response) or (callable(value) and not isinstance(value, type))):
            value = self.response_class(
                content=value,
                background=self.background,
                media_type=self.media_type,
                status_code=self.status_code,
                type_encoders=self.type_encoders,
            )
            wrapped = True
        if self.after_request is not None:
            value = await maybe_await(self.after_request(value))
        return value, wrapped

    def asgi_response_of(self, value: Response[Any], wrapped: bool, request: Request[Any, Any, Any] | None) -> ASGIApp:
        """The ASGI response of a ``Response`` with the route's layered settings.

        ``wrapped``: the route made the ``Response`` itself, already with its media type, status and encoders.
        """
        if wrapped:
            return value.to_asgi_response(
                request, cookies=self.cookies, headers=self.header_values, is_head_response=self.is_head
            )
        return value.to_asgi_response(
            request,
            background=self.background,
            cookies=self.cookies,
            headers=self.header_values,
            is_head_response=self.is_head,
            media_type=self.media_type,
            status_code=self.status_code,
            type_encoders=self.type_encoders,
        )

    async def send_prepared(
        self,
        value: Any,
        wrapped: bool,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request[Any, Any, Any] | None,
    ) -> None:
        """Send a value ``prepare`` returned (or a returned value, when the route does not prepare them)."""
        if wrapped and isinstance(value, Response):
            await self.send_response_object(value, scope, receive, send, request, wrapped=True)
        else:
            await self.send_value(value, scope, receive, send, request)

    async def to_response(self, value: Any, request: Request[Any, Any, Any]) -> ASGIApp:
        """The ASGI app sending ``value`` as the route sends a handler's return value (``handler.to_response``).

        Plain data comes back as the ASGI response of the route's response class, as in Litestar (its ``body``,
        headers and cookies inspectable), on every path: the send path itself skips building that object.
        """
        value, wrapped = await self.prepare(value)
        if isinstance(value, Response):
            # Litestar's contract: a returned response comes back as the ASGI response object it builds (its
            # headers, cookies and background inspectable), with the route's layered settings applied.
            return self.asgi_response_of(value, wrapped, request)
        if callable(value) and not isinstance(value, type):
            return cast("ASGIApp", value)  # an ASGI app the handler returned is sent as it is
        send_prepared = self.send_prepared

        async def send_response(scope: Scope, receive: Receive, send: Send) -> None:
            await send_prepared(value, wrapped, scope, receive, send, request)

        return send_response
