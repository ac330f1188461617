"""Return a ``Response`` (or any subclass of it) to set the status, headers and cookies yourself."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from outpour import Outpour, Response, get
from outpour.datastructures import Cookie


class Resource(BaseModel):
    id: int
    name: str


@get("/resources", sync_to_thread=False)
def retrieve_resource() -> Response[Resource]:
    return Response(
        Resource(id=1, name="my resource"),
        headers={"X-Resource-Version": "7"},
        cookies=[Cookie(key="last-seen", value="1")],
    )


class NoStoreResponse(Response[Any]):
    """A response that caches must not keep: every instance carries ``Cache-Control: no-store``."""

    def __init__(self, content: Any, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.set_header("Cache-Control", "no-store")


@get("/secrets/{name:str}", sync_to_thread=False)
def read_secret(name: str) -> NoStoreResponse:
    return NoStoreResponse({"name": name, "value": "s3cr3t"}, status_code=200)


app = Outpour(route_handlers=[retrieve_resource, read_secret])
