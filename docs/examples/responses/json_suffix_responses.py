"""An ``application/...+json`` media type (RFC 6839) is serialized as JSON and sent with its own Content-Type."""

from __future__ import annotations

from typing import Any

from outpour import Outpour, get
from outpour.status_codes import HTTP_418_IM_A_TEAPOT


@get("/coffee", status_code=HTTP_418_IM_A_TEAPOT, media_type="application/problem+json")
async def brew_coffee() -> dict[str, Any]:
    # An RFC 9457 problem document.
    return {
        "type": "https://example.com/problems/teapot",
        "title": "This server is a teapot",
        "status": HTTP_418_IM_A_TEAPOT,
        "detail": "It cannot brew coffee.",
    }


app = Outpour(route_handlers=[brew_coffee])
