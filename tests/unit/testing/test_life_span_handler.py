"""``LifeSpanHandler`` drives an app's lifespan step by step, on asyncio and trio."""

from __future__ import annotations

import anyio
import pytest

from outpour import Outpour
from outpour.testing.life_span_handler import LifeSpanHandler
from outpour.types import Receive, Scope, Send


def _app(events: list[str], fail_startup: bool = False) -> Outpour:
    def startup() -> None:
        events.append("startup")
        if fail_startup:
            raise RuntimeError("database unreachable")

    return Outpour([], on_startup=[startup], on_shutdown=[lambda: events.append("shutdown")])


@pytest.mark.anyio
async def test_start_up_and_shut_down_the_app(anyio_backend: str) -> None:
    events: list[str] = []
    async with anyio.create_task_group() as tg:
        handler = LifeSpanHandler(_app(events))
        tg.start_soon(handler.lifespan, anyio.CancelScope())
        await handler.wait_startup()
        assert events == ["startup"]
        await handler.wait_shutdown()
    assert events == ["startup", "shutdown"]


@pytest.mark.anyio
async def test_failed_start_up_raises(anyio_backend: str) -> None:
    async with anyio.create_task_group() as tg:
        handler = LifeSpanHandler(_app([], fail_startup=True))
        tg.start_soon(handler.lifespan, anyio.CancelScope())
        with pytest.raises(
            RuntimeError, match="lifespan startup failed with message `RuntimeError: database unreachable`"
        ):
            await handler.wait_startup()


@pytest.mark.anyio
async def test_receive_returns_the_apps_messages(anyio_backend: str) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "lifespan.startup.complete"})

    handler = LifeSpanHandler(app)
    async with anyio.create_task_group() as tg:
        tg.start_soon(handler.lifespan, anyio.CancelScope())
        assert await handler.receive() == {"type": "lifespan.startup.complete"}
        with pytest.raises(RuntimeError, match="returned without sending a message"):
            await handler.receive()
        await handler.wait_shutdown()


@pytest.mark.anyio
async def test_cancelling_the_scope_abandons_the_lifespan_call(anyio_backend: str) -> None:
    started = anyio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        started.set()
        await anyio.sleep_forever()

    scope = anyio.CancelScope()
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(LifeSpanHandler(app).lifespan, scope)
            await started.wait()
            scope.cancel()
    assert scope.cancelled_caught
