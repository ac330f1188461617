"""The OpenAPI info object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Info

__all__ = ["Info"]
