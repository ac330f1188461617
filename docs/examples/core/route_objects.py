from typing import Any

from outpour import Outpour, Request, Router, get
from outpour.routes import HTTPRoute
from outpour.types import ASGIApp


@get("/items/{item_id:int}", name="item")
async def get_item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


@get("/routes")
async def list_routes(request: Request) -> list[dict[str, Any]]:
    return [
        {"path": route.path, "format": route.path_format, "methods": list(route.methods)}
        for route in request.app.routes
        if isinstance(route, HTTPRoute) and not route.path.startswith("/schema")
    ]


@get("/legacy")
async def legacy(request: Request) -> ASGIApp:
    # The route's defaults (status code, media type, the router's header) apply, as to a returned value.
    response: ASGIApp = await request.route_handler.to_response({"moved": True}, request)
    return response


api = Router("/api", route_handlers=[get_item, list_routes, legacy], response_headers={"X-API": "1"})
app = Outpour(route_handlers=[api])
