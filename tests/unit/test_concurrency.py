"""Worker threads for sync callables: the default, a configured asyncio executor, a configured trio limiter."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import pytest
import trio

from outpour import get
from outpour.background_tasks import BackgroundTask
from outpour.concurrency import (
    get_asyncio_executor,
    get_trio_capacity_limiter,
    set_asyncio_executor,
    set_trio_capacity_limiter,
    sync_to_thread,
)
from outpour.testing import create_test_client
from outpour.types import ASGIApp, Receive, Scope, Send

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="unset")


@pytest.fixture(autouse=True)
def _default_threads() -> Iterator[None]:
    yield
    set_asyncio_executor(None)
    set_trio_capacity_limiter(None)


@get("/thread", sync_to_thread=True)
def thread_name() -> dict[str, Any]:
    limiter = get_trio_capacity_limiter()
    borrowed = limiter.borrowed_tokens if limiter is not None else None
    return {"thread": threading.current_thread().name, "borrowed": borrowed}


def test_settings_default_to_none_and_are_read_back() -> None:
    assert (get_asyncio_executor(), get_trio_capacity_limiter()) == (None, None)
    with ThreadPoolExecutor(max_workers=1) as executor:
        limiter = trio.CapacityLimiter(2)
        set_asyncio_executor(executor)
        set_trio_capacity_limiter(limiter)
        assert (get_asyncio_executor(), get_trio_capacity_limiter()) == (executor, limiter)


def test_sync_handler_runs_in_the_configured_asyncio_executor() -> None:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="handlers") as executor:
        set_asyncio_executor(executor)
        with create_test_client([thread_name], backend="asyncio") as client:
            name = client.get("/thread").json()["thread"]
    assert name.startswith("handlers")


def test_sync_handler_runs_in_anyio_threads_by_default() -> None:
    with create_test_client([thread_name], backend="asyncio") as client:
        data = client.get("/thread").json()
    assert not data["thread"].startswith("handlers")
    assert data["thread"] != "MainThread"


def test_sync_handler_borrows_from_the_configured_trio_limiter() -> None:
    limiter = trio.CapacityLimiter(3)
    set_trio_capacity_limiter(limiter)
    with create_test_client([thread_name], backend="trio") as client:
        assert client.get("/thread").json()["borrowed"] == 1
    assert limiter.borrowed_tokens == 0


def test_trio_limiter_is_not_used_on_asyncio() -> None:
    set_trio_capacity_limiter(trio.CapacityLimiter(3))
    with create_test_client([thread_name], backend="asyncio") as client:
        assert client.get("/thread").json()["borrowed"] == 0


def test_sync_background_task_runs_in_the_configured_executor() -> None:
    names: list[str] = []

    def record() -> None:
        names.append(threading.current_thread().name)

    @get("/", background=BackgroundTask(record), sync_to_thread=False)
    def handler() -> None:
        return None

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tasks") as executor:
        set_asyncio_executor(executor)
        with create_test_client([handler], backend="asyncio") as client:
            client.get("/")
    assert len(names) == 1
    assert names[0].startswith("tasks")


@pytest.mark.anyio
async def test_sync_to_thread_passes_arguments_and_context(anyio_backend: str) -> None:
    def work(a: int, *, b: int) -> tuple[int, str, bool]:
        return a + b, request_id.get(), threading.current_thread() is threading.main_thread()

    token = request_id.set("r-1")
    try:
        assert await sync_to_thread(work, 1, b=2) == (3, "r-1", False)
    finally:
        request_id.reset(token)


def _setting_request_id(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        request_id.set("from-middleware")
        await app(scope, receive, send)

    return middleware


@get("/context", sync_to_thread=True)
def context_value() -> str:
    return request_id.get()


@pytest.mark.parametrize("backend", [pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def test_configured_threads_see_the_request_context(backend: Literal["asyncio", "trio"]) -> None:
    with ThreadPoolExecutor(max_workers=1) as executor:
        set_asyncio_executor(executor)
        set_trio_capacity_limiter(trio.CapacityLimiter(1))
        with create_test_client([context_value], middleware=[_setting_request_id], backend=backend) as client:
            assert client.get("/context").text == "from-middleware"


@pytest.mark.anyio
async def test_settings_cannot_change_inside_a_running_loop(anyio_backend: str) -> None:
    if anyio_backend == "asyncio":
        with pytest.raises(RuntimeError, match="`set_asyncio_executor` was called from a running event loop"):
            set_asyncio_executor(None)
    else:
        with pytest.raises(RuntimeError, match=r"`set_trio_capacity_limiter` was called from inside `trio\.run`"):
            set_trio_capacity_limiter(None)
