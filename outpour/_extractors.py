"""The parameter stage of a route: where each argument of the handler and its providers comes from.

``Extractors`` is built once per route from the signatures (``outpour._signature`` turns each parameter into a
``Field``); per request, ``resolve`` produces the handler's keyword arguments, collecting every invalid or missing
parameter into one 400. The specialised runners of ``outpour._runners`` read the same fields directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import msgspec

from outpour._dependencies import Provider, cached, order_providers, provide
from outpour._signature import Field, check_data_fields, layered_fields, parse_fields
from outpour.datastructures.url import parse_query
from outpour.exceptions import ImproperlyConfiguredException, InternalServerException, ValidationException
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._body import BodyDecoder
    from outpour._route_settings import RouteSettings
    from outpour._routing import PathParam, PathTemplate
    from outpour.app import Outpour
    from outpour.connection import ASGIConnection, Request
    from outpour.di import Provide
    from outpour.handlers import BaseRouteHandler
    from outpour.types import Receive, Scope, Send, TypeDecodersSequence

__all__ = ["Extractors", "convert_path", "missing", "validation_error"]

_REQUEST_SPECIALS = frozenset({"request", "headers", "cookies", "query", "body"})
"""Special parameters read from the ``Request`` (the others come from the scope, the app or the ASGI callables)."""


def missing(source: str, key: str) -> dict[str, Any]:
    """The error entry of a required parameter the request lacks."""
    return {"message": f"Missing required {source} parameter `{key}`", "key": key, "source": source}


def validation_error(scope: Scope, errors: list[dict[str, Any]]) -> ValidationException:
    """The 400 for ``errors``: a missing parameter is reported alone, before type errors (as Litestar does).

    A WebSocket connection closes with 4400 for it, naming the path without its query.
    """
    for error in errors:
        if error["message"].startswith("Missing required "):
            return ValidationException(
                detail=f"Missing required {error['source']} parameter '{error['key']}' for path {scope['path']}"
            )
    if scope["type"] == "websocket":
        return ValidationException(detail=f"Validation failed for WebSocket {scope['path']}", extra=errors)
    query = scope.get("query_string", b"")
    target = f"{scope['path']}?{query.decode('latin-1')}" if query else scope["path"]
    return ValidationException(detail=f"Validation failed for {scope['method']} {target}", extra=errors)


def convert_path(name: str, conv: Callable[[Any], Any], value: Any, scope: Scope) -> Any:
    """Convert a path parameter, or raise its 400."""
    try:
        return conv(value)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        raise validation_error(scope, [{"message": str(exc), "key": name, "source": "path"}]) from exc


class _Context:
    """What one request has computed so far on the general path: parsed query, provided values, errors."""

    __slots__ = ("errors", "query", "request", "server_error", "values")

    def __init__(self, request: ASGIConnection[Any, Any, Any, Any] | None) -> None:
        self.request = request
        self.query: dict[str, list[str]] | None = None
        self.values: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.server_error: InternalServerException | None = None
        """An injected value of the wrong type: raised only when the request itself is valid (its 400 goes first)."""

    def raise_errors(self, scope: Scope) -> None:
        """Raise the 400 of the request's invalid parameters, else the 500 of a dependency's invalid value."""
        if self.errors:
            raise validation_error(scope, self.errors)
        if self.server_error is not None:
            raise self.server_error


class Extractors:
    """The parameters of one route: the handler's fields, its providers in order, and unread layered parameters."""

    def __init__(
        self,
        app: Outpour,
        fn: Callable[..., Any],
        hints: dict[str, Any],
        *,
        path_params: Mapping[str, PathParam],
        providers: Mapping[str, Provide],
        layered_parameters: dict[str, Any],
        signature_namespace: dict[str, Any],
        type_decoders: TypeDecodersSequence,
        label: str,
    ) -> None:
        self.fields = parse_fields(
            fn,
            hints,
            path_params=path_params,
            dependency_names=frozenset(providers),
            type_decoders=type_decoders,
            label=label,
            layered_parameters=layered_parameters,
        )
        self.providers: list[Provider] = order_providers(
            self.fields,
            providers,
            path_params=path_params,
            plugins=app.plugins,
            signature_namespace=signature_namespace,
            type_decoders=type_decoders,
            layered_parameters=layered_parameters,
            label=label,
        )
        all_fields = [*self.fields, *(f for p in self.providers for f in p.fields)]
        # Layered `parameters` no signature reads are still extracted and validated (then dropped) on every request.
        self.layer_fields = layered_fields(
            layered_parameters,
            {f.name for f in all_fields},
            path_params=path_params,
            dependency_names=frozenset(providers),
            type_decoders=type_decoders,
            label=label,
        )
        all_fields.extend(self.layer_fields)
        self.reads_request = any(
            f.source in ("data", "header", "cookie") or (f.source == "special" and f.key in _REQUEST_SPECIALS)
            for f in all_fields
        )
        """Whether a parameter needs the ``Request`` (a body, headers, cookies, or the request itself)."""
        self.has_params = bool(all_fields)
        self.data_field = next((f for f in all_fields if f.source == "data"), None)
        check_data_fields(all_fields, label)
        self.path_only = bool(all_fields) and all(f.source == "path" for f in all_fields) and not self.providers
        self.app = app
        self.body: BodyDecoder | None = None
        """The decoder of ``data_field``, which the plan builds (the body stage reports through this one)."""

    @classmethod
    def of_route(
        cls,
        app: Outpour,
        handler: BaseRouteHandler,
        settings: RouteSettings,
        template: PathTemplate,
        hints: dict[str, Any],
        label: str,
    ) -> Extractors:
        """The parameters of ``handler`` (its function, already checked) at ``template``, with its layers' settings."""
        assert handler.fn is not None
        return cls(
            app,
            handler.fn,
            hints,
            path_params={p.name: p for p in template.params},
            providers=settings.dependencies,
            layered_parameters=settings.parameters,
            signature_namespace={**handler._localns, **settings.signature_namespace},
            type_decoders=settings.type_decoders,
            label=label,
        )

    async def resolve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: ASGIConnection[Any, Any, Any, Any] | None,
        cleanups: list[Any],
    ) -> dict[str, Any]:
        """The handler's keyword arguments for this request (providers called, generator cleanups queued).

        ``request`` is the ``Request`` of an HTTP route, the ``WebSocket`` of a WebSocket route, or None when no
        parameter needs it.
        """
        ctx = _Context(request)
        for provider in self.providers:
            value = cached(provider)
            if value is Empty:
                kwargs = await self._values(provider.fields, ctx, scope, receive, send)
                ctx.raise_errors(scope)
                value = await provide(provider, kwargs, cleanups)
            ctx.values[provider.name] = value
        kwargs = await self._values(self.fields, ctx, scope, receive, send)
        if self.layer_fields:  # read by no signature: an error names them as sent
            await self._values(self.layer_fields, ctx, scope, receive, send, by_wire_name=True)
        ctx.raise_errors(scope)
        return kwargs

    async def _values(
        self,
        fields: list[Field],
        ctx: _Context,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        by_wire_name: bool = False,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        request = ctx.request
        for field in fields:
            source = field.source
            if source == "path":
                raw: Any = scope["path_params"][field.key]
                kwargs[field.name] = (
                    raw if field.convert is None else convert_path(field.name, field.convert, raw, scope)
                )
                continue
            if source == "dependency":
                value = ctx.values[field.key]
                if field.convert is not None:  # the injected value's type (`outpour._dependency_check`)
                    try:
                        field.convert(value)
                    except InternalServerException as exc:  # as in Litestar, the client's 400 takes precedence
                        if ctx.server_error is None:
                            ctx.server_error = exc
                kwargs[field.name] = value
                continue
            if source in ("query", "header", "cookie"):
                if source == "query":
                    if ctx.query is None:
                        ctx.query = parse_query(scope.get("query_string", b""))
                    found = ctx.query.get(field.key)
                elif source == "header":
                    assert request is not None
                    values = request.headers.getall(field.key, [])
                    if not values and "_" in field.key:  # `x_token` is sent as `X-Token`: proxies drop `_` names
                        values = request.headers.getall(field.key.replace("_", "-"), [])
                    found = list(values) if values else None
                else:
                    assert request is not None
                    cookie = request.cookies.get(field.key)
                    found = None if cookie is None else [cookie]
                if found is None:
                    if field.has_default:
                        kwargs[field.name] = field.default
                    else:  # a list without a default is required too: `tags: list[str]` needs `?tags=...`
                        ctx.errors.append(missing(source, field.key))
                    continue
                raw_value = found if field.is_sequence else found[-1]
                kwargs[field.name] = _convert(field, raw_value, ctx, field.key if by_wire_name else field.name)
                continue
            if source == "data":
                try:
                    kwargs[field.name] = await self._special(field, ctx, scope, receive, send)
                except ValidationException as exc:  # a body of the wrong shape: reported with the other parameters
                    if not isinstance(exc.extra, list):  # pragma: no cover -- every body error lists its entries
                        raise
                    ctx.errors.extend(exc.extra)
                    kwargs[field.name] = None
                continue
            kwargs[field.name] = await self._special(field, ctx, scope, receive, send)
        return kwargs

    async def _special(self, field: Field, ctx: _Context, scope: Scope, receive: Receive, send: Send) -> Any:
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
        if source == "request" or source == "socket":  # the connection: a `Request`, or a WebSocket's `WebSocket`
            return request
        if source == "headers":
            return request.headers if field.convert is None else _as_dict(field, request.headers, scope)
        if source == "cookies":
            return request.cookies if field.convert is None else _as_dict(field, request.cookies, scope)
        if source == "query":
            return request.query_params if field.convert is None else _as_dict(field, request.query_params, scope)
        if source == "body":
            return await cast("Request[Any, Any, Any]", request).body()  # a WebSocket route has no `body`
        if source == "data" and self.body is not None:
            return await self.body.decode(cast("Request[Any, Any, Any]", request), scope)
        raise ImproperlyConfiguredException(f"Unsupported parameter `{field.name}`.")  # pragma: no cover


def _as_dict(field: Field, mapping: Any, scope: Scope) -> Any:
    """``headers``, ``cookies`` or ``query`` annotated ``dict``: a plain dict of one value per name, as in Litestar."""
    assert field.convert is not None
    try:
        return field.convert(mapping)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        raise validation_error(scope, [{"message": str(exc), "key": field.key, "source": field.key}]) from exc


def _convert(field: Field, raw: Any, ctx: _Context, key: str) -> Any:
    """Convert a query, header or cookie value; a failure is recorded under ``key``.

    As in Litestar, a value of the wrong type is reported under the parameter's name (a missing one under the name it
    is sent as: ``missing``); a layered parameter no signature reads has only the name it is sent as.
    """
    if field.convert is None:
        return raw
    try:
        return field.convert(raw)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        ctx.errors.append({"message": str(exc), "key": key, "source": field.source})
        return None
