"""A plain app with outpour's default OpenAPI pages, for the browser test that renders them with the network cut off."""

from __future__ import annotations

import msgspec

from outpour import Outpour, get, post


class Widget(msgspec.Struct):
    name: str
    size: int


@get("/widgets", sync_to_thread=False)
def list_widgets() -> list[Widget]:
    return [Widget("gear", 3)]


@post("/widgets", sync_to_thread=False)
def create_widget(data: Widget) -> Widget:
    return data


app = Outpour([list_widgets, create_widget])
