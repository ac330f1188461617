"""WebSockets: a page whose browser ``WebSocket`` echoes what you type and shows a server-pushed stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from examples.demo._catalog import Example, page
from outpour import MediaType, get, websocket_listener, websocket_stream

__all__ = ["EXAMPLES", "ROUTES"]

TICK_COUNT = 20
TICK_INTERVAL = 0.25


@websocket_listener("/ws/echo")
async def echo(data: str) -> dict[str, str]:
    """Each text message comes back as JSON, with the server's time."""
    return {"echo": data, "at": f"{datetime.now(UTC):%H:%M:%S.%f}"}


@websocket_stream("/ws/clock")
async def clock() -> AsyncIterator[str]:
    """A stream of ticks; it stops early if the page goes away."""
    for number in range(1, TICK_COUNT + 1):
        yield f"tick {number} at {datetime.now(UTC):%H:%M:%S.%f}"
        await asyncio.sleep(TICK_INTERVAL)


SCRIPT = """
<script>
  const base = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
  const state = document.querySelector('#state');
  const echoes = document.querySelector('#echoes');
  const ticks = document.querySelector('#ticks');
  const echo = new WebSocket(base + '/ws/echo');
  echo.onopen = () => { state.textContent = 'connected'; };
  echo.onclose = (event) => { state.textContent = 'closed (' + event.code + ')'; };
  echo.onmessage = (event) => {
    const reply = JSON.parse(event.data);
    const item = document.createElement('li');
    item.textContent = reply.echo + ' (' + reply.at + ')';
    echoes.appendChild(item);
  };
  document.querySelector('#form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.querySelector('#message');
    echo.send(input.value);
    input.value = '';
  });
  const clock = new WebSocket(base + '/ws/clock');
  clock.onmessage = (event) => {
    const item = document.createElement('li');
    item.textContent = event.data;
    ticks.appendChild(item);
  };
</script>
"""


@get("/ws/page", media_type=MediaType.HTML)
async def websocket_page() -> str:
    body = (
        "<h1>WebSockets</h1>"
        "<p>A <code>websocket_listener</code> at <code>/ws/echo</code> answers each message with JSON; a "
        f"<code>websocket_stream</code> at <code>/ws/clock</code> pushes {TICK_COUNT} ticks, one every "
        f"{TICK_INTERVAL} s.</p><p>Echo: <b id='state'>connecting</b></p>"
        "<form id='form'><input id='message' autocomplete='off' placeholder='type, then Enter'> "
        "<button>send</button></form><ol id='echoes'></ol><h2>Clock</h2><ol id='ticks'></ol>"
        "<p><a href='/'>back</a></p>"
    )
    return page("WebSockets", body + SCRIPT)


ROUTES = [echo, clock, websocket_page]

EXAMPLES = [
    Example(
        "WebSockets",
        "/ws/page",
        "A page whose browser WebSocket echoes what you type (a listener) and shows a pushed stream.",
        "websocket-page",
    ),
]
