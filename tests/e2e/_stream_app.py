"""The app the end-to-end disconnect tests run under real servers (uvicorn, granian).

* Each stream of ``/ticks``, ``/waiting``, ``/sync-ticks`` and ``/sse`` notes in a file that its ``finally`` ran.
* ``/forever`` streams until the client leaves (GET, or POST with a body nobody reads), counting the generators
  started and the ``finally`` blocks run.
* ``/body/data`` (a ``data: dict`` parameter) and ``/body/raw`` (``await request.body()``) read a request body; the
  wrapper ``app`` records, for these paths only, the statuses the app sent and the exchanges it finished.
* ``/diagnostics`` reports those counts and ``len(asyncio.all_tasks())``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import AsyncGenerator, Generator
from pathlib import Path
from typing import Any

import anyio

from outpour import Outpour, Request, get, post
from outpour.response import ServerSentEvent, Stream
from outpour.types import Message, Receive, Scope, Send

MARKERS = Path(os.environ.get("OUTPOUR_E2E_MARKERS", "."))

STREAMS = {"started": 0, "finalised": 0}
"""How many ``/forever`` generators started, and how many of them ran their ``finally``."""
SENT_STATUSES: Counter[int] = Counter()
"""The statuses the app sent for ``/body/...`` requests."""
FINISHED: Counter[str] = Counter()
"""How many ``/body/...`` exchanges the app finished, by path."""


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


def _forever() -> Stream:
    async def body() -> AsyncGenerator[str, None]:
        STREAMS["started"] += 1
        try:
            n = 0
            while True:
                yield f"tick {n}\n"
                n += 1
                await asyncio.sleep(0.01)
        finally:
            STREAMS["finalised"] += 1

    return Stream(body(), media_type="text/plain")


@get("/forever")
async def forever() -> Stream:
    return _forever()


@post("/forever", status_code=200)
async def forever_unread_body() -> Stream:
    """The same stream for a request whose body nobody reads."""
    return _forever()


@post("/body/data")
async def body_data(data: dict[str, Any]) -> dict[str, Any]:
    return data


@post("/body/raw")
async def body_raw(request: Request[Any, Any, Any]) -> dict[str, int]:
    return {"size": len(await request.body())}


@get("/diagnostics")
async def diagnostics() -> dict[str, Any]:
    return {
        **STREAMS,
        "tasks": len(asyncio.all_tasks()),
        "statuses": {str(status): count for status, count in SENT_STATUSES.items()},
        "finished": dict(FINISHED),
    }


outpour_app = Outpour([ticks, waiting, sync_ticks, sse, forever, forever_unread_body, body_data, body_raw, diagnostics])


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Serve ``outpour_app``, recording what it sends for ``/body/...`` requests (other paths go straight through)."""
    if scope["type"] != "http" or not scope["path"].startswith("/body/"):
        await outpour_app(scope, receive, send)
        return

    async def recording_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            SENT_STATUSES[message["status"]] += 1
        await send(message)

    try:
        await outpour_app(scope, receive, recording_send)
    finally:
        FINISHED[scope["path"]] += 1
