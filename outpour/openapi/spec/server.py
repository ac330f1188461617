"""The OpenAPI server object, importable from its own module as in Litestar."""

from __future__ import annotations

from outpour.openapi.spec import Server

__all__ = ["Server"]
