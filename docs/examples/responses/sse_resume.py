"""Server-sent events that resume: a reconnecting browser sends the last id it got in ``Last-Event-ID``."""

from __future__ import annotations

from asyncio import sleep
from collections.abc import AsyncGenerator

from outpour import Outpour, Request, get
from outpour.response import ServerSentEvent, ServerSentEventMessage

HEADLINES = [
    "Markets open higher",
    "Rain expected in the afternoon",
    "Local team wins the cup",
    "New library opens downtown",
]


async def headlines_after(start: int) -> AsyncGenerator[ServerSentEventMessage, None]:
    for index in range(start, len(HEADLINES)):
        await sleep(0.01)
        # the id is what the browser sends back as Last-Event-ID when it reconnects
        yield ServerSentEventMessage(data=HEADLINES[index], event="headline", id=index)


@get("/headlines")
async def headlines(request: Request) -> ServerSentEvent:
    last_id = request.last_event_id  # None on the first connection
    start = int(last_id) + 1 if last_id is not None and last_id.isascii() and last_id.isdigit() else 0
    # ping_interval keeps an idle connection open through proxies with a `: ping` comment every 15 s
    return ServerSentEvent(headlines_after(start), ping_interval=15)


app = Outpour(route_handlers=[headlines])
