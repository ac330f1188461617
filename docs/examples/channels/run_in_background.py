"""Consuming a subscription in a background task while the handler does something else."""

from __future__ import annotations

import asyncio

from outpour import Outpour, get
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.memory import MemoryChannelsBackend


@get("/collect")
async def collect(channels: ChannelsPlugin) -> list[str]:
    received: list[str] = []
    all_three = asyncio.Event()

    async def on_event(event: bytes) -> None:
        received.append(event.decode())
        if len(received) == 3:
            all_three.set()

    async with channels.start_subscription("jobs") as subscriber, subscriber.run_in_background(on_event):
        for number in range(3):
            channels.publish(f"job {number}", "jobs")  # queued; delivered by the plugin's task
        await asyncio.wait_for(all_three.wait(), timeout=5)
    return received


app = Outpour([collect], plugins=[ChannelsPlugin(MemoryChannelsBackend(), channels=["jobs"])])
