"""The OpenAPI oauth flow object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import OAuthFlow

__all__ = ["OAuthFlow"]
