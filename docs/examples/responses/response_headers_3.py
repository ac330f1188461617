"""A header set by a router's ``after_request`` hook on every response of the router, and documented there."""

from __future__ import annotations

from dataclasses import dataclass
from random import randint

from outpour import Outpour, Response, Router, get
from outpour.datastructures import ResponseHeader


@dataclass
class Resource:
    id: int
    name: str


@get("/resources")
async def retrieve_resource() -> Resource:
    # Plain data: the hook receives it already wrapped in a `Response`.
    return Resource(id=1, name="my resource")


def add_random_header(response: Response[Resource]) -> Response[Resource]:
    response.set_header("Random-Header", str(randint(1, 100)))
    return response


router = Router(
    path="/router-path",
    route_handlers=[retrieve_resource],
    after_request=add_random_header,
    response_headers=[
        ResponseHeader(name="Random-Header", description="a random number between 1 and 100", documentation_only=True),
    ],
)

app = Outpour(route_handlers=[router])
