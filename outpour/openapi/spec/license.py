"""The OpenAPI license object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import License

__all__ = ["License"]
