"""The OpenAPI enums object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OpenAPIType

__all__ = ["OpenAPIType"]
