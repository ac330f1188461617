"""``Provide``'s attributes, equality and refusals, as Litestar 3.0 documents and defines them."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import Any

import pytest

from outpour import get
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.testing import create_test_client


def _sync() -> int:
    return 1


async def _async() -> int:
    return 1


def _gen() -> Generator[int, None, None]:
    yield 1


async def _agen() -> AsyncGenerator[int, None]:
    yield 1


class _Service:
    def __init__(self) -> None:
        self.ready = True


@pytest.mark.parametrize(
    ("dependency", "expected"),
    [
        pytest.param(_sync, True, id="function"),
        pytest.param(_async, False, id="coroutine-function"),
        pytest.param(_gen, True, id="generator"),
        pytest.param(_agen, True, id="async-generator"),
        pytest.param(_Service, True, id="class"),
    ],
)
def test_has_sync_callable_is_false_only_for_a_coroutine_function(dependency: Any, expected: bool) -> None:
    assert Provide(dependency).has_sync_callable is expected


@pytest.mark.parametrize("value", [pytest.param(123, id="int"), pytest.param("name", id="str")])
def test_a_value_that_is_not_callable_is_refused(value: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=f"`Provide` needs a callable, got `{value!r}`"):
        Provide(value)


def test_providers_are_equal_when_callable_cache_and_cached_value_are() -> None:
    first = Provide(_sync, sync_to_thread=False)
    second = Provide(_sync, sync_to_thread=False)
    assert first == second
    assert hash(first) == hash(second)
    assert first != Provide(_sync, use_cache=True, sync_to_thread=False)
    assert first != Provide(_async)
    assert first != _sync
    second.value = 5
    assert first != second
    first.value = 5
    assert first == second


def test_an_async_generator_provider_still_runs_and_cleans_up() -> None:
    closed: list[bool] = []

    async def session() -> AsyncGenerator[str, None]:
        try:
            yield "open"
        finally:
            closed.append(True)

    @get("/", dependencies={"session": Provide(session)})
    async def handler(session: str) -> str:
        return session

    with create_test_client([handler]) as client:
        assert client.get("/").text == "open"
    assert closed == [True]
