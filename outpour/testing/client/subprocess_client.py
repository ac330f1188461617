"""An app served by uvicorn in a child process, at Litestar's path ``litestar.testing.client.subprocess_client``.

``run_app`` yields the server's URL; ``subprocess_sync_client`` and ``subprocess_async_client`` wrap it in an httpx
client.
"""

from __future__ import annotations

from outpour.testing._subprocess import StartupError, run_app, subprocess_async_client, subprocess_sync_client

__all__ = ["StartupError", "run_app", "subprocess_async_client", "subprocess_sync_client"]
