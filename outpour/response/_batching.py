"""Sending an async iterator's chunks: those it yields without waiting leave together, in one body message.

A generator that yields ten server-sent events in a row, or a subscription whose backlog holds ten events, produces
them without ever giving way to the event loop. Sending each as its own ``http.response.body`` message costs a
``send`` per chunk (a write to the socket, and with compression a flushed block per chunk) for bytes that were all
ready at once.

On asyncio the iterator's steps are run by hand, through a generator that delegates to each step (``_steps``: an
item it had ready comes back from ``send`` at once, without the ``StopIteration`` that driving the step itself ends
in), so that each step shows whether it had its chunk ready:

* a chunk the iterator produced after waiting (a live event) is sent at once, as it always was;
* a chunk it had ready joins the batch; a batch is sent once it holds ``BATCH_BYTES`` or ``BATCH_CHUNKS`` chunks (the
  event loop then runs once, so an iterator that never waits cannot starve it), or with the end of the body, in the
  message that ends it (``more_body=False``);
* when a step waits while chunks are held, they are handed to a task that sends them at once, and the step's wait
  goes to the response's task unchanged (``_Resume``): the iterator waits as if it had been awaited, its own timeouts
  and cancellations reach it alone, and a chunk never waits for a later one that is not ready. The next send waits
  for that task, so the order holds.

When the iterator raises, what it yielded before is sent first, then the error propagates. On other event loops
(trio), where a step started by hand could not be set aside safely, each chunk is its own message.

What changes for an application: chunks yielded without waiting arrive together. An iterator that blocks the event
loop between two chunks (``time.sleep`` in an ``async def``) holds back the chunk before the block until it yields
again or waits; one that waits (``await asyncio.sleep(...)``, a queue, I/O) has each chunk sent before it waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import types
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Any, cast

from outpour.connection.request import ClientDisconnected
from outpour.response._disconnect import END

if TYPE_CHECKING:
    from outpour.response._disconnect import DisconnectWatch
    from outpour.types import Message, Send

__all__ = ["BATCH_BYTES", "BATCH_CHUNKS", "send_batched", "send_each"]

BATCH_BYTES = 64 * 1024
"""A batch is sent once it holds this many bytes: what is held back never exceeds about one such batch."""
BATCH_CHUNKS = 64
"""A batch is sent once it holds this many chunks (the event loop then runs once: see the module documentation)."""


async def _asend_type_probe() -> AsyncGenerator[None, None]:  # pragma: no cover - never iterated
    yield None


_ITERABLE_STEPS = frozenset({types.CoroutineType, type(_asend_type_probe().__anext__())})
"""Step types that ``yield from`` takes as they are: a coroutine (an ``async def __anext__``) and an async generator's
step; any other awaitable is iterated through its ``__await__``."""


@types.coroutine
def _generator_steps(iterator: Any) -> Generator[Any, Any, None]:
    """Yield each item of an async generator; a step that waits first passes its waits on (``yield from``).

    Driven by hand (``send``): when the step had its item ready, ``send`` returns the item and ``gi_yieldfrom`` is
    None; when it waits, ``send`` returns the wait's signal for the event loop, and ``gi_yieldfrom`` is the step.
    A ready item read this way costs no exception, where driving the step itself ends in a ``StopIteration``.
    """
    anext = iterator.__anext__
    while True:
        yield (yield from anext())


@types.coroutine
def _steps(iterator: Any) -> Generator[Any, Any, None]:
    """``_generator_steps`` for any async iterator, whatever awaitable its ``__anext__`` returns."""
    anext = iterator.__anext__
    iterable = _ITERABLE_STEPS
    while True:
        step = anext()
        yield (yield from (step if type(step) in iterable else step.__await__()))


class _Resume:
    """Await a step that was started by hand and is waiting: the task gets its waits, the awaiter gets its item.

    The same as ``await`` on the step had it not been started: what the task sends or throws goes to the step,
    through the stepper (``_steps``), which yields the item once the step is done.
    """

    __slots__ = ("signal", "steps")

    def __init__(self, steps: types.GeneratorType[Any, Any, None], signal: Any) -> None:
        self.steps = steps
        self.signal = signal

    def __await__(self) -> Generator[Any, Any, Any]:
        steps = self.steps
        signal = self.signal
        while True:
            try:
                sent = yield signal
            except GeneratorExit:  # pragma: no cover - the task's coroutine is closed (collected) while it waits
                steps.close()
                raise
            except BaseException as exc:  # a cancellation, or another error thrown into the task: the step's to see
                signal = steps.throw(exc)
            else:
                signal = steps.send(sent)
            if steps.gi_yieldfrom is None:  # the step is done: `signal` is its item
                return signal


def _body(batch: list[bytes], more_body: bool) -> Message:
    return {
        "type": "http.response.body",
        "body": batch[0] if len(batch) == 1 else b"".join(batch),
        "more_body": more_body,
    }


async def _flush(send: Send, message: Message, before: asyncio.Task[None] | None, watch: DisconnectWatch) -> None:
    """Send ``message`` after the flush ``before`` (when there is one) is done: a task, while the iterator waits.

    A send failing because the client left stops the body as a disconnect does: the iterator is cancelled where it
    waits, rather than waiting on for a chunk nobody will read.
    """
    if before is not None:
        await before
    try:
        await send(message)
    except (OSError, ClientDisconnected):
        watch.on_disconnect()
        raise


async def _settle(flushing: asyncio.Task[None] | None) -> None:
    """Stop a flush the body no longer waits for (it failed, or the client left) and collect its outcome."""
    if flushing is None:
        return
    if not flushing.done():
        flushing.cancel()
    await asyncio.gather(flushing, return_exceptions=True)


async def send_batched(
    iterator: Any,
    convert: Callable[[Any], bytes],
    raw: bool,
    send: Send,
    watch: DisconnectWatch,
    preamble: bytes,
    loop: asyncio.AbstractEventLoop,
) -> None:
    """Send ``preamble`` and ``iterator``'s chunks, those it had ready together, then the end (see the module doc).

    Args:
        iterator: An async iterator.
        convert: Turns an item into bytes.
        raw: ``convert`` returns ``bytes`` items as they are: they skip the call.
        send: The send function (the watch's).
        watch: The disconnect watch of the body.
        preamble: Bytes sent before the first chunk, with it.
        loop: The running asyncio event loop.
    """
    steps = cast(
        "types.GeneratorType[Any, Any, None]",
        _generator_steps(iterator) if type(iterator) is types.AsyncGeneratorType else _steps(iterator),
    )
    advance = steps.send
    batch: list[bytes] = [preamble] if preamble else []
    size = len(preamble)
    most_bytes, most_chunks = BATCH_BYTES, BATCH_CHUNKS
    flushing: asyncio.Task[None] | None = None  # the chunks held when the iterator last waited, being sent
    try:
        while True:
            try:
                item = advance(None)
            except StopAsyncIteration:
                break
            if steps.gi_yieldfrom is None:  # the chunk was ready: it joins the batch
                waited = False
            else:  # the iterator waits (`item` is the wait): what is held goes now, in a task; the wait is the task's
                if batch:
                    flushing = loop.create_task(_flush(send, _body(batch, True), flushing, watch))
                    batch = []
                    size = 0
                try:
                    item = await _Resume(steps, item)
                except StopAsyncIteration:
                    break
                waited = True
            if watch.state:  # the iterator swallowed the cancellation and went on: stop it here
                await watch.halt()
            chunk = item if raw and type(item) is bytes else convert(item)
            if not chunk:
                continue
            if waited:  # a live chunk goes at once, after what was held
                if flushing is not None:
                    await flushing
                    flushing = None
                batch.append(chunk)
                await send(_body(batch, True))
                batch = []
                size = 0
                continue
            batch.append(chunk)
            size += len(chunk)
            if size >= most_bytes or len(batch) >= most_chunks:
                if flushing is not None:
                    await flushing
                    flushing = None
                await send(_body(batch, True))
                batch = []
                size = 0
                await watch.pause()  # an iterator that never waits: let the server and the watcher run now and then
        if watch.state:  # the client left (the iterator may have swallowed the cancellation, and ended)
            await watch.halt()
        if flushing is not None:
            await flushing
            flushing = None
    except Exception:
        await _settle(flushing)
        flushing = None
        if watch.state:  # the client left: the watch ends the body, quietly, as its own cancellation
            await watch.halt()
        if batch:  # what the iterator yielded before it failed; if the client left, the iterator's error still wins
            with contextlib.suppress(Exception):
                await send(_body(batch, True))
        raise
    finally:
        await _settle(flushing)
    await send(_body(batch, False) if batch else END)


async def send_each(
    iterator: Any, convert: Callable[[Any], bytes], raw: bool, send: Send, watch: DisconnectWatch, preamble: bytes
) -> None:
    """Send ``preamble``, then each of ``iterator``'s chunks as its own message, then the end (other event loops).

    Args:
        iterator: An async iterator.
        convert: Turns an item into bytes.
        raw: ``convert`` returns ``bytes`` items as they are: they skip the call.
        send: The send function (the watch's).
        watch: The disconnect watch of the body.
        preamble: Bytes sent before the first chunk.
    """
    if preamble:
        await send({"type": "http.response.body", "body": preamble, "more_body": True})
    budget = BATCH_CHUNKS
    async for item in iterator:
        chunk = item if raw and type(item) is bytes else convert(item)
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if watch.state:  # the iterator swallowed the cancellation and went on: stop it here
            await watch.halt()
        budget -= 1
        if not budget:  # an iterator that never waits: let the server and the watcher run now and then
            budget = BATCH_CHUNKS
            await watch.pause()
    await send(END)
