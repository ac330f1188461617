"""The middleware benchmark on Litestar: ``cors_config=CORSConfig(...)``, ``compression_config=CompressionConfig(...)``.

``outpour_app`` is this file with ``litestar`` -> ``outpour``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import msgspec
from litestar import Litestar, MediaType, get
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.response import ServerSentEvent

from benchmarks.apps.middleware import ALLOW_HEADERS, BIG_RECORDS, ORIGIN, SSE_EVENTS


class Record(msgspec.Struct):
    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


def _records(count: int) -> list[Record]:
    return [Record(i, f"item-{i}", i * 1.25, ["tools", "blue"], i % 2 == 0) for i in range(count)]


RECORDS = _records(100)
BIG = _records(BIG_RECORDS)


@get("/cors", media_type=MediaType.TEXT)
async def cors() -> str:
    return "Hello, world!"


@get("/json-large")
async def json_large() -> list[Record]:
    return RECORDS


@get("/json-100k")
async def json_100k() -> list[Record]:
    return BIG


async def _events() -> AsyncIterator[str]:
    for data in SSE_EVENTS:
        yield data


async def _paced_events() -> AsyncIterator[str]:
    for data in SSE_EVENTS:
        await asyncio.sleep(0)
        yield data


@get("/sse")
async def sse() -> ServerSentEvent:
    return ServerSentEvent(_events())


@get("/sse-paced")
async def sse_paced() -> ServerSentEvent:
    return ServerSentEvent(_paced_events())


HANDLERS = [cors, json_large, json_100k, sse, sse_paced]

plain_app = Litestar(route_handlers=HANDLERS)
cors_app = Litestar(
    route_handlers=HANDLERS,
    cors_config=CORSConfig(allow_origins=[ORIGIN], allow_methods=["GET", "POST"], allow_headers=ALLOW_HEADERS),
)
gzip_app = Litestar(route_handlers=HANDLERS, compression_config=CompressionConfig(backend="gzip"))
