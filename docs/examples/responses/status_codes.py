"""Status codes: an explicit ``status_code``, and the defaults of each method (POST 201, DELETE 204, others 200)."""

from __future__ import annotations

from pydantic import BaseModel

from outpour import Outpour, delete, get, patch, post, put, route
from outpour.status_codes import HTTP_202_ACCEPTED

RESOURCES: dict[int, str] = {1: "my resource"}


class Resource(BaseModel):
    id: int
    name: str


@get("/resources", status_code=HTTP_202_ACCEPTED, sync_to_thread=False)
def retrieve_resource() -> Resource:
    return Resource(id=1, name=RESOURCES[1])


@post("/resources", sync_to_thread=False)  # 201 Created
def create_resource(data: Resource) -> Resource:
    RESOURCES[data.id] = data.name
    return data


@put("/resources/{resource_id:int}", sync_to_thread=False)  # 200 OK
def replace_resource(resource_id: int, data: Resource) -> Resource:
    RESOURCES[resource_id] = data.name
    return Resource(id=resource_id, name=data.name)


@patch("/resources/{resource_id:int}/name", sync_to_thread=False)  # 200 OK
def rename_resource(resource_id: int, data: str) -> Resource:
    RESOURCES[resource_id] = data
    return Resource(id=resource_id, name=data)


@delete("/resources/{resource_id:int}", sync_to_thread=False)  # 204 No Content: no body, so `-> None`
def delete_resource(resource_id: int) -> None:
    RESOURCES.pop(resource_id, None)


@route("/echo", http_method=["GET", "POST"], sync_to_thread=False)  # several methods: 200 OK
def echo() -> str:
    return "echo"


app = Outpour(
    route_handlers=[retrieve_resource, create_resource, replace_resource, rename_resource, delete_resource, echo]
)
