"""Streams and server-sent events, and the page that shows events arriving with ``EventSource``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from examples.demo._catalog import Example, page
from outpour import MediaType, get
from outpour.response import ServerSentEvent, ServerSentEventMessage, Stream

__all__ = ["EXAMPLES", "ROUTES"]

EVENT_COUNT = 20
EVENT_INTERVAL = 0.25
LINE_INTERVAL = 0.2


async def countdown() -> AsyncIterator[str]:
    for number in range(10, 0, -1):
        yield f"{number}...\n"
        await asyncio.sleep(LINE_INTERVAL)
    yield "lift-off!\n"


@get("/stream", media_type=MediaType.TEXT)
async def stream() -> Stream:
    """The handler's ``media_type`` is the Content-Type of the stream and the one its OpenAPI document shows."""
    return Stream(countdown())


async def clock() -> AsyncIterator[Any]:
    for number in range(1, EVENT_COUNT + 1):
        yield ServerSentEventMessage(data=f"tick {number} at {datetime.now(UTC):%H:%M:%S.%f}", event="tick", id=number)
        await asyncio.sleep(EVENT_INTERVAL)
    yield {"event": "done", "data": "that's all"}


@get("/sse")
async def events() -> ServerSentEvent:
    return ServerSentEvent(clock(), retry_duration=2000, ping_interval=15)


SSE_SCRIPT = """
<script>
  const list = document.querySelector('#events');
  const state = document.querySelector('#state');
  const source = new EventSource('/sse');
  source.onopen = () => { state.textContent = 'connected'; };
  source.addEventListener('tick', (event) => {
    const item = document.createElement('li');
    item.textContent = event.data + ' (id ' + event.lastEventId + ')';
    list.appendChild(item);
  });
  source.addEventListener('done', () => { state.textContent = 'done'; source.close(); });
  source.onerror = () => { state.textContent = 'reconnecting...'; };
</script>
"""


@get("/sse/page", media_type=MediaType.HTML)
async def events_page() -> str:
    body = (
        "<h1>Server-sent events</h1><p>An <code>EventSource</code> on <a href='/sse'>/sse</a>: "
        f"{EVENT_COUNT} <code>tick</code> events, one every {EVENT_INTERVAL} s, then <code>done</code>.</p>"
        "<p>State: <b id='state'>connecting</b></p><ol id='events'></ol><p><a href='/'>back</a></p>"
    )
    return page("server-sent events", body + SSE_SCRIPT)


ROUTES = [stream, events, events_page]

EXAMPLES = [
    Example("stream", "/stream", "A countdown written line by line, 0.2 s apart (curl -N shows it arriving)."),
    Example("server-sent events", "/sse/page", "A page whose EventSource shows events arriving.", "sse-page"),
    Example("server-sent events", "/sse", "The raw text/event-stream."),
]
