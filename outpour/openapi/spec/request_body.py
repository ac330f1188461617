"""The OpenAPI request body object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import RequestBody

__all__ = ["RequestBody"]
