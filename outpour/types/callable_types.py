"""The shapes of the callables an app is configured with: hooks, guards, exception handlers, lifespan hooks."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from outpour.types.asgi_types import Message, Scope

if TYPE_CHECKING:
    from outpour.app import Outpour
    from outpour.connection import Request
    from outpour.handlers import HTTPRouteHandler
    from outpour.response import Response
    from outpour.types.helper_types import SyncOrAsyncUnion
    from outpour.types.protocols import Logger

__all__ = [
    "AfterExceptionHookHandler",
    "AfterRequestHookHandler",
    "AfterResponseHookHandler",
    "AnyCallable",
    "AnyGenerator",
    "AsyncAnyCallable",
    "BeforeMessageSendHookHandler",
    "BeforeRequestHookHandler",
    "CacheKeyBuilder",
    "ExceptionHandler",
    "ExceptionT",
    "GetLogger",
    "Guard",
    "HTTPHandlerDecorator",
    "LifespanHook",
    "OnAppInitHandler",
    "OperationIDCreator",
    "Serializer",
]

ExceptionT = TypeVar("ExceptionT", bound=Exception)
"""The exception class an exception handler is registered for."""

AnyCallable: TypeAlias = Callable[..., Any]
"""Any callable."""
AsyncAnyCallable: TypeAlias = Callable[..., Awaitable[Any]]
"""Any callable returning an awaitable."""
AnyGenerator: TypeAlias = "Generator[Any, Any, Any] | AsyncGenerator[Any, Any]"
"""A sync or async generator, such as a generator dependency."""
Serializer: TypeAlias = Callable[[Any], Any]
"""Turns a value into something the encoder renders."""

AfterExceptionHookHandler: TypeAlias = Callable[[Exception, Scope], Any]
"""Called with ``(exception, scope)`` after an exception raised while handling a request was answered; may be async."""
BeforeMessageSendHookHandler: TypeAlias = Callable[[Message, Scope], Any]
"""Called with ``(message, scope)`` before each ASGI message is sent (it may change the message); may be async."""
BeforeRequestHookHandler: TypeAlias = Callable[..., Any]
"""Called with the request before the handler; a value other than ``None`` is sent instead of the handler's."""
AfterRequestHookHandler: TypeAlias = Callable[..., Any]
"""Called with the response before it is sent; returns the response to send."""
AfterResponseHookHandler: TypeAlias = Callable[..., Any]
"""Called with the request after the response was sent."""
OnAppInitHandler: TypeAlias = Callable[[Any], Any]
"""Called with the ``AppConfig`` before the app is built; returns the (possibly changed) ``AppConfig``."""
Guard: TypeAlias = Callable[..., Any]
"""Called with ``(connection, route_handler)`` before the handler; raises to refuse the request; may be async."""

ExceptionHandler: TypeAlias = "Callable[[Request[Any, Any, Any], ExceptionT], Response[Any]]"
"""Turns an exception raised while handling a request into the response to send."""
LifespanHook: TypeAlias = "Callable[[Outpour], SyncOrAsyncUnion[Any]] | Callable[[], SyncOrAsyncUnion[Any]]"
"""An ``on_startup`` / ``on_shutdown`` callable: takes the app or nothing; may be async."""
OperationIDCreator: TypeAlias = "Callable[[HTTPRouteHandler, str, list[Any]], str]"
"""Builds an OpenAPI ``operationId`` from ``(route_handler, http_method, path_components)``."""
CacheKeyBuilder: TypeAlias = "Callable[[Request[Any, Any, Any]], str]"
"""Builds the response-cache key of a request."""
GetLogger: TypeAlias = "Callable[..., Logger]"
"""Returns a logger, given its name."""
HTTPHandlerDecorator: TypeAlias = "Callable[..., Callable[[AnyCallable], HTTPRouteHandler]]"
"""A decorator factory such as ``get`` or ``post``."""
