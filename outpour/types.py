"""Type aliases and protocols shared by every layer: ASGI callables, sentinels, layered option shapes."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    from outpour.datastructures import Cookie, ResponseHeader

__all__ = [
    "ASGIApp",
    "AfterExceptionHookHandler",
    "AfterRequestHookHandler",
    "AfterResponseHookHandler",
    "AnyCallable",
    "BeforeMessageSendHookHandler",
    "BeforeRequestHookHandler",
    "Empty",
    "EmptyType",
    "ExceptionHandlersMap",
    "Guard",
    "Message",
    "Method",
    "OnAppInitHandler",
    "Receive",
    "ResponseCookies",
    "ResponseHeaders",
    "Scope",
    "Send",
    "StreamType",
    "SSEData",
    "TypeDecodersSequence",
    "TypeEncodersMap",
]

T = TypeVar("T")

Scope: TypeAlias = dict[str, Any]
Message: TypeAlias = dict[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]

AnyCallable: TypeAlias = Callable[..., Any]
Method: TypeAlias = Literal["GET", "POST", "DELETE", "PATCH", "PUT", "HEAD", "TRACE", "OPTIONS"]

StreamType: TypeAlias = Iterable[T] | Iterator[T] | AsyncIterable[T] | AsyncIterator[T]

TypeEncodersMap: TypeAlias = Mapping[Any, Callable[[Any], Any]]
"""Maps a type (or a predicate callable) to a function that turns its instances into something msgspec encodes."""
TypeDecodersSequence: TypeAlias = Sequence[tuple[Callable[[Any], bool], Callable[[type, Any], Any]]]
"""Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)`` tried for types msgspec cannot build."""

ResponseHeaders: TypeAlias = "Sequence[ResponseHeader] | Mapping[str, str]"
ResponseCookies: TypeAlias = "Sequence[Cookie] | Mapping[str, str]"

ExceptionHandlersMap: TypeAlias = Mapping[int | type[Exception], Callable[..., Any]]
Guard: TypeAlias = Callable[..., Any]
BeforeRequestHookHandler: TypeAlias = Callable[..., Any]
AfterRequestHookHandler: TypeAlias = Callable[..., Any]
AfterResponseHookHandler: TypeAlias = Callable[..., Any]
AfterExceptionHookHandler: TypeAlias = Callable[[Exception, Scope], Any]
"""Called with ``(exception, scope)`` after an exception raised while handling a request was answered; may be async."""
BeforeMessageSendHookHandler: TypeAlias = Callable[[Message, Scope], Any]
"""Called with ``(message, scope)`` before each ASGI message is sent (it may change the message); may be async."""
OnAppInitHandler: TypeAlias = Callable[[Any], Any]
"""Called with the ``AppConfig`` before the app is built; returns the (possibly changed) ``AppConfig``."""


class EmptyType(enum.Enum):
    """A sentinel for "argument not given", so that ``None`` keeps its explicit meaning."""

    Empty = 0

    def __repr__(self) -> str:
        return "Empty"

    def __bool__(self) -> Literal[False]:
        return False


Empty: Final = EmptyType.Empty

if TYPE_CHECKING:
    from outpour.response.sse import ServerSentEventMessage

SSEData: TypeAlias = "int | str | bytes | dict[str, Any] | ServerSentEventMessage"
"""What a ``ServerSentEvent`` iterator may yield: plain data, a dict of event fields, or a message."""
