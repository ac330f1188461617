"""Path templates (``/items/{id:int}``) and the matcher: exact paths in a dict, templates in a segment trie."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

import msgspec

from outpour.exceptions import ImproperlyConfiguredException

__all__ = ["PARAM_TYPES", "PathParam", "PathTemplate", "Trie", "parse_template"]


def _to_int(value: str) -> int:
    if not value or not (value.isdigit() or (value[0] in "+-" and value[1:].isdigit())) or not value.isascii():
        raise ValueError
    return int(value)


def _to_float(value: str) -> float:
    result = float(value)
    if result != result or result in (float("inf"), float("-inf")):
        raise ValueError
    return result


def _to_decimal(value: str) -> Decimal:
    try:
        result = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not result.is_finite():
        raise ValueError
    return result


def _to_timedelta(value: str) -> timedelta:
    try:
        return msgspec.convert(value, timedelta)
    except msgspec.ValidationError:
        return timedelta(seconds=_to_float(value))


def _to_str(value: str) -> str:
    return value


PARAM_TYPES: dict[str, tuple[type, Callable[[str], Any]]] = {
    "str": (str, _to_str),
    "int": (int, _to_int),
    "float": (float, _to_float),
    "uuid": (UUID, UUID),
    "decimal": (Decimal, _to_decimal),
    "date": (date, date.fromisoformat),
    "datetime": (datetime, datetime.fromisoformat),
    "time": (time, time.fromisoformat),
    "timedelta": (timedelta, _to_timedelta),
    "path": (str, _to_str),
}

# Spaces around the name and the type are allowed, as Litestar's documentation writes them (`/{template_type: str}`).
_PARAM = re.compile(r"^\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([A-Za-z]+)\s*)?\}$")


class PathParam:
    """A typed path parameter of a template."""

    __slots__ = ("converter", "name", "type", "type_name")

    def __init__(self, name: str, type_name: str) -> None:
        self.name = name
        self.type_name = type_name
        self.type, self.converter = PARAM_TYPES[type_name]


class PathTemplate:
    """A parsed path template: its segments, each a literal string or a ``PathParam``."""

    __slots__ = ("params", "path", "segments", "shape")

    def __init__(self, path: str, segments: list[str | PathParam]) -> None:
        self.path = path
        self.segments = segments
        self.params = [s for s in segments if isinstance(s, PathParam)]
        self.shape = "/" + "/".join(
            ("**" if s.type_name == "path" else "*") if isinstance(s, PathParam) else s for s in segments
        )

    @property
    def is_static(self) -> bool:
        """Whether the template has no parameters."""
        return not self.params

    def format(self, **values: Any) -> str:
        """Build a concrete path from parameter values (reverse routing)."""
        parts = []
        for segment in self.segments:
            if isinstance(segment, PathParam):
                if segment.name not in values:
                    raise KeyError(segment.name)
                parts.append(
                    str(values[segment.name]).strip("/") if segment.type_name == "path" else str(values[segment.name])
                )
            else:
                parts.append(segment)
        return "/" + "/".join(parts)


def parse_template(path: str) -> PathTemplate:
    """Parse a normalized path such as ``/items/{id:int}``; a malformed one raises ``ImproperlyConfiguredException``.

    Spaces inside the braces are ignored: ``/{id : int}`` is ``/{id:int}``, the template's ``path``.
    """
    segments: list[str | PathParam] = []
    seen: set[str] = set()
    raw = [s for s in path.split("/") if s]
    for index, part in enumerate(raw):
        if "{" not in part and "}" not in part:
            segments.append(part)
            continue
        match = _PARAM.match(part)
        if match is None:
            raise ImproperlyConfiguredException(
                f"Path `{path}` has a malformed parameter segment `{part}`: a parameter takes a whole segment and is "
                "written `{name:type}`, e.g. `/items/{item_id:int}`."
            )
        name, type_name = match.groups()
        if type_name is None:
            raise ImproperlyConfiguredException(
                f"Path parameter `{name}` in `{path}` has no type: write `{{{name}:str}}` (or int, float, uuid, "
                "decimal, date, datetime, time, timedelta, path)."
            )
        if type_name not in PARAM_TYPES:
            raise ImproperlyConfiguredException(
                f"Path parameter `{name}` in `{path}` has unknown type `{type_name}`; use one of "
                f"{', '.join(PARAM_TYPES)}."
            )
        if name in seen:
            raise ImproperlyConfiguredException(f"Path `{path}` declares parameter `{name}` twice; rename one.")
        if type_name == "path" and index != len(raw) - 1:
            raise ImproperlyConfiguredException(f"A `path` parameter must be the last segment, but `{path}` has more.")
        seen.add(name)
        segments.append(PathParam(name, type_name))
    if seen:  # written the one way, whatever spaces the braces held: `/{id : int}` and `/{id:int}` are one route
        path = "/" + "/".join(f"{{{s.name}:{s.type_name}}}" if isinstance(s, PathParam) else s for s in segments)
    return PathTemplate(path, segments)


class _Node:
    __slots__ = ("children", "param", "rest", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.rest: _Node | None = None
        self.value: Any = None


class Trie:
    """Matches concrete paths against templates with parameters; literal segments win over parameters."""

    __slots__ = ("root",)

    def __init__(self) -> None:
        self.root = _Node()

    def insert(self, template: PathTemplate, value: Any) -> Any:
        """Insert ``value`` at the template's shape, or return the value already there."""
        node = self.root
        for segment in template.segments:
            if isinstance(segment, PathParam):
                if segment.type_name == "path":
                    node.rest = node.rest or _Node()
                    node = node.rest
                else:
                    node.param = node.param or _Node()
                    node = node.param
            else:
                node = node.children.setdefault(segment, _Node())
        if node.value is None:
            node.value = value
        return node.value

    def match(self, path: str) -> tuple[Any, list[str]] | None:
        """Return the stored value and the raw parameter values, or None."""
        segments = path.split("/")[1:] if path != "/" else []
        # Greedy descent (literal first) finds almost every match without backtracking; fall back to the full walk.
        node = self.root
        values: list[str] = []
        for segment in segments:
            child = node.children.get(segment)
            if child is None:
                child = node.param
                if child is None or not segment:
                    break
                values.append(segment)
            node = child
        else:
            if node.value is not None:
                return node.value, values
        values = []
        found = self._walk(self.root, segments, 0, values)
        return (found, values) if found is not None else None

    def _walk(self, node: _Node, segments: list[str], index: int, values: list[str]) -> Any:
        if index == len(segments):
            if node.value is not None:
                return node.value
            if node.rest is not None and node.rest.value is not None:
                values.append("/")
                return node.rest.value
            return None
        segment = segments[index]
        child = node.children.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, values)
            if found is not None:
                return found
        if node.param is not None and segment:
            values.append(segment)
            found = self._walk(node.param, segments, index + 1, values)
            if found is not None:
                return found
            values.pop()
        if node.rest is not None and node.rest.value is not None:
            values.append("/" + "/".join(segments[index:]).lstrip("/"))  # `/files//a` gives `/a`, not `//a`
            return node.rest.value
        return None
