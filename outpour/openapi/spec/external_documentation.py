"""The OpenAPI external documentation object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import ExternalDocumentation

__all__ = ["ExternalDocumentation"]
