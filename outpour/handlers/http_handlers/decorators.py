"""The HTTP route decorators, at the module path Litestar documents (``litestar.handlers.http_handlers.decorators``)."""

from __future__ import annotations

from outpour.handlers._http import HandlerOptions, delete, get, head, patch, post, put, route

__all__ = ["HandlerOptions", "delete", "get", "head", "patch", "post", "put", "route"]
