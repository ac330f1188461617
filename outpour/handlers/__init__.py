"""Route handlers and their decorators."""

from __future__ import annotations

from outpour.handlers._asgi import ASGIRouteHandler, asgi
from outpour.handlers._base import BaseRouteHandler
from outpour.handlers._http import HandlerOptions, HTTPRouteHandler, delete, get, head, patch, post, put, route

__all__ = [
    "ASGIRouteHandler",
    "BaseRouteHandler",
    "HTTPRouteHandler",
    "HandlerOptions",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
]
