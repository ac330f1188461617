"""The app the end-to-end streaming tests run under uvicorn: each stream notes in a file that its ``finally`` ran."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncGenerator, Generator
from pathlib import Path

import anyio

from outpour import Outpour, get
from outpour.response import ServerSentEvent, Stream

MARKERS = Path(os.environ.get("OUTPOUR_E2E_MARKERS", "."))


def mark(name: str) -> None:
    (MARKERS / name).write_text("closed")


@get("/ticks")
async def ticks() -> Stream:
    async def body() -> AsyncGenerator[str, None]:
        try:
            n = 0
            while True:
                yield f"tick {n}\n"
                n += 1
                await anyio.sleep(0.05)
        finally:
            mark("ticks")

    return Stream(body(), media_type="text/plain")


@get("/waiting")
async def waiting() -> Stream:
    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "first\n"
            yield "second\n"
            await anyio.sleep_forever()  # the client leaves while the generator waits
            yield "never\n"
        finally:
            mark("waiting")

    return Stream(body(), media_type="text/plain")


@get("/sync-ticks")
async def sync_ticks() -> Stream:
    def body() -> Generator[str, None, None]:
        try:
            n = 0
            while True:
                yield f"tick {n}\n"
                n += 1
                time.sleep(0.05)
        finally:
            mark("sync-ticks")

    return Stream(body, media_type="text/plain")


@get("/sse")
async def sse() -> ServerSentEvent:
    async def events() -> AsyncGenerator[int, None]:
        try:
            yield 1
            yield 2
            await anyio.sleep_forever()
            yield 3
        finally:
            mark("sse")

    return ServerSentEvent(events(), ping_interval=0.2)


app = Outpour([ticks, waiting, sync_ticks, sse])
