"""A class-based listener, with callbacks when the connection opens and closes, and a dependency per connection."""

from __future__ import annotations

from collections.abc import Iterator

from outpour import Outpour, WebSocket
from outpour.datastructures import State
from outpour.di import Provide
from outpour.handlers import WebsocketListener


def client_count(state: State) -> Iterator[int]:  # evaluated once per connection; the rest runs when it closes
    state.clients = state.get("clients", 0) + 1
    yield state.clients
    state.clients -= 1


class Lobby(WebsocketListener):
    path = "/lobby"
    dependencies = {"clients": Provide(client_count)}  # noqa: RUF012 - a Litestar-style class attribute

    async def on_accept(self, socket: WebSocket) -> None:
        await socket.send_text("welcome")

    def on_disconnect(self, socket: WebSocket) -> None:
        print(f"closed with code {socket.close_code}")

    def on_receive(self, data: str, clients: int) -> dict[str, object]:
        return {"message": data, "clients": clients}


app = Outpour([Lobby])
