"""Responses of other ASGI libraries are ASGI apps too: return a Starlette ``JSONResponse`` as it is."""

from __future__ import annotations

from starlette.responses import JSONResponse

from outpour import Outpour, get
from outpour.types import ASGIApp


@get("/", sync_to_thread=False)
def handler() -> ASGIApp:
    return JSONResponse(content={"hello": "world"}, headers={"x-made-by": "starlette"})  # type: ignore[return-value]


app = Outpour(route_handlers=[handler])
