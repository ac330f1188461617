"""``AppConfig``: every argument of ``Outpour(...)`` as one dataclass, handed to ``on_app_init`` hooks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from outpour._request_head import DEFAULT_MAX_HEADER_SIZE
from outpour.openapi import OpenAPIConfig
from outpour.types import Empty, EmptyType

if TYPE_CHECKING:
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.datastructures.state import State
    from outpour.di import Provide
    from outpour.params import ParameterKwarg
    from outpour.types import (
        AfterExceptionHookHandler,
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        AnyCallable,
        BeforeMessageSendHookHandler,
        BeforeRequestHookHandler,
        ExceptionHandlersMap,
        Guard,
        ResponseCookies,
        ResponseHeaders,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["DEFAULT_OPENAPI_CONFIG", "AppConfig"]

DEFAULT_OPENAPI_CONFIG = OpenAPIConfig(title="Outpour API", version="1.0.0")
"""The OpenAPI configuration of an app created without ``openapi_config``: the document and pages under ``/schema``."""


@dataclass
class AppConfig:
    """The arguments of ``Outpour(...)``, with the same names and defaults.

    ``Outpour`` builds one from its arguments and passes it through each ``on_app_init`` hook (which returns it,
    possibly changed) before compiling any route; ``Outpour.from_config(config)`` creates an app from one. The
    sequences the app owns (``route_handlers``, ``on_startup``, …) are always lists, so hooks may append to them.
    The layered options (``guards``, ``dependencies``, …) keep ``None`` when not given; see ``LayerOptions``.

    Args:
        route_handlers: Handlers, controller classes and routers.
        after_exception: Hooks called with ``(exception, scope)`` after an exception has been answered.
        before_send: Hooks called with ``(message, scope)`` before each ASGI message is sent.
        debug: Show tracebacks in 500 responses.
        lifespan: Async context managers (or callables taking the app and returning one) entered at start-up.
        on_startup: Callables run at start-up.
        on_shutdown: Callables run at shutdown.
        state: The app state.
        plugins: Plugins.
        openapi_config: The OpenAPI configuration, or ``None`` for no document.
        template_config: The template engine configuration.
        path: A path prefix of every route.
        request_max_header_size: The most bytes of header names and values a request may carry, or ``None``.
    """

    route_handlers: list[Any] = field(default_factory=list)
    after_exception: list[AfterExceptionHookHandler] = field(default_factory=list)
    before_send: list[BeforeMessageSendHookHandler] = field(default_factory=list)
    debug: bool = False
    lifespan: list[Any] = field(default_factory=list)
    on_startup: list[Callable[..., Any]] = field(default_factory=list)
    on_shutdown: list[Callable[..., Any]] = field(default_factory=list)
    state: Mapping[str, Any] | State | None = None
    plugins: list[Any] = field(default_factory=list)
    openapi_config: OpenAPIConfig | None = field(default_factory=lambda: DEFAULT_OPENAPI_CONFIG)
    template_config: Any = None
    path: str | None = None
    request_max_header_size: int | None = DEFAULT_MAX_HEADER_SIZE
    # the layered options (outpour._layers.LayerOptions)
    after_request: AfterRequestHookHandler | None = None
    after_response: AfterResponseHookHandler | None = None
    before_request: BeforeRequestHookHandler | None = None
    cache_control: CacheControlHeader | None = None
    dependencies: Mapping[str, Provide | AnyCallable] | None = None
    etag: ETag | None = None
    exception_handlers: ExceptionHandlersMap | None = None
    guards: Sequence[Guard] | None = None
    include_in_schema: bool | None = None
    middleware: Sequence[Any] | None = None
    opt: Mapping[str, Any] | None = None
    parameters: Mapping[str, ParameterKwarg] | None = None
    request_class: type[Any] | None = None
    request_max_body_size: int | EmptyType | None = Empty
    response_class: type[Any] | None = None
    response_cookies: ResponseCookies | None = None
    response_headers: ResponseHeaders | None = None
    security: Sequence[Mapping[str, Sequence[str]]] | None = None
    signature_namespace: Mapping[str, Any] | None = None
    tags: Sequence[str] | None = None
    type_decoders: TypeDecodersSequence | None = None
    type_encoders: TypeEncodersMap | None = None
