"""Response headers declared on all four layers: each layer adds its own header to the response."""

from __future__ import annotations

from outpour import Controller, MediaType, Outpour, Router, get
from outpour.datastructures import ResponseHeader


class GreetingController(Controller):
    path = "/controller-path"
    response_headers = [  # noqa: RUF012
        ResponseHeader(name="controller-level-header", value="controller header", description="set by the controller"),
    ]

    @get(
        "/handler-path",
        media_type=MediaType.TEXT,
        response_headers=[
            ResponseHeader(name="my-local-header", value="local header", description="set by the route handler"),
        ],
    )
    async def greet(self) -> str:
        return "hello world"


router = Router(
    path="/router-path",
    route_handlers=[GreetingController],
    response_headers=[
        ResponseHeader(name="router-level-header", value="router header", description="set by the router")
    ],
)

# A mapping works too when a header needs no OpenAPI description.
app = Outpour(route_handlers=[router], response_headers={"app-level-header": "app header"})
