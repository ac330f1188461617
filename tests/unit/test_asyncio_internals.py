"""The guarded asyncio internals: the private fast functions when present, the public API when not."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from outpour import _asyncio_internals
from outpour._asyncio_internals import current_task, pick_current_task, pick_running_loop, running_loop


def test_running_loop_is_none_outside_a_loop() -> None:
    assert running_loop() is None
    assert pick_running_loop(SimpleNamespace())() is None


@pytest.mark.parametrize(
    ("asyncio_module", "c_module", "tasks_module"),
    [
        pytest.param(asyncio, None, asyncio.tasks, id="this-python"),
        pytest.param(SimpleNamespace(), None, SimpleNamespace(), id="no-private-functions"),
        pytest.param(SimpleNamespace(), SimpleNamespace(current_task=asyncio.current_task), None, id="c-module"),
    ],
)
def test_every_variant_names_the_running_loop_and_task(
    asyncio_module: object, c_module: object, tasks_module: object
) -> None:
    get_loop = pick_running_loop(asyncio_module)
    get_task = pick_current_task(c_module, tasks_module)  # type: ignore[arg-type]

    async def main() -> tuple[object, object]:
        loop = get_loop()
        assert loop is not None
        return loop is asyncio.get_running_loop(), get_task(loop) is asyncio.current_task()

    assert asyncio.run(main()) == (True, True)


def test_the_public_fallbacks_are_used_when_the_private_functions_are_absent() -> None:
    assert pick_running_loop(SimpleNamespace()) is _asyncio_internals._public_running_loop
    assert pick_current_task(None, SimpleNamespace()) is _asyncio_internals._public_current_task
    assert pick_current_task(None, SimpleNamespace(_current_tasks=None)) is _asyncio_internals._public_current_task


def test_this_python_uses_a_private_function() -> None:
    assert running_loop is asyncio._get_running_loop
    assert current_task is not _asyncio_internals._public_current_task
