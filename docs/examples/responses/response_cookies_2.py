"""A cookie redeclared on a lower layer replaces the one of the same key declared above it."""

from __future__ import annotations

from outpour import Controller, MediaType, Outpour, get
from outpour.datastructures import Cookie


class CounterController(Controller):
    path = "/controller-path"
    response_cookies = [Cookie(key="my-cookie", value="123")]  # noqa: RUF012

    @get("/", media_type=MediaType.TEXT, response_cookies=[Cookie(key="my-cookie", value="456")])
    async def show(self) -> str:
        return "only the handler's my-cookie is sent"

    @get("/inherited", media_type=MediaType.TEXT)
    async def inherited(self) -> str:
        return "the controller's my-cookie is sent"


# When a cookie needs nothing but a key and a value, a mapping does.
app = Outpour(route_handlers=[CounterController], response_cookies={"theme": "dark"})
