"""The OpenAPI tag object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Tag

__all__ = ["Tag"]
