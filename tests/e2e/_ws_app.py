"""The app the end-to-end WebSocket tests run under real servers (uvicorn, granian).

* ``/echo`` echoes text as text and bytes as bytes; ``/json`` is a JSON listener answering ``{"echo": data}``.
* ``/close/{code:int}`` accepts, then closes with that code and the reason ``bye``.
* ``/guarded`` refuses every connection in a guard (the client sees the handshake answered 403).
* ``/small`` echoes with a ``WebSocket`` whose ``max_message_size`` is 1 KiB: a larger message closes with 1009.
* ``/forever`` streams a counter until the client leaves, counting the generators started and finalised.
* ``/diagnostics`` (HTTP) reports those counts, ``len(asyncio.all_tasks())`` and the open file descriptors.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncGenerator
from typing import Any, ClassVar

import anyio

from outpour import Outpour, WebSocket, get, websocket, websocket_listener, websocket_stream
from outpour.exceptions import PermissionDeniedException

STREAMS = {"started": 0, "finalised": 0}


@websocket("/echo")
async def echo(socket: WebSocket) -> None:
    await socket.accept()
    while True:
        message = await socket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await socket.send_text(message["text"])
        else:
            await socket.send_bytes(message.get("bytes") or b"")


@websocket_listener("/json")
async def json_echo(data: dict[str, Any]) -> dict[str, Any]:
    return {"echo": data}


@websocket("/close/{code:int}")
async def close_with(socket: WebSocket, code: int) -> None:
    await socket.accept()
    await socket.close(code=code, reason="bye")


def refuse(connection: Any, handler: Any) -> None:
    raise PermissionDeniedException("not for you")


@websocket("/guarded", guards=[refuse])
async def guarded(socket: WebSocket) -> None:  # pragma: no cover - refused by its guard
    await socket.accept()


class SmallWebSocket(WebSocket):
    max_message_size: ClassVar[int | None] = 1024


@websocket_listener("/small", websocket_class=SmallWebSocket)
async def small(data: str) -> str:
    return data


@websocket_stream("/forever")
async def forever() -> AsyncGenerator[int, None]:
    STREAMS["started"] += 1
    try:
        n = 0
        while True:
            yield n
            n += 1
            await anyio.sleep(0.01)
    finally:
        STREAMS["finalised"] += 1


@get("/diagnostics")
async def diagnostics() -> dict[str, int]:
    return {**STREAMS, "tasks": len(asyncio.all_tasks()), "fds": len(os.listdir("/proc/self/fd"))}


app = Outpour([echo, json_echo, close_with, guarded, small, forever, diagnostics], openapi_config=None)
