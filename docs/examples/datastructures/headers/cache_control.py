"""``Cache-Control`` on three layers: the closest one to the route handler wins."""

from __future__ import annotations

import time

from outpour import Controller, Outpour, get
from outpour.datastructures import CacheControlHeader

ONE_DAY = 86_400
ONE_MONTH = 2_628_288


class WeatherController(Controller):
    # Overrides the app's value for every route of this controller.
    cache_control = CacheControlHeader(max_age=ONE_DAY, public=True)

    @get("/chance_of_rain")
    async def get_chance_of_rain(self) -> float:
        """Cached for a day: the controller's value."""
        return 0.5

    @get("/timestamp", cache_control=CacheControlHeader.prevent_storing())
    async def get_server_time(self) -> float:
        """Never stored: the handler's own value (``no-store``) overrides the controller's."""
        return time.time()


@get("/population")
async def get_population_count() -> int:
    """Cached for a month: the app's value."""
    return 100_000


app = Outpour(
    route_handlers=[WeatherController, get_population_count],
    cache_control=CacheControlHeader(max_age=ONE_MONTH, public=True),
)
