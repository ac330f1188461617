"""The benchmark endpoints on BlackSheep: the body is a dataclass bound with ``FromJSON``.

BlackSheep has no MessagePack support: ``GET /msgpack`` is n/a. It has no layers of response headers or cookies:
``GET /headers-cookies`` and ``GET /layered-response`` set them on the response (and ``Cache-Control`` with its
``cache_control`` decorator).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass

from blacksheep import Application, Cookie, FromJSON, Response, Router, StreamedContent, file, json, redirect, text
from blacksheep.server.headers.cache import cache_control
from blacksheep.server.rendering.jinja2 import JinjaRenderer
from blacksheep.server.responses import view
from blacksheep.server.sse import ServerSentEventsResponse, TextServerSentEvent
from blacksheep.settings.html import html_settings
from jinja2 import FileSystemLoader

from benchmarks.assets import (
    FILE_MEDIA_TYPE,
    HTML_CONTEXT,
    LARGE_FILE,
    SMALL_FILE,
    SSE_DATA,
    STREAM_CHUNKS,
    TEMPLATE_NAME,
    TEMPLATES_DIR,
)

UNSUPPORTED = frozenset({"GET /msgpack", "POST /dto"})  # no DTOs: `POST /dto` is n/a


# Plain dicts: BlackSheep serializes dataclasses through `dataclasses.asdict` (a deep copy), ~100x slower here.
RECORDS = [
    {"id": i, "name": f"item-{i}", "price": i * 1.25, "tags": ["tools", "blue"], "in_stock": i % 2 == 0}
    for i in range(100)
]


@dataclass
class Item:
    name: str
    price: float
    tags: list[str]


router = Router()
get = router.get
post = router.post


@get("/plain")
async def plain() -> Response:
    return text("Hello, world!")


@get("/json")
async def json_payload() -> Response:
    return json({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]})


@get("/json-large")
async def json_large() -> Response:
    return json(RECORDS)


@get("/response")
async def explicit_response() -> Response:
    response = json({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]})
    response.add_header(b"x-a", b"1")
    return response


@get("/path/{int:id}")
async def path_param(id: int) -> Response:
    return json({"id": id})


@get("/query")
async def query_param(limit: int = 10) -> Response:
    return json({"limit": limit})


@post("/json")
async def echo(data: FromJSON[Item]) -> Response:
    return json(asdict(data.value))


@get("/headers-cookies")
@cache_control(max_age=60)  # type: ignore[untyped-decorator]  # BlackSheep does not type it
async def headers_cookies() -> Response:
    response = json({"layers": 3, "cookies": 2})
    response.add_header(b"x-router", b"1")
    response.add_header(b"x-controller", b"1")
    response.add_header(b"x-handler", b"1")
    response.set_cookie(Cookie("session", "abc123", path="/"))
    response.set_cookie(Cookie("theme", "dark", path="/"))
    return response


@get("/layered-response")
@cache_control(max_age=60)  # type: ignore[untyped-decorator]  # BlackSheep does not type it
async def layered_response() -> Response:
    response = json({"layers": 3})
    response.add_header(b"x-response", b"1")
    response.add_header(b"x-router", b"1")
    response.add_header(b"etag", b'"v1"')
    response.set_cookie(Cookie("session", "abc123", path="/"))
    response.set_cookie(Cookie("theme", "dark", path="/"))
    return response


@get("/redirect")
async def redirect_to_plain() -> Response:
    return redirect("/plain")


_SMALL_FILE = str(SMALL_FILE)
_LARGE_FILE = str(LARGE_FILE)


@get("/file-small")
async def file_small() -> Response:
    return file(_SMALL_FILE, FILE_MEDIA_TYPE)


@get("/file-large")
async def file_large() -> Response:
    return file(_LARGE_FILE, FILE_MEDIA_TYPE)


async def _chunks() -> AsyncIterator[bytes]:
    for chunk in STREAM_CHUNKS:
        yield chunk


@get("/stream")
async def stream() -> Response:
    return Response(200, None, StreamedContent(b"text/plain", _chunks))


async def _events() -> AsyncIterator[TextServerSentEvent]:
    for data in SSE_DATA:
        yield TextServerSentEvent(data)


@get("/sse")
async def sse() -> Response:
    return ServerSentEventsResponse(_events)


html_settings.use(JinjaRenderer(loader=FileSystemLoader(TEMPLATES_DIR)))
_VIEW_NAME = TEMPLATE_NAME.removesuffix(".jinja")  # `view` appends `.jinja`


@get("/html")
async def html() -> Response:
    return view(_VIEW_NAME, HTML_CONTEXT)


app = Application(router=router)
