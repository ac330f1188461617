"""Channels over PostgreSQL ``LISTEN``/``NOTIFY`` (``pip install 'outpour[asyncpg]'`` or ``'outpour[psycopg]'``).

NOTIFY carries under 8,000 bytes per event: publish small events (an id, a short message); a larger one raises
``ChannelsException`` when published.
"""

from __future__ import annotations

import os

from outpour import Outpour, post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.asyncpg import AsyncPgChannelsBackend
from outpour.channels.plugin import ChannelsException
from outpour.exceptions import ClientException


@post("/orders/{order_id:int}/shipped")
async def order_shipped(order_id: int, channels: ChannelsPlugin) -> dict[str, int]:
    await channels.wait_published({"order": order_id, "status": "shipped"}, "orders")
    return {"order": order_id}


@post("/notes")
async def post_note(data: str, channels: ChannelsPlugin) -> None:
    try:
        channels.publish(data, "notes")
    except ChannelsException as exc:  # over NOTIFY's limit: tell the client rather than fail with a 500
        raise ClientException(str(exc)) from exc


backend = AsyncPgChannelsBackend(os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
app = Outpour([order_shipped, post_note], plugins=[ChannelsPlugin(backend, channels=["orders", "notes"])])
