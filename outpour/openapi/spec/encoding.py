"""The OpenAPI encoding object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Encoding

__all__ = ["Encoding"]
