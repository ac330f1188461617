"""The WebSocket echo on Litestar: a ``@websocket`` handler and a ``websocket_listener`` (``outpour_app`` renamed;
Litestar's ``WebSocket`` is generic)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, WebSocket, websocket, websocket_listener
from litestar.exceptions import WebSocketDisconnect


@websocket("/echo")
async def echo(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    try:
        while True:
            await socket.send_text(await socket.receive_text())
    except WebSocketDisconnect:
        return


@websocket_listener("/listener")
async def listener(data: str) -> str:
    return data


app = Litestar([echo, listener])
