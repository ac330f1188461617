"""The WebSocket echo as a hand-written ASGI app: the floor (what the harness and the event loop cost)."""

from __future__ import annotations

from typing import Any

UNSUPPORTED = frozenset({"listener"})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Accept ``/echo`` and send each text message back until the client leaves; refuse anything else."""
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
        return
    if scope["path"] != "/echo":
        await send({"type": "websocket.close", "code": 4404})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        await send({"type": "websocket.send", "text": message["text"]})
