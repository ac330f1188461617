"""Content negotiation: ``request.accept.best_match`` picks the media type the client prefers among those offered."""

from __future__ import annotations

from typing import Any

from outpour import MediaType, Outpour, Request, Response, get


@get("/greeting", sync_to_thread=False)
def greeting(request: Request[Any, Any, Any]) -> Response[bytes]:
    offered = [MediaType.TEXT, MediaType.HTML, "application/xml"]
    chosen = request.accept.best_match(offered, default=MediaType.TEXT)

    if chosen == MediaType.HTML:
        body = b"<p>Good morning!</p>"
    elif chosen == "application/xml":
        body = b"<greeting>Good morning!</greeting>"
    else:
        body = b"Good morning!"
    return Response(content=body, media_type=chosen)


app = Outpour(route_handlers=[greeting])
