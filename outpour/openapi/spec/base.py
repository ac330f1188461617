"""The OpenAPI base object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import BaseSchemaObject

__all__ = ["BaseSchemaObject"]
