"""Streaming responses: ``Stream`` sends each chunk as soon as the iterator produces it."""

from __future__ import annotations

from asyncio import sleep
from collections.abc import AsyncGenerator, Generator
from datetime import UTC, datetime

from outpour import Outpour, get
from outpour.response import Stream
from outpour.serialization import encode_json


async def clock(ticks: int) -> AsyncGenerator[bytes, None]:
    # An async generator: one JSON line per tick, with the time it was produced.
    for tick in range(ticks):
        await sleep(0.01)
        yield encode_json({"tick": tick, "time": datetime.now(UTC)}) + b"\n"


def countdown() -> Generator[str, None, None]:
    # A sync generator runs in a worker thread, so it may block (read a file, call a library...).
    for n in range(3, 0, -1):
        yield f"{n}...\n"
    yield "liftoff!\n"


@get("/time")
async def stream_time(ticks: int = 5) -> Stream:
    return Stream(clock(ticks), media_type="application/x-ndjson")


@get("/countdown")
async def stream_countdown() -> Stream:
    # The content may also be a callable that returns the iterator, such as a generator function.
    return Stream(countdown, media_type="text/plain")


app = Outpour(route_handlers=[stream_time, stream_countdown])
