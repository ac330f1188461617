"""The OpenAPI discriminator object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Discriminator

__all__ = ["Discriminator"]
