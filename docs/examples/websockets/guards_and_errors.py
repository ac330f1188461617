"""Guards refuse a connection; errors close it with a code the client can read."""

from __future__ import annotations

from typing import Any, ClassVar

from outpour import Outpour, WebSocket, websocket, websocket_listener
from outpour.connection import ASGIConnection
from outpour.exceptions import PermissionDeniedException, WebSocketException


def members_only(connection: ASGIConnection, handler: Any) -> None:
    if connection.query_params.get("token") != "secret":
        raise PermissionDeniedException("members only")  # closes with 4403 (4000 + the status code)


@websocket("/members", guards=[members_only])
async def members(socket: WebSocket) -> None:
    await socket.accept()
    text = await socket.receive_text()
    if not text.isdigit():
        raise WebSocketException("send a number", code=4001)  # closes with 4001 and this reason
    await socket.send_text(str(int(text) * 2))


class SmallMessages(WebSocket):
    max_message_size: ClassVar[int | None] = 64  # a larger message closes with 1009


@websocket_listener("/short", websocket_class=SmallMessages)
async def short(data: str) -> str:
    return data[::-1]


app = Outpour([members, short])
