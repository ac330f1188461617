"""``litestar.utils.compat``: ``async_next``."""

from __future__ import annotations

from typing import Any

__all__ = ["async_next"]

_MISSING: Any = object()


async def async_next(iterator: Any, default: Any = _MISSING) -> Any:
    """Return the next item of an async iterator, as ``next`` does for a sync one.

    Args:
        iterator: The async iterator.
        default: Returned when it is exhausted; without it, ``StopAsyncIteration`` propagates.

    Returns:
        The next item, or ``default``.
    """
    if default is _MISSING:
        return await anext(iterator)
    return await anext(iterator, default)
