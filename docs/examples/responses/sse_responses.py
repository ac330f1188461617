"""Server-sent events: what the iterator of a ``ServerSentEvent`` may yield, and how each becomes an event."""

from __future__ import annotations

from asyncio import sleep
from collections.abc import AsyncGenerator
from typing import Any

from outpour import Outpour, get
from outpour.response import ServerSentEvent, ServerSentEventMessage


async def scoreboard() -> AsyncGenerator[Any, None]:
    for goal in range(1, 4):
        await sleep(0.01)
        # int, str and bytes: the data of an event of the response's `event_type` ("message" when not set)
        yield goal
        yield f"goal number {goal}"
        yield f"score: {goal}-0".encode()
        # a dict: keys data, event (or event_type), id, retry and comment
        yield {"data": goal * 10, "event": "points", "id": goal}
        # a ServerSentEventMessage: every field of an event; multi-line data becomes several `data:` lines
        yield ServerSentEventMessage(data=f"half {goal}\nstill playing", event="status", comment="from the stadium")


@get(path="/scores", sync_to_thread=False)
def scores() -> ServerSentEvent:
    # retry_duration: how long (ms) a browser waits before reconnecting if the stream breaks
    return ServerSentEvent(scoreboard(), retry_duration=3000)


app = Outpour(route_handlers=[scores])
