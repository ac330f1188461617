"""Responses cached in Redis: every worker (and host) serves what one of them computed."""

from __future__ import annotations

import os

from outpour import Outpour, get
from outpour.config.response_cache import ResponseCacheConfig
from outpour.stores.redis import RedisStore

redis_store = RedisStore.with_client(os.environ.get("REDIS_URL", "redis://localhost:6379"), namespace="myapp-cache")


@get("/slow", cache=10)
async def slow() -> dict[str, str]:
    return {"computed": "once per 10 seconds, for every worker"}


app = Outpour(
    [slow],
    stores={"redis_cache": redis_store},
    response_cache_config=ResponseCacheConfig(store="redis_cache"),
)
