"""outpour: a fast ASGI web framework with Litestar's API.

::

    from outpour import Outpour, get

    @get("/")
    async def hello() -> str:
        return "Hello, world!"

    app = Outpour(route_handlers=[hello])
"""

from __future__ import annotations

from outpour.app import Litestar, Outpour
from outpour.connection import Request, WebSocket
from outpour.controller import Controller
from outpour.enums import HttpMethod, MediaType
from outpour.handlers import (
    asgi,
    delete,
    get,
    head,
    patch,
    post,
    put,
    route,
    websocket,
    websocket_listener,
    websocket_stream,
)
from outpour.response import Response
from outpour.router import Router

__all__ = [
    "Controller",
    "HttpMethod",
    "Litestar",
    "MediaType",
    "Outpour",
    "Request",
    "Response",
    "Router",
    "WebSocket",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
    "websocket",
    "websocket_listener",
    "websocket_stream",
]

__version__ = "0.1.0"
