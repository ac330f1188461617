"""Rate limiting: 2 requests a minute per client, the health check excluded."""

from __future__ import annotations

from outpour import MediaType, Outpour, get
from outpour.middleware.rate_limit import RateLimitConfig

rate_limit_config = RateLimitConfig(rate_limit=("minute", 2), exclude=["^/health$"])


@get("/", media_type=MediaType.TEXT, sync_to_thread=False)
def home() -> str:
    return "ok"


@get("/health", media_type=MediaType.TEXT, sync_to_thread=False)
def health() -> str:
    return "up"


app = Outpour([home, health], middleware=[rate_limit_config.middleware])
