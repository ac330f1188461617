"""Generic helpers: streams, "sync or async" results, optional sequences, SSE data."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    from outpour.response.sse import ServerSentEventMessage

__all__ = ["AnyIOBackend", "MaybePartial", "OptionalSequence", "SSEData", "StreamType", "SyncOrAsyncUnion"]

T = TypeVar("T")

AnyIOBackend: TypeAlias = Literal["asyncio", "trio"]
"""The event loops outpour runs on (through anyio)."""
MaybePartial: TypeAlias = T | partial[T]
"""A callable, or a ``functools.partial`` of one."""
OptionalSequence: TypeAlias = Sequence[T] | None
"""A sequence, or ``None`` for none."""
StreamType: TypeAlias = Iterable[T] | Iterator[T] | AsyncIterable[T] | AsyncIterator[T]
"""What a ``Stream`` response iterates: a sync or async iterable."""
SyncOrAsyncUnion: TypeAlias = T | Awaitable[T]
"""A value, or an awaitable of one: what a callable that may be sync or async returns."""
SSEData: TypeAlias = "int | str | bytes | dict[str, Any] | ServerSentEventMessage"
"""What a ``ServerSentEvent`` iterator may yield: plain data, a dict of event fields, or a message."""
