"""``Subscriber``: backlog strategies, ``iter_events`` (closing it unsubscribes), ``run_in_background`` and ``stop``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import anyio
import pytest

from outpour.channels import ChannelsPlugin, Subscriber
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.channels.subscriber import AsyncDeque, BacklogStrategy

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def plugin() -> AsyncIterator[ChannelsPlugin]:
    async with ChannelsPlugin(MemoryChannelsBackend(), arbitrary_channels_allowed=True) as started:
        yield started


@pytest.mark.parametrize(
    ("strategy", "kept", "accepted"),
    [
        pytest.param("backoff", [b"0", b"1", b"2"], [True, True, True, False, False], id="backoff-drops-newest"),
        pytest.param("dropleft", [b"2", b"3", b"4"], [True] * 5, id="dropleft-drops-oldest"),
    ],
)
async def test_full_backlog_follows_its_strategy(
    plugin: ChannelsPlugin, strategy: BacklogStrategy, kept: list[bytes], accepted: list[bool]
) -> None:
    subscriber = Subscriber(plugin, max_backlog=3, backlog_strategy=strategy)
    assert [subscriber.put_nowait(str(number).encode()) for number in range(5)] == accepted
    assert subscriber.qsize == 3
    subscriber.put_nowait(None)
    assert [event async for event in subscriber.iter_events()] == kept


async def test_async_deque_never_blocks_and_keeps_the_newest() -> None:
    deque: AsyncDeque[int] = AsyncDeque(2)
    for number in range(4):
        await deque.put(number)
    assert [deque.get_nowait(), deque.get_nowait(), deque.qsize()] == [2, 3, 0]


async def test_put_waits_for_room_with_backoff(plugin: ChannelsPlugin) -> None:
    subscriber = Subscriber(plugin, max_backlog=1)
    await subscriber.put(b"first")
    iterator = subscriber.iter_events()
    async with anyio.create_task_group() as group:
        group.start_soon(subscriber.put, b"second")
        await anyio.sleep(0.01)
        assert subscriber.qsize == 1
        assert await anext(iterator) == b"first"
    assert await anext(iterator) == b"second"


async def test_a_put_cancelled_while_waiting_for_room_leaves_nothing_behind(plugin: ChannelsPlugin) -> None:
    subscriber = Subscriber(plugin, max_backlog=1)
    await subscriber.put(b"first")
    waiting = asyncio.ensure_future(subscriber.put(b"never"))
    await anyio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    iterator = subscriber.iter_events()
    assert await anext(iterator) == b"first"
    await subscriber.put(b"third")  # room again: the cancelled put did not take it
    assert (subscriber.qsize, await anext(iterator)) == (1, b"third")


async def test_two_readers_each_get_one_event_in_order(plugin: ChannelsPlugin) -> None:
    subscriber = Subscriber(plugin)
    first = asyncio.ensure_future(subscriber._queue.get())
    second = asyncio.ensure_future(subscriber._queue.get())
    await anyio.sleep(0)
    first.cancel()  # the first reader leaves before anything comes
    subscriber.put_nowait(b"a")
    assert await second == b"a"
    assert first.cancelled()


async def test_closing_iter_events_unsubscribes_even_unstarted(plugin: ChannelsPlugin) -> None:
    subscriber = await plugin.subscribe(["a", "b"])
    iterator = subscriber.iter_events()
    await iterator.aclose()
    assert (subscriber.channels, plugin._channels) == (set(), {})
    assert [event async for event in iterator] == []


async def test_cancelling_the_waiting_task_unsubscribes(plugin: ChannelsPlugin) -> None:
    subscriber = await plugin.subscribe("a")
    with anyio.move_on_after(0.05):
        await anext(subscriber.iter_events())
    assert plugin._channels == {}


async def test_an_older_iterator_closing_keeps_the_subscription(plugin: ChannelsPlugin) -> None:
    subscriber = await plugin.subscribe("a")
    first = subscriber.iter_events()
    second = subscriber.iter_events()
    await first.aclose()
    plugin.publish("still here", "a")
    with anyio.fail_after(5):
        assert await second.asend(None) == b"still here"
    assert set(plugin._channels) == {"a"}


async def test_run_in_background_calls_back_and_joins(plugin: ChannelsPlugin) -> None:
    received: list[bytes] = []

    async def on_event(event: bytes) -> None:
        await anyio.sleep(0.01)
        received.append(event)

    async with plugin.start_subscription("a") as subscriber:
        async with subscriber.run_in_background(on_event):
            assert subscriber.is_running
            for number in range(5):
                plugin.publish(number, "a")
            await anyio.sleep(0.02)
        assert (subscriber.is_running, received) == (False, [b"0", b"1", b"2", b"3", b"4"])
        async with subscriber.run_in_background(on_event):  # runs again, with the subscription kept
            plugin.publish("again", "a")
            await anyio.sleep(0.05)
    assert received[-1] == b"again"


async def test_run_in_background_cancels_on_error_and_without_join(plugin: ChannelsPlugin) -> None:
    started = asyncio.Event()

    async def never_done(event: bytes) -> None:
        started.set()
        await anyio.sleep(60)

    async with plugin.start_subscription("a") as subscriber:

        async def fail_inside() -> None:
            async with subscriber.run_in_background(never_done):
                plugin.publish("x", "a")
                await started.wait()
                raise ValueError("leaving")

        with pytest.raises(ValueError, match="leaving"):
            await fail_inside()
        assert not subscriber.is_running
        with anyio.fail_after(5):
            async with subscriber.run_in_background(never_done, join=False):
                plugin.publish("y", "a")
                await anyio.sleep(0.05)
        await subscriber.stop()  # nothing running: nothing to do


async def test_a_second_background_task_is_refused(plugin: ChannelsPlugin) -> None:
    async def ignore(event: bytes) -> None:
        pass

    async with plugin.start_subscription("a") as subscriber, subscriber.run_in_background(ignore):
        with pytest.raises(RuntimeError, match=r"already runs a background task"):
            async with subscriber.run_in_background(ignore):
                pass  # pragma: no cover


async def test_stopped_subscriber_refuses_new_events(plugin: ChannelsPlugin) -> None:
    subscriber = await plugin.subscribe("a")
    await plugin.unsubscribe(subscriber)
    assert subscriber.put_nowait(b"late") is False
    await subscriber.put(None)
    assert [event async for event in subscriber.iter_events()] == []
