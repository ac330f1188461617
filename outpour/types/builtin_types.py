"""Built-in types that have no name in ``builtins``: ``NoneType``, ``UnionType``, the ``TypedDict`` metaclass."""

from __future__ import annotations

from types import NoneType, UnionType
from typing import Any, Final, TypeAlias, Union

from typing_extensions import _TypedDictMeta  # type: ignore[attr-defined]

__all__ = ["NoneType", "TypedDictClass", "UnionType", "UnionTypes"]

UnionTypes: Final[set[Any]] = {UnionType, Union}
"""What ``typing.get_origin`` returns for a union: ``types.UnionType`` (``A | B``) or ``typing.Union``."""
TypedDictClass: TypeAlias = type[_TypedDictMeta]
"""The metaclass of ``TypedDict`` classes."""
