"""``BaseRouteHandler``, at the module path Litestar documents (``litestar.handlers.base``)."""

from __future__ import annotations

from outpour.handlers._base import BaseRouteHandler

__all__ = ["BaseRouteHandler"]
