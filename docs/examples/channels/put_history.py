"""Sending a channel's history to a new subscriber first (backends with history: memory, Redis streams)."""

from __future__ import annotations

from outpour import Outpour, get, post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.memory import MemoryChannelsBackend


@post("/log")
async def log(data: str, channels: ChannelsPlugin) -> None:
    await channels.wait_published(data, "log")


@get("/log/latest")
async def latest(channels: ChannelsPlugin) -> list[str]:
    async with channels.start_subscription("log") as subscriber:
        await channels.put_subscriber_history(subscriber, "log", limit=3)
        iterator = subscriber.iter_events()
        return [(await anext(iterator)).decode() for _ in range(subscriber.qsize)]


app = Outpour([log, latest], plugins=[ChannelsPlugin(MemoryChannelsBackend(history=100), channels=["log"])])
