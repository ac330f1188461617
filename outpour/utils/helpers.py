"""``litestar.utils.helpers``: ``get_exception_group``."""

from __future__ import annotations

__all__ = ["get_exception_group"]


def get_exception_group() -> type[BaseExceptionGroup]:
    """Return the class a task group raises when its tasks fail: the built-in ``ExceptionGroup`` (Python 3.11+).

    Returns:
        ``ExceptionGroup``.
    """
    return ExceptionGroup
