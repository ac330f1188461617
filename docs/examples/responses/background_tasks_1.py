"""A background task passed to a response: it runs after the response is sent."""

from __future__ import annotations

import logging

from outpour import Outpour, Response, get
from outpour.background_tasks import BackgroundTask

logger = logging.getLogger(__name__)


async def audit(source: str, message: str) -> None:
    logger.info("%s: %s", source, message)


@get("/welcome", sync_to_thread=False)
def welcome(name: str) -> Response[dict[str, str]]:
    return Response(
        {"welcome": name},
        # "welcome" is passed positionally and `message` by keyword: both are checked against audit's signature
        background=BackgroundTask(audit, "welcome", message=f"greeted {name}"),
    )


app = Outpour(route_handlers=[welcome])
