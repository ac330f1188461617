"""A low-level ``@websocket`` handler: it accepts, receives, sends and closes through ``socket`` itself."""

from __future__ import annotations

from outpour import Outpour, WebSocket, websocket


@websocket("/rooms/{room:str}")
async def chat(socket: WebSocket, room: str, nickname: str = "anonymous") -> None:
    await socket.accept()
    await socket.send_json({"joined": room, "as": nickname})
    async for text in socket.iter_data():  # ends when the client closes
        if text == "bye":
            await socket.close(code=1000, reason="see you")
            return
        await socket.send_text(f"{nickname}: {text}")


app = Outpour([chat])
