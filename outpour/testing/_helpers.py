"""``create_test_client`` and ``create_async_test_client``: an app and a test client for it in one call.

Both take Litestar 3.0's parameters, in its order: the app's options (passed to :class:`~outpour.Outpour`, which
refuses those outpour does not implement yet) mixed with the client's (``base_url``, ``raise_server_exceptions``,
``root_path``, ``timeout``; ``backend`` and ``backend_options`` for the synchronous client), then the app options
outpour adds.
"""

from __future__ import annotations

import inspect
import pdb
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Literal

from outpour._request_head import DEFAULT_MAX_HEADER_SIZE
from outpour.app import DEFAULT_OPENAPI_CONFIG, Outpour
from outpour.connection.request import DEFAULT_MAX_BODY_SIZE
from outpour.events import BaseEventEmitterBackend, SimpleEventEmitter
from outpour.testing._client import AsyncTestClient, TestClient
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.config.allowed_hosts import AllowedHostsConfig
    from outpour.config.app import ExperimentalFeatures
    from outpour.config.compression import CompressionConfig
    from outpour.config.cors import CORSConfig
    from outpour.config.csrf import CSRFConfig
    from outpour.config.response_cache import ResponseCacheConfig
    from outpour.connection.websocket import WebSocket
    from outpour.datastructures import CacheControlHeader, ETag, State
    from outpour.dto.base_dto import AbstractDTO
    from outpour.events import EventListener
    from outpour.middleware.session.base import BaseBackendConfig
    from outpour.openapi import OpenAPIConfig
    from outpour.stores.base import Store
    from outpour.stores.registry import StoreRegistry
    from outpour.types import (
        AfterExceptionHookHandler,
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        BeforeMessageSendHookHandler,
        BeforeRequestHookHandler,
        ControllerRouterHandler,
        Debugger,
        Dependencies,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        LifespanHook,
        Middleware,
        OnAppInitHandler,
        ParametersMap,
        ResponseCookies,
        ResponseHeaders,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["create_async_test_client", "create_test_client"]

_APP_OPTIONS = frozenset(inspect.signature(Outpour).parameters) - {"route_handlers"}
"""The keywords of ``Outpour(...)``: the parameters of the helpers that go to the app."""


def _build_app(
    route_handlers: ControllerRouterHandler | Sequence[ControllerRouterHandler] | None,
    session_config: BaseBackendConfig[Any] | None,
    parameters: Mapping[str, Any],
) -> Outpour:
    """Create the app from the helper's ``parameters`` (its ``locals()``), taking those ``Outpour`` has.

    A ``session_config``'s middleware goes first (outermost) in the app's ``middleware``, as in Litestar.
    """
    options = {name: value for name, value in parameters.items() if name in _APP_OPTIONS}
    if session_config is not None:
        options["middleware"] = [session_config.middleware, *(options.get("middleware") or ())]
    if route_handlers is None:
        handlers: list[ControllerRouterHandler] = []
    elif isinstance(route_handlers, Sequence):
        handlers = list(route_handlers)
    else:
        handlers = [route_handlers]
    return Outpour(handlers, **options)


def create_test_client(  # noqa: D417  # the app's options are documented once, on `Outpour`
    route_handlers: ControllerRouterHandler | Sequence[ControllerRouterHandler] | None = None,
    *,
    after_exception: Sequence[AfterExceptionHookHandler] | None = None,
    after_request: AfterRequestHookHandler | None = None,
    after_response: AfterResponseHookHandler | None = None,
    allowed_hosts: Sequence[str] | AllowedHostsConfig | None = None,
    backend: Literal["asyncio", "trio"] = "asyncio",
    backend_options: Mapping[str, Any] | None = None,
    base_url: str = "http://testserver.local",
    before_request: BeforeRequestHookHandler | None = None,
    before_send: Sequence[BeforeMessageSendHookHandler] | None = None,
    cache_control: CacheControlHeader | None = None,
    compression_config: CompressionConfig | None = None,
    cors_config: CORSConfig | None = None,
    csrf_config: CSRFConfig | None = None,
    debug: bool = False,
    dependencies: Dependencies | None = None,
    dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
    etag: ETag | None = None,
    event_emitter_backend: type[BaseEventEmitterBackend] = SimpleEventEmitter,
    exception_handlers: ExceptionHandlersMap | None = None,
    guards: Sequence[Guard] | None = None,
    include_in_schema: bool | EmptyType = Empty,
    listeners: Sequence[EventListener] | None = None,
    middleware: Sequence[Middleware] | None = None,
    multipart_form_part_limit: int = 1000,
    on_app_init: Sequence[OnAppInitHandler] | None = None,
    on_shutdown: Sequence[LifespanHook] | None = None,
    on_startup: Sequence[LifespanHook] | None = None,
    openapi_config: OpenAPIConfig | None = DEFAULT_OPENAPI_CONFIG,
    opt: Mapping[str, Any] | None = None,
    parameters: ParametersMap | None = None,
    path: str | None = None,
    plugins: Sequence[Any] | None = None,
    lifespan: Sequence[Callable[[Any], AbstractAsyncContextManager[Any]] | AbstractAsyncContextManager[Any]]
    | None = None,
    raise_server_exceptions: bool = False,
    pdb_on_exception: bool | None = None,
    request_class: type[Any] | None = None,
    response_cache_config: ResponseCacheConfig | None = None,
    response_class: type[Any] | None = None,
    response_cookies: ResponseCookies | None = None,
    response_headers: ResponseHeaders | None = None,
    return_dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
    root_path: str = "",
    security: Sequence[Mapping[str, Sequence[str]]] | None = None,
    session_config: BaseBackendConfig[Any] | None = None,
    signature_namespace: Mapping[str, Any] | None = None,
    signature_types: Sequence[Any] | None = None,
    state: State | Mapping[str, Any] | None = None,
    stores: StoreRegistry | dict[str, Store] | None = None,
    tags: Sequence[str] | None = None,
    template_config: Any = None,
    timeout: float | None = None,
    type_encoders: TypeEncodersMap | None = None,
    websocket_class: type[WebSocket[Any, Any, Any]] | None = None,
    experimental_features: Iterable[ExperimentalFeatures] | None = None,
    type_decoders: TypeDecodersSequence | None = None,
    request_max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
    debugger_module: Debugger = pdb,
    request_max_header_size: int | None = DEFAULT_MAX_HEADER_SIZE,
) -> TestClient[Outpour]:
    """Create an :class:`~outpour.Outpour` app and a :class:`TestClient` for it.

    The keywords not listed below are the :class:`~outpour.Outpour` options of the same name, given to it as they are
    (it refuses those outpour does not implement yet); the last four are outpour's own.

    Args:
        route_handlers: A handler, controller or router, or a sequence of them.
        backend: The anyio backend that runs the app, ``"asyncio"`` or ``"trio"``.
        backend_options: Options for the backend, as taken by :func:`anyio.run`.
        base_url: The scheme and host of request URLs.
        raise_server_exceptions: Re-raise in the test an exception the app lets escape (one no exception handler
            answered); by default the client gets the app's 500 response instead.
        root_path: The ``root_path`` of the request scopes.
        session_config: A session configuration whose middleware is added first to ``middleware``.
        timeout: Seconds to wait for each part of the app's response; ``None`` waits forever.

    Returns:
        The client, not yet entered: use it as ``with create_test_client(...) as client:`` to run the lifespan.

    Raises:
        ImproperlyConfiguredException: ``Outpour(...)`` refuses an option.
    """
    # `locals()` is exactly the parameters here: the app takes those it names, so the forwarding isn't a second copy
    # of the fifty keywords above (tests/unit/testing/test_helpers.py checks each one reaches the app).
    app = _build_app(route_handlers, session_config, locals())
    return TestClient(
        app,
        base_url=base_url,
        raise_server_exceptions=raise_server_exceptions,
        root_path=root_path,
        backend=backend,
        backend_options=backend_options,
        session_config=session_config,
        timeout=timeout,
    )


def create_async_test_client(  # noqa: D417  # the app's options are documented once, on `Outpour`
    route_handlers: ControllerRouterHandler | Sequence[ControllerRouterHandler] | None = None,
    *,
    after_exception: Sequence[AfterExceptionHookHandler] | None = None,
    after_request: AfterRequestHookHandler | None = None,
    after_response: AfterResponseHookHandler | None = None,
    allowed_hosts: Sequence[str] | AllowedHostsConfig | None = None,
    base_url: str = "http://testserver.local",
    before_request: BeforeRequestHookHandler | None = None,
    before_send: Sequence[BeforeMessageSendHookHandler] | None = None,
    cache_control: CacheControlHeader | None = None,
    compression_config: CompressionConfig | None = None,
    cors_config: CORSConfig | None = None,
    csrf_config: CSRFConfig | None = None,
    debug: bool = False,
    dependencies: Dependencies | None = None,
    dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
    etag: ETag | None = None,
    event_emitter_backend: type[BaseEventEmitterBackend] = SimpleEventEmitter,
    exception_handlers: ExceptionHandlersMap | None = None,
    guards: Sequence[Guard] | None = None,
    include_in_schema: bool | EmptyType = Empty,
    lifespan: Sequence[Callable[[Any], AbstractAsyncContextManager[Any]] | AbstractAsyncContextManager[Any]]
    | None = None,
    listeners: Sequence[EventListener] | None = None,
    middleware: Sequence[Middleware] | None = None,
    multipart_form_part_limit: int = 1000,
    on_app_init: Sequence[OnAppInitHandler] | None = None,
    on_shutdown: Sequence[LifespanHook] | None = None,
    on_startup: Sequence[LifespanHook] | None = None,
    openapi_config: OpenAPIConfig | None = DEFAULT_OPENAPI_CONFIG,
    opt: Mapping[str, Any] | None = None,
    parameters: ParametersMap | None = None,
    pdb_on_exception: bool | None = None,
    path: str | None = None,
    plugins: Sequence[Any] | None = None,
    raise_server_exceptions: bool = False,
    request_class: type[Any] | None = None,
    response_cache_config: ResponseCacheConfig | None = None,
    response_class: type[Any] | None = None,
    response_cookies: ResponseCookies | None = None,
    response_headers: ResponseHeaders | None = None,
    return_dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
    root_path: str = "",
    security: Sequence[Mapping[str, Sequence[str]]] | None = None,
    session_config: BaseBackendConfig[Any] | None = None,
    signature_namespace: Mapping[str, Any] | None = None,
    signature_types: Sequence[Any] | None = None,
    state: State | Mapping[str, Any] | None = None,
    stores: StoreRegistry | dict[str, Store] | None = None,
    tags: Sequence[str] | None = None,
    template_config: Any = None,
    timeout: float | None = None,
    type_encoders: TypeEncodersMap | None = None,
    websocket_class: type[WebSocket[Any, Any, Any]] | None = None,
    experimental_features: Iterable[ExperimentalFeatures] | None = None,
    type_decoders: TypeDecodersSequence | None = None,
    request_max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
    debugger_module: Debugger = pdb,
    request_max_header_size: int | None = DEFAULT_MAX_HEADER_SIZE,
) -> AsyncTestClient[Outpour]:
    """Create an :class:`~outpour.Outpour` app and an :class:`AsyncTestClient` for it; the app runs on the test's loop.

    The keywords not listed below are the :class:`~outpour.Outpour` options of the same name, given to it as they are
    (it refuses those outpour does not implement yet); the last four are outpour's own.

    Args:
        route_handlers: A handler, controller or router, or a sequence of them.
        base_url: The scheme and host of request URLs.
        raise_server_exceptions: Re-raise in the test an exception the app lets escape (one no exception handler
            answered); by default the client gets the app's 500 response instead.
        root_path: The ``root_path`` of the request scopes.
        session_config: A session configuration whose middleware is added first to ``middleware``.
        timeout: Seconds to wait for each part of the app's response; ``None`` waits forever.

    Returns:
        The client, not yet entered: use it as ``async with create_async_test_client(...) as client:``.

    Raises:
        ImproperlyConfiguredException: ``Outpour(...)`` refuses an option.
    """
    app = _build_app(route_handlers, session_config, locals())  # `locals()`: see `create_test_client`
    return AsyncTestClient(
        app,
        base_url=base_url,
        raise_server_exceptions=raise_server_exceptions,
        root_path=root_path,
        session_config=session_config,
        timeout=timeout,
    )
