"""The benchmark endpoints on Litestar (``outpour_app`` is this file with ``litestar`` -> ``outpour``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Litestar, MediaType, Response, Router, get, post
from litestar.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from litestar.dto import DataclassDTO, DTOConfig, DTOData
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import File, Redirect, ServerSentEvent, Stream, Template
from litestar.template.config import TemplateConfig

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


@dataclass
class Item:
    name: str
    price: float
    tags: list[str]


@dataclass
class Account:
    """``POST /dto``: the client sends no ``id`` and never gets the ``password`` back."""

    id: int
    name: str
    email: str
    password: str


class AccountWriteDTO(DataclassDTO[Account]):
    config = DTOConfig(exclude={"id"})


class AccountReadDTO(DataclassDTO[Account]):
    config = DTOConfig(exclude={"password"})


class Record(msgspec.Struct):
    """A record of ``GET /json-large``: msgspec Structs are Litestar's fastest-serialized (and idiomatic) model."""

    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


RECORDS = [Record(i, f"item-{i}", i * 1.25, ["tools", "blue"], i % 2 == 0) for i in range(100)]


@get("/plain", media_type=MediaType.TEXT)
async def plain() -> str:
    return "Hello, world!"


@get("/json")
async def json_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@get("/json-large")
async def json_large() -> list[Record]:
    return RECORDS


@get("/msgpack", media_type=MediaType.MESSAGEPACK)
async def msgpack_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@get("/response")
async def explicit_response() -> Response[dict[str, Any]]:
    return Response({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}, headers={"x-a": "1"})


@get("/path/{id:int}")
async def path_param(id: int) -> dict[str, int]:
    return {"id": id}


@get("/query")
async def query_param(limit: int = 10) -> dict[str, int]:
    return {"limit": limit}


@post("/json")
async def echo(data: Item) -> Item:
    return data


class LayeredController(Controller):
    """``GET /headers-cookies``: a header from each layer (the outer router, this controller, the handler).

    The outermost layer is a router rather than the app, so that the other endpoints keep their plain responses.
    """

    path = "/headers-cookies"
    response_headers = (ResponseHeader(name="x-controller", value="1"),)

    @get(
        "/",
        response_headers=[ResponseHeader(name="x-handler", value="1")],
        response_cookies=[Cookie(key="theme", value="dark")],
        cache_control=CacheControlHeader(max_age=60),
    )
    async def headers_cookies(self) -> dict[str, int]:
        return {"layers": 3, "cookies": 2}


class LayeredResponseController(Controller):
    """``GET /layered-response``: the handler returns a ``Response``; the layers add their headers and cookies to it.

    The outer router adds a header and a cookie, this controller ``Cache-Control``, the handler an ETag and a cookie.
    """

    path = "/layered-response"
    cache_control = CacheControlHeader(max_age=60)

    @get("/", etag=ETag(value="v1"), response_cookies=[Cookie(key="theme", value="dark")])
    async def layered_response(self) -> Response[dict[str, int]]:
        return Response({"layers": 3}, headers={"x-response": "1"})


layered = Router(
    path="/",
    route_handlers=[LayeredController, LayeredResponseController],
    response_headers=[ResponseHeader(name="x-router", value="1")],
    response_cookies=[Cookie(key="session", value="abc123")],
)


@get("/redirect")
async def redirect() -> Redirect:
    return Redirect(path="/plain")


@get("/file-small")
async def file_small() -> File:
    return File(SMALL_FILE, media_type=FILE_MEDIA_TYPE)


@get("/file-large")
async def file_large() -> File:
    return File(LARGE_FILE, media_type=FILE_MEDIA_TYPE)


async def _chunks() -> AsyncIterator[bytes]:
    for chunk in STREAM_CHUNKS:
        yield chunk


@get("/stream")
async def stream() -> Stream:
    return Stream(_chunks(), media_type=MediaType.TEXT)


async def _events() -> AsyncIterator[str]:
    for data in SSE_DATA:
        yield data


@get("/sse")
async def sse() -> ServerSentEvent:
    return ServerSentEvent(_events())


@post("/dto", dto=AccountWriteDTO, return_dto=AccountReadDTO)
async def create_account(data: DTOData[Account]) -> Account:
    return data.create_instance(id=1)


@get("/html")
async def html() -> Template:
    return Template(template_name=TEMPLATE_NAME, context=HTML_CONTEXT)


app = Litestar(
    route_handlers=[
        plain,
        json_payload,
        json_large,
        msgpack_payload,
        explicit_response,
        path_param,
        query_param,
        echo,
        layered,
        redirect,
        file_small,
        file_large,
        stream,
        sse,
        html,
        create_account,
    ],
    template_config=TemplateConfig(directory=TEMPLATES_DIR, engine=JinjaTemplateEngine),
)
