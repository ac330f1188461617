"""The OpenAPI XML object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import XML

__all__ = ["XML"]
