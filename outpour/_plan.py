"""Per-route plans: everything a route needs, resolved once at start-up, and the coroutine that runs a request.

A handler returning a plain value (no hooks, no custom response class) goes straight to bytes and two ASGI messages;
nothing is inspected and no ``Request`` is built unless the handler, a hook, a guard or a dependency asks for one.
"""

from __future__ import annotations

import collections.abc
import inspect
import logging
import os
import re
import typing
from collections.abc import Callable, Mapping
from functools import partial
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, AnyStr, TypeVar, Union, get_args, get_origin

import msgspec

from outpour._errors import end_disconnected, handle_exception
from outpour._precondition_hook import (
    SAFE_METHODS,
    precondition_failed,
    precondition_status,
    send_not_modified,
    validators_from_values,
)
from outpour._signature import Field, constrained_body, get_hints, layered_fields, parse_fields
from outpour.background_tasks import run_background
from outpour.concurrency import sync_to_thread
from outpour.connection.request import ClientDisconnected
from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.datastructures.cookie import Cookie
from outpour.datastructures.upload_file import UploadFile
from outpour.datastructures.url import parse_query
from outpour.di import Provide
from outpour.enums import MediaType, RequestEncodingType
from outpour.exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    UnsupportedMediaTypeException,
    ValidationException,
)
from outpour.response._render import body_forbidden, content_type_header, get_renderer, media_type_str
from outpour.response.base import Response, response_parts
from outpour.response.sse import ServerSentEvent
from outpour.response.streaming import (
    ASGIStreamingResponse,
    Stream,
    _chunk_to_bytes,
    send_stream,
    send_stream_head,
    stream_start,
)
from outpour.serialization import (
    convert,
    get_json_decoder,
    get_msgpack_decoder,
    is_json_media_type,
    is_msgpack_media_type,
    malformed_reason,
)
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._route_settings import RouteSettings
    from outpour._routing import PathParam, PathTemplate
    from outpour.app import Outpour
    from outpour.connection import Request
    from outpour.datastructures.multi_dicts import FormMultiDict
    from outpour.handlers import HTTPRouteHandler
    from outpour.response.streaming import Wire
    from outpour.types import ASGIApp, Message, Receive, Scope, Send, TypeDecodersSequence

__all__ = ["HTTPPlan", "compile_http_handler", "general_path_only", "parse_query"]

_PLAIN_STREAMS = frozenset({Stream, ServerSentEvent})
"""Stream classes sent by ``stream_start``/``send_stream`` when a handler returns one of them exactly."""
_REQUEST_FREE = frozenset({Stream.to_asgi_response, ServerSentEvent.to_asgi_response})
"""``to_asgi_response`` methods that do not use the request: no ``Request`` is built for them."""

_MSGSPEC_PATH = re.compile(r" - at `\$((?:\.[^`\[]+|\[\d+\])*)`$")
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})
_UNSAFE_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
"""Bytes no header line may carry: CR, LF, NUL and the other control characters but HTAB."""

logger = logging.getLogger("outpour")


def general_path_only() -> bool:
    """Whether ``OUTPOUR_GENERAL_PATH=1`` turns every specialisation off (read once per plan, see ``docs/dev/``)."""
    return os.environ.get("OUTPOUR_GENERAL_PATH") == "1"


def _is_none_annotation(annotation: Any) -> bool:
    if annotation in (None, type(None)):
        return True
    origin = get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, Response):
        args = get_args(annotation)
        return bool(args) and args[0] in (None, type(None))
    return False


def _is_text_annotation(annotation: Any) -> bool:
    return annotation is AnyStr or (isinstance(annotation, type) and issubclass(annotation, (str, bytes)))


def _may_be_response(annotation: Any) -> bool:
    """Whether a handler so annotated may return a ``Response`` (or an ASGI app), whose own media type then applies."""
    if annotation is Any or annotation is object or isinstance(annotation, TypeVar):
        return True
    origin = get_origin(annotation)
    if origin is collections.abc.Callable or annotation is collections.abc.Callable:
        return True
    if origin is Annotated:
        return _may_be_response(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_may_be_response(arg) for arg in get_args(annotation))
    target = origin or annotation
    return isinstance(target, type) and issubclass(target, Response)


async def _call(fn: Callable[..., Any], is_async: bool, to_thread: bool, kwargs: dict[str, Any]) -> Any:
    if is_async:
        return await fn(**kwargs)
    if to_thread:
        return await sync_to_thread(fn, **kwargs)
    return fn(**kwargs)


def _is_async_callable(fn: Any) -> bool:
    while isinstance(fn, partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004
    return not inspect.isroutine(fn) and not inspect.isclass(fn) and inspect.iscoroutinefunction(call)


async def _close_form(scope: Scope) -> None:
    """Close the files of a multipart form parsed for this request, once the response is sent."""
    form = scope.get("_outpour_form")
    if form is not None:
        await form.close()


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class _Provider:
    """A dependency compiled for one route: its provider, fields and kind."""

    __slots__ = ("fields", "fn", "is_agen", "is_async", "is_gen", "name", "provide", "to_thread")

    def __init__(self, name: str, provide: Provide, fields: list[Field]) -> None:
        self.name = name
        self.provide = provide
        self.fn = provide.dependency
        self.fields = fields
        self.is_gen = provide.is_generator
        self.is_agen = provide.is_async_generator
        self.is_async = not provide.has_sync_callable and not self.is_agen
        self.to_thread = provide.sync_to_thread


class _RouteContext:
    """What one request of a route has computed so far; built only on the general path."""

    __slots__ = ("errors", "query", "request", "values")

    def __init__(self, request: Request[Any, Any, Any] | None) -> None:
        self.request = request
        self.query: dict[str, list[str]] | None = None
        self.values: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []


class HTTPPlan:
    """The compiled plan of one HTTP handler for one method on one path template."""

    def __init__(
        self, app: Outpour, handler: HTTPRouteHandler, settings: RouteSettings, template: PathTemplate, method: str
    ) -> None:
        self.app = app
        self.handler = handler
        self.settings = settings
        self.template = template
        self.method = method
        self.is_head = method == "HEAD"
        self.last_stream_start: tuple[Any, ...] | None = None
        """The start line of the last stream sent without headers or cookies of its own (``_send_plain_stream``)."""
        label = f"Handler `{handler.handler_name}` ({method} {handler.paths[0]})"
        self.label = label
        fn = handler.fn
        if fn is None:
            raise ImproperlyConfiguredException(f"{label} has no function: decorate one with it.")
        self.fn = fn
        hints = get_hints(fn, handler._localns, settings.signature_namespace, label)
        if "return" not in hints:
            raise ImproperlyConfiguredException(
                f"{label} has no return annotation. Annotate what it returns, or `-> None` if it returns nothing."
            )
        self.return_annotation = hints["return"]
        self.general = general_path_only()
        """Whether every request takes the general path: ``_run``, and a response object's ``to_asgi_response``."""
        # A handler annotated to return exactly `Stream` or `ServerSentEvent` goes straight to `_send_plain_stream`.
        self.finish = (
            self._send_plain_stream
            if (self.return_annotation is Stream or self.return_annotation is ServerSentEvent) and not self.general
            else self._send_value
        )
        self.plain_streams = frozenset() if self.general else _PLAIN_STREAMS
        """Stream classes ``_send_value`` sends by ``_send_plain_stream`` (none on the general path)."""
        self.status_code = handler.status_code
        self.bodyless = body_forbidden(self.status_code)
        if body_forbidden(self.status_code) and not _is_none_annotation(self.return_annotation):
            raise ImproperlyConfiguredException(
                f"{label} has status code {self.status_code}, which forbids a response body, but its return annotation "
                f"is `{self.return_annotation}`. Annotate it `-> None`, or choose another `status_code`."
            )
        # As Litestar: `str`/`bytes` handlers default to text, responses keep their own default, the rest is JSON.
        # `media_type` renders plain values; `response_media_type` (the handler's resolved `media_type`, which
        # `File`, `Redirect` and `Template` read) is None where a returned response's own default applies.
        media_type = handler.media_type
        if media_type is None and _is_text_annotation(self.return_annotation):
            media_type = MediaType.TEXT
        elif media_type is None and not _may_be_response(self.return_annotation):
            media_type = MediaType.JSON
        self.response_media_type = media_type_str(media_type) if media_type is not None else None
        self.media_type = self.response_media_type or MediaType.JSON.value
        self.type_encoders = settings.type_encoders or None
        self.type_decoders: TypeDecodersSequence = settings.type_decoders
        self.response_class: type[Response[Any]] = settings.response_class
        self.after_request = settings.after_request
        self.before_request = settings.before_request
        self.after_response = settings.after_response
        self.guards = settings.guards
        self.exception_handlers = settings.exception_handlers
        self.request_class: type[Request[Any, Any, Any]] = settings.request_class
        # On the general path plain data is wrapped in the response class too, as `handler.to_response` does.
        self.prepares = self.general or self.after_request is not None or self.response_class is not Response
        """Whether returned values go through ``_prepare`` (an ``after_request`` hook or a custom response class)."""
        self.background = handler.background
        self.sync_to_thread = bool(handler.sync_to_thread) if handler.sync_to_thread is not None else True
        self.is_async = _is_async_callable(fn)
        self._compile_headers()
        self._compile_params(hints, {p.name: p for p in template.params}, label)

    # -- start-up ---------------------------------------------------------------------------------------------------

    def _compile_headers(self) -> None:
        settings = self.settings
        cache_control = settings.cache_control
        etag = settings.etag
        header_values: dict[str, str] = {
            h.name.lower(): str(h.value)
            for h in settings.response_headers
            if not h.documentation_only and h.value is not None
        }
        if cache_control is not None and not getattr(cache_control, "documentation_only", False):
            header_values["cache-control"] = cache_control.to_header()
        if etag is not None and not etag.documentation_only:
            header_values["etag"] = etag.to_header()
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
        names = set(header_values)
        prefix = list(encoded)
        if "content-type" not in names and not body_forbidden(self.status_code):
            prefix.append((b"content-type", content_type_header(self.media_type)))
        self.start_headers = [*prefix, *self.encoded_cookies]
        self.encoded_header_values = [(name.lower(), value) for name, value in encoded]
        # A returned plain `Response` is sent directly unless a layered validator needs its preconditions evaluated.
        self.plain_responses = "etag" not in header_values and "last-modified" not in header_values and not self.general
        # Static validators (layered `etag`, or `Last-Modified` in `response_headers`): GET and HEAD are evaluated
        # before the body is rendered, other methods before the handler runs (see `build`).
        validators = validators_from_values(header_values) if 200 <= self.status_code < 300 else None
        self.validators = validators if self.method in SAFE_METHODS else None
        self.unsafe_validators = validators if self.method not in SAFE_METHODS else None
        self.renderer = get_renderer(self.media_type, self.type_encoders)

    def _compile_params(self, hints: dict[str, Any], path_params: Mapping[str, PathParam], label: str) -> None:
        providers = self.settings.dependencies
        self.layered_parameters: dict[str, Any] = self.settings.parameters
        self.fields = parse_fields(
            self.fn,
            hints,
            path_params=path_params,
            dependency_names=frozenset(providers),
            type_decoders=self.type_decoders,
            label=label,
            layered_parameters=self.layered_parameters,
        )
        if self.method in ("GET", "HEAD") and any(f.source == "data" for f in self.fields):
            raise ImproperlyConfiguredException(
                f"{label} declares a `data` parameter, but GET requests carry no body. Use `@post` instead, or "
                "remove `data`."
            )
        self.providers: list[_Provider] = []
        self._order_providers(self.fields, providers, path_params, [], label)
        all_fields = [*self.fields, *(f for p in self.providers for f in p.fields)]
        # Layered `parameters` no signature reads are still extracted and validated (then dropped) on every request.
        self.layer_fields = layered_fields(
            self.layered_parameters,
            {f.name for f in all_fields},
            path_params=path_params,
            dependency_names=frozenset(providers),
            type_decoders=self.type_decoders,
            label=label,
        )
        all_fields.extend(self.layer_fields)
        self.needs_request = (
            any(
                f.source in ("data", "header", "cookie")
                or (f.source == "special" and f.key in ("request", "headers", "cookies", "query", "body"))
                for f in all_fields
            )
            or bool(self.guards or self.before_request or self.after_request or self.after_response)
            or self.response_class is not Response
        )
        self.has_params = bool(all_fields)
        self.data_field = next((f for f in all_fields if f.source == "data"), None)
        self.data_is_form = False
        self.data_is_msgpack = False
        self.form_files: str | None = None
        if self.data_field is not None:
            body_kwarg = self.data_field.body_kwarg
            wanted = media_type_str(body_kwarg.media_type) if body_kwarg is not None else RequestEncodingType.JSON.value
            self.data_is_form = wanted in (RequestEncodingType.URL_ENCODED.value, RequestEncodingType.MULTI_PART.value)
            # `Body(media_type=RequestEncodingType.MESSAGEPACK)` decodes MessagePack whatever the `Content-Type` says.
            self.data_is_msgpack = is_msgpack_media_type(wanted)
            target = self.data_field.annotation
            self.form_files = _form_files_shape(target) if self.data_is_form else None
            target = constrained_body(target, body_kwarg)  # `Body(ge=1)` on a number, `Body(max_items=3)` on a list
            self.json_decoder = get_json_decoder(target, self.type_decoders or None)
            self.msgpack_decoder = get_msgpack_decoder(target, self.type_decoders or None)
        self.path_only = bool(all_fields) and all(f.source == "path" for f in all_fields) and not self.providers

    def _order_providers(
        self,
        fields: list[Field],
        providers: dict[str, Provide],
        path_params: Mapping[str, PathParam],
        stack: list[str],
        label: str,
    ) -> None:
        for field in fields:
            if field.source != "dependency" or any(p.name == field.name for p in self.providers):
                continue
            if field.name in stack:
                raise ImproperlyConfiguredException(
                    f"{label}: dependencies form a cycle: {' -> '.join([*stack, field.name])}. Break the cycle."
                )
            provide = providers[field.name]
            dep_label = f"Dependency `{field.name}` of {label}"
            provide.finalize(  # resolves the provider's signature, through a `DIPlugin` when one knows its type
                plugins=self.app.plugins,
                signature_namespace={**self.handler._localns, **self.settings.signature_namespace},
                dependency_keys=set(providers) - {field.name},
                data_dto=None,
                type_decoders=self.type_decoders,
            )
            assert provide.parsed_signature is not None
            dep_signature, dep_hints = provide.parsed_signature
            dep_fields = parse_fields(
                provide.dependency,
                dep_hints,
                signature=dep_signature,
                path_params=path_params,
                dependency_names=frozenset(providers) - {field.name},
                type_decoders=self.type_decoders,
                label=dep_label,
                layered_parameters=self.layered_parameters,
            )
            self._order_providers(dep_fields, providers, path_params, [*stack, field.name], label)
            self.providers.append(_Provider(field.name, provide, dep_fields))

    # -- request path ----------------------------------------------------------------------------------------------

    def build(self) -> ASGIApp:
        """Return the ASGI coroutine of this route, specialised for what it needs."""
        app = self._build()
        validators = self.unsafe_validators
        if validators is None:
            return app
        on_error = self._on_error

        async def run_with_preconditions(scope: Scope, receive: Receive, send: Send) -> None:
            # Before the handler acts: a failed If-Match / If-Unmodified-Since (or a matching If-None-Match) is a 412.
            if precondition_status(scope, validators) is not None:
                await on_error(precondition_failed(), scope, receive, send, None)
                return
            await app(scope, receive, send)

        return run_with_preconditions

    def _build(self) -> ASGIApp:
        if self.general:
            return self._run
        if not self.needs_request and not self.providers and self.response_class is Response:
            if not self.has_params and (self.is_async or not self.sync_to_thread):
                return self._build_no_params()
            if self.path_only and self.is_async:
                return self._build_path_only()
            if self.is_async and not self.layer_fields and all(f.source in ("path", "query") for f in self.fields):
                return self._build_path_and_query()
        if (
            self.is_async
            and len(self.fields) == 1
            and self.data_field is self.fields[0]
            and not self.layer_fields
            and not (self.providers or self.guards or self.before_request or self.after_request or self.after_response)
            and self.response_class is Response
        ):
            return self._build_data_only()
        return self._run

    def _build_no_params(self) -> ASGIApp:
        fn = self.fn
        finish = self.finish
        if not self.is_async:  # a sync handler run in the event loop (`sync_to_thread=False`)

            async def run_sync_no_params(scope: Scope, receive: Receive, send: Send) -> None:
                try:
                    value = fn()
                except Exception as exc:
                    await self._on_error(exc, scope, receive, send, None)
                    return
                await finish(value, scope, receive, send, None)

            return run_sync_no_params

        async def run_no_params(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                value = await fn()
            except Exception as exc:
                await self._on_error(exc, scope, receive, send, None)
                return
            await finish(value, scope, receive, send, None)

        return run_no_params

    def _build_path_only(self) -> ASGIApp:
        fn = self.fn
        finish = self.finish
        fields = [(f.name, f.key, f.convert) for f in self.fields]  # the key differs with `PathParameter(name=...)`

        async def run_path_only(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                params = scope["path_params"]
                kwargs = {}
                for name, key, conv in fields:
                    kwargs[name] = params[key] if conv is None else self._convert_path(name, conv, params[key], scope)
                value = await fn(**kwargs)
            except Exception as exc:
                await self._on_error(exc, scope, receive, send, None)
                return
            await finish(value, scope, receive, send, None)

        return run_path_only

    def _build_path_and_query(self) -> ASGIApp:
        fn = self.fn
        finish = self.finish
        specs = [
            (f.name, f.source == "path", f.key, f.convert, f.default, f.has_default, f.is_sequence) for f in self.fields
        ]

        async def run_path_and_query(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                query = parse_query(scope["query_string"])
                kwargs: dict[str, Any] = {}
                errors: list[dict[str, Any]] | None = None
                for name, is_path, key, conv, default, has_default, is_seq in specs:
                    if is_path:
                        raw: Any = scope["path_params"][key]
                        kwargs[name] = raw if conv is None else self._convert_path(name, conv, raw, scope)
                        continue
                    found = query.get(key)
                    if found is None:
                        if has_default:
                            kwargs[name] = default
                            continue
                        if not is_seq:
                            errors = errors or []
                            errors.append(
                                {"message": f"Missing required query parameter `{key}`", "key": key, "source": "query"}
                            )
                            continue
                        found = []
                    raw = found if is_seq else found[-1]
                    if conv is None:
                        kwargs[name] = raw
                        continue
                    try:
                        kwargs[name] = conv(raw)
                    except (msgspec.ValidationError, ValueError, TypeError) as exc:
                        errors = errors or []
                        errors.append({"message": str(exc), "key": key, "source": "query"})
                if errors:
                    raise self._validation_error(scope, errors)
                value = await fn(**kwargs)
            except Exception as exc:
                await self._on_error(exc, scope, receive, send, None)
                return
            await finish(value, scope, receive, send, None)

        return run_path_and_query

    def _build_data_only(self) -> ASGIApp:
        fn = self.fn
        finish = self.finish
        field = self.fields[0]
        name = field.name
        decode = self._decode_data
        make_request = self._make_request

        async def run_data_only(scope: Scope, receive: Receive, send: Send) -> None:
            request = None
            try:
                request = make_request(scope, receive, send)
                value = await fn(**{name: await decode(field, request, scope)})
            except Exception as exc:
                await self._on_error(exc, scope, receive, send, request)
                return
            await finish(value, scope, receive, send, request)
            if self.data_is_form:
                await _close_form(scope)

        return run_data_only

    def _convert_path(self, name: str, conv: Callable[[Any], Any], value: Any, scope: Scope) -> Any:
        try:
            return conv(value)
        except (msgspec.ValidationError, ValueError, TypeError) as exc:
            raise self._validation_error(scope, [{"message": str(exc), "key": name, "source": "path"}]) from exc

    def _validation_error(self, scope: Scope, errors: list[dict[str, Any]]) -> ValidationException:
        for error in errors:  # a missing parameter is reported alone, before type errors (as Litestar does)
            if error["message"].startswith("Missing required "):
                return ValidationException(
                    detail=f"Missing required {error['source']} parameter '{error['key']}' for path {scope['path']}"
                )
        query = scope.get("query_string", b"")
        target = f"{scope['path']}?{query.decode('latin-1')}" if query else scope["path"]
        return ValidationException(detail=f"Validation failed for {scope['method']} {target}", extra=errors)

    async def _send_value(
        self, value: Any, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a handler's return value: plain data goes straight to bytes; responses and ASGI apps are delegated."""
        if isinstance(value, Response) or (callable(value) and not isinstance(value, type)):
            if type(value) is Response and self.plain_responses:
                await self._send_plain_response(value, scope, receive, send, request)  # pyright: ignore[reportArgumentType]
            elif type(value) in self.plain_streams:
                await self._send_plain_stream(value, scope, receive, send, request)
            else:
                await self._send_response_object(value, scope, receive, send, request)
            return
        if self.validators is not None:
            outcome = precondition_status(scope, self.validators)
            if outcome == 304:
                await send_not_modified(send, self._headers())
                if self.background is not None:
                    await run_background(self.background, scope)
                return
            if outcome == 412:
                await self._on_error(precondition_failed(), scope, receive, send, request)
                return
        if self.bodyless:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self._headers()})
            await send({"type": "http.response.body", "body": b""})
        else:
            try:
                body = self.renderer(value)
            except Exception as exc:
                await self._on_error(exc, scope, receive, send, request)
                return
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": [*self._headers(), (b"content-length", str(len(body)).encode())]
                    if self.timed_cookies
                    else [*self.start_headers, (b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": b"" if self.is_head else body})
        if self.background is not None:
            await run_background(self.background, scope)

    async def _send_plain_response(
        self, value: Response[Any], scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a returned ``Response`` (the class itself) without a Request, an ASGIResponse or a send wrapper."""
        try:
            parts = response_parts(
                value,
                self.encoded_header_values,
                self.cookies,
                self._cookie_headers() if self.timed_cookies else self.encoded_cookies,
                self.media_type,
                self.status_code,
                self.type_encoders,
            )
        except Exception as exc:
            await self._on_error(exc, scope, receive, send, request)
            return
        if parts is None:  # an ETag or Last-Modified to evaluate
            await self._send_response_object(value, scope, receive, send, request)
            return
        status, headers, body = parts
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if self.is_head else body})
        background = value.background or self.background
        if background is not None:
            await run_background(background, scope)

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

    async def _send_plain_stream(
        self, value: Any, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        """Send a returned ``Stream`` or ``ServerSentEvent`` (those classes exactly) without an ASGIResponse.

        The start line of a stream without headers or cookies of its own depends only on its class, status, media
        type and encoding: the last one is kept, and reused while they are the same objects. A handler annotated to
        return one of these classes has this method as its ``finish``: any other value goes to ``_send_value``.
        """
        if type(value) not in _PLAIN_STREAMS:  # a handler annotated `-> Stream` returned something else
            await self._send_value(value, scope, receive, send, request)
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
                await self._on_error(exc, scope, receive, send, request)
                return
            head = self.is_head or body_forbidden(status)
            if not value.headers and not value.cookies and not self.timed_cookies:
                self.last_stream_start = (
                    type(value),
                    value.status_code,
                    value.media_type,
                    value.encoding,
                    status,
                    tuple(headers),
                    head,
                )
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
                await self._on_error(exc, scope, receive, send, request)
                return
            await send_stream(scope, receive, send, start, value.iterator, *wire)
        background = value.background or self.background
        if background is not None:
            await run_background(background, scope)

    def _cookie_headers(self) -> list[tuple[bytes, bytes]]:
        return [slot.to_encoded_header() if isinstance(slot, Cookie) else slot for slot in self.cookie_slots]

    def _headers(self) -> list[tuple[bytes, bytes]]:
        if not self.timed_cookies:
            return list(self.start_headers)
        return [*self.start_headers[: len(self.start_headers) - len(self.encoded_cookies)], *self._cookie_headers()]

    async def _send_response_object(
        self,
        value: Any,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request[Any, Any, Any] | None,
        wrapped: bool = False,
    ) -> None:
        if isinstance(value, Response):
            try:
                if request is None and type(value).to_asgi_response not in _REQUEST_FREE:
                    request = self._make_request(scope, receive, send)
                if wrapped:
                    asgi_response: Any = value.to_asgi_response(
                        request, cookies=self.cookies, headers=self.header_values, is_head_response=self.is_head
                    )
                else:
                    asgi_response = value.to_asgi_response(
                        request,
                        background=self.background,
                        cookies=self.cookies,
                        headers=self.header_values,
                        is_head_response=self.is_head,
                        media_type=self.media_type,
                        status_code=self.status_code,
                        type_encoders=self.type_encoders,
                    )
            except Exception as exc:
                await self._on_error(exc, scope, receive, send, request)
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
            await self._on_error(exc, scope, receive, send, request)

    def _make_request(self, scope: Scope, receive: Receive, send: Send) -> Request[Any, Any, Any]:
        scope["route_handler"] = self.handler
        return self.request_class(scope, receive, send)

    async def _on_error(
        self, exc: Exception, scope: Scope, receive: Receive, send: Send, request: Request[Any, Any, Any] | None
    ) -> None:
        if isinstance(exc, ClientDisconnected):
            await end_disconnected(scope, send)
            return
        await handle_exception(exc, scope, receive, send, request, self.exception_handlers, self.app.debug)
        if self.app.after_exception:
            await self.app.run_after_exception(exc, scope)

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The general path: request, guards, hooks, parameters, dependencies, response classes."""
        request = self._make_request(scope, receive, send) if self.needs_request else None
        cleanups: list[Any] = []
        try:
            value: Any = Empty
            if request is not None:
                for guard in self.guards:
                    await _maybe_await(guard(request, self.handler))
                if self.before_request is not None:
                    early = await _maybe_await(self.before_request(request))
                    if early is not None:
                        value = early
            if value is Empty:
                kwargs = await self._resolve(scope, receive, send, request, cleanups) if self.has_params else {}
                value = await _call(self.fn, self.is_async, self.sync_to_thread, kwargs)
            wrapped = False
            if self.prepares:
                value, wrapped = await self._prepare(value)
        except Exception as exc:
            await self._cleanup(cleanups, exc)
            await self._on_error(exc, scope, receive, send, request)
            return
        await self._send_prepared(value, wrapped, scope, receive, send, request)
        await self._cleanup(cleanups, None)
        if request is not None:
            await _close_form(scope)
        if self.after_response is not None and request is not None:
            await _maybe_await(self.after_response(request))

    async def _prepare(self, value: Any) -> tuple[Any, bool]:
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
            value = await _maybe_await(self.after_request(value))
        return value, wrapped

    async def _send_prepared(
        self,
        value: Any,
        wrapped: bool,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request[Any, Any, Any] | None,
    ) -> None:
        """Send a value ``_prepare`` returned (or a returned value, when the route does not prepare them)."""
        if wrapped and isinstance(value, Response):
            await self._send_response_object(value, scope, receive, send, request, wrapped=True)
        else:
            await self._send_value(value, scope, receive, send, request)

    async def to_response(self, value: Any, request: Request[Any, Any, Any]) -> ASGIApp:
        """The ASGI app sending ``value`` as the route sends a handler's return value (``handler.to_response``)."""
        wrapped = False
        if self.prepares:
            value, wrapped = await self._prepare(value)
        send_prepared = self._send_prepared

        async def send_response(scope: Scope, receive: Receive, send: Send) -> None:
            await send_prepared(value, wrapped, scope, receive, send, request)

        return send_response

    async def _cleanup(self, cleanups: list[Any], exc: Exception | None) -> None:
        for gen in reversed(cleanups):
            try:
                if inspect.isasyncgen(gen):
                    if exc is None:
                        await gen.__anext__()
                    else:
                        await gen.athrow(exc)
                elif exc is None:
                    next(gen)
                else:
                    gen.throw(exc)
            except (StopIteration, StopAsyncIteration):
                pass
            except Exception as cleanup_exc:
                if cleanup_exc is not exc:
                    logger.exception("Cleanup of a generator dependency failed")

    async def _resolve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request[Any, Any, Any] | None,
        cleanups: list[Any],
    ) -> dict[str, Any]:
        ctx = _RouteContext(request)
        for provider in self.providers:
            ctx.values[provider.name] = await self._provide(provider, ctx, scope, receive, send, cleanups)
        kwargs = await self._values(self.fields, ctx, scope, receive, send)
        if self.layer_fields:
            await self._values(self.layer_fields, ctx, scope, receive, send)
        if ctx.errors:
            raise self._validation_error(scope, ctx.errors)
        return kwargs

    async def _provide(
        self, provider: _Provider, ctx: _RouteContext, scope: Scope, receive: Receive, send: Send, cleanups: list[Any]
    ) -> Any:
        provide = provider.provide
        if provide.use_cache and provide.cached_value is not Empty:
            return provide.cached_value
        kwargs = await self._values(provider.fields, ctx, scope, receive, send)
        if ctx.errors:
            raise self._validation_error(scope, ctx.errors)
        if provider.is_gen:
            gen = provider.fn(**kwargs)
            value = next(gen)
            cleanups.append(gen)
        elif provider.is_agen:
            agen = provider.fn(**kwargs)
            value = await agen.__anext__()
            cleanups.append(agen)
        else:
            value = await _call(provider.fn, provider.is_async, provider.to_thread, kwargs)
            if inspect.isawaitable(value):
                value = await value
        if provide.use_cache:
            provide.cached_value = value
        return value

    async def _values(
        self, fields: list[Field], ctx: _RouteContext, scope: Scope, receive: Receive, send: Send
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        request = ctx.request
        for field in fields:
            source = field.source
            if source == "path":
                raw: Any = scope["path_params"][field.key]
                kwargs[field.name] = (
                    raw if field.convert is None else self._convert_path(field.name, field.convert, raw, scope)
                )
                continue
            if source == "dependency":
                kwargs[field.name] = ctx.values[field.key]
                continue
            if source in ("query", "header", "cookie"):
                if source == "query":
                    if ctx.query is None:
                        ctx.query = parse_query(scope.get("query_string", b""))
                    found = ctx.query.get(field.key)
                elif source == "header":
                    assert request is not None
                    values = request.headers.getall(field.key, [])
                    found = list(values) if values else None
                else:
                    assert request is not None
                    cookie = request.cookies.get(field.key)
                    found = None if cookie is None else [cookie]
                if found is None:
                    if field.has_default:
                        kwargs[field.name] = field.default
                    elif field.is_sequence:
                        kwargs[field.name] = self._convert_raw(field, [], ctx)
                    else:
                        ctx.errors.append(
                            {
                                "message": f"Missing required {source} parameter `{field.key}`",
                                "key": field.key,
                                "source": source,
                            }
                        )
                    continue
                kwargs[field.name] = self._convert_raw(field, found if field.is_sequence else found[-1], ctx)
                continue
            kwargs[field.name] = await self._special(field, ctx, scope, receive, send)
        return kwargs

    def _convert_raw(self, field: Field, raw: Any, ctx: _RouteContext) -> Any:
        if field.convert is None:
            return raw
        try:
            return field.convert(raw)
        except (msgspec.ValidationError, ValueError, TypeError) as exc:
            ctx.errors.append({"message": str(exc), "key": field.key, "source": field.source})
            return None

    async def _special(self, field: Field, ctx: _RouteContext, scope: Scope, receive: Receive, send: Send) -> Any:
        source = field.key if field.source == "special" else field.source
        request = ctx.request
        if source == "scope":
            return scope
        if source == "state":
            return self.app.state
        if source == "send":
            return send
        if source == "receive":
            return receive
        if source == "default":
            return field.default
        assert request is not None
        if source == "request":
            return request
        if source == "headers":
            return request.headers
        if source == "cookies":
            return request.cookies
        if source == "query":
            return request.query_params
        if source == "body":
            return await request.body()
        if source == "data":
            return await self._decode_data(field, request, scope)
        raise ImproperlyConfiguredException(f"Unsupported parameter `{field.name}`.")  # pragma: no cover

    async def _decode_data(self, field: Field, request: Request[Any, Any, Any], scope: Scope) -> Any:
        if self.data_is_form:
            form = await request.form()
            if self.form_files is not None:
                return self._form_files(field, form, scope)
            raw = {key: (values[0] if len(values) == 1 else values) for key, values in form.dict().items()}
            try:
                return convert(raw, field.annotation, type_decoders=self.type_decoders or None, strict=False)
            except (msgspec.ValidationError, ValueError, TypeError) as exc:
                raise self._body_error(scope, str(exc)) from exc
        content_type = ""
        for header_name, header_value in scope["headers"]:
            if header_name == b"content-type":
                content_type = header_value.decode("latin-1").split(";", 1)[0].strip().lower()
                break
        body = await request.body()
        if not body:
            if field.has_default:
                return field.default
            raise self._validation_error(
                scope,
                [
                    {
                        "message": "The request body is empty, but this endpoint needs one.",
                        "key": "data",
                        "source": "body",
                    }
                ],
            )
        if self.data_is_msgpack:
            decoder: Any = self.msgpack_decoder
            kind = "MessagePack"
        elif not content_type or is_json_media_type(content_type):
            decoder = self.json_decoder
            kind = "JSON"
        elif is_msgpack_media_type(content_type):
            decoder = self.msgpack_decoder
            kind = "MessagePack"
        else:
            raise UnsupportedMediaTypeException(
                f"Unsupported request body media type `{content_type}` for {scope['method']} {scope['path']}: send "
                "`application/json` or `application/x-msgpack`."
            )
        try:
            return decoder.decode(body)
        except msgspec.ValidationError as exc:
            raise self._body_error(scope, str(exc)) from exc
        except (msgspec.DecodeError, UnicodeError, RecursionError, TypeError) as exc:
            reason = malformed_reason(body, exc, is_text=kind == "JSON")
            raise ClientException(f"Malformed {kind} request body: {reason}.") from exc

    def _form_files(self, field: Field, form: FormMultiDict, scope: Scope) -> Any:
        """Return the uploaded file(s) of a form for a `data` annotated `UploadFile` or a list of them."""
        files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        if self.form_files == "many":
            return files
        if files:
            return files[0]
        if field.has_default:
            return field.default
        raise self._validation_error(
            scope,
            [{"message": "The form carries no file, but this endpoint needs one.", "key": "data", "source": "body"}],
        )

    def _body_error(self, scope: Scope, message: str) -> ValidationException:
        match = _MSGSPEC_PATH.search(message)
        key = match.group(1).lstrip(".") if match else ""
        return self._validation_error(scope, [{"message": message, "key": key, "source": "body"}])


def _form_files_shape(annotation: Any) -> str | None:
    """Return ``"one"`` for an ``UploadFile`` annotation, ``"many"`` for a list of them, else ``None``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:  # `UploadFile | None`
        annotation = args[0]
    if annotation is UploadFile:
        return "one"
    if get_origin(annotation) in (list, tuple, typing.Sequence, collections.abc.Sequence) and get_args(annotation)[
        :1
    ] == (UploadFile,):
        return "many"
    return None


def compile_http_handler(
    app: Outpour, handler: HTTPRouteHandler, settings: RouteSettings, template: PathTemplate, method: str
) -> tuple[HTTPPlan, ASGIApp]:
    """Compile ``handler`` for ``method`` at ``template``: its plan and the ASGI coroutine that runs it."""
    plan = HTTPPlan(app, handler, settings, template, method)
    return plan, plan.build()
