"""HTTP route handlers and their decorators, importable from the module paths Litestar documents."""

from __future__ import annotations

from outpour.handlers.http_handlers.base import HTTPRouteHandler
from outpour.handlers.http_handlers.decorators import HandlerOptions, delete, get, head, patch, post, put, route

__all__ = ["HTTPRouteHandler", "HandlerOptions", "delete", "get", "head", "patch", "post", "put", "route"]
