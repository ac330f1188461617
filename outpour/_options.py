"""Every option of the app, routers, controllers and route handlers, declared once in ``OPTIONS``.

An option names the layers that accept it (``Layer``), what a layer holds when it is not given, and, when it is
layered, how the layers combine (``Combine``). The constructors spell their options out for editors and type checkers
(``Outpour.__init__``, ``Router.__init__``, ``Controller``'s class attributes, ``AppConfig``, the route decorators'
``HandlerOptions``); ``tests/unit/app/test_options.py`` checks each of them against this table. Resolution
(``outpour._layers``), the route decorators' keyword check and the refusal of unsupported options are derived from it.

Litestar 3.0 accepts some options outpour does not implement yet. Their entry carries an ``Unsupported`` note, and a
value other than their default raises ``ImproperlyConfiguredException`` when the app, router, controller or handler is
created, instead of being stored where nothing reads it.
"""

from __future__ import annotations

import enum
import pdb
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from outpour.exceptions import ImproperlyConfiguredException
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.di import Provide
    from outpour.params import ParameterKwarg
    from outpour.types import (
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        AnyCallable,
        BeforeRequestHookHandler,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        ResponseCookies,
        ResponseHeaders,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = [
    "OPTIONS",
    "OPTIONS_BY_NAME",
    "Combine",
    "Layer",
    "LayerOptions",
    "Option",
    "Unsupported",
    "options_of",
    "reject_unsupported",
    "split_handler_options",
]


class Layer(enum.Flag):
    """Where an option may be given."""

    APP = enum.auto()
    ROUTER = enum.auto()
    CONTROLLER = enum.auto()
    HTTP_HANDLER = enum.auto()
    ASGI_HANDLER = enum.auto()
    WEBSOCKET_HANDLER = enum.auto()


class Combine(enum.Enum):
    """How the values of a layered option on the app, routers, controller and handler make the route's value."""

    CLOSEST = "closest"
    """The value of the layer closest to the handler wins."""
    MERGED = "merged"
    """Mappings merged, outermost first: a closer layer overrides a key."""
    CONCATENATED = "concatenated"
    """Sequences joined, outermost first."""
    KEYED = "keyed"
    """Response headers and cookies, merged by name (see ``outpour._plan``)."""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Why an option Litestar accepts is refused, and what to do instead."""

    feature: str
    instead: str


@dataclass(frozen=True, slots=True)
class Option:
    """One option: its name, the layers taking it, what a layer holds without it and how layers combine.

    ``default`` is what a router, controller or handler holds when the option is not given; the app's constructor
    spells out its own defaults, which are Litestar's (``request_max_body_size=10_000_000``, for one).
    """

    name: str
    layers: Layer
    combine: Combine | None = None
    default: Any = None
    unsupported: Unsupported | None = None
    none_is_a_value: bool = False
    """An explicit ``None`` means something (``request_max_body_size=None``: no limit), so unset is ``Empty``."""

    def is_unset(self, value: Any) -> bool:
        """Whether ``value`` leaves the option to the outer layers (``Empty``, or ``None`` unless it is a value)."""
        return value is Empty or (value is None and not self.none_is_a_value)

    def is_default(self, value: Any) -> bool:
        """Whether ``value`` asks for nothing: ``None``, ``Empty``, ``False``, an empty collection or the default."""
        if value is None or value is Empty or value is False or value is self.default:
            return True
        if isinstance(value, list | tuple | dict | set | frozenset) and not value:
            return True
        return type(value) is type(self.default) and bool(value == self.default)


_EVERY_LAYER = Layer.APP | Layer.ROUTER | Layer.CONTROLLER | Layer.HTTP_HANDLER | Layer.ASGI_HANDLER
_OUTER_LAYERS = Layer.APP | Layer.ROUTER | Layer.CONTROLLER
_APP = Layer.APP
_HTTP = Layer.HTTP_HANDLER
_ASGI = Layer.ASGI_HANDLER
_WS = Layer.WEBSOCKET_HANDLER
# Litestar's WebSocket handlers take these layered options (and the layers' other options do not apply to them).
_EVERY_LAYER_AND_WS = _EVERY_LAYER | _WS
# Litestar takes `dto` and `return_dto` on the app, routers, controllers, HTTP and WebSocket handlers, not on ASGI ones.
_ALL_BUT_ASGI = _OUTER_LAYERS | _HTTP | _WS


OPTIONS: tuple[Option, ...] = (
    # -- layered: every layer takes them, and the route's value combines them --------------------------------------
    Option("after_request", _EVERY_LAYER, Combine.CLOSEST),
    Option("after_response", _EVERY_LAYER, Combine.CLOSEST),
    Option("before_request", _EVERY_LAYER, Combine.CLOSEST),
    Option("cache_control", _EVERY_LAYER, Combine.CLOSEST),
    Option("dependencies", _EVERY_LAYER_AND_WS, Combine.MERGED),
    Option("etag", _EVERY_LAYER, Combine.CLOSEST),
    Option("exception_handlers", _EVERY_LAYER_AND_WS, Combine.MERGED),
    Option("guards", _EVERY_LAYER_AND_WS, Combine.CONCATENATED),
    Option("include_in_schema", _EVERY_LAYER, Combine.CLOSEST, default=Empty),
    Option("middleware", _EVERY_LAYER_AND_WS, Combine.CONCATENATED),
    Option("opt", _EVERY_LAYER_AND_WS, Combine.MERGED),
    Option("parameters", _EVERY_LAYER, Combine.MERGED),
    Option("request_class", _EVERY_LAYER, Combine.CLOSEST),
    Option("request_max_body_size", _EVERY_LAYER, Combine.CLOSEST, default=Empty, none_is_a_value=True),
    Option("response_class", _EVERY_LAYER, Combine.CLOSEST),
    Option("response_cookies", _EVERY_LAYER, Combine.KEYED),
    Option("response_headers", _EVERY_LAYER, Combine.KEYED),
    Option("security", _EVERY_LAYER, Combine.CONCATENATED),
    Option("signature_namespace", _EVERY_LAYER_AND_WS, Combine.MERGED),
    # Each type is added to its layer's `signature_namespace` under its `__name__` (see outpour._layers).
    Option("signature_types", _OUTER_LAYERS, Combine.CONCATENATED),
    Option("tags", _EVERY_LAYER, Combine.CONCATENATED),
    Option("type_decoders", _EVERY_LAYER_AND_WS, Combine.CONCATENATED),
    Option("type_encoders", _EVERY_LAYER_AND_WS, Combine.MERGED),
    # `None` switches the DTO of the outer layers off; unset (`Empty`) leaves it to them (see outpour.dto).
    Option("dto", _ALL_BUT_ASGI, Combine.CLOSEST, default=Empty, none_is_a_value=True),
    Option("return_dto", _ALL_BUT_ASGI, Combine.CLOSEST, default=Empty, none_is_a_value=True),
    Option("websocket_class", _OUTER_LAYERS | _WS, Combine.CLOSEST),
    # -- the app's own ---------------------------------------------------------------------------------------------
    Option("route_handlers", _APP | Layer.ROUTER),
    Option("path", _APP | Layer.ROUTER | Layer.CONTROLLER),
    Option("after_exception", _APP),
    Option("before_send", _APP),
    Option("debug", _APP),
    Option("lifespan", _APP),
    Option("on_app_init", _APP),
    Option("on_shutdown", _APP),
    Option("on_startup", _APP),
    Option("openapi_config", _APP),
    Option("plugins", _APP),
    Option("state", _APP),
    Option("template_config", _APP),
    Option("request_max_header_size", _APP),  # outpour's own: a 431 past this many bytes of headers
    Option("allowed_hosts", _APP),
    Option("compression_config", _APP),
    Option("cors_config", _APP),
    Option("csrf_config", _APP),
    Option("event_emitter_backend", _APP),
    Option("listeners", _APP),
    Option("multipart_form_part_limit", _APP, default=1000),
    Option("response_cache_config", _APP),
    Option("stores", _APP),
    Option("pdb_on_exception", _APP),
    Option("debugger_module", _APP, default=pdb),
    Option("experimental_features", _APP),
    # -- a route handler's own -------------------------------------------------------------------------------------
    Option("name", _HTTP | _ASGI | _WS),
    Option("background", _HTTP),
    Option("content_encoding", _HTTP),
    Option("content_media_type", _HTTP),
    Option("deprecated", _HTTP),
    Option("description", _HTTP),
    Option("media_type", _HTTP),
    Option("operation_class", _HTTP),
    Option("operation_id", _HTTP),
    Option("raises", _HTTP),
    Option("response_description", _HTTP),
    Option("responses", _HTTP),
    Option("status_code", _HTTP),
    Option("summary", _HTTP),
    Option("sync_to_thread", _HTTP),
    Option("cache", _HTTP, default=False),
    Option("cache_key_builder", _HTTP),
    Option("is_mount", _ASGI, default=False),
    Option("copy_scope", _ASGI),  # outpour's own: give the app a copy of the scope
)
"""Every option, once."""

OPTIONS_BY_NAME: Mapping[str, Option] = {option.name: option for option in OPTIONS}


def options_of(layer: Layer, *, supported: bool | None = None) -> tuple[Option, ...]:
    """The options ``layer`` accepts, in table order; only the (un)supported ones when ``supported`` is given."""
    return tuple(
        option
        for option in OPTIONS
        if layer in option.layers and (supported is None or (option.unsupported is None) is supported)
    )


def _refusal(name: str, value: Any, unsupported: Unsupported, where: str, *, attribute: bool) -> str:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    given = f"{name} = {shown}" if attribute else f"{name}={shown}"
    return f"Remove `{given}` from {where}: outpour does not implement {unsupported.feature} yet. {unsupported.instead}"


def reject_unsupported(layer: Layer, given: Mapping[str, Any] | object, where: str, *, attribute: bool = False) -> None:
    """Raise when an option of ``layer`` that outpour does not implement has a value other than its default.

    Args:
        layer: The layer being created.
        given: The options given, as a mapping or an object holding them as attributes (an ``AppConfig``, a
            controller class).
        where: The layer, for the message, such as ``"`Outpour(...)`"`` or ``"controller `Users`"``.
        attribute: Show the option as a class attribute (``dto = ...``) rather than a keyword (``dto=...``).

    Raises:
        ImproperlyConfiguredException: Naming the option, the feature outpour lacks and what to do instead.
    """
    get: Callable[[str, Any], Any] = given.get if isinstance(given, Mapping) else partial(getattr, given)
    for option in _UNSUPPORTED[layer]:
        value = get(option.name, option.default)
        if option.unsupported is not None and not option.is_default(value):
            raise ImproperlyConfiguredException(
                _refusal(option.name, value, option.unsupported, where, attribute=attribute)
            )


def split_handler_options(
    layer: Layer, options: Mapping[str, Any], where: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Sort a route decorator's keywords into its options and the rest, which go into ``opt`` (as in Litestar).

    Args:
        layer: ``Layer.HTTP_HANDLER`` or ``Layer.ASGI_HANDLER``.
        options: The keywords given.
        where: The handler, for messages, such as ``"`@get('/items')`"``.

    Returns:
        The value of every supported option of ``layer`` (its default when not given), and the other keywords.

    Raises:
        ImproperlyConfiguredException: An option outpour does not implement was given a value.
    """
    reject_unsupported(layer, options, where)
    known = {option.name: options.get(option.name, option.default) for option in _SUPPORTED[layer]}
    names = _NAMES[layer]
    return known, {key: value for key, value in options.items() if key not in names}


_SUPPORTED = {layer: options_of(layer, supported=True) for layer in Layer}
_UNSUPPORTED = {layer: options_of(layer, supported=False) for layer in Layer}
_NAMES = {layer: frozenset(option.name for option in options_of(layer)) for layer in Layer}


class LayerOptions(TypedDict, total=False):
    """The layered options outpour implements on every layer: app, router, controller and handler."""

    after_request: AfterRequestHookHandler | None
    after_response: AfterResponseHookHandler | None
    before_request: BeforeRequestHookHandler | None
    cache_control: CacheControlHeader | None
    dependencies: Mapping[str, Provide | AnyCallable] | None
    etag: ETag | None
    exception_handlers: ExceptionHandlersMap | None
    guards: Sequence[Guard] | None
    include_in_schema: bool | EmptyType
    middleware: Sequence[Any] | None
    opt: Mapping[str, Any] | None
    parameters: Mapping[str, ParameterKwarg] | None
    request_class: type[Any] | None
    request_max_body_size: int | EmptyType | None  # None: no limit
    response_class: type[Any] | None
    response_cookies: ResponseCookies | None
    response_headers: ResponseHeaders | None
    security: Sequence[Mapping[str, Sequence[str]]] | None
    signature_namespace: Mapping[str, Any] | None
    tags: Sequence[str] | None
    type_decoders: TypeDecodersSequence | None
    type_encoders: TypeEncodersMap | None
