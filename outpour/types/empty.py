"""The ``Empty`` sentinel: "no value was given", so that ``None`` keeps its explicit meaning."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias

__all__ = ["Empty", "EmptyType"]


class _EmptyEnum(enum.Enum):
    """A one-member enum, so that ``value is Empty`` narrows ``T | EmptyType`` to ``T`` for type checkers."""

    EMPTY = 0

    def __repr__(self) -> str:
        return "Empty"

    def __bool__(self) -> Literal[False]:
        return False


EmptyType: TypeAlias = Literal[_EmptyEnum.EMPTY]
"""The type of :data:`Empty`; annotate an optional argument as ``T | EmptyType = Empty``."""

Empty: Final = _EmptyEnum.EMPTY
"""The "argument not given" sentinel; it is falsy and compares by identity (``value is Empty``)."""
