"""Building an app's routes: handlers collected from routers and controllers, each compiled into its route.

``RouteBuilder`` runs when the app is created (and again when a handler is registered later): it resolves each
handler's layers, compiles HTTP handlers into plans (``outpour._plan``) and WebSocket handlers
(``outpour._ws_plan``), wraps them in their middleware and the app's built-in middleware, and fills the route table
(``outpour._route_table``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from outpour._builtin_middleware import exempt_from_host_check, wrap_handler
from outpour._dependencies import maybe_await
from outpour._errors import handle_exception
from outpour._layers import resolve_layered
from outpour._plan import HTTPPlan, compile_http_handler
from outpour._response_cache import wrap_cached
from outpour._route_settings import RouteSettings, layered_headers, resolve_settings
from outpour._route_table import RouteTable
from outpour._routing import PathTemplate, parse_template
from outpour._ws_plan import compile_websocket_handler
from outpour.connection import ASGIConnection
from outpour.controller import Controller
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers import ASGIRouteHandler, BaseRouteHandler, HTTPRouteHandler
from outpour.handlers._base import join_paths
from outpour.handlers.websocket_handlers import WebsocketListener, WebsocketRouteHandler
from outpour.middleware.base import build_middleware_stack
from outpour.openapi import OpenAPIConfig, create_openapi_router
from outpour.router import Router
from outpour.serialization import get_serializer

if TYPE_CHECKING:
    from outpour.app import Outpour
    from outpour.types import ASGIApp, Guard, Receive, Scope, Send, Serializer

__all__ = ["RouteBuilder"]


class RouteBuilder:
    """Collects an app's handlers and compiles them into its route table and plans.

    Args:
        app: The app.
        outer: What wraps every app the table serves (the app's allowed-hosts, CORS and ``before_send`` layers).
    """

    def __init__(self, app: Outpour, outer: Any) -> None:
        self.app = app
        self.table = RouteTable(outer)
        self.plans: list[HTTPPlan] = []

    def build(self) -> None:
        """Collect and compile every handler of the app, then the OpenAPI routes, then the automatic ``HEAD``s."""
        app = self.app
        for value in app.route_handlers:
            self.collect(value, [app], app.path)
        if isinstance(app.openapi_config, OpenAPIConfig):  # the OpenAPI document and pages (outpour.openapi)
            self.collect(create_openapi_router(app.openapi_config), [app], app.path)
        self.add_automatic_head()
        self.table.finish()

    def collect(self, value: Any, layers: list[Any], prefix: str) -> None:
        if isinstance(value, Router):
            if any(value is layer for layer in layers):
                chain = " -> ".join(f"`{getattr(layer, 'path', '') or '/'}`" for layer in [*layers, value])
                raise ImproperlyConfiguredException(
                    f"Router `{value.path or '/'}` is registered inside itself ({chain}): a router cannot contain "
                    "itself; remove it from its own sub-routers."
                )
            for item in value.route_handlers:
                self.collect(item, [*layers, value], join_paths(prefix, value.path))
        elif isinstance(value, type) and issubclass(value, Controller):
            controller = value()
            controller.owner = layers[-1]
            for handler in controller.get_route_handlers():
                self.register(handler, [*layers, controller], join_paths(prefix, value.path))
        elif isinstance(value, Controller):
            for handler in value.get_route_handlers():
                self.register(handler, [*layers, value], join_paths(prefix, type(value).path))
        elif isinstance(value, BaseRouteHandler):
            self.register(value.bound_copy(layers[-1]), layers, prefix)
        elif isinstance(value, WebsocketListener) or (isinstance(value, type) and issubclass(value, WebsocketListener)):
            self.collect((value() if isinstance(value, type) else value).to_handler(), layers, prefix)
        else:
            raise ImproperlyConfiguredException(
                f"`{value!r}` is not a route handler: register functions decorated with `@get`, `@post`, …, "
                "`Controller` subclasses or `Router` instances."
            )

    def register(self, handler: BaseRouteHandler, layers: list[Any], prefix: str) -> None:
        settings = resolve_settings([*layers, handler])
        handler._take_settings(settings)
        for path in handler.paths:
            template = parse_template(join_paths(prefix, path))
            if isinstance(handler, HTTPRouteHandler):
                for method in handler.http_methods:
                    self.add_http(template, handler, settings, method)
                if not self.table.has_options_layers(template):
                    self.table.add_options_headers(template, _options_headers(layers))
                    self.add_options_middleware(template, layers)
            elif isinstance(handler, ASGIRouteHandler):
                self.add_asgi(template, handler, settings)
            elif isinstance(handler, WebsocketRouteHandler):
                self.add_websocket(template, handler, settings, layers)
            else:  # pragma: no cover - only the two kinds exist
                raise ImproperlyConfiguredException(f"Unsupported handler `{handler!r}`.")
            self.table.add_name(handler, template)

    def add_http(self, template: PathTemplate, handler: HTTPRouteHandler, settings: RouteSettings, method: str) -> None:
        plan, app = compile_http_handler(self.app, handler, settings, template, method)
        app = wrap_cached(self.app, handler, settings, method, app)  # `app` itself unless the handler has `cache` set
        self.plans.append(plan)
        handler._add_plan(plan)
        inner = wrap_handler(self.app.csrf_config, self.app.compression_config, app)  # `app` without those configs
        if settings.middleware or inner is not app:
            app = _boundary(
                build_middleware_stack(settings.middleware, inner),
                handler,
                plan.exception_handlers,
                self.app,
                template.path,
                get_serializer(settings.type_encoders) if settings.type_encoders else None,
            )
        app = exempt_from_host_check(self.app.allowed_hosts, settings.opt, app)
        self.table.add_http(template, method, handler, app)

    def add_options_middleware(self, template: PathTemplate, layers: list[Any]) -> None:
        """Run the middleware of ``layers`` around the automatic ``OPTIONS`` answer at ``template``.

        As in Litestar, the answer is a route handler of the layers above the path's first handler: their middleware
        (authentication, ...) and ``opt`` apply to it, the handler's own do not.
        """
        if not resolve_layered(layers, "middleware"):
            return
        handler = HTTPRouteHandler(
            template.path, fn=_automatic_options, http_method="OPTIONS", include_in_schema=False
        ).bound_copy(layers[-1])
        settings = resolve_settings([*layers, handler])
        handler._take_settings(settings)

        def wrap(answer: ASGIApp) -> ASGIApp:
            stack = build_middleware_stack(settings.middleware, answer)
            return _boundary(stack, handler, settings.exception_handlers, self.app, template.path)

        self.table.add_options_wrap(template, wrap)

    def add_asgi(self, template: PathTemplate, handler: ASGIRouteHandler, settings: RouteSettings) -> None:
        handler._check_app(template.path)
        app: ASGIApp = handler.fn
        if handler.copy_scope:
            inner = app

            async def copying(scope: Scope, receive: Receive, send: Send) -> None:
                await inner(dict(scope), receive, send)

            app = copying
        if settings.guards:  # as for HTTP routes: inside the route's middleware, the boundary answers a refusal
            app = _guarded(app, handler, settings.guards)
        app = wrap_handler(self.app.csrf_config, self.app.compression_config, app)
        if settings.middleware:
            app = build_middleware_stack(settings.middleware, app)
        app = _boundary(app, handler, settings.exception_handlers, self.app, template.path)
        self.table.add_asgi(template, handler, exempt_from_host_check(self.app.allowed_hosts, settings.opt, app))

    def add_websocket(
        self, template: PathTemplate, handler: WebsocketRouteHandler, settings: RouteSettings, layers: list[Any]
    ) -> None:
        app = compile_websocket_handler(self.app, handler, settings, template, layers)
        if settings.middleware:
            app = _with_path_template(build_middleware_stack(settings.middleware, app), template.path)
        self.table.add_websocket(template, handler, app)

    def check(self, handler: BaseRouteHandler, path: str) -> list[HTTPPlan]:
        """Check ``handler`` as registering it at ``path`` on the app does, without registering it.

        A copy of the handler takes the app's layered settings and is compiled as a route of the app would be
        (``handler.on_registration``); nothing is added to the app.

        Args:
            handler: The handler.
            path: The full path it would serve.

        Returns:
            The compiled plans of an HTTP handler, one per method (``handler.to_response`` sends through them).

        Raises:
            ImproperlyConfiguredException: The handler breaks a rule of its kind.
        """
        layers: list[Any] = [self.app]
        handler = handler.bound_copy(self.app)
        settings = resolve_settings([*layers, handler])
        handler._take_settings(settings)
        template = parse_template(join_paths(path))
        if isinstance(handler, HTTPRouteHandler):
            return [compile_http_handler(self.app, handler, settings, template, m)[0] for m in handler.http_methods]
        if isinstance(handler, ASGIRouteHandler):
            handler._check_app(template.path)
        elif isinstance(handler, WebsocketRouteHandler):
            compile_websocket_handler(self.app, handler, settings, template, layers)
        return []

    def add_automatic_head(self) -> None:
        """Answer ``HEAD`` with the ``GET`` handler of each path where no handler takes ``HEAD``."""
        for route, template in self.table.http_routes():
            handler = route.route_handler_map.get("GET")
            if handler is None or handler._settings is None or self.table.serves(template, "HEAD"):
                continue
            self.add_http(template, handler, handler._settings, "HEAD")


async def _automatic_options() -> None:
    """Stands for the automatic ``OPTIONS`` answer in ``scope["route_handler"]``; never called."""


def _options_headers(layers: list[Any]) -> list[tuple[bytes, bytes]]:
    """The ``response_headers`` of ``layers`` (above a handler), encoded for the automatic ``OPTIONS`` answer.

    They were checked when the handler's own plan was compiled; ``Allow`` stays the route's.
    """
    return [
        (name.encode("latin-1"), str(header.value).encode("latin-1"))
        for name, header in layered_headers(layers).items()
        if not header.documentation_only and header.value is not None and name != "allow"
    ]


def _guarded(app: ASGIApp, handler: ASGIRouteHandler, guards: tuple[Guard, ...]) -> ASGIApp:
    """Call the route's guards with an ``ASGIConnection`` and the handler before the ASGI app; one raising refuses."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope, receive, send)
        for guard in guards:
            await maybe_await(guard(connection, handler))
        await app(scope, receive, send)

    return guarded


def _with_path_template(app: ASGIApp, path_template: str) -> ASGIApp:
    """Give middleware the route's path template in ``scope["path_template"]`` (e.g. ``/users/{user_id:int}``)."""

    async def with_path_template(scope: Scope, receive: Receive, send: Send) -> None:
        scope["path_template"] = path_template
        await app(scope, receive, send)

    return with_path_template


def _boundary(
    app: ASGIApp,
    handler: BaseRouteHandler,
    exception_handlers: Mapping[Any, Any],
    owner: Outpour,
    path_template: str,
    serializer: Serializer | None = None,
) -> ASGIApp:
    """Answer exceptions raised by middleware (outside the handler's plan) until the response has started.

    It also gives middleware the route's path template in ``scope["path_template"]``. ``serializer`` encodes the
    ``extra`` of the default error response (the route's ``type_encoders``).
    """

    async def boundary(scope: Scope, receive: Receive, send: Send) -> None:
        scope["route_handler"] = handler
        scope["path_template"] = path_template
        started = False

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await app(scope, receive, tracking_send)
        except Exception as exc:
            if started or scope["type"] != "http":
                raise
            await handle_exception(exc, scope, receive, send, None, exception_handlers, owner.debug, None, serializer)
            if owner.after_exception:
                await owner.run_after_exception(exc, scope)

    return boundary
