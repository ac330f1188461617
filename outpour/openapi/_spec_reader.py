"""Read an OpenAPI document, as JSON-compatible data, into the objects of ``outpour.openapi.spec``.

The app builds its document as data (``outpour.openapi._generator``) and serves that data as it is;
``app.openapi_schema`` is the same document read into ``OpenAPI``, ``PathItem``, ``Operation``, ``Schema``, ...
objects. Each object keeps the keys of its part of the document in their order, so that its ``to_schema()`` gives the
served document back. A part no spec class holds exactly (a key it has no field for, a ``null`` it would leave out, a
default it would add) stays the dict it was.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, Union, get_args, get_origin

from outpour.openapi import spec
from outpour.openapi.spec import SOURCE_ORDER, BaseSchemaObject, OpenAPI, Reference, json_key

__all__ = ["read_document", "read_object"]

_T = TypeVar("_T", bound=BaseSchemaObject)

# The spec module's aliases are strings (``Callback: TypeAlias = "dict[...]"``): annotations using them are read with
# the types they stand for.
_ALIASES: dict[str, Any] = {
    "Callback": dict[str, spec.PathItem | Reference],
    "Paths": dict[str, spec.PathItem],
    "Responses": dict[str, spec.OpenAPIResponse | Reference],
    "SecurityRequirement": dict[str, list[str]],
}

# Fields whose default renders nothing although it is not ``None``: ``OpenAPI.to_schema`` leaves an empty
# ``components`` out.
_EMPTY_WHEN_DEFAULT = frozenset({(OpenAPI, "components")})


class _Field(NamedTuple):
    name: str
    annotation: Any
    may_be_absent: bool
    """Whether leaving the field at its default renders no key."""


_FIELDS: dict[type[BaseSchemaObject], dict[str, _Field]] = {}


def _fields(cls: type[BaseSchemaObject]) -> dict[str, _Field]:
    """The document keys of ``cls``, each with its field (worked out once per class)."""
    known = _FIELDS.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls, localns=_ALIASES)
        known = _FIELDS[cls] = {
            json_key(item): _Field(
                item.name, hints[item.name], item.default is None or (cls, item.name) in _EMPTY_WHEN_DEFAULT
            )
            for item in dataclasses.fields(cls)
        }
    return known


def _members(annotation: Any) -> tuple[Any, ...]:
    """The members of a union annotation, or the annotation alone."""
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _read(cls: type[BaseSchemaObject], data: Mapping[str, Any]) -> BaseSchemaObject | None:
    """``data`` as a ``cls``, or ``None`` when a ``cls`` would not render it exactly."""
    known = _fields(cls)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        found = known.get(key)
        if found is None or value is None:
            return None
        kwargs[found.name] = _value(found.annotation, value)
    if any(key not in data and not item.may_be_absent for key, item in known.items()):
        return None
    obj = cls(**kwargs)
    obj.__dict__[SOURCE_ORDER] = tuple(data)
    return obj


def _value(annotation: Any, value: Any) -> Any:
    """``value`` read as ``annotation`` says: spec objects for dicts, item by item for lists and mappings."""
    members = _members(annotation)
    if isinstance(value, dict):
        classes = [m for m in members if isinstance(m, type) and issubclass(m, BaseSchemaObject)]
        if "$ref" not in value:
            classes = [c for c in classes if c is not Reference]
        for cls in sorted(classes, key=lambda c: c is not Reference):  # a `$ref` is a Reference first
            read = _read(cls, value)
            if read is not None:
                return read
        for member in members:
            args = get_args(member)
            if get_origin(member) is dict and len(args) == 2 and args[1] is not Any:
                return {key: _value(args[1], item) for key, item in value.items()}
        return value
    if isinstance(value, list):
        for member in members:
            args = get_args(member)
            if get_origin(member) is list and args:
                return [_value(args[0], item) for item in value]
            if get_origin(member) is Sequence and args:  # `Operation.tags`, a tuple as in Litestar
                return tuple(_value(args[0], item) for item in value)
    return value


def read_object(cls: type[_T], data: Mapping[str, Any]) -> _T | None:
    """Read ``data`` as a ``cls`` (a spec class, or a subclass such as a custom ``Operation``).

    Args:
        cls: The class.
        data: Its part of a document; copied, never shared with the object.

    Returns:
        The object, or ``None`` when a ``cls`` would not render ``data`` exactly.
    """
    read = _read(cls, copy.deepcopy(dict(data)))
    return read if isinstance(read, cls) else None


def read_document(
    document: Mapping[str, Any], operation_classes: Mapping[tuple[str, str], type[spec.Operation]] | None = None
) -> OpenAPI:
    """Read an OpenAPI document into an ``OpenAPI`` object whose ``to_schema()`` renders it as it is.

    Args:
        document: The document, as JSON-compatible data; it is copied, never shared with the objects.
        operation_classes: The ``Operation`` subclass to read some operations as, by path and method (lower case).

    Returns:
        The document object.

    Raises:
        ValueError: ``document`` is not an OpenAPI document (no ``info``, a key the root object does not have).
    """
    read = _read(OpenAPI, copy.deepcopy(dict(document)))
    if not isinstance(read, OpenAPI):
        raise ValueError(f"Not an OpenAPI document: keys {sorted(document)}.")
    for (path, method), operation_class in (operation_classes or {}).items():
        item = (read.paths or {}).get(path)
        custom = read_object(operation_class, document["paths"][path][method])
        if isinstance(item, spec.PathItem) and custom is not None:
            setattr(item, method, custom)
    return read
