"""The OpenAPI contact object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Contact

__all__ = ["Contact"]
