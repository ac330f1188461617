"""The OpenAPI document (root) object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OpenAPI

__all__ = ["OpenAPI"]
