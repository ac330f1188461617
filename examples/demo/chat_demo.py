"""Channels: a chat page where a message posted in one open page appears live in every other one.

A ``ChannelsPlugin`` with the memory backend (no Redis, no extra package: enough for one process) holds one channel,
``chat``. The page is ``GET /chat``; ``POST /chat`` publishes a message there; each open page keeps an ``EventSource`` on ``/chat/events``, a
``ServerSentEvent`` stream of a subscriber to the channel, which starts with the last messages (the channel's history).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec

from examples.demo._catalog import Example, page
from outpour import MediaType, get, post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.response import ServerSentEvent

__all__ = ["CHANNEL", "CHANNELS", "EXAMPLES", "ROUTES", "ChatMessage"]

CHANNEL = "chat"
HISTORY = 20
FOLLOW = True
"""Whether ``/chat/events`` follows the channel; off, it sends the history and ends (the fuzz test turns it off)."""

CHANNELS = ChannelsPlugin(
    MemoryChannelsBackend(history=HISTORY),
    channels=[CHANNEL],
    subscriber_max_backlog=100,  # a page that stops reading keeps at most the newest 100 messages
    subscriber_backlog_strategy="dropleft",
)


class ChatMessage(msgspec.Struct):
    """A message posted to the chat."""

    author: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


@post("/chat")
async def send_message(data: ChatMessage, channels: ChannelsPlugin) -> None:
    """Publish a message to every open chat page."""
    channels.publish({"author": data.author, "text": data.text, "at": f"{datetime.now(UTC):%H:%M:%S}"}, CHANNEL)


@get("/chat/events")
async def chat_events(channels: ChannelsPlugin) -> ServerSentEvent:
    """The chat's messages as server-sent events: the last ones, then each new one as it is posted."""
    subscriber = await channels.subscribe(CHANNEL, history=HISTORY)
    if not FOLLOW:
        await channels.unsubscribe(subscriber)  # the stream ends once the history is sent
    return ServerSentEvent(subscriber.iter_events())


SCRIPT = """
<script>
  const state = document.querySelector('#state');
  const messages = document.querySelector('#messages');
  const source = new EventSource('/chat/events');
  source.onopen = () => { state.textContent = 'connected'; };
  source.onerror = () => { state.textContent = 'reconnecting...'; };
  source.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const item = document.createElement('li');
    const author = document.createElement('b');
    author.textContent = message.author;
    item.append(author, ': ' + message.text + ' (' + message.at + ')');
    messages.appendChild(item);
  };
  document.querySelector('#form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = document.querySelector('#text');
    const author = document.querySelector('#author').value || 'anonymous';
    const response = await fetch('/chat', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({author: author, text: text.value}),
    });
    document.querySelector('#sent').textContent = response.ok ? 'sent' : 'refused (' + response.status + ')';
    if (response.ok) { text.value = ''; }
  });
</script>
"""


@get("/chat", media_type=MediaType.HTML)
async def chat_page() -> str:
    """The chat page; ``POST /chat`` publishes a message."""
    body = (
        "<h1>Chat</h1>"
        "<p>A <code>ChannelsPlugin</code> with the memory backend: <code>POST /chat</code> publishes to the "
        "<code>chat</code> channel, and this page's <code>EventSource</code> on <a href='/chat/events'>/chat/events</a> "
        f"(a <code>ServerSentEvent</code> of a subscriber) shows each message, starting with the last {HISTORY}. "
        "Open this page in two windows and write in one.</p>"
        "<p>Messages: <b id='state'>connecting</b></p>"
        "<form id='form'><input id='author' autocomplete='off' placeholder='your name' maxlength='40'> "
        "<input id='text' autocomplete='off' placeholder='a message, then Enter' maxlength='500' required> "
        "<button>send</button> <span id='sent'></span></form>"
        "<ul id='messages'></ul><p><a href='/'>back</a></p>"
    )
    return page("Chat", body + SCRIPT)


ROUTES = [send_message, chat_events, chat_page]

EXAMPLES = [
    Example(
        "channels + server-sent events",
        "/chat",
        "A chat: a message posted in one open page appears live in every other one (ChannelsPlugin, memory backend).",
        "chat-page",
    ),
]
