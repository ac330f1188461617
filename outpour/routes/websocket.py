"""``WebSocketRoute``: Litestar's route of WebSocket handlers; outpour does not serve WebSockets yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour.enums import ScopeType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers._base import BaseRouteHandler
from outpour.routes.base import BaseRoute

if TYPE_CHECKING:
    from outpour.types import Receive, Scope, Send

__all__ = ["WebSocketRoute"]


class WebSocketRoute(BaseRoute[BaseRouteHandler]):
    """A WebSocket handler at one path.

    It completes Litestar's set of route classes: outpour has no WebSocket handlers yet, so no app creates one.

    Args:
        path: The path.
        route_handler: The handler.
    """

    __slots__ = ("route_handler",)
    scope_type = ScopeType.WEBSOCKET

    def __init__(self, *, path: str, route_handler: BaseRouteHandler) -> None:
        super().__init__(path=path)
        self.route_handler = route_handler
        """The handler."""
        self.route_handlers = (route_handler,)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse: outpour does not serve WebSockets yet.

        Args:
            scope: The ASGI scope.
            receive: The ASGI receive callable.
            send: The ASGI send callable.

        Raises:
            ImproperlyConfiguredException: Always; serve WebSocket connections from another ASGI app.
        """
        raise ImproperlyConfiguredException(
            f"`WebSocketRoute` `{self.path}` cannot serve: outpour does not serve WebSockets yet. Serve WebSocket "
            "connections from another ASGI app."
        )
