"""Lifespan: on_startup, on_shutdown, lifespan context managers and app state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from outpour import Outpour, get
from outpour.datastructures import State
from outpour.testing import TestClient, create_test_client


def test_hooks_and_context_managers_run_in_order() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def resource(app: Outpour) -> AsyncIterator[None]:
        events.append("enter")
        app.state.connection = "open"
        yield
        events.append("exit")

    async def startup(app: Outpour) -> None:
        events.append(f"startup:{app.state.connection}")

    def shutdown() -> None:
        events.append("shutdown")

    @get("/")
    async def handler(state: State) -> str:
        return str(state.connection)

    with create_test_client([handler], lifespan=[resource], on_startup=[startup], on_shutdown=[shutdown]) as client:
        assert client.get("/").text == "open"
        assert events == ["enter", "startup:open"]
    assert events == ["enter", "startup:open", "shutdown", "exit"]


def test_failing_startup_reports_the_error() -> None:
    def broken() -> None:
        raise RuntimeError("no database")

    app = Outpour(route_handlers=[], on_startup=[broken])
    with pytest.raises(Exception, match="no database"), TestClient(app):
        pass
