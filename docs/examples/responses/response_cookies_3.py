"""A cookie whose value changes per request: documented on the handler, set on the returned ``Response``."""

from __future__ import annotations

from dataclasses import dataclass
from random import randint

from outpour import Outpour, Response, get
from outpour.datastructures import Cookie


@dataclass
class Resource:
    id: int
    name: str


@get(
    "/resources",
    response_cookies=[
        # documentation_only: described in the OpenAPI schema, never sent by the layer; the handler sets the value
        Cookie(key="Random-Cookie", description="a random number between 1 and 100", documentation_only=True),
    ],
)
async def retrieve_resource() -> Response[Resource]:
    return Response(
        Resource(id=1, name="my resource"),
        cookies=[Cookie(key="Random-Cookie", value=str(randint(1, 100)))],
    )


app = Outpour(route_handlers=[retrieve_resource])
