"""Documenting content negotiation: one ``ResponseSpec`` per media type the handler may answer in."""

from __future__ import annotations

from typing import Any

from outpour import MediaType, Outpour, Request, Response, get
from outpour.openapi import ResponseSpec

GREETINGS = [
    ResponseSpec(str, description="The greeting, in the media type the client prefers", media_type=MediaType.TEXT),
    ResponseSpec(str, media_type=MediaType.HTML),
    ResponseSpec(dict[str, str], media_type=MediaType.JSON),
]


@get("/greeting", responses={200: GREETINGS}, sync_to_thread=False)
def greeting(request: Request[Any, Any, Any]) -> Response[Any]:
    chosen = request.accept.best_match([MediaType.TEXT, MediaType.HTML, MediaType.JSON], default=MediaType.TEXT)
    if chosen == MediaType.HTML:
        return Response("<p>Good morning!</p>", media_type=MediaType.HTML)
    if chosen == MediaType.JSON:
        return Response({"greeting": "Good morning!"}, media_type=MediaType.JSON)
    return Response("Good morning!", media_type=MediaType.TEXT)


app = Outpour(route_handlers=[greeting])
