"""The OpenAPI response object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OpenAPIResponse

__all__ = ["OpenAPIResponse"]
