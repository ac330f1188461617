"""Several background tasks: ``BackgroundTasks`` runs them in order (or concurrently with ``run_in_task_group``)."""

from __future__ import annotations

import logging

from outpour import Outpour, Response, get
from outpour.background_tasks import BackgroundTask, BackgroundTasks

logger = logging.getLogger(__name__)
visitors: set[str] = set()


async def audit(name: str) -> None:
    logger.info("%s signed the guest book", name)


def remember(name: str) -> None:  # a sync task runs in a worker thread
    visitors.add(name)


@get("/guest-book")
async def sign(name: str) -> Response[dict[str, str]]:
    return Response(
        {"signed": name},
        background=BackgroundTasks([BackgroundTask(audit, name), BackgroundTask(remember, name)]),
    )


app = Outpour(route_handlers=[sign])
