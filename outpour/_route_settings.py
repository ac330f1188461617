"""The layered options of one registered route handler, resolved once over its layers: ``RouteSettings``.

The app resolves them when it registers a handler (``resolve_settings``, from the app, routers and controller above
it and the handler itself). The handler then answers Litestar's attribute names with them (``handler.guards``,
``handler.response_headers``, ...), the request plan is compiled from them (``outpour._plan``), and the OpenAPI
generator documents them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour._layers import resolve_layered
from outpour.connection.request import DEFAULT_MAX_BODY_SIZE, Request
from outpour.datastructures.cookie import Cookie
from outpour.datastructures.response_header import ResponseHeader
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response.base import Response
from outpour.types import Empty

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.params import ParameterKwarg
    from outpour.types import (
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        BeforeRequestHookHandler,
        ExceptionHandlersMap,
        Guard,
        Middleware,
    )

__all__ = ["RouteSettings", "layered_cookies", "layered_headers", "resolve_settings"]


@dataclass(frozen=True, slots=True)
class RouteSettings:
    """What the layers of one route handler resolve to (see ``outpour._options`` for how each option combines).

    Mappings and tuples are never changed after resolution; the handler exposes these same objects.
    """

    after_request: AfterRequestHookHandler | None
    after_response: AfterResponseHookHandler | None
    before_request: BeforeRequestHookHandler | None
    cache_control: CacheControlHeader | None
    dependencies: dict[str, Provide]
    """Every dependency in scope, a bare callable wrapped in ``Provide``."""
    etag: ETag | None
    exception_handlers: ExceptionHandlersMap
    guards: tuple[Guard, ...]
    include_in_schema: bool
    middleware: tuple[Middleware, ...]
    opt: dict[str, Any]
    parameters: dict[str, ParameterKwarg]
    request_class: type[Request[Any, Any, Any]]
    request_max_body_size: int | None
    """The most bytes a request body may have; ``None``: no limit."""
    response_class: type[Response[Any]]
    response_cookies: tuple[Cookie, ...]
    """One per key, the closest layer's first: the order of the ``Set-Cookie`` lines."""
    response_headers: tuple[ResponseHeader, ...]
    """One per name (compared case-insensitively), the closest layer's first: the order they are sent in."""
    security: tuple[Mapping[str, Sequence[str]], ...]
    signature_namespace: dict[str, Any]
    tags: tuple[str, ...]
    type_decoders: tuple[tuple[Callable[[Any], bool], Callable[[type, Any], Any]], ...]
    type_encoders: dict[Any, Callable[[Any], Any]]
    dto: Any = Empty
    """The closest layer's ``dto`` (a DTO class, or ``None`` to switch it off); ``Empty`` when no layer sets one."""
    return_dto: Any = Empty
    """The closest layer's ``return_dto``, as ``dto``."""


def resolve_settings(layers: Sequence[Any]) -> RouteSettings:
    """Resolve the layered options of a route handler.

    Args:
        layers: The app, routers and controller above the handler, outermost first, then the handler.

    Returns:
        The resolved settings.

    Raises:
        ImproperlyConfiguredException: A ``response_headers`` or ``response_cookies`` entry has the wrong type.
    """
    max_body = resolve_layered(layers, "request_max_body_size")
    dependencies: Mapping[str, Any] = resolve_layered(layers, "dependencies")
    return RouteSettings(
        after_request=resolve_layered(layers, "after_request"),
        after_response=resolve_layered(layers, "after_response"),
        before_request=resolve_layered(layers, "before_request"),
        cache_control=resolve_layered(layers, "cache_control"),
        dependencies={name: v if isinstance(v, Provide) else Provide(v) for name, v in dependencies.items()},
        etag=resolve_layered(layers, "etag"),
        exception_handlers=resolve_layered(layers, "exception_handlers"),
        guards=tuple(resolve_layered(layers, "guards")),
        include_in_schema=resolve_layered(layers, "include_in_schema") is not False,
        middleware=tuple(resolve_layered(layers, "middleware")),
        opt=resolve_layered(layers, "opt"),
        parameters=resolve_layered(layers, "parameters"),
        request_class=resolve_layered(layers, "request_class") or Request,
        request_max_body_size=DEFAULT_MAX_BODY_SIZE if max_body is Empty else max_body,
        response_class=resolve_layered(layers, "response_class") or Response,
        response_cookies=tuple(layered_cookies(layers).values()),
        response_headers=tuple(layered_headers(layers).values()),
        security=tuple(resolve_layered(layers, "security")),
        signature_namespace=resolve_layered(layers, "signature_namespace"),
        tags=tuple(resolve_layered(layers, "tags")),
        type_decoders=tuple(resolve_layered(layers, "type_decoders")),
        type_encoders=resolve_layered(layers, "type_encoders"),
        dto=resolve_layered(layers, "dto"),
        return_dto=resolve_layered(layers, "return_dto"),
    )


def layered_headers(layers: Sequence[Any]) -> dict[str, ResponseHeader]:
    """Merge ``response_headers`` over layers; a lower layer overrides a header of the same name.

    The result maps lower-case names to headers, ordered closest layer first (the handler's headers, then its
    controller's, router's and app's), the order in which they are sent, as the guide shows them.
    """
    merged: dict[str, ResponseHeader] = {}
    for layer in reversed(layers):
        headers = getattr(layer, "response_headers", None)
        if not headers:
            continue
        items = (
            [ResponseHeader(name=k, value=v) for k, v in headers.items()] if isinstance(headers, Mapping) else headers
        )
        own: dict[str, ResponseHeader] = {}
        for header in items:
            if not isinstance(header, ResponseHeader):
                raise ImproperlyConfiguredException(
                    f"`response_headers` takes `ResponseHeader` instances or a mapping of names to values, got `{header!r}`."
                )
            own[header.name.lower()] = header
        for name, header in own.items():
            merged.setdefault(name, header)
    return merged


def layered_cookies(layers: Sequence[Any]) -> dict[str, Cookie]:
    """Merge ``response_cookies`` over layers; a lower layer overrides a cookie of the same key.

    The result maps keys to cookies, ordered closest layer first: the handler's ``Set-Cookie`` lines are sent first,
    the app's last, as the guide prints them.
    """
    merged: dict[str, Cookie] = {}
    for layer in reversed(layers):
        cookies = getattr(layer, "response_cookies", None)
        if not cookies:
            continue
        items = [Cookie(key=k, value=v) for k, v in cookies.items()] if isinstance(cookies, Mapping) else cookies
        own: dict[str, Cookie] = {}
        for cookie in items:
            if not isinstance(cookie, Cookie):
                raise ImproperlyConfiguredException(
                    f"`response_cookies` takes `Cookie` instances or a mapping of keys to values, got `{cookie!r}`."
                )
            own[cookie.key] = cookie
        for key, cookie in own.items():
            merged.setdefault(key, cookie)
    return merged
