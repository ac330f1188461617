"""The layered options shared by app, routers, controllers and handlers, declared once, and how layers resolve.

Each option is "closest wins" (the handler's value beats its controller's, which beats its router's, which beats the
app's), "merged" (mappings merged with the lower layer overriding by key) or "concatenated" (outer layers first).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.di import Provide
    from outpour.params import ParameterKwarg
    from outpour.types import (
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        AnyCallable,
        BeforeRequestHookHandler,
        ExceptionHandlersMap,
        Guard,
        ResponseCookies,
        ResponseHeaders,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

from outpour.types import Empty

__all__ = [
    "CLOSEST",
    "CONCATENATED",
    "HOOKS",
    "LAYERED_OPTIONS",
    "MERGED",
    "NONE_IS_A_VALUE",
    "LayerOptions",
    "option_default",
    "resolve_layered",
]


class LayerOptions(TypedDict, total=False):
    """Options accepted on every layer: app, router, controller and handler."""

    after_request: AfterRequestHookHandler | None
    after_response: AfterResponseHookHandler | None
    before_request: BeforeRequestHookHandler | None
    cache_control: CacheControlHeader | None
    dependencies: Mapping[str, Provide | AnyCallable] | None
    etag: ETag | None
    exception_handlers: ExceptionHandlersMap | None
    guards: Sequence[Guard] | None
    include_in_schema: bool | None
    middleware: Sequence[Any] | None
    opt: Mapping[str, Any] | None
    parameters: Mapping[str, ParameterKwarg] | None
    request_class: type[Any] | None
    request_max_body_size: int | None  # None: no limit
    response_class: type[Any] | None
    response_cookies: ResponseCookies | None
    response_headers: ResponseHeaders | None
    security: Sequence[Mapping[str, Sequence[str]]] | None
    signature_namespace: Mapping[str, Any] | None
    tags: Sequence[str] | None
    type_decoders: TypeDecodersSequence | None
    type_encoders: TypeEncodersMap | None


CLOSEST = (
    "after_request",
    "after_response",
    "before_request",
    "cache_control",
    "etag",
    "include_in_schema",
    "request_class",
    "request_max_body_size",
    "response_class",
)
HOOKS = frozenset({"after_request", "after_response", "before_request"})
MERGED = ("dependencies", "exception_handlers", "opt", "parameters", "signature_namespace", "type_encoders")
CONCATENATED = ("guards", "middleware", "security", "tags", "type_decoders")
# response_headers and response_cookies merge by header name / cookie key; see outpour._plan.
KEYED = ("response_cookies", "response_headers")
LAYERED_OPTIONS = frozenset(CLOSEST + MERGED + CONCATENATED + KEYED)
NONE_IS_A_VALUE = frozenset({"request_max_body_size"})
"""Options where an explicit ``None`` means something (no body limit): unset is ``Empty`` and resolves to the default."""


def option_default(name: str) -> Any:
    """Return what a layer stores for option ``name`` when it is not given: ``Empty`` or ``None``."""
    return Empty if name in NONE_IS_A_VALUE else None


def _layer_value(layer: Any, name: str) -> Any:
    value = getattr(layer, name, None)
    if name in HOOKS and inspect.ismethod(value) and value.__self__ is layer:
        # A function set as a controller's class attribute comes back bound to the controller: the hook is the
        # function itself, called with the request or response only (as Litestar does).
        return value.__func__
    return value


def resolve_layered(layers: Sequence[Any], name: str) -> Any:
    """Resolve option ``name`` over ``layers`` (outermost first, the handler last)."""
    if name in NONE_IS_A_VALUE:
        return next((v for layer in reversed(layers) if (v := getattr(layer, name, Empty)) is not Empty), Empty)
    values = [_layer_value(layer, name) for layer in layers]
    if name in CLOSEST:
        return next((v for v in reversed(values) if v is not None), None)
    if name in MERGED:
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
