"""Dependency injection: layered providers, sync/async/generator dependencies, nesting, caching, missing ones."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import Annotated, Any

import pytest

from outpour import Controller, Outpour, Router, get, post
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import Dependency
from outpour.response import Stream
from outpour.testing import create_test_client


def test_layers_provide_and_lower_layers_override() -> None:
    async def app_value() -> str:
        return "app"

    def router_value() -> str:
        return "router"

    class C(Controller):
        path = "/c"
        dependencies = {"b": Provide(lambda: "controller")}  # noqa: RUF012

        @get("/", dependencies={"c": Provide(lambda: "handler")})
        async def handler(self, a: str, b: str, c: str) -> list[str]:
            return [a, b, c]

    router = Router(
        path="/r", route_handlers=[C], dependencies={"a": Provide(router_value), "b": Provide(router_value)}
    )
    with create_test_client([router], dependencies={"a": Provide(app_value)}) as client:
        assert client.get("/r/c").json() == ["router", "controller", "handler"]


def test_dependencies_of_dependencies_and_request_parameters() -> None:
    def page_size(limit: int = 10) -> int:
        return limit

    async def paging(size: int, offset: int = 0) -> dict[str, int]:
        return {"size": size, "offset": offset}

    @get("/items", dependencies={"size": Provide(page_size), "paging": Provide(paging)})
    async def items(paging: dict[str, int]) -> dict[str, int]:
        return paging

    with create_test_client([items]) as client:
        assert client.get("/items?limit=5&offset=2").json() == {"size": 5, "offset": 2}
        bad = client.get("/items?limit=x")
    assert bad.status_code == 400
    assert bad.json()["extra"][0]["key"] == "limit"


def test_generator_cleanup_runs_after_the_handler_and_sees_errors() -> None:
    events: list[str] = []

    def sync_resource() -> Generator[str, None, None]:
        events.append("sync open")
        try:
            yield "sync"
        except ValueError:
            events.append("sync saw error")
            raise
        finally:
            events.append("sync close")

    async def async_resource() -> AsyncGenerator[str, None]:
        events.append("async open")
        yield "async"
        events.append("async close")

    @get("/ok", dependencies={"s": Provide(sync_resource), "a": Provide(async_resource)})
    async def ok(s: str, a: str) -> list[str]:
        events.append("handler")
        return [s, a]

    @get("/fail", dependencies={"s": Provide(sync_resource)})
    async def fail(s: str) -> None:
        raise ValueError("boom")

    with create_test_client([ok, fail]) as client:
        assert client.get("/ok").json() == ["sync", "async"]
        assert events == ["sync open", "async open", "handler", "async close", "sync close"]
        events.clear()
        assert client.get("/fail").status_code == 500
    assert events == ["sync open", "sync saw error", "sync close"]


def test_generator_cleanup_runs_before_the_response_is_sent() -> None:
    """As Litestar documents: after the handler returns, before the response (here a stream's body) is sent."""
    events: list[str] = []

    async def session() -> AsyncGenerator[str, None]:
        yield "session"
        events.append("session closed")

    @get("/stream", dependencies={"db": Provide(session)})
    async def stream(db: str) -> Stream:
        async def body() -> AsyncGenerator[str, None]:
            events.append("body sent")
            yield db

        return Stream(body())

    with create_test_client([stream]) as client:
        assert client.get("/stream").text == "session"
    assert events == ["session closed", "body sent"]


def test_a_failing_cleanup_is_a_500_and_the_other_cleanups_still_run() -> None:
    """A commit failing in the cleanup must not leave the client with a success."""
    events: list[str] = []

    def committing() -> Generator[str, None, None]:
        yield "tx"
        events.append("commit attempted")
        raise RuntimeError("commit failed")

    async def connection() -> AsyncGenerator[str, None]:
        yield "conn"
        events.append("connection closed")

    @post("/orders", dependencies={"conn": Provide(connection), "tx": Provide(committing)})
    async def create(conn: str, tx: str) -> dict[str, str]:
        return {"created": "yes"}

    with create_test_client([create], raise_server_exceptions=False) as client:
        response = client.post("/orders")
    assert response.status_code == 500
    assert "created" not in response.text
    assert sorted(events) == ["commit attempted", "connection closed"]


def test_use_cache_calls_once() -> None:
    calls: list[int] = []

    def expensive() -> int:
        calls.append(1)
        return len(calls)

    @get("/", dependencies={"value": Provide(expensive, use_cache=True)})
    async def handler(value: int) -> int:
        return value

    with create_test_client([handler]) as client:
        assert [client.get("/").json() for _ in range(3)] == [1, 1, 1]
    assert calls == [1]


def test_missing_dependency_is_an_error_at_creation() -> None:
    @get("/")
    async def handler(db: Annotated[Any, Dependency()]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=r"dependency `db`.*Provide"):
        Outpour(route_handlers=[handler])


def test_dependency_default_is_used_without_provider() -> None:
    @get("/")
    async def handler(limit: Annotated[int, Dependency(default=3)]) -> int:
        return limit

    with create_test_client([handler]) as client:
        assert client.get("/").json() == 3


def test_dependency_cycle_is_an_error() -> None:
    def a(b: int) -> int:
        return b

    def b(a: int) -> int:
        return a

    @get("/", dependencies={"a": Provide(a), "b": Provide(b)})
    async def handler(a: int) -> int:
        return a

    with pytest.raises(ImproperlyConfiguredException, match="cycle"):
        Outpour(route_handlers=[handler])


def test_plain_callables_are_wrapped_in_provide() -> None:
    @get("/", dependencies={"value": lambda: 42})
    async def handler(value: int) -> int:
        return value

    with create_test_client([handler]) as client:
        assert client.get("/").json() == 42
