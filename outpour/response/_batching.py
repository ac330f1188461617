"""Sending an async iterator's chunks: those it yields without waiting leave together, in one body message.

A generator that yields ten server-sent events in a row, or a subscription whose backlog holds ten events, produces
them without ever giving way to the event loop. Sending each as its own ``http.response.body`` message costs a
``send`` per chunk (a write to the socket, and with compression a flushed block per chunk) for bytes that were all
ready at once. Here each step of the iterator is started by hand (``step.send(None)``): a step that finishes at once
adds its chunk to the batch; a step that waits sends the batch first, then hands its wait to the task (``_Resume``),
so a chunk never waits for a later one that is not ready. A batch is also sent once it holds ``BATCH_BYTES`` or
``BATCH_CHUNKS`` chunks, and the event loop then runs once, so an iterator that never waits cannot starve it.

The last batch goes in the message that ends the body (``more_body=False``). When the iterator raises, what it
yielded before is sent first, then the error propagates; when sending fails (the client left) while a step waits,
the error is thrown into that step, so the iterator unwinds where it waits and can be closed.

What changes for an application: chunks yielded without waiting arrive together. An iterator that blocks the event
loop between two chunks (``time.sleep`` in an ``async def``) holds back the chunk before the block until it yields
again or waits; one that waits (``await asyncio.sleep(...)``, a queue, I/O) sends each chunk before it waits.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Any

from outpour.response._disconnect import END

if TYPE_CHECKING:
    from outpour.response._disconnect import DisconnectWatch
    from outpour.types import Message, Send

__all__ = ["BATCH_BYTES", "BATCH_CHUNKS", "send_batched"]

BATCH_BYTES = 64 * 1024
"""A batch is sent once it holds this many bytes: what is held back never exceeds about one such batch."""
BATCH_CHUNKS = 64
"""A batch is sent once it holds this many chunks (the event loop then runs once: see the module documentation)."""


async def _asend_type_probe() -> AsyncGenerator[
    None, None
]:  # pragma: no cover - never iterated: only its type's `__anext__` is taken
    yield None


_DRIVABLE = frozenset({types.CoroutineType, type(_asend_type_probe().__anext__())})
"""Step types that can be started by hand: a coroutine (an ``async def __anext__``) and an async generator's step."""


class _Resume:
    """Await a step that was started by hand and is waiting: the task gets its waits, the awaiter gets its value.

    With ``error``, the error is thrown into the step first (it unwinds where it waits), and the step is driven to
    its end as ``await`` would.
    """

    __slots__ = ("error", "signal", "step")

    def __init__(self, step: Any, signal: Any, error: BaseException | None = None) -> None:
        self.step = step
        self.signal = signal
        self.error = error

    def __await__(self) -> Generator[Any, Any, Any]:
        step = self.step
        signal = self.signal
        if self.error is not None:
            try:
                signal = step.throw(self.error)
            except StopIteration as finished:
                return finished.value
        while True:
            try:
                sent = yield signal
            except GeneratorExit:  # pragma: no cover - the task's coroutine is closed (collected) while it waits
                step.close()
                raise
            except BaseException as exc:  # a cancellation, or another error thrown into the task: the step's to see
                try:
                    signal = step.throw(exc)
                except StopIteration as finished:
                    return finished.value
            else:
                try:
                    signal = step.send(sent)
                except StopIteration as finished:
                    return finished.value


def _body(batch: list[bytes], more_body: bool) -> Message:
    return {
        "type": "http.response.body",
        "body": batch[0] if len(batch) == 1 else b"".join(batch),
        "more_body": more_body,
    }


async def _send_while_waiting(send: Send, batch: list[bytes], step: Any, signal: Any) -> None:
    """Send ``batch`` while ``step`` waits; if sending fails, unwind the step with the error, then raise it."""
    try:
        await send(_body(batch, True))
    except GeneratorExit:  # pragma: no cover - the coroutine itself is being closed: nothing may be awaited
        step.close()
        raise
    except BaseException as exc:
        with contextlib.suppress(StopAsyncIteration):  # the iterator ended as it unwound
            await _Resume(step, signal, exc)
        raise


async def _send_before_error(send: Send, batch: list[bytes], watch: DisconnectWatch) -> None:
    """Send what the iterator yielded before it failed, unless the client left; a failing send is not the error."""
    if batch and not watch.state:
        try:
            await send(_body(batch, True))
        except Exception:  # the client left: the iterator's error is the one to raise
            return


async def send_batched(
    iterator: Any, convert: Callable[[Any], bytes], raw: bool, send: Send, watch: DisconnectWatch, preamble: bytes
) -> None:
    """Send ``preamble`` and ``iterator``'s chunks, those yielded without waiting in one message, then the end.

    Args:
        iterator: An async iterator.
        convert: Turns an item into bytes.
        raw: ``convert`` returns ``bytes`` items as they are: they skip the call.
        send: The send function (the watch's).
        watch: The disconnect watch of the body.
        preamble: Bytes sent before the first chunk, with it.
    """
    anext = iterator.__anext__
    batch: list[bytes] = [preamble] if preamble else []
    size = len(preamble)
    most_bytes, most_chunks = BATCH_BYTES, BATCH_CHUNKS
    # An async generator's steps are all of one drivable type: no check per step.
    any_step = type(iterator) is not types.AsyncGeneratorType
    drivable = _DRIVABLE
    try:
        while True:
            try:
                step = anext()
            except StopAsyncIteration:  # an `__anext__` that is not a coroutine may end at once
                break
            if any_step and type(step) not in drivable:  # another awaitable: await it as it is
                if batch:
                    await send(_body(batch, True))
                    batch = []
                    size = 0
                try:
                    item = await step
                except StopAsyncIteration:
                    break
                if watch.state:
                    await watch.halt()
            else:
                try:
                    signal = step.send(None)
                except StopIteration as ready:  # the usual case: the chunk was ready
                    item = ready.value
                except StopAsyncIteration:
                    break
                else:  # the iterator waits: what is ready goes now
                    if batch:
                        await _send_while_waiting(send, batch, step, signal)
                        batch = []
                        size = 0
                    try:
                        item = await _Resume(step, signal)
                    except StopAsyncIteration:
                        break
                    if watch.state:  # the iterator swallowed the cancellation and went on: stop it here
                        await watch.halt()
            chunk = item if raw and type(item) is bytes else convert(item)
            if chunk:
                batch.append(chunk)
                size += len(chunk)
                if size >= most_bytes or len(batch) >= most_chunks:
                    await send(_body(batch, True))
                    batch = []
                    size = 0
                    await watch.pause()  # an iterator that never waits: let the server and the watcher run now and then
    except Exception:
        await _send_before_error(send, batch, watch)
        raise
    await send(_body(batch, False) if batch else END)
