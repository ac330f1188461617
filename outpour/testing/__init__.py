"""Test clients that call an outpour (or any ASGI) app in-process, built on httpx.

``TestClient`` is a synchronous ``httpx.Client``; ``AsyncTestClient`` an ``httpx.AsyncClient``. Entering either runs the
app's lifespan, cookies persist across requests and responses stream. ``create_test_client`` builds an app and a client
in one call; ``client.websocket_connect(...)`` opens a WebSocket session. ``RequestFactory`` makes
requests without a client, and ``subprocess_sync_client`` / ``subprocess_async_client`` serve an app with a real uvicorn
in a child process.
"""

from __future__ import annotations

from outpour.testing._client import AsyncTestClient, TestClient
from outpour.testing._helpers import create_async_test_client, create_test_client
from outpour.testing._request_factory import RequestFactory
from outpour.testing._subprocess import StartupError, subprocess_async_client, subprocess_sync_client
from outpour.testing._transport import AsyncTestClientTransport, TestClientTransport
from outpour.testing.websocket_test_session import AsyncWebSocketTestSession, WebSocketTestSession

__all__ = [
    "AsyncTestClient",
    "AsyncTestClientTransport",
    "AsyncWebSocketTestSession",
    "RequestFactory",
    "StartupError",
    "TestClient",
    "TestClientTransport",
    "WebSocketTestSession",
    "create_async_test_client",
    "create_test_client",
    "subprocess_async_client",
    "subprocess_sync_client",
]
