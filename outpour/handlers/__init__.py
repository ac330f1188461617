"""Route handlers and their decorators: HTTP, ASGI and WebSocket."""

from __future__ import annotations

from outpour.handlers._asgi import ASGIRouteHandler, asgi
from outpour.handlers._base import BaseRouteHandler
from outpour.handlers._http import HandlerOptions, HTTPRouteHandler, delete, get, head, patch, post, put, route
from outpour.handlers.websocket_handlers import (
    WebsocketListener,
    WebsocketListenerRouteHandler,
    WebsocketRouteHandler,
    send_websocket_stream,
    websocket,
    websocket_listener,
    websocket_stream,
)

__all__ = [
    "ASGIRouteHandler",
    "BaseRouteHandler",
    "HTTPRouteHandler",
    "HandlerOptions",
    "WebsocketListener",
    "WebsocketListenerRouteHandler",
    "WebsocketRouteHandler",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
    "send_websocket_stream",
    "websocket",
    "websocket_listener",
    "websocket_stream",
]
