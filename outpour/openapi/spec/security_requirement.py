"""The OpenAPI security requirement object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import SecurityRequirement

__all__ = ["SecurityRequirement"]
