"""A chat room: a POST publishes a message, server-sent events deliver it to everyone in the room.

Run it with ``outpour run --app docs.examples.channels.chat_sse:app``. On one process the memory backend is enough;
``redis_chat.py`` shows the same app across workers and hosts.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import msgspec

from outpour import Outpour, get, post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.response import ServerSentEvent


class Message(msgspec.Struct):
    author: str
    text: str


@post("/rooms/{room:str}/messages")
async def send_message(room: str, data: Message, channels: ChannelsPlugin) -> None:
    channels.publish(data, room)


@get("/rooms/{room:str}/events")
async def room_events(room: str, channels: ChannelsPlugin) -> ServerSentEvent:
    subscriber = await channels.subscribe(room, history=10)
    # When the client leaves, the response closes the iterator, which unsubscribes at once.
    return ServerSentEvent(subscriber.iter_events())


@get("/rooms/{room:str}/greeted-events")
async def greeted_events(room: str, channels: ChannelsPlugin) -> ServerSentEvent:
    async def stream() -> AsyncGenerator[str | bytes, None]:
        async with channels.start_subscription(room) as subscriber:
            yield f"welcome to {room}"  # sent once the subscription is in place
            async for event in subscriber.iter_events():
                yield event

    return ServerSentEvent(stream())


channels_plugin = ChannelsPlugin(
    MemoryChannelsBackend(history=10),
    arbitrary_channels_allowed=True,
    subscriber_max_backlog=100,  # a client that stops reading keeps at most 100 messages
    subscriber_backlog_strategy="dropleft",  # ... the newest ones
)
app = Outpour([send_message, room_events, greeted_events], plugins=[channels_plugin])
