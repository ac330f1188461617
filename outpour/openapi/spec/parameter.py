"""The OpenAPI parameter object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Parameter

__all__ = ["Parameter"]
