"""Lifespan: on_startup, on_shutdown, lifespan context managers and app state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from outpour import Outpour, get
from outpour.datastructures import State
from outpour.exceptions import ImproperlyConfiguredException
from outpour.testing import TestClient, create_test_client
from outpour.types import Message, Scope


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
    assert events == ["enter", "startup:open", "exit", "shutdown"]  # context managers exit before shutdown hooks


def test_failing_startup_reports_the_error() -> None:
    def broken() -> None:
        raise RuntimeError("no database")

    app = Outpour(route_handlers=[], on_startup=[broken])
    with pytest.raises(Exception, match="no database"), TestClient(app):
        pass


def _recorder(events: list[str]) -> tuple[Any, Any, Any, Any]:
    """Two context managers and two shutdown hooks appending to ``events``, as in Litestar's docs."""

    def context(name: str) -> Any:
        @asynccontextmanager
        async def manager(app: Outpour) -> AsyncIterator[None]:
            events.append(f"enter {name}")
            try:
                yield
            finally:
                events.append(f"exit {name}")

        return manager

    return context("a"), context("b"), lambda: events.append("hook a"), lambda: events.append("hook b")


@pytest.mark.anyio
async def test_app_lifespan_runs_start_up_and_shutdown_in_the_documented_order() -> None:
    """Context managers enter in order and exit in reverse, then the shutdown hooks run in their order."""
    events: list[str] = []
    ctx_a, ctx_b, hook_a, hook_b = _recorder(events)
    app = Outpour(
        [], lifespan=[ctx_a, ctx_b], on_startup=[lambda: events.append("startup")], on_shutdown=[hook_a, hook_b]
    )
    async with app.lifespan():
        assert events == ["enter a", "enter b", "startup"]
    assert events == ["enter a", "enter b", "startup", "exit b", "exit a", "hook a", "hook b"]


@pytest.mark.anyio
async def test_a_failing_start_up_shuts_down_what_had_started() -> None:
    events: list[str] = []
    ctx_a, _, hook_a, _ = _recorder(events)

    def broken() -> None:
        raise RuntimeError("no database")

    app = Outpour([], lifespan=[ctx_a], on_startup=[broken], on_shutdown=[hook_a])
    with pytest.raises(RuntimeError, match="no database"):
        async with app.lifespan():
            events.append("served")  # pragma: no cover - start-up fails
    assert events == ["enter a", "exit a", "hook a"]


def test_the_server_lifespan_follows_the_same_order() -> None:
    events: list[str] = []
    ctx_a, ctx_b, hook_a, hook_b = _recorder(events)
    with TestClient(Outpour([], lifespan=[ctx_a, ctx_b], on_shutdown=[hook_a, hook_b])):
        assert events == ["enter a", "enter b"]
    assert events == ["enter a", "enter b", "exit b", "exit a", "hook a", "hook b"]


def test_from_scope_gives_the_app_serving_the_connection() -> None:
    """Litestar's docs read the state in a ``before_send`` hook with ``Litestar.from_scope(scope).state``."""

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", []).append((b"my-header", Outpour.from_scope(scope).state.message.encode()))

    @get("/")
    async def index(scope: Scope) -> bool:
        return Outpour.from_scope(scope) is scope["app"]

    app = Outpour([index], before_send=[before_send], state=State({"message": "hi"}))
    with TestClient(app) as client:
        response = client.get("/")
    assert (response.json(), response.headers["my-header"]) == (True, "hi")


@pytest.mark.parametrize("scope", [pytest.param({"type": "http"}, id="no-app"), pytest.param({"app": 1}, id="other")])
def test_from_scope_refuses_a_scope_without_an_outpour_app(scope: Scope) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"`Outpour.from_scope` takes the scope of a connection"):
        Outpour.from_scope(scope)
