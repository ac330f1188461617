"""The WebSocket echo on BlackSheep: a ``router.ws`` handler that sends each text message back."""

from __future__ import annotations

from blacksheep import Application, WebSocket, WebSocketDisconnectError

UNSUPPORTED = frozenset({"listener"})

app = Application()


@app.router.ws("/echo")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnectError:
        return
