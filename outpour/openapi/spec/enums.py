"""The OpenAPI enums, importable from their own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OpenAPIFormat, OpenAPIType

__all__ = ["OpenAPIFormat", "OpenAPIType"]
