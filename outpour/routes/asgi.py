"""``ASGIRoute``: an ``@asgi`` handler at one path, or mounted under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour.enums import ScopeType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers._asgi import ASGIRouteHandler
from outpour.routes.base import BaseRoute, unregistered

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["ASGIRoute"]


class ASGIRoute(BaseRoute[ASGIRouteHandler]):
    """An ASGI app registered with ``@asgi`` at one path (or, with ``is_mount=True``, at every path below it).

    It answers every method; ``methods`` is empty, as in Litestar.

    Args:
        path: The path.
        route_handler: The handler.
    """

    __slots__ = ("_app", "route_handler")
    scope_type = ScopeType.ASGI

    def __init__(self, *, path: str, route_handler: ASGIRouteHandler) -> None:
        super().__init__(path=path)
        self.route_handler = route_handler
        """The handler."""
        self.route_handlers = (route_handler,)
        self._app: ASGIApp | None = None

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a connection with the handler's app, inside its middleware and exception handlers.

        A mounted app sees the rest of the path in ``scope["path"]`` and the mount point added to
        ``scope["root_path"]``.

        Args:
            scope: The ASGI scope.
            receive: The ASGI receive callable.
            send: The ASGI send callable.

        Raises:
            ImproperlyConfiguredException: The route was not built by an app.
        """
        if self._app is None:
            raise ImproperlyConfiguredException(unregistered(self))
        await self._app(scope, receive, send)
