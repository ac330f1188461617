"""``create_test_client`` and ``create_async_test_client`` at Litestar's module path, ``litestar.testing.helpers``."""

from __future__ import annotations

from outpour.testing._helpers import create_async_test_client, create_test_client

__all__ = ["create_async_test_client", "create_test_client"]
