"""The OpenAPI path item object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import PathItem

__all__ = ["PathItem"]
