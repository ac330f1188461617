"""Pure helpers behind ``FieldDefinition``: unwrapping annotations, mapping origins, substituting type variables.

Nothing here looks at handlers or parameters; ``outpour._field_definition`` builds on it.
"""

from __future__ import annotations

import collections.abc as abc
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, NotRequired, Required, TypeVar, Union, get_args, get_origin

import typing_extensions

__all__ = [
    "TYPE_ALIAS_TYPES",
    "UNION_ORIGINS",
    "WRAPPER_ORIGINS",
    "NoneType",
    "instantiable_origin",
    "is_type_alias",
    "resolve_type_vars",
    "safe_generic_origin",
    "substitute",
    "unwrap",
]

NoneType: type[None] = type(None)

UNION_ORIGINS: frozenset[Any] = frozenset({Union, types.UnionType})
"""What ``get_origin`` returns for ``Union[X, Y]`` and for ``X | Y``."""

WRAPPER_ORIGINS: frozenset[Any] = frozenset(
    {Annotated, Required, NotRequired, typing_extensions.Required, typing_extensions.NotRequired}
    | ({typing_extensions.ReadOnly} if hasattr(typing_extensions, "ReadOnly") else set())
)
"""Forms that qualify a type without changing it: ``Annotated`` (with metadata) and the ``TypedDict`` qualifiers."""

TYPE_ALIAS_TYPES: tuple[type, ...] = tuple(
    {typing_extensions.TypeAliasType, getattr(typing, "TypeAliasType", typing_extensions.TypeAliasType)}
)
"""``TypeAliasType`` from ``typing_extensions`` and, on Python 3.12+, the class of ``type X = ...`` statements.

The two differ from ``typing_extensions`` 4.13 on, so both are checked.
"""

_INSTANTIABLE: dict[Any, type] = {
    abc.Iterable: list,
    abc.Collection: list,
    abc.Sequence: list,
    abc.MutableSequence: list,
    abc.Set: set,
    abc.MutableSet: set,
    abc.Mapping: dict,
    abc.MutableMapping: dict,
}

_SAFE_GENERIC: dict[Any, Any] = {types.UnionType: Union}
"""Origins that cannot be subscripted (``types.UnionType[int, str]`` raises), with the form that can."""


def is_type_alias(annotation: Any) -> bool:
    """Whether ``annotation`` is a ``TypeAliasType`` (``type X = ...``, or ``TypeAliasType("X", ...)``)."""
    return isinstance(annotation, TYPE_ALIAS_TYPES)


def substitute(annotation: Any, mapping: Mapping[Any, Any]) -> Any:
    """Replace the type variables of ``annotation`` by their values in ``mapping`` (``list[T]`` -> ``list[int]``).

    An annotation that cannot be re-parametrized (a ``ParamSpec`` where a list of types is given, say) is returned
    as it is.
    """
    if isinstance(annotation, TypeVar):
        return mapping.get(annotation, annotation)
    parameters = getattr(annotation, "__parameters__", ())
    if not parameters or not isinstance(parameters, tuple) or isinstance(annotation, type):
        return annotation
    try:
        return annotation[tuple(mapping.get(p, p) for p in parameters)]
    except TypeError:
        return annotation


def _alias_value(annotation: Any) -> Any | None:
    """The type an alias stands for (``Alias`` or ``Alias[int]``), or ``None`` when ``annotation`` is not an alias."""
    if is_type_alias(annotation):
        return annotation.__value__
    origin = get_origin(annotation)
    if not is_type_alias(origin):
        return None
    parameters = getattr(origin, "__type_params__", ())
    return substitute(origin.__value__, dict(zip(parameters, get_args(annotation), strict=False)))


def unwrap(
    annotation: Any, seen_aliases: frozenset[Any]
) -> tuple[Any, tuple[Any, ...], tuple[Any, ...], frozenset[Any]]:
    """Strip ``Annotated``, ``Required``/``NotRequired``/``ReadOnly`` and type aliases off ``annotation``.

    Args:
        annotation: The annotation as written.
        seen_aliases: The aliases being unwrapped further out; a recursive alias (``type Json = int | list[Json]``)
            is left as it is the second time, so that parsing ends.

    Returns:
        The bare annotation, the ``Annotated`` metadata in order, the wrappers met (``Annotated``, ``Required``,
        the ``TypeAliasType`` class...) without repeats, and ``seen_aliases`` with the aliases unwrapped here.
    """
    metadata: list[Any] = []
    wrappers: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin in WRAPPER_ORIGINS:
            args = get_args(annotation)
            annotation = args[0]
            if origin is Annotated:
                metadata.extend(args[1:])
            wrapper = origin
        elif (value := _alias_value(annotation)) is not None and (
            alias := origin if is_type_alias(origin) else annotation
        ) not in seen_aliases:
            seen_aliases |= {alias}
            wrapper = type(alias)
            annotation = value
        else:
            return annotation, tuple(metadata), tuple(wrappers), seen_aliases
        if wrapper not in wrappers:
            wrappers.append(wrapper)


def instantiable_origin(origin: Any) -> Any:
    """A class that can be instantiated in place of ``origin`` (``Sequence`` -> ``list``); ``None`` stays ``None``."""
    return _INSTANTIABLE.get(origin, origin)


def safe_generic_origin(origin: Any) -> Any:
    """A form of ``origin`` that can be subscripted to rebuild the type with other arguments (``X | Y`` -> ``Union``)."""
    return _SAFE_GENERIC.get(origin, origin)


def resolve_type_vars(cls: type, args: tuple[Any, ...], hints: dict[str, Any]) -> dict[str, Any]:
    """Replace the type variables in the type hints of ``cls[*args]`` by their values, through generic bases too.

    ``class Page(Generic[T]): items: list[T]`` gives ``items: list[int]`` for ``Page[int]``; ``class IntPage(Page[int])``
    gives it without arguments. Each class's own annotations use that class's mapping, so two classes sharing a
    module-level ``T`` do not mix.

    Args:
        cls: The class whose hints these are.
        args: The arguments ``cls`` is parametrized with (``()`` for none).
        hints: The hints of ``cls``, by name, as ``typing.get_type_hints`` returns them.

    Returns:
        The hints with type variables replaced where a value is known.
    """
    mappings: dict[Any, dict[Any, Any]] = {cls: dict(zip(getattr(cls, "__parameters__", ()), args, strict=False))}
    mro = getattr(cls, "__mro__", (cls,))
    for klass in mro:
        own = mappings.get(klass, {})
        for base in vars(klass).get("__orig_bases__", ()):
            origin = get_origin(base)
            if origin is None or origin is typing.Generic or not hasattr(origin, "__parameters__"):
                continue
            values = (substitute(arg, own) for arg in get_args(base))
            mappings.setdefault(origin, dict(zip(origin.__parameters__, values, strict=False)))
    resolved = dict(hints)
    for klass in reversed(mro):
        mapping = mappings.get(klass)
        if not mapping:
            continue
        for name in vars(klass).get("__annotations__", {}):
            if name in hints:
                resolved[name] = substitute(hints[name], mapping)
    return resolved
