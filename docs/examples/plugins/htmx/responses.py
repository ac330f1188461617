"""HTMX responses that steer the client: events, retargeting, client-side redirects, stopping a poll."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outpour import Outpour, get, post
from outpour.plugins.htmx import ClientRedirect, HTMXPlugin, HTMXRequest, HXStopPolling, Retarget, TriggerEvent
from outpour.response import Response


@dataclass
class Job:
    progress: int = 0


JOB = Job()


@post("/items")
async def add_item(data: dict[str, str]) -> Response[str]:
    name = data.get("name", "").strip()
    if not name:
        # Show the error next to the form instead of in the list the form targets.
        return Retarget("<p class='error'>A name is required.</p>", target="#form-errors", media_type="text/html")
    # Let other parts of the page (a counter, a toast) react to the new item.
    return TriggerEvent(
        f"<li>{name}</li>", name="itemAdded", params={"name": name}, after="settle", media_type="text/html"
    )


@get("/progress")
async def progress(request: HTMXRequest) -> Response[Any]:
    # Polled with `hx-trigger="every 1s"`; answering 286 stops the polling.
    JOB.progress = min(JOB.progress + 50, 100)
    if JOB.progress == 100:
        return HXStopPolling()
    return Response(f"{JOB.progress}%", media_type="text/html")


@post("/logout")
async def logout() -> ClientRedirect:
    # A full page load of the login page, rather than swapping it into the element that asked.
    return ClientRedirect("/login")


app = Outpour(route_handlers=[add_item, progress, logout], plugins=[HTMXPlugin()])
