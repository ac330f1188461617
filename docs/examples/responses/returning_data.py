"""Return a value and let the framework build the response: status 200, JSON body, ``application/json``."""

from __future__ import annotations

from pydantic import BaseModel

from outpour import Outpour, get


class Resource(BaseModel):
    id: int
    name: str


@get("/resources", sync_to_thread=False)
def retrieve_resource() -> Resource:
    return Resource(id=1, name="my resource")


app = Outpour(route_handlers=[retrieve_resource])
