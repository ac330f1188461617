"""The app's route table: its routes as ``outpour.routes`` objects, and the tables the matcher reads per request.

A path without parameters is one dict lookup (``static``: path -> method -> ASGI app). Mounts are prefixes tried
next, longest first, then the segment trie of paths with parameters, then a mount at ``/``. The app reads ``static``
itself for the common case, an exact path and a method it serves, and calls ``resolve`` for everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

from outpour._routing import PathTemplate, Trie
from outpour.exceptions import (
    ImproperlyConfiguredException,
    MethodNotAllowedException,
    NoRouteMatchFoundException,
    NotFoundException,
)
from outpour.routes import ASGIRoute, BaseRoute, HTTPRoute, WebSocketRoute
from outpour.routes.http import allow_header, answer_options

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping

    from outpour.handlers import ASGIRouteHandler, BaseRouteHandler, HTTPRouteHandler, WebsocketRouteHandler
    from outpour.types import ASGIApp, Receive, RouteHandlerMapItem, RouteHandlerType, Scope, Send

__all__ = ["HandlerIndex", "RouteTable"]


class HandlerIndex(TypedDict):
    """What ``app.get_handler_index_by_name`` returns: a named handler and its paths."""

    paths: list[str]
    """The handler's paths, sorted."""
    handler: RouteHandlerType
    """The handler (the app's registered copy)."""
    identifier: str
    """The name looked up: the handler's ``name``, or its function's qualified name."""


class _DynamicEndpoint:
    """An endpoint of a path with parameters: its app and how to convert each parameter's segment."""

    __slots__ = ("app", "params", "single")

    def __init__(self, app: ASGIApp, template: PathTemplate) -> None:
        self.app = app
        self.params = [(p.name, p.converter) for p in template.params]
        self.single = self.params[0] if len(self.params) == 1 else None
        """The one parameter of a path that has one (the usual case, converted without a loop), else None."""


class RouteTable:
    """The routes of one app, built once when the app is created.

    Args:
        wrap: Wraps every app the table serves (the app's ``before_send`` hooks), or ``None``.
    """

    __slots__ = (
        "_dynamic_owners",
        "_http",
        "_implicit_head",
        "_named",
        "_names",
        "_options_headers",
        "_options_wraps",
        "_static_owners",
        "_websocket_owners",
        "_wrap",
        "mounts",
        "root_mount",
        "routes",
        "static",
        "trie",
        "websocket_static",
        "websocket_trie",
    )

    def __init__(self, wrap: Callable[[ASGIApp], ASGIApp] | None = None) -> None:
        self.routes: list[BaseRoute[Any]] = []
        """Every route, in registration order."""
        self.static: dict[str, dict[str, ASGIApp]] = {}
        """The apps of each path without parameters, by method (``*`` for an ASGI handler)."""
        self.trie = Trie()
        """The paths with parameters; each leaf maps methods to a ``_DynamicEndpoint``."""
        self.mounts: list[tuple[str, ASGIApp]] = []
        """Mount points other than ``/`` and their apps, longest first once ``finish`` ran."""
        self.root_mount: ASGIApp | None = None
        """An app mounted at ``/``: it answers what nothing else matches."""
        self._wrap = wrap
        self._http: dict[str, tuple[HTTPRoute, PathTemplate]] = {}
        self._static_owners: dict[tuple[str, str], BaseRouteHandler] = {}
        self._dynamic_owners: dict[tuple[str, str], BaseRouteHandler] = {}
        self._names: dict[str, list[PathTemplate]] = {}
        self._named: dict[str, BaseRouteHandler] = {}
        self._options_headers: dict[str, list[tuple[bytes, bytes]]] = {}
        self._options_wraps: dict[str, Callable[[ASGIApp], ASGIApp]] = {}
        self._implicit_head: set[int] = set()  # `id` of the method dicts whose `HEAD` is a `GET` handler's
        # WebSocket routes have tables of their own: HTTP lookups never see them (``resolve_websocket``).
        self.websocket_static: dict[str, ASGIApp] = {}
        self.websocket_trie = Trie()
        self._websocket_owners: dict[str, BaseRouteHandler] = {}

    # -- building ---------------------------------------------------------------------------------------------------

    def add_http(self, template: PathTemplate, method: str, handler: HTTPRouteHandler, app: ASGIApp) -> None:
        """Serve ``method`` at ``template`` with ``app``, the compiled plan of ``handler``.

        Raises:
            ImproperlyConfiguredException: Another handler serves that method at that path.
        """
        entry = self._claim(template, method, handler, app)
        found = self._http.get(template.path)
        if found is None:
            route = HTTPRoute(path=template.path, route_handlers=())
            self._http[template.path] = (route, template)
            self.routes.append(route)
        else:
            route = found[0]
        route._serve(method, handler, entry)

    def add_options_headers(self, template: PathTemplate, headers: list[tuple[bytes, bytes]]) -> None:
        """Send ``headers`` with the automatic ``OPTIONS`` answer at ``template`` (the first handler's layers give them)."""
        self._options_headers.setdefault(template.path, headers)

    def has_options_layers(self, template: PathTemplate) -> bool:
        """Whether a handler's layers already gave the automatic ``OPTIONS`` answer at ``template`` its headers."""
        return template.path in self._options_headers

    def add_options_wrap(self, template: PathTemplate, wrap: Callable[[ASGIApp], ASGIApp]) -> None:
        """Wrap the automatic ``OPTIONS`` answer at ``template`` with ``wrap`` (the middleware of its layers)."""
        self._options_wraps.setdefault(template.path, wrap)

    def add_asgi(self, template: PathTemplate, handler: ASGIRouteHandler, app: ASGIApp) -> None:
        """Serve every method at ``template`` (and below it, for a mount) with ``app``, the handler's ASGI app.

        Raises:
            ImproperlyConfiguredException: A mount path has parameters, or another handler serves that path.
        """
        route = ASGIRoute(path=template.path, route_handler=handler)
        if handler.is_mount:
            if not template.is_static:
                raise ImproperlyConfiguredException(f"A mount path cannot have parameters: `{template.path}`.")
            route._app = entry = self._wrapped(_mounted(app, template.path))
            if template.path == "/":
                self.root_mount = entry
            else:
                self.mounts.append((template.path, entry))
        else:
            route._app = self._claim(template, "*", handler, app)
        self.routes.append(route)

    def add_websocket(self, template: PathTemplate, handler: WebsocketRouteHandler, app: ASGIApp) -> None:
        """Serve WebSocket connections at ``template`` with ``app``, the compiled plan of ``handler``.

        Raises:
            ImproperlyConfiguredException: Another WebSocket handler serves that path.
        """
        key = template.path if template.is_static else template.shape
        other = self._websocket_owners.setdefault(key, handler)
        if other is not handler:
            raise ImproperlyConfiguredException(
                f"Duplicate route: WebSocket `{template.path}` is declared by both `{other.handler_name}` and "
                f"`{handler.handler_name}`. Remove one, or give them different paths."
            )
        route = WebSocketRoute(path=template.path, route_handler=handler)
        route._app = entry = self._wrapped(app)
        if template.is_static:
            self.websocket_static[template.path] = entry
        else:
            self.websocket_trie.insert(template, _DynamicEndpoint(entry, template))
        self.routes.append(route)

    def add_name(self, handler: BaseRouteHandler, template: PathTemplate) -> None:
        """Record ``template`` as a path of ``handler`` for reverse routing.

        Raises:
            ImproperlyConfiguredException: Another handler function has the same ``name``.
        """
        owner = self._named.setdefault(handler.route_name, handler)
        if handler.name and owner is not handler and _function(owner) is not _function(handler):
            raise ImproperlyConfiguredException(
                f"Route handler name `{handler.name}` is used by `{owner.handler_name}` and "
                f"`{handler.handler_name}`; names must be unique."
            )
        self._names.setdefault(handler.route_name, []).append(template)

    def serves(self, template: PathTemplate, method: str) -> bool:
        """Whether a handler serves ``method`` at ``template`` (or at a template of the same shape)."""
        if template.is_static:
            return (template.path, method) in self._static_owners
        return (template.shape, method) in self._dynamic_owners

    def http_routes(self) -> Iterator[tuple[HTTPRoute, PathTemplate]]:
        """The HTTP routes and their templates, in registration order."""
        yield from list(self._http.values())

    def finish(self) -> None:
        """Complete the table once every handler is added: automatic ``OPTIONS`` answers, mounts longest first."""
        for route, template in self._http.values():
            extra = self._options_headers.get(template.path, [])
            layered = self._options_wraps.get(template.path, _unwrapped)
            route._serve_options(self._wrapped(layered(answer_options(allow_header(route.route_handler_map), extra))))
            # The exact-path dict and the trie answer `OPTIONS` too, with the answer `_not_allowed` would build per
            # request (a CORS preflight lands here); a path an ASGI app takes with every method keeps it.
            methods: dict[str, Any] = (
                self.static[template.path] if template.is_static else self.trie.insert(template, {})
            )
            if "*" not in methods and "OPTIONS" not in methods:
                options = self._wrapped(layered(answer_options(allow_header(self._advertised(methods)), extra)))
                methods["OPTIONS"] = options if template.is_static else _DynamicEndpoint(options, template)
        self.mounts.sort(key=lambda item: len(item[0]), reverse=True)

    def _claim(self, template: PathTemplate, method: str, handler: BaseRouteHandler, app: ASGIApp) -> ASGIApp:
        entry = self._wrapped(app)
        if template.is_static:
            owners = self._static_owners
            key = (template.path, method)
            methods: dict[str, Any] = self.static.setdefault(template.path, {})
            value: Any = entry
        else:
            owners = self._dynamic_owners
            key = (template.shape, method)
            methods = self.trie.insert(template, {})
            value = _DynamicEndpoint(entry, template)
        other = owners.get(key)
        if other is not None:
            raise ImproperlyConfiguredException(
                f"Duplicate route: {method} `{template.path}` is declared by both `{other.handler_name}` and "
                f"`{handler.handler_name}`. Remove one, or give them different paths or methods."
            )
        owners[key] = handler
        methods[method] = value
        if method == "HEAD" and "HEAD" not in getattr(handler, "http_methods", ()):
            self._implicit_head.add(id(methods))  # answered, not advertised (see `_advertised`)
        return entry

    def _advertised(self, methods: Mapping[str, Any]) -> Collection[str]:
        """The methods ``Allow`` lists for a path: its handlers' own, without the ``HEAD`` a ``GET`` answers for them.

        Litestar lists only the declared methods; RFC 9110 (section 10.2.1) lets ``Allow`` advertise less than what
        is answered.
        """
        return [name for name in methods if name != "HEAD"] if id(methods) in self._implicit_head else methods

    def _wrapped(self, app: ASGIApp) -> ASGIApp:
        return self._wrap(app) if self._wrap is not None else app

    # -- the matcher ------------------------------------------------------------------------------------------------

    def resolve(self, scope: Scope) -> ASGIApp:
        """Return the app answering ``scope``, with ``scope["path_params"]`` set for a path with parameters.

        The path is taken without the ``root_path`` and without a trailing slash.

        Raises:
            NotFoundException: No route matches the path, or a path parameter's segment is not of its type.
            MethodNotAllowedException: The path has routes, but none for the method (``Allow`` lists those that do).
        """
        path: str = scope["path"]
        root_path = scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        method = scope["method"]
        methods = self.static.get(path)
        if methods is not None:
            return methods.get(method) or methods.get("*") or self._not_allowed(methods, method)
        for prefix, mount in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                return mount
        match = self.trie.match(path)
        if match is None:
            if self.root_mount is not None:
                return self.root_mount
            raise NotFoundException()
        dynamic, raw = match
        endpoint = dynamic.get(method) or dynamic.get("*")
        if endpoint is None:
            return self._not_allowed(dynamic, method)
        # The slot's type is part of the route: `/items/abc` is not a path of `/items/{id:int}`, so it is not found,
        # as in Litestar (a segment its parser refuses is a 404, not a validation error).
        single = endpoint.single
        if single is not None:
            try:
                scope["path_params"] = {single[0]: single[1](raw[0])}
            except (ValueError, TypeError) as exc:
                raise NotFoundException() from exc
            single_app: ASGIApp = endpoint.app
            return single_app
        params: dict[str, Any] = {}
        for (name, converter), value in zip(endpoint.params, raw, strict=True):
            try:
                params[name] = converter(value)
            except (ValueError, TypeError) as exc:
                raise NotFoundException() from exc
        scope["path_params"] = params
        app: ASGIApp = endpoint.app
        return app

    def resolve_websocket(self, scope: Scope) -> ASGIApp:
        """Return the app serving a WebSocket ``scope``, with ``scope["path_params"]`` set for a path with parameters.

        WebSocket handlers are tried first, then ASGI handlers and mounts as for HTTP (they serve every scope type).

        Raises:
            NotFoundException: Nothing serves the path, or a path parameter's segment is not of its type.
        """
        path: str = scope["path"]
        root_path = scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        app = self.websocket_static.get(path) or self.static.get(path, {}).get("*")
        if app is not None:
            return app
        for prefix, mount in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                return mount
        for trie, key in ((self.websocket_trie, None), (self.trie, "*")):
            match = trie.match(path)
            if match is None:
                continue
            found, raw = match
            endpoint = found if key is None else found.get(key)
            if endpoint is None:
                continue
            params: dict[str, Any] = {}
            for (name, converter), value in zip(endpoint.params, raw, strict=True):
                try:
                    params[name] = converter(value)
                except (ValueError, TypeError) as exc:
                    raise NotFoundException() from exc
            scope["path_params"] = params
            endpoint_app: ASGIApp = endpoint.app
            return endpoint_app
        if self.root_mount is not None:
            return self.root_mount
        raise NotFoundException()

    def _not_allowed(self, methods: Mapping[str, Any], method: str) -> ASGIApp:
        """Answer a method no handler of the path takes: ``OPTIONS`` gets 204 and ``Allow``, others a 405."""
        allow = allow_header(self._advertised(methods))
        if method != "OPTIONS":
            raise MethodNotAllowedException(headers={"Allow": allow})
        return self._wrapped(answer_options(allow))

    # -- looking routes up ------------------------------------------------------------------------------------------

    def method_map(self) -> dict[str, RouteHandlerMapItem]:
        """Each path's handlers by method (``"asgi"`` for an ASGI handler), in registration order."""
        out: dict[str, RouteHandlerMapItem] = {}
        for route in self.routes:
            item = out.setdefault(route.path, {})
            if isinstance(route, HTTPRoute):
                item.update(route.route_handler_map)
            elif isinstance(route, ASGIRoute):
                item["asgi"] = route.route_handler
            elif isinstance(route, WebSocketRoute):
                item["websocket"] = route.route_handler
        return out

    def handler_index(self, name: str) -> HandlerIndex | None:
        """The handler named ``name`` and its paths, or ``None``."""
        templates = self._names.get(name)
        if not templates:
            return None
        handler: Any = self._named[name]
        return {"paths": sorted({t.path for t in templates}), "handler": handler, "identifier": name}

    def reverse(self, name: str, **path_parameters: Any) -> str:
        """Build the path of the handler named ``name`` with these path parameter values.

        The path taking the most of the given parameters is chosen.

        Raises:
            NoRouteMatchFoundException: No handler has that name, none of its paths takes these parameters, or a
                value has the wrong type.
        """
        templates = self._names.get(name)
        if not templates:
            raise NoRouteMatchFoundException(f"No route handler is named `{name}`.")
        given = set(path_parameters)
        for template in sorted(templates, key=lambda t: len(t.params), reverse=True):
            if {p.name for p in template.params} <= given:
                for param in template.params:
                    value = path_parameters[param.name]
                    if param.type_name != "path" and not (
                        isinstance(value, param.type) or (isinstance(value, str) and param.type_name in _TEXT_ACCEPTED)
                    ):
                        raise NoRouteMatchFoundException(
                            f"Path parameter `{param.name}` of `{name}` takes `{param.type_name}`, got `{value!r}`."
                        )
                return template.format(**path_parameters)
        needed = " or ".join(str(sorted(p.name for p in t.params)) for t in templates)
        raise NoRouteMatchFoundException(f"Route `{name}` needs path parameters {needed}, got {sorted(given)}.")


# The parameter types whose value ``route_reverse`` also takes as text, as Litestar does: their text is what the path
# holds. An ``int`` or ``Decimal`` parameter given a string is refused, like any other value of the wrong type.
_TEXT_ACCEPTED = frozenset({"str", "float", "uuid", "date", "datetime", "time", "timedelta"})


def _function(handler: BaseRouteHandler) -> Any:
    """The handler's function, unbound: a controller's handler is the same function in every instance."""
    return getattr(handler.fn, "__func__", handler.fn)


def _mounted(app: ASGIApp, prefix: str) -> ASGIApp:
    """``app`` mounted at ``prefix``: it sees the rest of the path, and the prefix added to ``root_path``."""

    async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
        root_path: str = scope.get("root_path", "")
        path: str = scope["path"]
        if root_path and path.startswith(root_path):  # ASGI servers send the full path, the app's root_path included
            path = path[len(root_path) :]
        rest = path[len(prefix) :] if prefix != "/" else path
        scope = {**scope, "path": rest or "/", "root_path": root_path + (prefix if prefix != "/" else "")}
        await app(scope, receive, send)

    return mounted


def _unwrapped(app: ASGIApp) -> ASGIApp:
    """The automatic ``OPTIONS`` answer of a path whose layers have no middleware: the answer itself."""
    return app
