"""The OpenAPI media type object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OpenAPIMediaType

__all__ = ["OpenAPIMediaType"]
