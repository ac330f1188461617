"""``AppConfig``: every argument of ``Outpour(...)`` as one dataclass, handed to ``on_app_init`` hooks."""

from __future__ import annotations

import enum
import pdb
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from outpour._request_head import DEFAULT_MAX_HEADER_SIZE
from outpour.config.response_cache import ResponseCacheConfig
from outpour.datastructures.state import State
from outpour.events import BaseEventEmitterBackend, SimpleEventEmitter
from outpour.openapi import OpenAPIConfig
from outpour.types import Empty, EmptyType

if TYPE_CHECKING:
    from outpour.config.allowed_hosts import AllowedHostsConfig
    from outpour.config.compression import CompressionConfig
    from outpour.config.cors import CORSConfig
    from outpour.config.csrf import CSRFConfig
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.di import Provide
    from outpour.dto.base_dto import AbstractDTO
    from outpour.events import EventListener
    from outpour.params import ParameterKwarg
    from outpour.stores.base import Store
    from outpour.stores.registry import StoreRegistry
    from outpour.types import (
        AfterExceptionHookHandler,
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        AnyCallable,
        BeforeMessageSendHookHandler,
        BeforeRequestHookHandler,
        Debugger,
        ExceptionHandlersMap,
        Guard,
        LifespanHook,
        Middleware,
        ResponseCookies,
        ResponseHeaders,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["DEFAULT_OPENAPI_CONFIG", "AppConfig", "ExperimentalFeatures"]

DEFAULT_OPENAPI_CONFIG = OpenAPIConfig(title="Outpour API", version="1.0.0")
"""The OpenAPI configuration of an app created without ``openapi_config``: the document and pages under ``/schema``."""


class ExperimentalFeatures(enum.StrEnum):
    """Litestar's opt-in experimental features, accepted in ``experimental_features`` (``app.experimental_features``).

    ``DTO_CODEGEN`` is redundant (a warning says so: outpour has no DTO backends to choose from); ``FUTURE`` is
    accepted and changes nothing yet.
    """

    DTO_CODEGEN = "DTO_CODEGEN"
    FUTURE = "FUTURE"


@dataclass
class AppConfig:
    """The arguments of ``Outpour(...)``: Litestar's fields, in Litestar's order, then outpour's own.

    ``Outpour`` builds one from its arguments and passes it through each ``on_app_init`` hook (which returns it,
    possibly changed) before compiling any route; ``Outpour.from_config(config)`` creates an app from one. Sequences and
    mappings are lists and dicts, so hooks may add to them. The options are described on ``Outpour``; where each is
    accepted and how layers combine is declared in ``outpour._options``.
    """

    after_exception: list[AfterExceptionHookHandler] = field(default_factory=list)
    after_request: AfterRequestHookHandler | None = None
    after_response: AfterResponseHookHandler | None = None
    allowed_hosts: list[str] | AllowedHostsConfig | None = None
    before_request: BeforeRequestHookHandler | None = None
    before_send: list[BeforeMessageSendHookHandler] = field(default_factory=list)
    cache_control: CacheControlHeader | None = None
    compression_config: CompressionConfig | None = None
    cors_config: CORSConfig | None = None
    csrf_config: CSRFConfig | None = None
    debug: bool = False
    dependencies: dict[str, Provide | AnyCallable] = field(default_factory=dict)
    dto: type[AbstractDTO[Any]] | EmptyType | None = Empty
    etag: ETag | None = None
    event_emitter_backend: type[BaseEventEmitterBackend] = SimpleEventEmitter
    exception_handlers: ExceptionHandlersMap = field(default_factory=dict)
    guards: list[Guard] = field(default_factory=list)
    include_in_schema: bool | EmptyType = Empty
    lifespan: list[Callable[[Any], AbstractAsyncContextManager[Any]] | AbstractAsyncContextManager[Any]] = field(
        default_factory=list
    )
    listeners: list[EventListener] = field(default_factory=list)
    middleware: list[Middleware] = field(default_factory=list)
    on_shutdown: list[LifespanHook] = field(default_factory=list)
    on_startup: list[LifespanHook] = field(default_factory=list)
    openapi_config: OpenAPIConfig | None = None
    opt: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, ParameterKwarg] = field(default_factory=dict)
    path: str = ""
    pdb_on_exception: bool = False
    debugger_module: Debugger = pdb
    plugins: list[Any] = field(default_factory=list)
    request_class: type[Any] | None = None
    request_max_body_size: int | EmptyType | None = Empty
    response_class: type[Any] | None = None
    response_cookies: ResponseCookies = field(default_factory=list)
    response_headers: ResponseHeaders = field(default_factory=list)
    response_cache_config: ResponseCacheConfig = field(default_factory=ResponseCacheConfig)
    return_dto: type[AbstractDTO[Any]] | EmptyType | None = Empty
    route_handlers: list[Any] = field(default_factory=list)
    security: list[Mapping[str, Sequence[str]]] = field(default_factory=list)
    signature_namespace: dict[str, Any] = field(default_factory=dict)
    signature_types: list[Any] = field(default_factory=list)
    state: State = field(default_factory=State)
    stores: StoreRegistry | dict[str, Store] | None = None
    tags: list[str] = field(default_factory=list)
    template_config: Any = None
    type_decoders: TypeDecodersSequence | None = None
    type_encoders: TypeEncodersMap | None = None
    websocket_class: type[Any] | None = None
    multipart_form_part_limit: int = 1000
    experimental_features: list[ExperimentalFeatures] | None = None
    # outpour's own
    request_max_header_size: int | None = DEFAULT_MAX_HEADER_SIZE
