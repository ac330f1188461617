"""Behind a reverse proxy: links follow `root_path`, and streams ask the proxy not to buffer them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from outpour import Outpour, Request, get
from outpour.response import ServerSentEvent, Stream


@get("/links")
async def links(request: Request) -> dict[str, str]:
    # base_url includes the root_path the server was given (--root-path / --url-path-prefix)
    return {"home": str(request.base_url), "export": f"{request.base_url}export"}


async def csv_rows() -> AsyncIterator[str]:
    yield "id,name\n"
    for number in range(1, 4):
        await asyncio.sleep(0)
        yield f"{number},item {number}\n"


# A plain Stream: nginx buffers proxied responses unless told otherwise, so say it here.
@get("/export", response_headers={"X-Accel-Buffering": "no"})
async def export() -> Stream:
    return Stream(csv_rows(), media_type="text/csv")


async def ticks() -> AsyncIterator[int]:
    for tick in range(3):
        await asyncio.sleep(0)
        yield tick


# ServerSentEvent sends `X-Accel-Buffering: no` and `Cache-Control: no-cache` itself; ping comments every 15 s keep an
# idle stream open through proxies that close connections silent for longer than their read timeout.
@get("/ticks")
async def tick_events() -> ServerSentEvent:
    return ServerSentEvent(ticks(), ping_interval=15)


app = Outpour(route_handlers=[links, export, tick_events])
