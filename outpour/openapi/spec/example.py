"""The OpenAPI example object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Example

__all__ = ["Example"]
