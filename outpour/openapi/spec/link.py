"""The OpenAPI link object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Link

__all__ = ["Link"]
