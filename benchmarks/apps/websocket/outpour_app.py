"""The WebSocket echo on outpour: a ``@websocket`` handler and a ``websocket_listener`` (Litestar's code, renamed)."""

from __future__ import annotations

from outpour import Outpour, WebSocket, websocket, websocket_listener
from outpour.exceptions import WebSocketDisconnect


@websocket("/echo")
async def echo(socket: WebSocket) -> None:
    await socket.accept()
    try:
        while True:
            await socket.send_text(await socket.receive_text())
    except WebSocketDisconnect:
        return


@websocket_listener("/listener")
async def listener(data: str) -> str:
    return data


app = Outpour([echo, listener])
