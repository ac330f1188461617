"""The benchmark endpoints on FastAPI: the body and the records are pydantic models.

FastAPI has no MessagePack support: ``GET /msgpack`` is n/a. Its layers are routers with dependencies: in
``GET /headers-cookies`` each layer's dependency sets its header (and cookie) on the injected ``Response``. FastAPI
drops what dependencies set on the injected ``Response`` when the handler returns a ``Response`` itself, so
``GET /layered-response`` sets everything on the response it returns.
``GET /sse`` uses FastAPI's own ``EventSourceResponse`` (``fastapi.sse``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

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


class Record(BaseModel):
    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


RECORDS = [
    Record(id=i, name=f"item-{i}", price=i * 1.25, tags=["tools", "blue"], in_stock=i % 2 == 0) for i in range(100)
]


class Item(BaseModel):
    name: str
    price: float
    tags: list[str]


app = FastAPI()


@app.get("/plain", response_class=PlainTextResponse)
async def plain() -> str:
    return "Hello, world!"


@app.get("/json")
async def json_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@app.get("/json-large")
async def json_large() -> list[Record]:
    return RECORDS


@app.get("/response")
async def explicit_response() -> JSONResponse:
    return JSONResponse({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}, headers={"x-a": "1"})


@app.get("/path/{id}")
async def path_param(id: int) -> dict[str, int]:
    return {"id": id}


@app.get("/query")
async def query_param(limit: int = 10) -> dict[str, int]:
    return {"limit": limit}


@app.post("/json")
async def echo(item: Item) -> Item:
    return item


def _router_layer(response: Response) -> None:
    response.headers["x-router"] = "1"
    response.set_cookie("session", "abc123")


def _controller_layer(response: Response) -> None:
    response.headers["x-controller"] = "1"


outer = APIRouter(dependencies=[Depends(_router_layer)])
layered = APIRouter(prefix="/headers-cookies", dependencies=[Depends(_controller_layer)])


@layered.get("")
async def headers_cookies(response: Response) -> dict[str, int]:
    response.headers["x-handler"] = "1"
    response.headers["cache-control"] = "max-age=60"
    response.set_cookie("theme", "dark")
    return {"layers": 3, "cookies": 2}


outer.include_router(layered)
app.include_router(outer)


@app.get("/layered-response")
async def layered_response() -> JSONResponse:
    response = JSONResponse(
        {"layers": 3},
        headers={"x-response": "1", "x-router": "1", "cache-control": "max-age=60", "etag": '"v1"'},
    )
    response.set_cookie("session", "abc123")
    response.set_cookie("theme", "dark")
    return response


@app.get("/redirect")
async def redirect() -> RedirectResponse:
    return RedirectResponse("/plain", status_code=302)


@app.get("/file-small")
async def file_small() -> FileResponse:
    return FileResponse(SMALL_FILE, media_type=FILE_MEDIA_TYPE)


@app.get("/file-large")
async def file_large() -> FileResponse:
    return FileResponse(LARGE_FILE, media_type=FILE_MEDIA_TYPE)


async def _chunks() -> AsyncIterator[bytes]:
    for chunk in STREAM_CHUNKS:
        yield chunk


@app.get("/stream")
async def stream() -> StreamingResponse:
    return StreamingResponse(_chunks(), media_type="text/plain")


@app.get("/sse", response_class=EventSourceResponse)
async def sse() -> AsyncIterator[ServerSentEvent]:
    for data in SSE_DATA:
        yield ServerSentEvent(raw_data=data)


templates = Jinja2Templates(directory=TEMPLATES_DIR)


@app.get("/html", response_class=HTMLResponse)
async def html(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, TEMPLATE_NAME, dict(HTML_CONTEXT))
