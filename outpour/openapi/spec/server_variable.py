"""The OpenAPI server variable object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import ServerVariable

__all__ = ["ServerVariable"]
