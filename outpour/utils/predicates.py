"""``litestar.utils.predicates``: yes/no questions about values and type annotations.

The annotation predicates accept a class, a parametrised generic (``list[int]``: its origin is checked) or any other
value (answered ``False``); none of them raises.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Annotated, Any, ClassVar, Generic, TypeGuard, Union, cast, get_args, get_origin

from outpour.types import Empty

__all__ = [
    "is_any",
    "is_async_callable",
    "is_class_and_subclass",
    "is_class_var",
    "is_dataclass_class",
    "is_generic",
    "is_mapping",
    "is_non_string_iterable",
    "is_non_string_sequence",
    "is_optional_union",
    "is_undefined_sentinel",
    "is_union",
]

_UNION_ORIGINS: tuple[Any, ...] = (Union, types.UnionType)


def _as_class(annotation: Any) -> type | None:
    """The class an annotation names: itself, or the origin of a parametrised generic; ``None`` for anything else."""
    origin = get_origin(annotation)
    candidate = origin if origin is not None else annotation
    return candidate if inspect.isclass(candidate) else None


def is_class_and_subclass(annotation: Any, t_type: type | tuple[type, ...]) -> bool:
    """Whether ``annotation`` is a class (or a generic of one) that is a subclass of ``t_type``.

    Args:
        annotation: A type annotation or any value.
        t_type: A class, or a tuple of classes.

    Returns:
        ``True`` for ``Sub`` and ``Sub[int]`` when ``Sub`` subclasses ``t_type``; ``False`` for instances and unions.
    """
    cls = _as_class(annotation)
    if cls is None:
        return False
    try:
        return issubclass(cls, t_type)
    except TypeError:  # a class issubclass refuses (some typing specials)
        return False


def is_generic(annotation: Any) -> bool:
    """Whether ``annotation`` is a ``typing.Generic`` class, parametrised or not.

    Args:
        annotation: A type annotation.

    Returns:
        ``True`` for ``CursorPagination`` and ``CursorPagination[str, int]``.
    """
    return is_class_and_subclass(annotation, cast("type", Generic))


def _not_text(annotation: Any) -> bool:
    return not is_class_and_subclass(annotation, (str, bytes, bytearray))


def is_non_string_iterable(annotation: Any) -> bool:
    """Whether ``annotation`` names an iterable type other than ``str``/``bytes`` (mappings included).

    Args:
        annotation: A type annotation.

    Returns:
        ``True`` for ``list``, ``tuple[int, ...]``, ``Iterable[str]``, ``dict``; ``False`` for ``str`` and unions.
    """
    return is_class_and_subclass(annotation, Iterable) and _not_text(annotation)


def is_non_string_sequence(annotation: Any) -> bool:
    """Whether ``annotation`` names a collection of items other than ``str``/``bytes``: a sequence, set or deque.

    Args:
        annotation: A type annotation.

    Returns:
        ``True`` for ``list``, ``tuple``, ``set``, ``frozenset``, ``deque``, ``Sequence[int]``; ``False`` for mappings.
    """
    return is_class_and_subclass(annotation, (Sequence, set, frozenset, deque)) and _not_text(annotation)


def is_mapping(annotation: Any) -> bool:
    """Whether ``annotation`` names a mapping type (``dict``, ``defaultdict``, ``Mapping[str, int]``, ...).

    Args:
        annotation: A type annotation.

    Returns:
        Whether it is a ``collections.abc.Mapping``.
    """
    return is_class_and_subclass(annotation, Mapping)


def is_union(annotation: Any) -> bool:
    """Whether ``annotation`` is a union: ``Union[...]``, ``Optional[...]`` or ``X | Y``.

    Args:
        annotation: A type annotation.

    Returns:
        Whether it is a union.
    """
    return get_origin(annotation) in _UNION_ORIGINS


def is_optional_union(annotation: Any) -> bool:
    """Whether ``annotation`` is a union one of whose members is ``None``.

    Args:
        annotation: A type annotation.

    Returns:
        ``True`` for ``Optional[int]`` and ``int | str | None``.
    """
    return is_union(annotation) and type(None) in get_args(annotation)


def is_any(annotation: Any) -> bool:
    """Whether ``annotation`` is ``Any``, or a union with ``Any`` among its members.

    Args:
        annotation: A type annotation.

    Returns:
        Whether any value is allowed.
    """
    return annotation is Any or (is_union(annotation) and Any in get_args(annotation))


def is_class_var(annotation: Any) -> bool:
    """Whether ``annotation`` is ``ClassVar[...]``, also inside ``Annotated[...]``.

    Args:
        annotation: A type annotation.

    Returns:
        Whether it marks a class variable.
    """
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation is ClassVar or get_origin(annotation) is ClassVar


def is_dataclass_class(annotation: Any) -> bool:
    """Whether ``annotation`` is a dataclass class (not an instance), parametrised or not.

    Args:
        annotation: A type annotation.

    Returns:
        Whether it is a dataclass type.
    """
    cls = _as_class(annotation)
    return cls is not None and dataclasses.is_dataclass(cls)


def is_async_callable(value: Any) -> TypeGuard[Any]:
    """Whether calling ``value`` returns a coroutine: an ``async def`` function or method, or an async ``__call__``.

    ``functools.partial`` wrappers are looked through; a class whose ``__call__`` is ``async def`` counts too. An
    async generator function does not (calling it gives an async iterator, not an awaitable).

    Args:
        value: Any value.

    Returns:
        Whether it is an async callable.
    """
    while isinstance(value, partial):
        value = value.func
    if inspect.iscoroutinefunction(value):
        return True
    return callable(value) and inspect.iscoroutinefunction(getattr(value, "__call__", None))  # noqa: B004


def is_undefined_sentinel(value: Any) -> bool:
    """Whether ``value`` is one of the markers for "no value given".

    Args:
        value: Any value.

    Returns:
        ``True`` for ``inspect.Signature.empty``, ``outpour.types.Empty``, ``...`` and ``dataclasses.MISSING``.
    """
    return any(value is sentinel for sentinel in (inspect.Signature.empty, Empty, Ellipsis, dataclasses.MISSING))
