"""The WebSocket benchmark apps (``python -m benchmarks.websockets``): one module per framework, each an ASGI ``app``.

Every app serves ``/echo``: a low-level handler that accepts, then sends each text message back until the client
leaves. outpour and Litestar also serve ``/listener``, the same echo as a ``websocket_listener``; the other modules
list it in ``UNSUPPORTED``. ``raw`` is a hand-written ASGI echo: the floor.
"""

from __future__ import annotations

FRAMEWORKS: tuple[str, ...] = ("outpour", "litestar", "starlette", "blacksheep", "raw")
"""The frameworks of the WebSocket benchmark, in display order; ``raw`` is a hand-written ASGI echo (the floor)."""
