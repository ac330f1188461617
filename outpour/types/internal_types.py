"""Types of the routing layer: what a router holds and how a path parameter is declared."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

if TYPE_CHECKING:
    from outpour.controller import Controller
    from outpour.handlers import (
        ASGIRouteHandler,
        BaseRouteHandler,
        HTTPRouteHandler,
        WebsocketListener,
        WebsocketRouteHandler,
    )
    from outpour.router import Router

__all__ = [
    "ControllerRouterHandler",
    "PathParameterDefinition",
    "ReservedKwargs",
    "RouteHandlerMapItem",
    "RouteHandlerType",
]

ReservedKwargs: TypeAlias = Literal["request", "socket", "headers", "query", "cookies", "state", "data"]
"""Handler parameter names with a meaning of their own; they are never read as query parameters."""
RouteHandlerType: TypeAlias = "HTTPRouteHandler | WebsocketRouteHandler | ASGIRouteHandler"
"""A route handler that can be registered at a path."""
ControllerRouterHandler: TypeAlias = (
    "type[Controller] | Router | BaseRouteHandler | WebsocketListener | type[WebsocketListener] | Callable[..., Any]"
)
"""What ``route_handlers`` accepts: controller classes, routers, handlers, WebSocket listeners and decorated functions."""
RouteHandlerMapItem: TypeAlias = "dict[str, RouteHandlerType]"
"""The handlers of one path, by HTTP method (or ``"asgi"``, or ``"websocket"``)."""


class PathParameterDefinition(NamedTuple):
    """A parameter of a path template such as ``/items/{item_id:int}``.

    Args:
        name: The parameter's name (``item_id``).
        full: The whole placeholder (``item_id:int``).
        type: The Python type its value is converted to (``int``).
        parser: Turns the path segment into a value of ``type``, or ``None`` to keep the string.
    """

    name: str
    full: str
    type: type
    parser: Callable[[str], Any] | None
