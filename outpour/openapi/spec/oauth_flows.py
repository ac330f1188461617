"""The OpenAPI oauth flows object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OAuthFlows

__all__ = ["OAuthFlows"]
