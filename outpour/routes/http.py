"""``HTTPRoute``: the HTTP handlers of one path, by method."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from outpour.enums import ScopeType
from outpour.exceptions import ImproperlyConfiguredException, MethodNotAllowedException
from outpour.handlers._http import HTTPRouteHandler
from outpour.routes.base import BaseRoute, unregistered

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["HTTPRoute"]


def allow_header(methods: Collection[str]) -> str:
    """The ``Allow`` value of a path answering ``methods``: theirs plus ``OPTIONS`` (answered automatically)."""
    return ", ".join(sorted({*methods, "OPTIONS"} - {"*"}))


def answer_options(allow: str, extra: Sequence[tuple[bytes, bytes]] = ()) -> ASGIApp:
    """The automatic answer to ``OPTIONS`` at a path no handler takes it for: 204 with ``Allow`` (RFC 9110, 9.3.7).

    Args:
        allow: The ``Allow`` value.
        extra: More headers, encoded: the ``response_headers`` of the layers above the path's handlers.
    """
    headers = [(b"allow", allow.encode("latin-1")), *extra]

    async def options(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    return options


class HTTPRoute(BaseRoute[HTTPRouteHandler]):
    """The HTTP handlers registered at one path.

    ``route_handler_map`` maps each method to its handler, as declared; a ``GET`` handler also answers ``HEAD``
    unless another handler takes it, without ``HEAD`` being listed (as in Litestar, which lists only declared
    methods). ``methods`` lists them, plus ``OPTIONS``, which the route answers itself (204 with ``Allow``) when no
    handler takes it.

    Args:
        path: The path, such as ``/items/{item_id:int}``.
        route_handlers: The handlers registered at the path.

    Raises:
        ImproperlyConfiguredException: Two handlers take the same method.
    """

    __slots__ = ("_endpoints", "route_handler_map")
    scope_type = ScopeType.HTTP

    def __init__(self, *, path: str, route_handlers: Iterable[HTTPRouteHandler]) -> None:
        super().__init__(path=path)
        self.route_handler_map: dict[str, HTTPRouteHandler] = {}
        """The handler of each method."""
        self._endpoints: dict[str, ASGIApp] = {}
        for handler in route_handlers:
            for method in handler.http_methods:
                self._add_handler(method, handler)

    def _add_handler(self, method: str, handler: HTTPRouteHandler) -> None:
        other = self.route_handler_map.setdefault(method, handler)
        if other is not handler:
            raise ImproperlyConfiguredException(
                f"Duplicate route: {method} `{self.path}` is declared by both `{other.handler_name}` and "
                f"`{handler.handler_name}`. Remove one, or give them different paths or methods."
            )
        if handler not in self.route_handlers:
            self.route_handlers = (*self.route_handlers, handler)
        self.methods = (*self.route_handler_map, *(() if "OPTIONS" in self.route_handler_map else ("OPTIONS",)))

    def _serve(self, method: str, handler: HTTPRouteHandler, app: ASGIApp) -> None:
        """Answer ``method`` with ``app``, the compiled plan of ``handler`` (called by the app's route table)."""
        if method != "HEAD" or "HEAD" in handler.http_methods:  # the automatic `HEAD` is answered, not listed
            self._add_handler(method, handler)
        self._endpoints[method] = app

    def _serve_options(self, app: ASGIApp) -> None:
        """Answer ``OPTIONS`` with ``app`` unless a handler takes it (called once the app's routes are all known)."""
        self._endpoints.setdefault("OPTIONS", app)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a request routed to this path with the plan of its method's handler.

        Args:
            scope: The ASGI scope; ``scope["path_params"]`` holds the converted path parameters.
            receive: The ASGI receive callable.
            send: The ASGI send callable.

        Raises:
            MethodNotAllowedException: No handler takes the request's method (``Allow`` lists those that do).
            ImproperlyConfiguredException: The route was not built by an app.
        """
        app = self._endpoints.get(scope["method"])
        if app is None:
            if not self._endpoints:
                raise ImproperlyConfiguredException(unregistered(self))
            raise MethodNotAllowedException(headers={"Allow": allow_header(self.route_handler_map)})
        await app(scope, receive, send)
