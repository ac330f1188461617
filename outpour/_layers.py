"""How a layered option resolves over the app, routers, controller and handler of a route.

Each layered option of ``outpour._options.OPTIONS`` says how its layers combine: "closest wins" (the handler's value
beats its controller's, which beats its router's, which beats the app's), "merged" (mappings merged with the closer
layer overriding by key) or "concatenated" (outer layers first).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

from outpour._options import OPTIONS_BY_NAME, Combine

__all__ = ["resolve_layered"]

_HOOKS = frozenset({"after_request", "after_response", "before_request"})


def _layer_value(layer: Any, name: str) -> Any:
    value: Any = getattr(layer, name, OPTIONS_BY_NAME[name].default)
    if name == "signature_namespace":
        return _with_signature_types(layer, value)
    if name in _HOOKS and inspect.ismethod(value) and value.__self__ is layer:
        # A function set as a controller's class attribute comes back bound to the controller: the hook is the
        # function itself, called with the request or response only (as Litestar does).
        return value.__func__
    return value


def _with_signature_types(layer: Any, namespace: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """``signature_types=[Model]`` is short for ``signature_namespace={"Model": Model}`` on the same layer."""
    types: Sequence[Any] | None = getattr(layer, "signature_types", None)
    if not types:
        return namespace
    return {**{t.__name__: t for t in types}, **(namespace or {})}


def resolve_layered(layers: Sequence[Any], name: str) -> Any:
    """Resolve option ``name`` over ``layers`` (outermost first, the handler last).

    Args:
        layers: The app, routers, controller and handler of a route.
        name: A layered option.

    Returns:
        The closest set value (or the option's default), the merged ``dict`` or the concatenated ``list``.
    """
    option = OPTIONS_BY_NAME[name]
    if option.combine is Combine.CLOSEST:
        for layer in reversed(layers):
            value = _layer_value(layer, name)
            if not option.is_unset(value):
                return value
        return option.default
    values = [_layer_value(layer, name) for layer in layers]
    if option.combine is Combine.MERGED:
        merged: dict[Any, Any] = {}
        for value in values:
            if value:
                merged.update(value)
        return merged
    out: list[Any] = []
    for value in values:
        if value:
            out.extend(v for v in value if name != "tags" or v not in out)
    return out
