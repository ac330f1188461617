"""The OpenAPI schema object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Schema

__all__ = ["Schema"]
