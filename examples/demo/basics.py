"""Plain values and media types, content negotiation, status codes, returned responses and ASGI apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from examples.demo._catalog import Example
from outpour import MediaType, Request, Response, get
from outpour.background_tasks import BackgroundTask
from outpour.datastructures import Cookie, MultiDict
from outpour.openapi import ResponseSpec
from outpour.serialization import default_serializer
from outpour.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["RESPONSE_EXAMPLES", "ROUTES", "VALUE_EXAMPLES"]


@dataclass
class Resource:
    id: int
    name: str
    created: datetime


RESOURCE = Resource(id=1, name="my resource", created=datetime(2026, 1, 1, tzinfo=UTC))


@get("/json")
async def json_value() -> Resource:
    return RESOURCE


@get("/json-suffix", media_type="application/vnd.example.resource+json")
async def json_suffix() -> Resource:
    return RESOURCE


@get("/msgpack", media_type=MediaType.MESSAGEPACK)
async def msgpack_value() -> dict[str, str]:
    return {"hello": "world"}


@get("/text", media_type=MediaType.TEXT)
async def text_value() -> str:
    return "The rumbling rabbit ran around the rock"


@get("/html", media_type=MediaType.HTML)
async def html_value() -> str:
    return "<!doctype html><html><body><div><span>Hello World!</span></div></body></html>"


NEGOTIATED = [
    ResponseSpec(str, description="The body in the media type the Accept header prefers", media_type=MediaType.HTML),
    ResponseSpec(dict[str, str], media_type=MediaType.JSON),
    ResponseSpec(str, media_type=MediaType.TEXT),
]


@get("/negotiate", responses={200: NEGOTIATED})
async def negotiate(request: Request) -> Response[Any]:
    """Content negotiation: ``responses`` lists each media type the handler may choose, for the OpenAPI document."""
    offered = [MediaType.HTML, MediaType.JSON, MediaType.TEXT]
    chosen = request.accept.best_match(offered, default=MediaType.JSON)
    if chosen == MediaType.HTML:
        return Response("<p>You asked for <b>HTML</b>.</p>", media_type=MediaType.HTML)
    if chosen == MediaType.TEXT:
        return Response("You asked for text.", media_type=MediaType.TEXT)
    return Response({"you asked for": "JSON"}, media_type=MediaType.JSON)


@get("/status/accepted", status_code=HTTP_202_ACCEPTED)
async def accepted() -> dict[str, str]:
    return {"status": "queued"}


@get("/status/no-content", status_code=HTTP_204_NO_CONTENT)
async def no_content() -> None:
    return None


@get("/response")
async def returned_response() -> Response[dict[str, str]]:
    return Response(
        {"hello": "from a Response"},
        headers={"X-Demo": "returned response"},
        cookies=[Cookie(key="demo-response", value="set-by-response")],
    )


@get("/asgi-app")
async def returned_asgi_app() -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        body = b"Written by a plain ASGI app returned from the handler."
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


class MultiDictResponse(Response[Any]):
    """Renders a ``MultiDict`` as JSON lists: a custom response class."""

    def render(self, content: Any, media_type: str, enc_hook: Callable[[Any], Any] = default_serializer) -> bytes:
        if isinstance(content, MultiDict):
            content = content.dict()
        return super().render(content, media_type, enc_hook)


@get("/custom-response", response_class=MultiDictResponse)
async def custom_response() -> MultiDict[str]:
    return MultiDict([("fruit", "apple"), ("fruit", "pear"), ("vegetable", "leek")])


BACKGROUND_RUNS: list[str] = []


def remember(greeting: str) -> None:
    BACKGROUND_RUNS.append(f"{datetime.now(UTC):%H:%M:%S.%f} {greeting}")


@get("/background")
async def background(name: str = "visitor") -> Response[dict[str, Any]]:
    return Response(
        {"hello": name, "background runs so far": list(BACKGROUND_RUNS)},
        background=BackgroundTask(remember, f"greeted {name}"),
    )


ROUTES = [
    json_value,
    json_suffix,
    msgpack_value,
    text_value,
    html_value,
    negotiate,
    accepted,
    no_content,
    returned_response,
    returned_asgi_app,
    custom_response,
    background,
]

VALUE_EXAMPLES = [
    Example("JSON", "/json", "A dataclass, serialized to JSON (the default media type)."),
    Example("JSON (+json)", "/json-suffix", "Content-Type application/vnd.example.resource+json, a JSON body."),
    Example("MessagePack", "/msgpack", "Content-Type application/vnd.msgpack: the browser downloads the bytes."),
    Example("text", "/text", "text/plain; charset=utf-8."),
    Example("HTML", "/html", "text/html from a string."),
    Example("negotiation", "/negotiate", "HTML in a browser; try curl -H 'Accept: application/json' or text/plain."),
]

RESPONSE_EXAMPLES = [
    Example("status code", "/status/accepted", "202 Accepted, set on the decorator."),
    Example("status code", "/status/no-content", "204 No Content: no body at all (the browser stays here)."),
    Example("Response", "/response", "A returned Response with its own header X-Demo and cookie demo-response."),
    Example("ASGI app", "/asgi-app", "The handler returns an ASGI callable, which writes the response."),
    Example("custom response", "/custom-response", "response_class renders a MultiDict as lists."),
    Example("background task", "/background", "Reload: the task of the previous request ran after its response."),
]
