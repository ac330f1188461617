"""A cookie set by a router's ``after_request`` hook on every response of the router, and documented there."""

from __future__ import annotations

from dataclasses import dataclass
from random import randint

from outpour import Outpour, Response, Router, get
from outpour.datastructures import Cookie


@dataclass
class Resource:
    id: int
    name: str


@get("/resources")
async def retrieve_resource() -> Resource:
    return Resource(id=1, name="my resource")


def add_random_cookie(response: Response[Resource]) -> Response[Resource]:
    response.set_cookie(key="Random-Cookie", value=str(randint(1, 100)))
    return response


router = Router(
    path="/router-path",
    route_handlers=[retrieve_resource],
    after_request=add_random_cookie,
    response_cookies=[
        Cookie(key="Random-Cookie", description="a random number between 1 and 100", documentation_only=True),
    ],
)

app = Outpour(route_handlers=[router])
