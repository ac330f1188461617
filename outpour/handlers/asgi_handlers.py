"""ASGI route handlers (``asgi``), importable from the module path Litestar documents."""

from __future__ import annotations

from outpour.handlers._asgi import ASGIRouteHandler, asgi

__all__ = ["ASGIRouteHandler", "asgi"]
