"""``MemoryStore`` expiry follows the wall clock, so a test can move time forward instead of sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from outpour.stores.memory import MemoryStore

pytestmark = pytest.mark.anyio


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Replace ``time.time`` with a clock that only moves when told to."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def move(seconds: float) -> None:
        now[0] += seconds

    return move


@pytest.mark.parametrize(
    "expires_in", [pytest.param(10, id="int"), pytest.param(timedelta(seconds=10), id="timedelta")]
)
async def test_value_expires_when_the_clock_passes_its_expiry(
    move_clock: Callable[[float], None], expires_in: int | timedelta
) -> None:
    store = MemoryStore()
    await store.set("key", b"value", expires_in=expires_in)
    move_clock(9)
    assert (await store.get("key"), await store.expires_in("key")) == (b"value", 1)
    move_clock(1)
    assert (await store.get("key"), await store.exists("key"), await store.expires_in("key")) == (None, False, None)


async def test_delete_expired_uses_the_same_clock(move_clock: Callable[[float], None]) -> None:
    store = MemoryStore()
    await store.set("short", b"1", expires_in=1)
    await store.set("long", b"2", expires_in=100)
    await store.set("forever", b"3")
    move_clock(2)
    await store.delete_expired()
    assert sorted(store._data) == ["forever", "long"]


async def test_renewing_counts_from_the_current_time(move_clock: Callable[[float], None]) -> None:
    store = MemoryStore()
    await store.set("key", b"value", expires_in=5)
    move_clock(4)
    assert await store.get("key", renew_for=5) == b"value"
    move_clock(4)
    assert await store.get("key") == b"value"
    move_clock(1)
    assert await store.get("key") is None
