"""A background task passed to a route decorator: it runs after every response of the handler."""

from __future__ import annotations

import logging

from outpour import Outpour, get
from outpour.background_tasks import BackgroundTask

logger = logging.getLogger(__name__)


async def audit(source: str, message: str) -> None:
    logger.info("%s: %s", source, message)


# The task is fixed when the handler is declared, so it cannot use the handler's parameters.
@get("/status", background=BackgroundTask(audit, "status", message="status was checked"))
async def status() -> dict[str, str]:
    return {"status": "ok"}


app = Outpour(route_handlers=[status])
