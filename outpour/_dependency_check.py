"""Checking an injected dependency's value against the annotation of the parameter that receives it.

As Litestar documents, an injected value that does not match its annotation is a server error (the provider returned
the wrong thing), never converted; ``SkipValidation[T]`` hands the value over unchecked. The check is an
``isinstance`` on the annotation's class (``list`` for ``list[int]``, any member of a union, ``None`` for an optional
one), chosen once when the app is created; annotations no class stands for (``Any``, type variables, protocols that
are not ``runtime_checkable``) are not checked.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, NewType, Union, get_args, get_origin

from outpour.exceptions import InternalServerException

__all__ = ["dependency_check"]

_UNION_ORIGINS = (Union, types.UnionType)


def _accepted(annotation: Any) -> tuple[tuple[type, ...], tuple[Any, ...]] | None:
    """The classes and literal values ``annotation`` accepts, or None when it cannot be checked with ``isinstance``."""
    while isinstance(annotation, NewType):
        annotation = annotation.__supertype__
    origin = get_origin(annotation)
    if origin is Annotated:
        return _accepted(get_args(annotation)[0])
    if origin in _UNION_ORIGINS:
        classes: list[type] = []
        values: list[Any] = []
        for arg in get_args(annotation):
            accepted = _accepted(arg)
            if accepted is None:
                return None
            classes.extend(accepted[0])
            values.extend(accepted[1])
        return tuple(classes), tuple(values)
    if origin is Literal:
        return (), get_args(annotation)
    if annotation is None or annotation is type(None):
        return (type(None),), ()
    target = origin if origin is not None else annotation
    if target is float:  # the numeric tower (PEP 484): an `int` is a `float` to a type checker
        return (float, int), ()
    if target is complex:
        return (complex, float, int), ()
    if not isinstance(target, type) or target is object or typing.is_typeddict(target):
        return None  # Any, TypeVar, a typing special form: no class to check against
    try:
        isinstance(None, target)
    except TypeError:  # a Protocol that is not runtime_checkable
        return None
    return (target,), ()


def dependency_check(name: str, full_annotation: Any, label: str) -> Callable[[Any], None] | None:
    """Return the check of the value injected as ``name``, or None when there is nothing to check.

    Args:
        name: The parameter receiving the dependency.
        full_annotation: Its annotation, ``Annotated`` metadata included (``parse_fields`` gives ``Any`` for a
            ``SkipValidation[T]`` parameter: nothing to check).
        label: The handler or provider, for the message.

    Returns:
        A function that raises ``InternalServerException`` for a value of the wrong type.
    """
    accepted = _accepted(full_annotation)
    if accepted is None:
        return None
    classes, values = accepted
    bare = full_annotation
    while get_origin(bare) is Annotated:
        bare = get_args(bare)[0]
    shown = bare.__name__ if isinstance(bare, type) else repr(bare).replace("typing.", "")

    def check(value: Any) -> None:
        if isinstance(value, classes) or (values and any(value == v and type(value) is type(v) for v in values)):
            return
        raise InternalServerException(
            f"A dependency failed validation: {label} receives `{name}` as `{shown}`, but its provider returned "
            f"`{value!r:.80}` (a `{type(value).__name__}`). Make the provider return a `{shown}`, or annotate the "
            f"parameter `SkipValidation[...]` to pass the value unchecked (in msgspec's words, as Litestar reports it: "
            f"Expected `{shown}`, got `{type(value).__name__}` - at `$.{name}`)."
        )

    return check
