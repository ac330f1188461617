"""``ETag`` on three layers (the closest one wins), and one set per response; clients revalidate with ``If-None-Match``.

A request whose ``If-None-Match`` matches the response's entity tag is answered ``304 Not Modified`` without a body.
"""

from __future__ import annotations

import random
import time

from outpour import Controller, MediaType, Outpour, Response, get
from outpour.datastructures import ETag


class WeatherController(Controller):
    etag = ETag(value="foo")

    @get("/chance_of_rain")
    async def get_chance_of_rain(self) -> float:
        """Sent with the controller's tag: ``etag: "foo"``."""
        return 0.5

    @get("/timestamp", etag=ETag(value="bar", weak=True))
    async def get_server_time(self) -> float:
        """Sent with the handler's own, weak, tag: ``etag: W/"bar"``."""
        return time.time()


@get("/population")
async def get_population_count() -> int:
    """Sent with the app's tag: ``etag: "bar"``."""
    return 100_000


@get("/population-dynamic", etag=ETag(documentation_only=True))
async def get_population_count_dynamic() -> Response[str]:
    """The layer only documents the header (no value needed); the response sets the tag of what it sends."""
    population_count = random.randint(0, 1000)
    response = Response(str(population_count), media_type=MediaType.TEXT)
    response.set_etag(ETag(value=str(population_count)))
    return response


app = Outpour(
    route_handlers=[WeatherController, get_population_count, get_population_count_dynamic],
    etag=ETag(value="bar"),
)
