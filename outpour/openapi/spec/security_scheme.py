"""The OpenAPI security scheme object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import SecurityScheme

__all__ = ["SecurityScheme"]
