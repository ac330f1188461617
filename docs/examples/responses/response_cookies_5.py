"""A router-level cookie and a handler that sets the same cookie with another range, each documented where it is set.

The router's hook sets ``Random-Cookie`` (1 to 100) unless the handler already did; ``/resources`` sets its own
(100 to 1000), and its own documentation overrides the router's for that route.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import randint

from outpour import Outpour, Response, Router, get
from outpour.datastructures import Cookie


@dataclass
class Resource:
    id: int
    name: str


@get(
    "/resources",
    response_cookies=[
        Cookie(key="Random-Cookie", description="a random number between 100 and 1000", documentation_only=True),
    ],
)
async def retrieve_resource() -> Response[Resource]:
    return Response(
        Resource(id=1, name="my resource"),
        cookies=[Cookie(key="Random-Cookie", value=str(randint(100, 1000)))],
    )


@get("/other-resources")
async def retrieve_other_resource() -> Resource:
    return Resource(id=2, name="another resource")


def add_random_cookie(response: Response[Resource]) -> Response[Resource]:
    if not any(cookie.key == "Random-Cookie" for cookie in response.cookies):
        response.set_cookie(key="Random-Cookie", value=str(randint(1, 100)))
    return response


router = Router(
    path="/router-path",
    route_handlers=[retrieve_resource, retrieve_other_resource],
    after_request=add_random_cookie,
    response_cookies=[
        Cookie(key="Random-Cookie", description="a random number between 1 and 100", documentation_only=True),
    ],
)

app = Outpour(route_handlers=[router])
