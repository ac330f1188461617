"""``litestar.utils.helpers``: ``get_exception_group``, ``unwrap_partial`` and ``unique_name_for_scope``."""

from __future__ import annotations

from collections.abc import Callable, Container
from functools import partial
from typing import Any

__all__ = ["get_exception_group", "unique_name_for_scope", "unwrap_partial"]


def get_exception_group() -> type[BaseExceptionGroup]:
    """Return the class a task group raises when its tasks fail: the built-in ``ExceptionGroup`` (Python 3.11+).

    Returns:
        ``ExceptionGroup``.
    """
    return ExceptionGroup


def unwrap_partial(value: Callable[..., Any]) -> Callable[..., Any]:
    """Return the callable inside ``functools.partial`` wrappers, however deeply nested.

    Args:
        value: A callable, maybe a ``partial``.

    Returns:
        The innermost wrapped callable; ``value`` itself when it is not a ``partial``.
    """
    while isinstance(value, partial):
        value = value.func
    return value


def unique_name_for_scope(base_name: str, scope: Container[str]) -> str:
    """Return ``<base_name>_<n>`` with the smallest ``n`` (from 0) that is not already in ``scope``.

    Args:
        base_name: The name to number.
        scope: The names already taken.

    Returns:
        A name not in ``scope``.
    """
    number = 0
    while (name := f"{base_name}_{number}") in scope:
        number += 1
    return name
