"""Response cookies declared on all four layers: the response sets one cookie per layer, one ``Set-Cookie`` each."""

from __future__ import annotations

from outpour import Controller, MediaType, Outpour, Router, get
from outpour.datastructures import Cookie


class GreetingController(Controller):
    path = "/controller-path"
    response_cookies = [  # noqa: RUF012
        Cookie(key="controller-cookie", value="controller value", description="set by the controller"),
    ]

    @get(
        "/",
        media_type=MediaType.TEXT,
        response_cookies=[Cookie(key="local-cookie", value="local value", description="set by the route handler")],
    )
    async def greet(self) -> str:
        return "hello world"


router = Router(
    path="/router-path",
    route_handlers=[GreetingController],
    response_cookies=[Cookie(key="router-cookie", value="router value", description="set by the router")],
)

app = Outpour(
    route_handlers=[router],
    response_cookies=[Cookie(key="app-cookie", value="app value", description="set by the app")],
)
