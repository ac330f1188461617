"""The OpenAPI operation object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Operation

__all__ = ["Operation"]
