"""BackgroundTask and BackgroundTasks: sync and async callables, order, task groups, failures, after the response."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import AsyncGenerator
from typing import Any

import anyio
import pytest

from outpour import Response, get
from outpour.background_tasks import BackgroundTask, BackgroundTasks, run_background
from outpour.response import ServerSentEvent, Stream
from outpour.testing import create_test_client
from outpour.types import Message

pytestmark = pytest.mark.anyio

SCOPE = {"type": "http", "method": "POST", "path": "/orders", "headers": []}


async def test_async_task_gets_its_arguments() -> None:
    calls: list[tuple[Any, ...]] = []

    async def task(a: int, b: str, *, c: bool) -> None:
        calls.append((a, b, c))

    await BackgroundTask(task, 1, "x", c=True)()
    assert calls == [(1, "x", True)]


async def test_sync_task_runs_in_a_worker_thread() -> None:
    threads: list[int] = []

    def task(value: int) -> None:
        threads.extend((value, threading.get_ident()))

    await BackgroundTask(task, 7)()
    assert threads[0] == 7
    assert threads[1] != threading.get_ident()


class AsyncCallable:
    def __init__(self) -> None:
        self.calls: list[int] = []

    async def __call__(self, value: int) -> None:
        self.calls.append(value)


class SyncCallable:
    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, value: int) -> None:
        self.calls.append(value)


class Service:
    def __init__(self) -> None:
        self.calls: list[int] = []

    async def method(self, value: int) -> None:
        self.calls.append(value)


@pytest.mark.parametrize(
    ("make", "is_async"),
    [
        pytest.param(AsyncCallable, True, id="async-callable-object"),
        pytest.param(SyncCallable, False, id="sync-callable-object"),
        pytest.param(lambda: Service(), True, id="async-method"),
    ],
)
async def test_callable_kinds(make: Any, is_async: bool) -> None:
    target = make()
    fn = target.method if isinstance(target, Service) else target
    task = BackgroundTask(fn, 3)
    assert task.is_async is is_async
    await task()
    assert target.calls == [3]


async def test_partial_of_an_async_function_is_awaited() -> None:
    calls: list[int] = []

    async def task(a: int, b: int) -> None:
        calls.append(a + b)

    bound = BackgroundTask(functools.partial(task, 1), 2)
    assert bound.is_async
    await bound()
    assert calls == [3]


def test_non_callable_is_refused() -> None:
    with pytest.raises(TypeError, match="needs a callable"):
        BackgroundTask(None)  # type: ignore[arg-type]


def test_background_tasks_take_only_background_tasks() -> None:
    with pytest.raises(TypeError, match="takes `BackgroundTask` instances"):
        BackgroundTasks([print])  # type: ignore[list-item]


def test_reprs_name_the_callable() -> None:
    async def notify() -> None: ...

    assert "notify" in repr(BackgroundTask(notify))
    assert "run_in_task_group=True" in repr(BackgroundTasks([BackgroundTask(notify)], run_in_task_group=True))


async def test_tasks_run_in_order_by_default() -> None:
    order: list[int] = []

    async def slow(n: int) -> None:
        await anyio.sleep(0.02)
        order.append(n)

    def fast(n: int) -> None:
        order.append(n)

    await BackgroundTasks([BackgroundTask(slow, 1), BackgroundTask(fast, 2), BackgroundTask(slow, 3)])()
    assert order == [1, 2, 3]


async def test_tasks_run_concurrently_in_a_task_group() -> None:
    ping, pong = anyio.Event(), anyio.Event()

    async def first() -> None:
        ping.set()
        await pong.wait()

    async def second() -> None:
        await ping.wait()
        pong.set()

    with anyio.fail_after(2):  # sequentially, ``first`` would wait for ever
        await BackgroundTasks([BackgroundTask(first), BackgroundTask(second)], run_in_task_group=True)()
    assert pong.is_set()


@pytest.mark.parametrize("run_in_task_group", [pytest.param(False, id="in-order"), pytest.param(True, id="task-group")])
async def test_a_failing_task_is_logged_and_does_not_stop_the_others(
    run_in_task_group: bool, caplog: pytest.LogCaptureFixture
) -> None:
    done: list[str] = []

    async def fails() -> None:
        raise RuntimeError("smtp down")

    async def sibling() -> None:
        await anyio.sleep(0.02)
        done.append("sibling")

    def sync_fails() -> None:
        raise ValueError("sync failure")

    tasks = BackgroundTasks(
        [BackgroundTask(fails), BackgroundTask(sibling), BackgroundTask(sync_fails)],
        run_in_task_group=run_in_task_group,
    )
    with caplog.at_level(logging.ERROR, logger="outpour"):
        await run_background(tasks, SCOPE)
    assert done == ["sibling"]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert all("after POST /orders" in m for m in messages)
    assert any("fails" in m for m in messages)
    assert {type(r.exc_info[1]) for r in caplog.records if r.exc_info} == {RuntimeError, ValueError}


async def test_run_background_with_one_task_none_and_no_scope(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []

    async def task() -> None:
        calls.append("one")

    async def fails() -> None:
        raise KeyError("x")

    await run_background(None, SCOPE)
    await run_background(BackgroundTask(task), SCOPE)
    with caplog.at_level(logging.ERROR, logger="outpour"):
        await run_background(BackgroundTask(fails), None)
    assert calls == ["one"]
    assert caplog.records[0].getMessage().endswith("failed")


async def test_cancellation_is_not_swallowed() -> None:
    async def forever() -> None:
        await anyio.sleep_forever()

    with anyio.move_on_after(0.05) as scope:
        await BackgroundTasks([BackgroundTask(forever)])()
    assert scope.cancelled_caught


# -- through the app ----------------------------------------------------------------------------------------------


def test_response_background_runs_after_the_body() -> None:
    log: list[str] = []

    async def task(name: str, *, greeting: str) -> None:
        log.append(f"{greeting} {name}")

    @get("/", sync_to_thread=False)
    def handler(name: str) -> Response[dict[str, str]]:
        return Response({"hello": name}, background=BackgroundTask(task, name, greeting="hi"))

    with create_test_client([handler]) as client:
        response = client.get("/", params={"name": "ada"})
        assert response.json() == {"hello": "ada"}
    assert log == ["hi ada"]


def test_decorator_background_runs_for_plain_values_and_responses() -> None:
    log: list[str] = []

    def task(tag: str) -> None:
        log.append(tag)

    @get("/plain", background=BackgroundTask(task, "plain"))
    async def plain() -> dict[str, int]:
        return {"a": 1}

    @get("/own", background=BackgroundTask(task, "decorator"))
    async def own() -> Response[str]:
        return Response("x", background=BackgroundTask(task, "response"))

    @get("/stream", background=BackgroundTask(task, "stream"))
    async def stream() -> Stream:
        async def body() -> AsyncGenerator[str, None]:
            yield "a"

        return Stream(body())

    with create_test_client([plain, own, stream]) as client:
        assert client.get("/plain").json() == {"a": 1}
        assert client.get("/own").text == "x"
        assert client.get("/stream").text == "a"
    assert log == ["plain", "response", "stream"]


async def test_streaming_background_runs_after_the_last_byte() -> None:
    sent: list[Message] = []
    at_task: list[int] = []

    async def task() -> None:
        at_task.append(len(sent))

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")  # pragma: no cover

    async def send(message: Message) -> None:
        sent.append(message)

    response = ServerSentEvent(["a", "b"], background=BackgroundTask(task)).to_asgi_response(None)
    await response({"type": "http", "method": "GET", "path": "/", "headers": []}, receive, send)
    assert at_task == [len(sent)]
    assert sent[-1]["more_body"] is False
