"""HTTP route handlers and their decorators, importable from the module path Litestar documents."""

from __future__ import annotations

from outpour.handlers._http import HandlerOptions, HTTPRouteHandler, delete, get, head, patch, post, put, route

__all__ = ["HTTPRouteHandler", "HandlerOptions", "delete", "get", "head", "patch", "post", "put", "route"]
