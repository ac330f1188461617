"""WebSocket routes created by the plugin: ``/ws/news`` and ``/ws/sport``, each sending its channel's events.

A client connecting first receives the channel's last 5 events (``ws_handler_send_history``), then every new one.
"""

from __future__ import annotations

from outpour import Outpour, post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.memory import MemoryChannelsBackend


@post("/publish/{channel:str}")
async def publish(channel: str, data: str, channels: ChannelsPlugin) -> None:
    channels.publish(data, channel)


channels_plugin = ChannelsPlugin(
    MemoryChannelsBackend(history=20),
    channels=["news", "sport"],
    create_ws_route_handlers=True,
    ws_handler_base_path="/ws",
    ws_handler_send_history=5,
)
app = Outpour([publish], plugins=[channels_plugin])
