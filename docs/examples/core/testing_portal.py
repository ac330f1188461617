"""Run async code on the app's event loop from a synchronous test, through the client's blocking portal."""

from __future__ import annotations

from concurrent.futures import Future, wait

import anyio

from outpour import get
from outpour.testing import create_test_client

ticks: list[int] = []


@get("/ticks", sync_to_thread=False)
def read_ticks() -> list[int]:
    return ticks


async def tick(value: int) -> int:
    await anyio.sleep(0.01)
    ticks.append(value)
    return value


def test_portal_runs_coroutines_next_to_the_app() -> None:
    ticks.clear()
    with create_test_client([read_ticks]) as client:
        future: Future[int] = client.blocking_portal.start_task_soon(tick, 1)  # runs in the background
        assert client.blocking_portal.call(tick, 2) == 2  # runs and waits
        wait([future])
        assert future.result() == 1
        assert sorted(client.get("/ticks").json()) == [1, 2]
