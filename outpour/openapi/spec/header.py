"""The OpenAPI header object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OpenAPIHeader

__all__ = ["OpenAPIHeader"]
