"""The OpenAPI components object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Components

__all__ = ["Components"]
