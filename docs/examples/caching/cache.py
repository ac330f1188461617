"""Response caching: `cache=True`, a number of seconds, or `CACHE_FOREVER`."""

from __future__ import annotations

from outpour import Outpour, Request, get
from outpour.config.response_cache import CACHE_FOREVER, ResponseCacheConfig

computed: list[str] = []


@get("/report", cache=True)  # kept for the config's `default_expiration` (60 seconds unless configured)
async def report() -> dict[str, int]:
    computed.append("report")
    return {"total": 42}


@get("/prices", cache=120)  # kept for 120 seconds
async def prices() -> dict[str, float]:
    computed.append("prices")
    return {"apple": 1.5}


@get("/about", cache=CACHE_FOREVER)  # kept until the store drops it
async def about() -> str:
    computed.append("about")
    return "outpour"


def by_language(request: Request) -> str:
    """One entry per path and `Accept-Language`: the handler's own key builder."""
    language: str = request.headers.get("accept-language", "en")
    return f"{request.url.path}:{language}"


@get("/welcome", cache=True, cache_key_builder=by_language)
async def welcome(request: Request) -> str:
    computed.append("welcome")
    return "bienvenue" if request.headers.get("accept-language") == "fr" else "welcome"


app = Outpour(
    [report, prices, about, welcome],
    response_cache_config=ResponseCacheConfig(default_expiration=30),
)
