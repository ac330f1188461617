"""``AsyncTestClient`` at Litestar's module path, ``litestar.testing.client.async_client``."""

from __future__ import annotations

from outpour.testing._client import AsyncTestClient

__all__ = ["AsyncTestClient"]
