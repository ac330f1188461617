"""``HTTPRouteHandler``, at the module path Litestar documents (``litestar.handlers.http_handlers.base``)."""

from __future__ import annotations

from outpour.handlers._http import HTTPRouteHandler

__all__ = ["HTTPRouteHandler"]
