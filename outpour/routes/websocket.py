"""``WebSocketRoute``: a WebSocket handler at one path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour.enums import ScopeType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers.websocket_handlers import WebsocketRouteHandler
from outpour.routes.base import BaseRoute, unregistered

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["WebSocketRoute"]


class WebSocketRoute(BaseRoute[WebsocketRouteHandler]):
    """A WebSocket handler (``@websocket``, ``@websocket_listener``, ``@websocket_stream``) at one path.

    ``methods`` is empty: a WebSocket route serves ``websocket`` scopes only.

    Args:
        path: The path.
        route_handler: The handler.
    """

    __slots__ = ("_app", "route_handler")
    scope_type = ScopeType.WEBSOCKET

    def __init__(self, *, path: str, route_handler: WebsocketRouteHandler) -> None:
        super().__init__(path=path)
        self.route_handler = route_handler
        """The handler."""
        self.route_handlers = (route_handler,)
        self._app: ASGIApp | None = None

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a WebSocket connection with the handler's compiled plan, inside its middleware.

        Args:
            scope: The ASGI ``websocket`` scope; ``scope["path_params"]`` holds the converted path parameters.
            receive: The ASGI receive callable.
            send: The ASGI send callable.

        Raises:
            ImproperlyConfiguredException: The route was not built by an app.
        """
        if self._app is None:
            raise ImproperlyConfiguredException(unregistered(self))
        await self._app(scope, receive, send)
