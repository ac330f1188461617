"""The two asyncio internals a response's hot path uses, each guarded: the public API stands in when one is absent.

Asking "which loop runs, which task is this?" through the public API costs a Python frame and, outside a loop, an
exception: ``asyncio.get_running_loop()`` raises ``RuntimeError`` on trio, and ``asyncio.current_task()`` looks the
loop up again. A stream asks both once per response, so it takes the C functions behind them when they exist:

* ``asyncio._get_running_loop()``: the running loop or None (CPython 3.7+, in C).
* ``_asyncio.current_task(loop)`` (CPython 3.12+, in C), else ``asyncio.tasks._current_tasks.get`` (CPython 3.11:
  the dictionary ``asyncio.current_task`` reads).

Another Python (PyPy, a future CPython without them) gets ``running_loop`` and ``current_task`` built on the public
functions, which answer the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["current_task", "pick_current_task", "pick_running_loop", "running_loop"]


def _public_running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _public_current_task(loop: asyncio.AbstractEventLoop) -> asyncio.Task[Any] | None:
    return asyncio.current_task(loop)


def pick_running_loop(module: Any = asyncio) -> Callable[[], asyncio.AbstractEventLoop | None]:
    """Return ``module._get_running_loop`` when it exists, else a function built on ``asyncio.get_running_loop``."""
    private: Callable[[], asyncio.AbstractEventLoop | None] | None = getattr(module, "_get_running_loop", None)
    return private if private is not None else _public_running_loop


def pick_current_task(
    c_module: ModuleType | None, tasks_module: Any = asyncio.tasks
) -> Callable[[asyncio.AbstractEventLoop], asyncio.Task[Any] | None]:
    """Return the fastest ``current_task(loop)`` there is: ``c_module``'s, the 3.11 dictionary's ``get``, or the public one.

    Args:
        c_module: The ``_asyncio`` C module, or None when it cannot be imported.
        tasks_module: The ``asyncio.tasks`` module.
    """
    private: Callable[[asyncio.AbstractEventLoop], asyncio.Task[Any] | None] | None
    private = getattr(c_module, "current_task", None) or getattr(
        getattr(tasks_module, "_current_tasks", None), "get", None
    )
    return private if private is not None else _public_current_task


def _c_module() -> ModuleType | None:
    try:
        import _asyncio
    except ImportError:  # pragma: no cover - CPython always has it
        return None
    return _asyncio


running_loop = pick_running_loop()
"""The running asyncio loop, or None (on trio, or outside any loop)."""
current_task = pick_current_task(_c_module())
"""The task ``loop`` runs now, or None (a callback)."""
