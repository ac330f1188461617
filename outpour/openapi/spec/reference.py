"""The OpenAPI reference object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Reference

__all__ = ["Reference"]
