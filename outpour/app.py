"""``Outpour``, the application: it compiles every route into a plan at creation, then dispatches requests to them."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import logging
import os
import pdb
import sys
import warnings
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any, cast

from outpour._app_build import RouteBuilder
from outpour._body import check_part_limit
from outpour._builtin_middleware import allowed_hosts_config, outer_wrap, split_app_wrappers
from outpour._errors import handle_exception
from outpour._options import Layer, reject_unsupported
from outpour._plan import HTTPPlan, general_path_only
from outpour._request_head import DEFAULT_MAX_HEADER_SIZE, check_request_head, validate_max_header_size
from outpour._route_table import HandlerIndex
from outpour._ws_plan import close_for_exception
from outpour.config.app import DEFAULT_OPENAPI_CONFIG, AppConfig, ExperimentalFeatures
from outpour.config.response_cache import ResponseCacheConfig
from outpour.connection.request import DEFAULT_MAX_BODY_SIZE, ClientDisconnected, Request
from outpour.datastructures.state import State
from outpour.events import BaseEventEmitterBackend, EventListener, SimpleEventEmitter
from outpour.exceptions import ImproperlyConfiguredException, OutpourWarning
from outpour.handlers import BaseRouteHandler
from outpour.openapi import OpenAPIConfig
from outpour.openapi._router import OpenAPIDocumentCache
from outpour.plugins import InitPluginProtocol, PluginRegistry
from outpour.routes import BaseRoute
from outpour.serialization import get_serializer
from outpour.stores.registry import StoreRegistry
from outpour.types import Empty

if TYPE_CHECKING:
    from typing import Self

    from outpour.config.allowed_hosts import AllowedHostsConfig
    from outpour.config.compression import CompressionConfig
    from outpour.config.cors import CORSConfig
    from outpour.config.csrf import CSRFConfig
    from outpour.connection.websocket import WebSocket
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.dto.base_dto import AbstractDTO
    from outpour.openapi.spec import OpenAPI
    from outpour.stores.base import Store
    from outpour.types import (
        AfterExceptionHookHandler,
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        ASGIApp,
        BeforeMessageSendHookHandler,
        BeforeRequestHookHandler,
        ControllerRouterHandler,
        Debugger,
        Dependencies,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        LifespanHook,
        Message,
        Middleware,
        OnAppInitHandler,
        ParametersMap,
        Receive,
        ResponseCookies,
        ResponseHeaders,
        RouteHandlerMapItem,
        Scope,
        Send,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["DEFAULT_OPENAPI_CONFIG", "HandlerIndex", "Litestar", "Outpour"]

logger = logging.getLogger("outpour")


def _environment_flag(name: str) -> bool:
    """Whether ``OUTPOUR_<name>`` (or, when unset or empty, Litestar's ``LITESTAR_<name>``) is ``1``."""
    value = os.environ.get(f"OUTPOUR_{name}") or os.environ.get(f"LITESTAR_{name}")
    return value == "1"


# Added to a head's size when it has a ``transfer-encoding`` header: more than any limit, so ``__call__`` hands the
# request to ``check_request_head``.
_FLAGGED = 1 << 64


class Outpour:
    """An outpour application.

    The keywords are Litestar 3.0's, in Litestar's order, then outpour's own (``request_max_header_size``). The
    layered ones (``after_request`` … ``type_encoders``) are also taken by routers, controllers and handlers, and
    combine with theirs as ``outpour._options`` declares.

    Args:
        route_handlers: Handlers, controller classes and routers.
        after_exception: Hooks (sync or async) called with ``(exception, scope)`` after an exception raised while
            handling a request has been answered. A failing hook is logged; it never changes the response.
        after_request: A hook called with the response before it is sent; it returns the response to send.
        after_response: A hook called with the request after the response was sent.
        allowed_hosts: The host names the app answers to (``*.example.com`` for subdomains), or an
            ``AllowedHostsConfig``; a request for another host is a 400, before routing.
        before_request: A hook called with the request before the handler; a value it returns is the response.
        before_send: Hooks (sync or async) called with ``(message, scope)`` before each ASGI message of an HTTP
            exchange is sent; they may change the message (for example add a header to ``http.response.start``).
        cache_control: The ``Cache-Control`` header of responses.
        compression_config: Compress responses (gzip, brotli or zstd) as a ``CompressionConfig`` says.
        cors_config: Answer CORS preflights before routing and add CORS headers to responses, as a ``CORSConfig``
            says.
        csrf_config: Check a double-submit CSRF token on unsafe requests, as a ``CSRFConfig`` says.
        dto: The DTO of the handlers' ``data`` (and of their return values unless ``return_dto`` is given).
        debug: Show tracebacks in 500 responses. ``None`` (the default) reads the environment: ``OUTPOUR_DEBUG=1``
            (or Litestar's ``LITESTAR_DEBUG=1``) switches it on.
        dependencies: Dependencies, by the name handlers take them as.
        etag: The ``ETag`` header of responses.
        event_emitter_backend: The class of the app's event emitter (a ``BaseEventEmitterBackend`` subclass; by
            default ``SimpleEventEmitter``), created with ``listeners`` as ``app.event_emitter``.
        exception_handlers: Handlers of exceptions, by status code or exception class.
        guards: Callables called with the connection and the handler before the handler; they raise to refuse.
        include_in_schema: Whether the routes appear in the OpenAPI document.
        listeners: ``EventListener``-s (functions decorated with ``@listener("event_id")``) that ``app.emit`` calls.
        middleware: Middleware wrapping every route.
        multipart_form_part_limit: The most parts (fields and files) a multipart body may have; past it the
            request is refused with 413. A route's ``Body(multipart_form_part_limit=...)`` takes precedence. Left
            at ``1000``, the request class's ``form_max_fields`` (1000 unless a subclass changes it) applies.
        on_app_init: Hooks called in order with the ``AppConfig`` built from these arguments, each returning it
            (possibly changed), before any route is compiled.
        on_shutdown: Callables run at shutdown.
        on_startup: Callables (sync or async, taking the app or nothing) run at start-up.
        openapi_config: The OpenAPI configuration; by default ``DEFAULT_OPENAPI_CONFIG`` (title ``Outpour API``,
            served under ``/schema``). ``None`` serves no document and no pages.
        opt: Arbitrary values handlers, guards and middleware may read.
        parameters: Parameters every route takes, by name.
        path: A path prefix of every route.
        plugins: Plugins, such as a ``FileSystemRegistry``.
        request_class: The ``Request`` class handlers receive.
        request_max_body_size: The most bytes a request body may have (10 MB by default, also when ``AppConfig``
            leaves it ``Empty``); ``None``: no limit.
        response_cache_config: How responses of handlers with ``cache`` are cached (a ``ResponseCacheConfig``; its
            defaults when not given).
        response_class: The ``Response`` class return values are wrapped in.
        response_cookies: Cookies set on responses.
        response_headers: Headers set on responses.
        return_dto: The DTO of the handlers' return values.
        security: OpenAPI security requirements.
        signature_namespace: Names used to resolve the handlers' annotations.
        signature_types: Types added to ``signature_namespace`` under their ``__name__``.
        state: The app state, given to handlers that take ``state``.
        stores: The stores, as a ``StoreRegistry`` or a mapping of names to stores; ``app.stores`` is the registry
            (a ``MemoryStore`` is created for a name asked for and not given).
        tags: OpenAPI tags.
        template_config: The template engine configuration.
        type_decoders: Decoders of types msgspec cannot build, as ``(predicate, decoder)`` pairs.
        type_encoders: Encoders of types msgspec cannot serialize, by type.
        websocket_class: The ``WebSocket`` class WebSocket handlers receive, unless a closer layer sets one.
        lifespan: Async context managers (or callables taking the app and returning one) entered at start-up.
        pdb_on_exception: Stop in ``debugger_module``'s post-mortem debugger at every exception a request or a
            WebSocket raises, before it is answered (a warning says so when the app is created: never in
            production). ``None`` (the default) reads the environment: ``OUTPOUR_PDB=1`` (or ``LITESTAR_PDB=1``).
        debugger_module: The debugger ``pdb_on_exception`` uses: any module with ``post_mortem(traceback)``, such as
            ``pdb`` (the default), ``ipdb`` or ``pudb``.
        experimental_features: Litestar's ``ExperimentalFeatures`` flags, kept as ``app.experimental_features``.
            outpour has none that change anything: ``DTO_CODEGEN`` is redundant (a warning says so).
        request_max_header_size: The most bytes of header names and values a request may carry (64 KiB by
            default); a request with more is answered 431 before routing. ``None``: no limit.

    Raises:
        ImproperlyConfiguredException: A keyword outpour does not implement yet (those "not supported yet" above)
            has a value other than its default; an ``on_app_init`` hook did not return an ``AppConfig``;
            ``request_max_header_size`` is neither an ``int`` >= 0 nor ``None``; ``event_emitter_backend`` is not a
            ``BaseEventEmitterBackend`` subclass, or a listener is not an ``EventListener``.
    """

    def __init__(
        self,
        route_handlers: Sequence[ControllerRouterHandler] | None = None,
        *,
        after_exception: Sequence[AfterExceptionHookHandler] | None = None,
        after_request: AfterRequestHookHandler | None = None,
        after_response: AfterResponseHookHandler | None = None,
        allowed_hosts: Sequence[str] | AllowedHostsConfig | None = None,
        before_request: BeforeRequestHookHandler | None = None,
        before_send: Sequence[BeforeMessageSendHookHandler] | None = None,
        cache_control: CacheControlHeader | None = None,
        compression_config: CompressionConfig | None = None,
        cors_config: CORSConfig | None = None,
        csrf_config: CSRFConfig | None = None,
        dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
        debug: bool | None = None,
        dependencies: Dependencies | None = None,
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
        request_class: type[Any] | None = None,
        request_max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
        response_cache_config: ResponseCacheConfig | None = None,
        response_class: type[Any] | None = None,
        response_cookies: ResponseCookies | None = None,
        response_headers: ResponseHeaders | None = None,
        return_dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
        security: Sequence[Mapping[str, Sequence[str]]] | None = None,
        signature_namespace: Mapping[str, Any] | None = None,
        signature_types: Sequence[Any] | None = None,
        state: State | Mapping[str, Any] | None = None,
        stores: StoreRegistry | dict[str, Store] | None = None,
        tags: Sequence[str] | None = None,
        template_config: Any = None,
        type_decoders: TypeDecodersSequence | None = None,
        type_encoders: TypeEncodersMap | None = None,
        websocket_class: type[WebSocket[Any, Any, Any]] | None = None,
        lifespan: Sequence[Callable[[Any], AbstractAsyncContextManager[Any]] | AbstractAsyncContextManager[Any]]
        | None = None,
        pdb_on_exception: bool | None = None,
        debugger_module: Debugger = pdb,
        experimental_features: Iterable[ExperimentalFeatures] | None = None,
        request_max_header_size: int | None = DEFAULT_MAX_HEADER_SIZE,
    ) -> None:
        config = AppConfig(
            after_exception=list(after_exception or []),
            after_request=after_request,
            after_response=after_response,
            allowed_hosts=allowed_hosts_config(allowed_hosts),  # a list is made an `AllowedHostsConfig`
            before_request=before_request,
            before_send=list(before_send or []),
            cache_control=cache_control,
            compression_config=compression_config,
            cors_config=cors_config,
            csrf_config=csrf_config,
            debug=_environment_flag("DEBUG") if debug is None else bool(debug),
            dependencies=dict(dependencies or {}),
            dto=dto,
            etag=etag,
            event_emitter_backend=event_emitter_backend,
            exception_handlers=dict(exception_handlers or {}),
            guards=list(guards or []),
            include_in_schema=include_in_schema,
            lifespan=list(lifespan or []),
            listeners=list(listeners or []),
            middleware=list(middleware or []),
            on_shutdown=list(on_shutdown or []),
            on_startup=list(on_startup or []),
            openapi_config=openapi_config,
            opt=dict(opt or {}),
            parameters=dict(parameters or {}),
            path=path or "",
            pdb_on_exception=_environment_flag("PDB") if pdb_on_exception is None else bool(pdb_on_exception),
            debugger_module=debugger_module,
            plugins=list(plugins or []),
            request_class=request_class,
            request_max_body_size=request_max_body_size,
            response_class=response_class,
            response_cookies=response_cookies or [],
            response_headers=response_headers or [],
            response_cache_config=response_cache_config or ResponseCacheConfig(),
            return_dto=return_dto,
            route_handlers=list(route_handlers or []),
            security=list(security or []),
            signature_namespace=dict(signature_namespace or {}),
            signature_types=list(signature_types or []),
            state=state if isinstance(state, State) else State(dict(state or {})),
            stores=stores,
            tags=list(tags or []),
            template_config=template_config,
            type_decoders=type_decoders,
            type_encoders=type_encoders,
            websocket_class=websocket_class,
            multipart_form_part_limit=multipart_form_part_limit,
            experimental_features=None if experimental_features is None else list(experimental_features),
            request_max_header_size=request_max_header_size,
        )
        # The app's hooks, then each init plugin's `on_app_init` (plugins a hook or plugin adds included).
        plugin_hooks = (p.on_app_init for p in config.plugins if isinstance(p, InitPluginProtocol))
        for hook in itertools.chain(on_app_init or (), plugin_hooks):
            result = hook(config)
            if not isinstance(result, AppConfig):
                raise ImproperlyConfiguredException(
                    f"The `on_app_init` hook `{getattr(hook, '__qualname__', hook)!r}` returned `{result!r}`; it "
                    "must return the `AppConfig` it was given (changed or not)."
                )
            config = result
        # After the hooks, which may have set one.
        reject_unsupported(Layer.APP, config, "`Outpour(...)`")
        self._configure(config)
        self.build()

    def _configure(self, config: AppConfig) -> None:
        """Take the app's options from ``config`` (its unsupported options are known to hold their defaults)."""
        self.route_handlers: list[Any] = list(config.route_handlers)
        self.after_exception: list[AfterExceptionHookHandler] = list(config.after_exception)
        self.after_request = config.after_request
        self.after_response = config.after_response
        self.allowed_hosts = allowed_hosts_config(config.allowed_hosts)
        """The ``AllowedHostsConfig`` (a list given is made one), or ``None``."""
        self.compression_config = config.compression_config
        self.cors_config = config.cors_config
        self.csrf_config = config.csrf_config
        self.before_request = config.before_request
        self.before_send: list[BeforeMessageSendHookHandler] = list(config.before_send)
        self.cache_control = config.cache_control
        self.debug = config.debug
        self.pdb_on_exception: bool = bool(config.pdb_on_exception)
        """Whether every exception a connection raises stops in ``debugger_module.post_mortem`` first."""
        self.debugger_module: Debugger = config.debugger_module
        if self.pdb_on_exception:
            warnings.warn(
                f"Debugger on exception is on (`pdb_on_exception`): every exception a request raises stops the app in "
                f"`{getattr(self.debugger_module, '__name__', self.debugger_module)}.post_mortem`, waiting for input. "
                "Use it only while debugging, never in production.",
                OutpourWarning,
                stacklevel=3,
            )
        self.experimental_features: frozenset[ExperimentalFeatures] = frozenset(config.experimental_features or ())
        """The ``ExperimentalFeatures`` flags the app was given."""
        if ExperimentalFeatures.DTO_CODEGEN in self.experimental_features:
            warnings.warn(
                "Use of redundant experimental feature flag DTO_CODEGEN: outpour has no DTO backends to choose "
                "between. Remove it from `experimental_features`.",
                OutpourWarning,
                stacklevel=3,
            )
        self.dependencies = config.dependencies
        self.dto = config.dto
        self.return_dto = config.return_dto
        self.etag = config.etag
        self.event_emitter: BaseEventEmitterBackend = _create_event_emitter(
            config.event_emitter_backend, config.listeners
        )
        """The emitter ``emit`` hands events to; the lifespan starts and stops it."""
        self.exception_handlers = config.exception_handlers
        self.guards = config.guards
        self.include_in_schema = config.include_in_schema
        self._lifespan_managers = list(config.lifespan)
        # Middleware wrapping the whole app (OpenTelemetry's) are taken out of each route's stack (see `build`).
        self.middleware, self._app_wrappers = split_app_wrappers(config.middleware)
        self.on_shutdown = list(config.on_shutdown)
        self.on_startup = list(config.on_startup)
        self.openapi_config = config.openapi_config
        self.opt = config.opt
        self.parameters = config.parameters
        self.path = config.path or "/"
        self.plugins = PluginRegistry(config.plugins)
        self.request_class: type[Any] = config.request_class or Request
        self.multipart_form_part_limit: int = check_part_limit(
            config.multipart_form_part_limit, "`multipart_form_part_limit` of `Outpour(...)`"
        )
        """The most parts a multipart body may have, unless the route's ``Body`` sets its own."""
        max_body_size = config.request_max_body_size  # an `on_app_init` hook may have left it `Empty`
        self.request_max_body_size = DEFAULT_MAX_BODY_SIZE if max_body_size is Empty else max_body_size
        self.response_class = config.response_class
        self.response_cache_config: ResponseCacheConfig = config.response_cache_config
        self.response_cookies = config.response_cookies
        self.response_headers = config.response_headers
        self.security = config.security
        self.signature_namespace = config.signature_namespace
        self.signature_types = config.signature_types
        state = config.state
        self.state = state if isinstance(state, State) else State(dict(state or {}))
        self.tags = config.tags
        stores = config.stores
        self.stores = stores if isinstance(stores, StoreRegistry) else StoreRegistry(dict(stores or {}))
        """The app's stores by name: response caching, rate limiting and server-side sessions take theirs here."""
        self.template_config = config.template_config
        # Built now, as in Litestar: a broken engine or `engine_callback` fails the app's creation, not a request.
        self.template_engine: Any = (
            config.template_config.engine_instance if config.template_config is not None else None
        )
        """The engine of ``template_config`` (its ``engine_instance``), or ``None`` without one."""
        self.type_decoders = config.type_decoders
        self.type_encoders = config.type_encoders
        self.websocket_class = config.websocket_class
        self.request_max_header_size = config.request_max_header_size
        self._app_exception_handlers: Mapping[Any, Any] = dict(config.exception_handlers or {})

    @classmethod
    def from_config(cls, config: AppConfig) -> Self:
        """Create an app from an ``AppConfig``.

        Args:
            config: The app's arguments.

        Returns:
            The app.
        """
        return cls(**{f.name: getattr(config, f.name) for f in dataclasses.fields(config)})

    @classmethod
    def from_scope(cls, scope: Scope) -> Outpour:
        """Return the app serving a connection, from its ASGI scope (where the app puts itself as ``scope["app"]``).

        Useful where only the scope is at hand: middleware, ``before_send`` and ``after_exception`` hooks.

        Args:
            scope: The ASGI scope of a connection the app serves.

        Returns:
            The app.

        Raises:
            ImproperlyConfiguredException: The scope holds no outpour app: it was not given by one.
        """
        app = scope.get("app")
        if not isinstance(app, Outpour):
            raise ImproperlyConfiguredException(
                f"The scope holds no outpour app (its `app` is `{app!r}`): `Outpour.from_scope` takes the scope of a "
                "connection an `Outpour` app serves, as given to its middleware and hooks."
            )
        return app

    # -- building ---------------------------------------------------------------------------------------------------

    def build(self) -> None:
        """Compile every route into its plan and build the route table."""
        # What wraps every app the table serves, and the errors answered before routing (`_answer_error`).
        self._outer = outer_wrap(
            self.allowed_hosts,
            self.cors_config,
            self._with_before_send if self.before_send else None,
            self._app_wrappers,
        )
        builder = RouteBuilder(self, self._outer)
        builder.build()
        table = self._table = builder.table
        self.plans: list[HTTPPlan] = builder.plans
        """Every compiled HTTP route: one per handler, method and path (the OpenAPI generator reads them)."""
        self.routes: list[BaseRoute[Any]] = table.routes
        """The routes, in registration order: the app's, then those of the OpenAPI document and pages."""
        # The request path reads the exact-path dict and calls the matcher itself: no call added per request.
        # On the general path (`OUTPOUR_GENERAL_PATH=1`) the dict is empty: every request goes through the matcher.
        self._static = {} if general_path_only() else table.static
        self._resolve = table.resolve
        self._resolve_websocket = table.resolve_websocket

    @property
    def route_handler_method_map(self) -> dict[str, RouteHandlerMapItem]:
        """Each path's handlers by HTTP method (``"asgi"`` for an ASGI handler), paths in registration order.

        A ``GET`` handler is listed under ``HEAD`` too when it answers it (no other handler takes ``HEAD``).
        """
        return self._table.method_map()

    @property
    def request_max_header_size(self) -> int | None:
        """The most bytes of header names and values a request may carry, or ``None`` for no limit.

        Raises:
            ImproperlyConfiguredException: When set to anything but an ``int`` >= 0 or ``None``.
        """
        return self._max_header_size

    @request_max_header_size.setter
    def request_max_header_size(self, value: int | None) -> None:
        self._max_header_size = validate_max_header_size(value)
        self._header_limit = sys.maxsize if value is None else value

    @property
    def openapi_schema(self) -> OpenAPI:
        """The OpenAPI document of the app's routes, built on first use and kept until the routes change.

        ``to_schema()`` gives it as JSON-compatible data, what ``/schema/openapi.json`` serves.

        Returns:
            The document.

        Raises:
            ImproperlyConfiguredException: The app was created with ``openapi_config=None``.
        """
        return OpenAPIDocumentCache.of(self, self._openapi_config_or_raise()).get_spec(self)

    def update_openapi_schema(self) -> None:
        """Build the OpenAPI document again, from the routes as they are now (after changing them in place).

        Raises:
            ImproperlyConfiguredException: The app was created with ``openapi_config=None``.
        """
        OpenAPIDocumentCache.renew(self, self._openapi_config_or_raise()).get_spec(self)

    def _openapi_config_or_raise(self) -> OpenAPIConfig:
        config = self.openapi_config
        if not isinstance(config, OpenAPIConfig):
            raise ImproperlyConfiguredException(
                "The app has no OpenAPI document: it was created with `openapi_config=None`. Pass an "
                "`OpenAPIConfig` (or leave `openapi_config` out for the default one) to build it."
            )
        return config

    def register(self, value: Any) -> None:
        """Register a handler, controller or router on the app after creation.

        Raises:
            ImproperlyConfiguredException: ``value`` is the app itself, or is not a handler, controller or router.
        """
        if value is self:
            raise ImproperlyConfiguredException(
                "An app cannot be registered on itself: register handlers, controllers or routers."
            )
        self.route_handlers.append(value)
        self.build()

    def _check_handler(self, handler: BaseRouteHandler, path: str) -> list[HTTPPlan]:
        """Compile ``handler`` at ``path`` with the app's settings, without registering it (``on_registration``)."""
        return RouteBuilder(self, None).check(handler, path)

    # -- reverse routing --------------------------------------------------------------------------------------------

    def get_handler_index_by_name(self, name: str) -> HandlerIndex | None:
        """Look up the handler named ``name``.

        Args:
            name: The handler's ``name`` (or its function's qualified name).

        Returns:
            Its ``HandlerIndex`` (``paths``, ``handler``, ``identifier``), or ``None`` when no handler has that name.
        """
        return self._table.handler_index(name)

    def route_reverse(self, name: str | BaseRouteHandler, **path_parameters: Any) -> str:
        """Build the path of a handler with these path parameter values.

        When the handler has several paths, the one taking the most of the given parameters is built.

        Args:
            name: The handler's ``name`` (or its function's qualified name), or the handler itself.
            **path_parameters: Values of the path parameters.

        Returns:
            The path.

        Raises:
            NoRouteMatchFoundException: No handler has that name, none of its paths takes these parameters, or a
                value has the wrong type.
        """
        return self._table.reverse(name if isinstance(name, str) else name.route_name, **path_parameters)

    # -- ASGI -------------------------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve an ASGI connection."""
        if scope["type"] == "http":
            scope["app"] = self
            # One pass over the head before routing, static routes included: its size (RFC 6585, section 5) and
            # whether it has a ``transfer-encoding`` (RFC 9112, section 6.1). Comparing the name's length first keeps
            # the loop to integer work; ``check_request_head`` says what is wrong, off this path.
            size = 0
            for name, value in scope["headers"]:
                length = len(name)
                size += length + len(value)
                if length == 17 and name.lower() == b"transfer-encoding":
                    size += _FLAGGED
            if size > self._header_limit:
                refused = check_request_head(scope["headers"], self._max_header_size)
                if refused is not None:
                    await self._answer_error(refused, scope, receive, send)
                    return
            methods = self._static.get(scope["path"])
            # Under a `root_path` the matcher routes on the path without it: only the matcher may answer then
            # (tested with `in` and a subscript, which add no call to the request path).
            if methods is not None and ("root_path" not in scope or not scope["root_path"]):
                app = methods.get(scope["method"])
                if app is not None:
                    await app(scope, receive, send)
                    return
            try:
                app = self._resolve(scope)
            except Exception as exc:
                await self._answer_error(exc, scope, receive, send)
                return
            await app(scope, receive, send)
        elif scope["type"] == "lifespan":
            scope["app"] = self
            await self._lifespan(receive, send)
        elif scope["type"] == "websocket":
            scope["app"] = self
            # Errors before a WebSocket handler runs (no route: 4404) or escaping middleware and mounted apps close
            # the connection as Litestar does; a handler's own are closed by its plan (outpour._ws_plan).
            try:
                app = self._resolve_websocket(scope)
                await app(scope, receive, send)
            except Exception as exc:
                await close_for_exception(exc, scope, send, self)

    async def _answer_error(self, exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer an error raised before any route took the request: app exception handlers and hooks apply.

        The answer goes through what wraps every route (``before_send`` hooks, CORS headers, the host check).
        """

        async def answer(scope: Scope, receive: Receive, send: Send) -> None:
            serializer = get_serializer(self.type_encoders) if self.type_encoders else None
            handlers = self._app_exception_handlers
            await handle_exception(exc, scope, receive, send, None, handlers, self.debug, None, serializer)
            if self.after_exception:
                await self.run_after_exception(exc, scope)

        await (self._outer(answer) if self._outer is not None else answer)(scope, receive, send)

    # -- events -----------------------------------------------------------------------------------------------------

    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        """Have every listener of ``event_id`` called with ``*args`` and ``**kwargs``, without waiting for them.

        Works while the app runs (between its start-up and shutdown), from handlers (``request.app.emit``), hooks or
        any thread.

        Args:
            event_id: The event's id, such as ``"user_created"``.
            *args: Positional arguments of the listeners.
            **kwargs: Keyword arguments of the listeners.

        Raises:
            RuntimeError: The app is not running (with the default emitter).
            ImproperlyConfiguredException: No listener listens to ``event_id`` (with the default emitter).
        """
        self.event_emitter.emit(event_id, *args, **kwargs)

    # -- hooks ------------------------------------------------------------------------------------------------------

    async def run_after_exception(self, exc: Exception, scope: Scope) -> None:
        """Call the ``after_exception`` hooks with ``(exc, scope)``; a failing hook is logged and the rest still run.

        Args:
            exc: The exception that was answered.
            scope: The ASGI scope of the request.
        """
        if isinstance(exc, ClientDisconnected):  # the client left: nothing failed
            return
        for hook in self.after_exception:
            try:
                result = hook(exc, scope)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("The after_exception hook %r failed while handling %r", hook, exc)

    def _hooked_send(self, send: Send, scope: Scope) -> Send:
        hooks = self.before_send

        async def hooked(message: Message) -> None:
            for hook in hooks:
                result = hook(message, scope)
                if inspect.isawaitable(result):
                    await result
            await send(message)

        return hooked

    def _with_before_send(self, app: ASGIApp) -> ASGIApp:
        hooked_send = self._hooked_send

        async def with_before_send(scope: Scope, receive: Receive, send: Send) -> None:
            await app(scope, receive, hooked_send(send, scope))

        return with_before_send

    @asynccontextmanager
    async def lifespan(self) -> AsyncGenerator[None, None]:
        """Run the app's start-up on entry and its shutdown on exit, as the ASGI lifespan protocol does.

        On entry: the event emitter starts, the ``lifespan`` context managers are entered in order, then the
        ``on_startup`` hooks run. On exit: the context managers are exited in reverse order, the event emitter stops
        (waiting for the listener calls still running), then the ``on_shutdown`` hooks run in order. When start-up
        fails, what had started is shut down the same way before the exception propagates.

        ::

            async with app.lifespan():
                ...  # the app is started
        """
        async with AsyncExitStack() as stack:
            stack.push_async_callback(self.stores._shutdown)  # last: clients `with_client` opened are closed
            for hook in reversed(self.on_shutdown):  # run after the context managers exit, in their given order
                stack.push_async_callback(_call_hook, hook, self)
            await stack.enter_async_context(self.event_emitter)
            for item in self._lifespan_managers:
                manager = item if hasattr(item, "__aenter__") else cast("Callable[[Any], Any]", item)(self)
                await stack.enter_async_context(cast("AbstractAsyncContextManager[Any]", manager))
            for hook in self.on_startup:
                await _call_hook(hook, self)
            yield

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "lifespan.startup":  # pragma: no cover - servers start with startup
            return
        lifespan = self.lifespan()
        try:
            await lifespan.__aenter__()
        except BaseException as exc:
            logger.exception("Application start-up failed")
            await send({"type": "lifespan.startup.failed", "message": f"{type(exc).__name__}: {exc}"})
            return
        await send({"type": "lifespan.startup.complete"})
        await receive()
        try:
            await lifespan.__aexit__(None, None, None)
        except BaseException as exc:
            logger.exception("Application shutdown failed")
            await send({"type": "lifespan.shutdown.failed", "message": f"{type(exc).__name__}: {exc}"})
            return
        await send({"type": "lifespan.shutdown.complete"})


Litestar = Outpour
"""Litestar's name of the app class: ``from outpour import Litestar`` works as ``from litestar import Litestar``."""


def _create_event_emitter(backend: Any, listeners: Iterable[Any]) -> BaseEventEmitterBackend:
    """Create the app's emitter of ``listeners``, checking both."""
    if not (isinstance(backend, type) and issubclass(backend, BaseEventEmitterBackend)):
        raise ImproperlyConfiguredException(
            f"`event_emitter_backend` must be a subclass of `BaseEventEmitterBackend` (the class, not an instance), "
            f"got `{backend!r}`. Leave it out for `SimpleEventEmitter`."
        )
    listeners = list(listeners)
    for item in listeners:
        if not isinstance(item, EventListener) or not hasattr(item, "fn"):
            raise ImproperlyConfiguredException(
                f"Every item of `listeners` must be an `EventListener`, got `{item!r}`. Decorate the function with "
                "`@listener('event_id')` (from `outpour.events`) and pass the decorated function."
            )
    return backend(listeners=listeners)


async def _call_hook(hook: Callable[..., Any], app: Outpour) -> None:
    try:
        takes_app = bool(inspect.signature(hook).parameters)
    except (TypeError, ValueError):  # pragma: no cover - builtins without signatures
        takes_app = False
    result = hook(app) if takes_app else hook()
    if inspect.isawaitable(result):
        await result
