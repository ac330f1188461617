"""The app's store registry: name the stores that caching, rate limiting and sessions use."""

from __future__ import annotations

import os

from outpour import Outpour, Request, get
from outpour.middleware.rate_limit import RateLimitConfig
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.stores.file import FileStore
from outpour.stores.redis import RedisStore
from outpour.stores.registry import StoreRegistry

# One Redis client for everything; each feature gets its own namespace (`myapp:rate_limit:...`, ...).
redis = RedisStore.with_client(os.environ.get("REDIS_URL", "redis://localhost:6379"), namespace="myapp")


@get("/visits", cache=5)
async def visits(request: Request) -> dict[str, int]:
    count = request.session.get("visits", 0) + 1
    request.session["visits"] = count
    return {"visits": count}


app = Outpour(
    [visits],
    middleware=[RateLimitConfig(rate_limit=("minute", 100)).middleware, ServerSideSessionConfig().middleware],
    # `sessions` on disk; any other name (`response_cache`, `rate_limit`) is a namespace of the Redis store.
    # Registered stores are closed when the app shuts down: `redis` closes the client `with_client` opened.
    stores=StoreRegistry(
        {"sessions": FileStore(os.environ.get("SESSION_DIR", "sessions"), create_directories=True), "redis": redis},
        default_factory=redis.with_namespace,
    ),
)
