"""The chat app across workers and hosts: the same handlers, events carried by Redis (``pip install 'outpour[redis]'``).

Run it with ``REDIS_URL=redis://127.0.0.1:6379/0 outpour run --app docs.examples.channels.redis_chat:app --workers 2``;
a message posted to one worker reaches the subscribers of every worker, and of every host using the same Redis.
"""

from __future__ import annotations

import os

from redis.asyncio import Redis

from docs.examples.channels.chat_sse import greeted_events, room_events, send_message
from outpour import Outpour
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.redis import RedisChannelsStreamBackend

redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
backend = RedisChannelsStreamBackend(history=10, redis=redis, key_prefix=os.environ.get("CHAT_PREFIX", "chat"))


async def close_redis() -> None:
    await redis.aclose()


app = Outpour(
    [send_message, room_events, greeted_events],
    plugins=[ChannelsPlugin(backend, arbitrary_channels_allowed=True, subscriber_max_backlog=100)],
    on_shutdown=[close_redis],
)
