"""The test clients run the ASGI lifespan protocol: start-up on entry, shutdown on exit, failures reported."""

from __future__ import annotations

from typing import Any, Literal

import anyio
import pytest

from outpour import Outpour
from outpour.testing import AsyncTestClient, TestClient
from outpour.types import Receive, Scope, Send


@pytest.fixture(params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def lifespan_app(events: list[str], *, startup: str = "complete", shutdown: str = "complete") -> Any:
    """An app that records lifespan events and requests; ``startup``/``shutdown`` choose its answer."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            events.append(f"request:{scope['state'].get('db')}")
            scope["state"]["db"] = "changed"
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        assert scope["type"] == "lifespan"
        assert scope["asgi"]["version"] == "3.0"
        for phase, answer in (("startup", startup), ("shutdown", shutdown)):
            message = await receive()
            events.append(message["type"])
            if phase == "startup":
                scope["state"]["db"] = "open"
            if answer == "raise":
                raise ValueError(f"{phase} exploded")
            if answer == "failed":
                await send({"type": f"lifespan.{phase}.failed", "message": f"no {phase} today"})
                raise ValueError(f"{phase} exploded")
            if answer == "odd":
                await send({"type": "lifespan.odd"})
                return
            if answer == "return":
                return
            await send({"type": f"lifespan.{phase}.complete"})

    return app


EXPECTED = ["lifespan.startup", "request:open", "request:open"]


def test_startup_and_shutdown_run_around_requests(backend: Literal["asyncio", "trio"]) -> None:
    events: list[str] = []
    with TestClient(lifespan_app(events), backend=backend) as client:
        assert events == ["lifespan.startup"]
        assert client.get("/").status_code == 204
        client.get("/")
        assert events == EXPECTED
    assert events == [*EXPECTED, "lifespan.shutdown"]


@pytest.mark.anyio
async def test_async_startup_and_shutdown_run_around_requests() -> None:
    events: list[str] = []
    async with AsyncTestClient(lifespan_app(events)) as client:
        assert events == ["lifespan.startup"]
        assert (await client.get("/")).status_code == 204
        await client.get("/")
        assert events == EXPECTED
    assert events == [*EXPECTED, "lifespan.shutdown"]


def test_no_lifespan_without_with(backend: Literal["asyncio", "trio"]) -> None:
    events: list[str] = []
    TestClient(lifespan_app(events), backend=backend).get("/")
    assert events == ["request:None"]


@pytest.mark.anyio
async def test_async_no_lifespan_without_async_with() -> None:
    events: list[str] = []
    await AsyncTestClient(lifespan_app(events)).get("/")
    assert events == ["request:None"]


@pytest.mark.parametrize(
    ("startup", "error", "match"),
    [
        pytest.param("failed", RuntimeError, "lifespan startup failed with message `no startup today`", id="failed"),
        pytest.param("raise", ValueError, "startup exploded", id="raised"),
        pytest.param("odd", RuntimeError, "sent `lifespan.odd` in answer to `lifespan.startup`", id="odd-message"),
    ],
)
def test_startup_failure_is_raised(
    backend: Literal["asyncio", "trio"], startup: str, error: type[Exception], match: str
) -> None:
    events: list[str] = []
    client = TestClient(lifespan_app(events, startup=startup), backend=backend)
    with pytest.raises(error, match=match) as info, client:
        pass
    assert events == ["lifespan.startup"]
    if startup == "failed":
        assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("startup", "error", "match"),
    [
        pytest.param("failed", RuntimeError, "`no startup today`", id="failed"),
        pytest.param("raise", ValueError, "startup exploded", id="raised"),
    ],
)
async def test_async_startup_failure_is_raised(startup: str, error: type[Exception], match: str) -> None:
    events: list[str] = []
    with pytest.raises(error, match=match):
        async with AsyncTestClient(lifespan_app(events, startup=startup)):
            events.append("body")
    assert events == ["lifespan.startup"]


@pytest.mark.parametrize(
    ("shutdown", "error", "match"),
    [
        pytest.param("failed", RuntimeError, "lifespan shutdown failed with message `no shutdown today`", id="failed"),
        pytest.param("raise", ValueError, "shutdown exploded", id="raised"),
    ],
)
def test_shutdown_failure_is_raised(
    backend: Literal["asyncio", "trio"], shutdown: str, error: type[Exception], match: str
) -> None:
    events: list[str] = []
    with pytest.raises(error, match=match), TestClient(lifespan_app(events, shutdown=shutdown), backend=backend):
        pass
    assert events == ["lifespan.startup", "lifespan.shutdown"]


@pytest.mark.anyio
async def test_async_shutdown_failure_is_raised() -> None:
    events: list[str] = []
    with pytest.raises(RuntimeError, match="`no shutdown today`"):
        async with AsyncTestClient(lifespan_app(events, shutdown="failed")):
            pass
    assert events == ["lifespan.startup", "lifespan.shutdown"]


@pytest.mark.parametrize(
    "app_kind", [pytest.param("no-lifespan", id="returns-at-once"), pytest.param("early", id="returns-after-startup")]
)
def test_apps_whose_lifespan_returns_early(backend: Literal["asyncio", "trio"], app_kind: str) -> None:
    events: list[str] = []
    inner = lifespan_app(events, shutdown="return")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan" and app_kind == "no-lifespan":
            return
        if scope["type"] == "lifespan":
            message = await receive()
            events.append(message["type"])
            await send({"type": "lifespan.startup.complete"})
            return
        await inner(scope, receive, send)

    with TestClient(app, backend=backend) as client:
        assert client.get("/").status_code == 204
    expected = ["request:None"] if app_kind == "no-lifespan" else ["lifespan.startup", "request:None"]
    assert events == expected


def test_request_state_is_a_copy_of_the_lifespan_state() -> None:
    events: list[str] = []
    with TestClient(lifespan_app(events)) as client:
        client.get("/")
        client.get("/")  # the first request's change to its state is not seen here
    assert events[1:3] == ["request:open", "request:open"]


@pytest.mark.anyio
async def test_async_cancellation_skips_shutdown() -> None:
    events: list[str] = []
    with anyio.move_on_after(0.05) as scope:
        async with AsyncTestClient(lifespan_app(events)):
            await anyio.sleep(5)
    assert scope.cancelled_caught
    assert events == ["lifespan.startup"]


@pytest.mark.anyio
async def test_async_cancellation_during_startup() -> None:
    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await anyio.sleep_forever()

    with anyio.move_on_after(0.05) as scope:
        async with AsyncTestClient(slow):
            pytest.fail("start-up never completes")
    assert scope.cancelled_caught


@pytest.mark.parametrize(
    ("startup", "inner", "match"),
    [
        pytest.param("failed", ValueError, "`no startup today`", id="failed-holds-what-the-app-raised"),
        pytest.param("odd", RuntimeError, "Received unexpected ASGI message type", id="odd-message"),
    ],
)
def test_a_lifespan_failure_is_also_an_exception_group(startup: str, inner: type[Exception], match: str) -> None:
    with pytest.raises(ExceptionGroup, match=match) as info, TestClient(lifespan_app([], startup=startup)):
        pass
    assert isinstance(info.value, RuntimeError)
    assert [type(exc) for exc in info.value.exceptions] == [inner]


def test_a_startup_hook_error_reaches_the_test_as_an_exception_group() -> None:
    def fail(app: Outpour) -> None:
        raise LookupError("no database")

    app = Outpour(on_startup=[fail])
    with pytest.raises(ExceptionGroup, match="LookupError: no database") as info, TestClient(app):
        pass
    assert isinstance(info.value, RuntimeError)
