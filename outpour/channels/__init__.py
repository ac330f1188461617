"""Channels: publish events to named channels and deliver them to subscribers, in one process or across many.

``ChannelsPlugin`` is added to the app's ``plugins``; handlers receive it as ``channels``. The backend decides how far
events travel: ``MemoryChannelsBackend`` (``outpour.channels.backends.memory``) within one process;
``RedisChannelsPubSubBackend`` / ``RedisChannelsStreamBackend`` (``.redis``, ``pip install 'outpour[redis]'``) and
``AsyncPgChannelsBackend`` (``.asyncpg``) / ``PsycoPgChannelsBackend`` (``.psycopg``) across workers and hosts.
"""

from __future__ import annotations

from outpour.channels.backends.base import ChannelsBackend
from outpour.channels.plugin import ChannelsPlugin
from outpour.channels.subscriber import Subscriber

__all__ = ["ChannelsBackend", "ChannelsPlugin", "Subscriber"]
