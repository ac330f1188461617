"""Helpers that code written for Litestar imports from ``litestar.utils``, at the same paths under ``outpour.utils``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

from outpour.utils.compat import async_next
from outpour.utils.helpers import get_exception_group


async def _two() -> AsyncIterator[int]:
    yield 1
    yield 2


def test_async_next_steps_an_async_iterator_then_gives_the_default() -> None:
    async def main() -> list[object]:
        iterator = _two()
        return [await async_next(iterator), await async_next(iterator), await async_next(iterator, None)]

    assert anyio.run(main) == [1, 2, None]


def test_async_next_without_default_raises_at_the_end() -> None:
    async def main() -> None:
        iterator = _two()
        for _ in range(3):
            await async_next(iterator)

    with pytest.raises(StopAsyncIteration):
        anyio.run(main)


def test_exception_group_is_what_a_failing_task_group_raises() -> None:
    async def fail() -> None:
        raise ValueError("boom")

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(fail)

    with pytest.raises(get_exception_group()):
        anyio.run(main)


@pytest.mark.filterwarnings("ignore::outpour.utils.warnings.LitestarWarning")
def test_warning_classes_at_litestars_path() -> None:
    from outpour.exceptions import LitestarDeprecationWarning, LitestarWarning
    from outpour.utils import warnings

    assert warnings.LitestarWarning is LitestarWarning
    assert warnings.LitestarDeprecationWarning is LitestarDeprecationWarning
