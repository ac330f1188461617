"""Streams: values an async generator yields go to the client until it ends or the client leaves."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import anyio

from outpour import Outpour, WebSocket, websocket, websocket_stream
from outpour.exceptions import WebSocketDisconnect
from outpour.handlers import send_websocket_stream


@websocket_stream("/countdown/{start:int}")
async def countdown(start: int) -> AsyncGenerator[dict[str, int], None]:
    for n in range(start, 0, -1):
        yield {"n": n}
        await anyio.sleep(0.01)


@websocket("/chat")
async def chat(socket: WebSocket) -> None:
    """Stream heartbeats and echo JSON messages at the same time."""
    await socket.accept()
    stop = anyio.Event()

    async def heartbeats() -> AsyncGenerator[str, None]:
        while not stop.is_set():
            yield "heartbeat"
            await anyio.sleep(1)

    async def echo() -> Any:
        try:
            async for message in socket.iter_json():
                await socket.send_json({"echo": message})
        finally:
            stop.set()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(echo)
            await send_websocket_stream(socket, heartbeats(), close=False)
    except WebSocketDisconnect:
        pass


app = Outpour([countdown, chat])
