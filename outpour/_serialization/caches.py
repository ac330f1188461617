"""The bounded caches of encoders, decoders and hooks: by the identity of a mapping, then by its value."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Final, TypeAlias

_Encoder: TypeAlias = "Callable[[Any], Any]"
_Decoder: TypeAlias = "Callable[[Any, Any], Any]"

_MAX_CACHED: Final = 512
"""How many encoders, decoders and hooks each cache keeps; the oldest is dropped first."""
_MAX_CACHED_TYPES: Final = 4096
"""How many types each hook remembers before starting over."""


def _put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _MAX_CACHED:
        del cache[next(iter(cache))]
    cache[key] = value


def _freeze(items: Any) -> Hashable | None:
    """Return a hashable key for a mapping's items or a sequence's elements, or ``None`` when there is none."""
    key = tuple(items.items()) if isinstance(items, Mapping) else tuple(items)
    try:
        hash(key)
    except TypeError:
        return None
    return key


_ById: TypeAlias = "dict[int, tuple[Any, Any]]"


def _memo(obj: Any, extra: Hashable, by_id: _ById, by_value: dict[Hashable, Any], build: Callable[[Any], Any]) -> Any:
    """Return what ``build(obj)`` makes, cached by the identity of ``obj`` first, then by its value (and ``extra``).

    The identity cache keeps ``obj`` alive so that its ``id`` cannot be reused while the entry exists. Equal mappings
    built anew (a ``Response`` merging its encoders, say) hit the value cache without growing the identity cache.
    """
    entry = by_id.get(id(obj))
    if entry is not None and entry[0] is obj:
        return entry[1]
    frozen = _freeze(obj)
    key = None if frozen is None else (frozen, extra)
    result = by_value.get(key) if key is not None else None
    if result is None:
        result = build(obj)
        if key is not None:
            _put(by_value, key, result)
        _put(by_id, id(obj), (obj, result))
    return result
