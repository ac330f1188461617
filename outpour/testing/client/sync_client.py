"""``TestClient`` at Litestar's module path, ``litestar.testing.client.sync_client``."""

from __future__ import annotations

from outpour.testing._client import TestClient

__all__ = ["TestClient"]
