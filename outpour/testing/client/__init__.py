"""The test clients, grouped as in Litestar's ``litestar.testing.client`` package.

``sync_client`` holds :class:`TestClient`, ``async_client`` :class:`AsyncTestClient` and ``subprocess_client`` the
clients that talk to an app served in a child process. Everything here is also importable from ``outpour.testing``.
"""

from __future__ import annotations

from outpour.testing.client.async_client import AsyncTestClient
from outpour.testing.client.subprocess_client import (
    StartupError,
    run_app,
    subprocess_async_client,
    subprocess_sync_client,
)
from outpour.testing.client.sync_client import TestClient

__all__ = [
    "AsyncTestClient",
    "StartupError",
    "TestClient",
    "run_app",
    "subprocess_async_client",
    "subprocess_sync_client",
]
