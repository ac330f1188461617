"""``ChannelsPlugin``: publish events to named channels and deliver them to every subscriber, in any worker or host.

The plugin owns two tasks while the app runs (started and stopped by the app's lifespan): one sends what
``publish`` queued to the backend, in order, and tells the backend which channels still have subscribers; the other
reads the backend's event stream and puts each event into the backlog of every subscriber of its channel. Handlers
receive the plugin as the ``channels`` dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from outpour.channels.backends.base import ChannelsBackend
from outpour.channels.subscriber import BacklogStrategy, Subscriber
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException, OutpourException, SerializationException
from outpour.plugins.base import InitPlugin
from outpour.serialization import encode_json, get_serializer

if TYPE_CHECKING:
    from outpour.config.app import AppConfig
    from outpour.types import LitestarEncodableType, TypeEncodersMap
    from outpour.types.asgi_types import WebSocketMode

__all__ = ["ChannelsException", "ChannelsPlugin"]

logger = logging.getLogger("outpour.channels")

_BACKLOG_STRATEGIES = ("backoff", "dropleft")
_RETRY_SECONDS = 1.0
"""How long the event reader waits before reading again after the backend's stream failed."""


class ChannelsException(OutpourException):
    """A channel was used in a way the plugin does not allow (an unknown channel, the plugin not started, ...)."""


class _NotStartedError(ChannelsException, RuntimeError):
    """``publish`` was called before the plugin started (also a ``RuntimeError``, as in Litestar)."""


def _channel_list(channels: str | Iterable[str]) -> list[str]:
    names = [channels] if isinstance(channels, str) else list(channels)
    for name in names:
        if not isinstance(name, str) or not name:
            raise ChannelsException(f"A channel name is a non-empty `str`, got `{name!r}`.")
    return names


class ChannelsPlugin(InitPlugin, AbstractAsyncContextManager["ChannelsPlugin"]):
    """Publish/subscribe over a backend, with handlers receiving the plugin as the ``channels`` dependency.

    Args:
        backend: Where events go and come from: ``MemoryChannelsBackend`` in one process; a Redis or PostgreSQL
            backend across workers and hosts.
        channels: The channels that may be used; required unless ``arbitrary_channels_allowed``.
        arbitrary_channels_allowed: Allow any channel name.
        create_ws_route_handlers: Add a WebSocket route per channel (``<ws_handler_base_path>/<channel>``; one route
            with a ``channel_name`` path parameter when ``arbitrary_channels_allowed``) sending the channel's events.
        ws_handler_send_history: How many history events the WebSocket routes send first.
        ws_handler_base_path: The path the WebSocket routes are mounted under.
        ws_send_mode: Send events to WebSockets as ``"text"`` or ``"binary"`` frames.
        subscriber_max_backlog: How many events may wait per subscriber; ``None`` for no bound.
        subscriber_backlog_strategy: What a full backlog does with a new event: ``"backoff"`` drops it,
            ``"dropleft"`` drops the oldest waiting one.
        subscriber_class: The ``Subscriber`` class to create.
        type_encoders: Encoders, by type, for published values that are neither ``bytes`` nor ``str``.

    Raises:
        ImproperlyConfiguredException: No ``channels`` and not ``arbitrary_channels_allowed``, an unknown backlog
            strategy or WebSocket mode, a backlog size under 1, or a backend that is not a ``ChannelsBackend``.
    """

    def __init__(
        self,
        backend: ChannelsBackend,
        *,
        channels: Iterable[str] | None = None,
        arbitrary_channels_allowed: bool = False,
        create_ws_route_handlers: bool = False,
        ws_handler_send_history: int = 0,
        ws_handler_base_path: str = "/",
        ws_send_mode: WebSocketMode = "text",
        subscriber_max_backlog: int | None = None,
        subscriber_backlog_strategy: BacklogStrategy = "backoff",
        subscriber_class: type[Subscriber] = Subscriber,
        type_encoders: TypeEncodersMap | None = None,
    ) -> None:
        if not isinstance(backend, ChannelsBackend):
            raise ImproperlyConfiguredException(
                f"`ChannelsPlugin` needs a `ChannelsBackend` as `backend`, got `{backend!r}`; use "
                "`MemoryChannelsBackend()` for one process, or a Redis or PostgreSQL backend across processes."
            )
        self._allowed_channels = frozenset(_channel_list(channels or ()))
        if not self._allowed_channels and not arbitrary_channels_allowed:
            raise ImproperlyConfiguredException(
                "`ChannelsPlugin` needs the channels it serves: pass `channels=[...]`, or "
                "`arbitrary_channels_allowed=True` to allow any channel name."
            )
        if subscriber_backlog_strategy not in _BACKLOG_STRATEGIES:
            raise ImproperlyConfiguredException(
                f"`subscriber_backlog_strategy` is `'backoff'` or `'dropleft'`, got `{subscriber_backlog_strategy!r}`."
            )
        if subscriber_max_backlog is not None and (
            isinstance(subscriber_max_backlog, bool)
            or not isinstance(subscriber_max_backlog, int)
            or subscriber_max_backlog < 1
        ):
            raise ImproperlyConfiguredException(
                f"`subscriber_max_backlog` is a number of events of at least 1, or `None` for no bound; got "
                f"`{subscriber_max_backlog!r}`."
            )
        if ws_send_mode not in ("text", "binary"):
            raise ImproperlyConfiguredException(f"`ws_send_mode` is `'text'` or `'binary'`, got `{ws_send_mode!r}`.")
        self._backend = backend
        self._arbitrary_channels_allowed = arbitrary_channels_allowed
        self._create_ws_route_handlers = create_ws_route_handlers
        self._ws_handler_send_history = ws_handler_send_history
        self._ws_handler_base_path = ws_handler_base_path
        self._ws_send_mode: WebSocketMode = ws_send_mode
        self._max_backlog = subscriber_max_backlog
        self._backlog_strategy: BacklogStrategy = subscriber_backlog_strategy
        self._subscriber_class = subscriber_class
        self._serializer = get_serializer(type_encoders)
        self._channels: dict[str, set[Subscriber]] = {}
        self._backend_channels: set[str] = set()
        self._queue: asyncio.Queue[tuple[bytes, list[str]] | list[str] | None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._backend_lock = asyncio.Lock()

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Add the ``channels`` dependency and start/stop the plugin with the app.

        Args:
            app_config: The app's configuration.

        Returns:
            The configuration, with the dependency, the lifespan entry, the ``ChannelsPlugin`` name for annotations
            and, with ``create_ws_route_handlers``, the WebSocket route handlers.

        """
        if self._create_ws_route_handlers:
            from outpour.channels._websocket import create_ws_route_handlers

            app_config.route_handlers.extend(create_ws_route_handlers(self))
        app_config.dependencies["channels"] = Provide(self._provide_channels, use_cache=True)
        app_config.signature_namespace["ChannelsPlugin"] = ChannelsPlugin
        app_config.lifespan.append(self)
        return app_config

    def _provide_channels(self) -> ChannelsPlugin:
        return self

    # -- publishing -----------------------------------------------------------------------------------------------

    def encode_data(self, data: LitestarEncodableType) -> bytes:
        """Encode a value as an event: ``bytes`` as they are, ``str`` as UTF-8, anything else as JSON.

        Args:
            data: The value.

        Returns:
            The event's bytes.

        Raises:
            SerializationException: The value cannot be encoded as JSON.
        """
        if isinstance(data, bytes):
            return data
        if isinstance(data, str):
            return data.encode()
        try:
            return encode_json(data, self._serializer)
        except SerializationException as exc:
            raise SerializationException(
                f"Cannot publish `{data!r:.80}` (a `{type(data).__name__}`): {exc}. Publish `bytes`, `str` or a value "
                "outpour encodes as JSON, or add an encoder for the type with `ChannelsPlugin(type_encoders=...)`."
            ) from exc

    def _checked(self, channels: str | Iterable[str]) -> list[str]:
        names = _channel_list(channels)
        if not self._arbitrary_channels_allowed:
            unknown = [name for name in names if name not in self._allowed_channels]
            if unknown:
                raise ChannelsException(
                    f"Unknown channel `{unknown[0]}`: this plugin serves {sorted(self._allowed_channels)}. Add it to "
                    "`ChannelsPlugin(channels=[...])`, or pass `arbitrary_channels_allowed=True`."
                )
        return names

    def publish(self, data: LitestarEncodableType, channels: str | Iterable[str]) -> None:
        """Queue an event for the channels, without waiting; the plugin sends the queue to the backend in order.

        Args:
            data: The event: ``bytes``, ``str`` or a value encoded as JSON.
            channels: A channel, or several.

        Raises:
            ChannelsException: An unknown channel, an event the backend cannot carry, or the plugin not started.
            SerializationException: The value cannot be encoded.
        """
        names = self._checked(channels)
        event = self.encode_data(data)
        self._backend._check_publishable(event)
        if self._queue is None:
            raise _NotStartedError(
                "The channels plugin is not started: it starts with the app's lifespan (a server, or the test "
                "client used as a context manager: `with create_test_client(...) as client:`)."
            )
        self._queue.put_nowait((event, names))

    async def wait_published(self, data: LitestarEncodableType, channels: str | Iterable[str]) -> None:
        """Publish an event to the channels and return once the backend has it (skipping ``publish``'s queue).

        Args:
            data: The event: ``bytes``, ``str`` or a value encoded as JSON.
            channels: A channel, or several.

        Raises:
            ChannelsException: An unknown channel or an event the backend cannot carry.
            SerializationException: The value cannot be encoded.
        """
        names = self._checked(channels)
        event = self.encode_data(data)
        self._backend._check_publishable(event)
        await self._backend.publish(event, names)

    # -- subscriptions --------------------------------------------------------------------------------------------

    async def subscribe(self, channels: str | Iterable[str], history: int | None = None) -> Subscriber:
        """Create a subscriber receiving the events of the channels; end it with ``unsubscribe``.

        Args:
            channels: A channel, or several.
            history: Put this many of each channel's history events into its backlog first.

        Returns:
            The subscriber.

        Raises:
            ChannelsException: An unknown channel.
        """
        names = self._checked(channels)
        subscriber = self._subscriber_class(self, self._max_backlog, self._backlog_strategy)
        for name in names:
            self._channels.setdefault(name, set()).add(subscriber)
        subscriber.channels.update(names)
        try:
            await self._sync_backend(names)
            if history:
                await self.put_subscriber_history(subscriber, names, history)
        except BaseException:
            self._drop_subscriber(subscriber)
            raise
        return subscriber

    async def unsubscribe(self, subscriber: Subscriber, channels: str | Iterable[str] | None = None) -> None:
        """Unsubscribe a subscriber from channels; once it has none left its stream ends (after its backlog).

        Args:
            subscriber: The subscriber.
            channels: A channel, or several; all of its channels when ``None``.
        """
        names = list(subscriber.channels) if channels is None else _channel_list(channels)
        self._forget(subscriber, names)
        await self._sync_backend(names)

    @asynccontextmanager
    async def start_subscription(
        self, channels: str | Iterable[str], history: int | None = None
    ) -> AsyncGenerator[Subscriber, None]:
        """Subscribe for the duration of the context; on exit the subscriber is unsubscribed from every channel.

        Args:
            channels: A channel, or several.
            history: Put this many of each channel's history events into its backlog first.

        Yields:
            The subscriber.
        """
        subscriber = await self.subscribe(channels, history)
        try:
            yield subscriber
        finally:
            if self._queue is None:  # not started: no task tells the backend, so tell it here
                await self.unsubscribe(subscriber)
            else:
                self._drop_subscriber(subscriber)

    async def put_subscriber_history(
        self, subscriber: Subscriber, channels: str | Iterable[str], limit: int | None = None
    ) -> None:
        """Put the channels' history into the subscriber's backlog, one channel after the other, oldest event first.

        When the backlog is full, this waits for room rather than drop history (the ``"dropleft"`` strategy drops
        the oldest instead).

        Args:
            subscriber: The subscriber.
            channels: A channel, or several.
            limit: The most recent ``limit`` events of each channel; all of the kept ones when ``None``.
        """
        for name in _channel_list(channels):
            for event in await self._backend.get_history(name, limit):
                await subscriber.put(event)

    def _forget(self, subscriber: Subscriber, names: Iterable[str]) -> None:
        for name in names:
            subscriber.channels.discard(name)
            subscribers = self._channels.get(name)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._channels[name]
        if not subscriber.channels:
            subscriber.put_nowait(None)

    def _drop_subscriber(self, subscriber: Subscriber) -> None:
        """Unsubscribe at once, without waiting: the backend is told by the plugin's task (a cancelled caller may not wait)."""
        names = list(subscriber.channels)
        if not names:
            return
        self._forget(subscriber, names)
        if self._queue is not None:
            self._queue.put_nowait(names)

    async def _sync_backend(self, names: Iterable[str]) -> None:
        """Subscribe the backend to those of ``names`` that have subscribers, and unsubscribe it from the others."""
        async with self._backend_lock:
            wanted = {name for name in names if name in self._channels}
            added = wanted - self._backend_channels
            removed = {name for name in names if name not in wanted and name in self._backend_channels}
            if added:
                try:
                    await self._backend.subscribe(added)
                except BaseException:
                    # The backend may have subscribed to some of them before failing: undo, keeping the first error.
                    with contextlib.suppress(Exception):
                        await self._backend.unsubscribe(added)
                    raise
                self._backend_channels |= added
            if removed:
                self._backend_channels -= removed
                await self._backend.unsubscribe(removed)

    # -- the two tasks --------------------------------------------------------------------------------------------

    async def _send_queue(self, queue: asyncio.Queue[tuple[bytes, list[str]] | list[str] | None]) -> None:
        while (item := await queue.get()) is not None:
            try:
                if isinstance(item, list):
                    await self._sync_backend(item)
                else:
                    await self._backend.publish(*item)
            except Exception:
                logger.exception("The channels backend failed to publish or unsubscribe; the event is lost.")

    async def _deliver(self) -> None:
        while True:
            try:
                async for channel, event in self._backend.stream_events():
                    for subscriber in self._channels.get(channel, ()):
                        subscriber.put_nowait(event)
            except Exception:
                logger.exception("The channels backend's event stream failed; reading again in %ss.", _RETRY_SECONDS)
                await asyncio.sleep(_RETRY_SECONDS)
            else:
                return

    async def __aenter__(self) -> ChannelsPlugin:
        await self._on_startup()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._on_shutdown()

    async def _on_startup(self) -> None:
        """Start the backend and the plugin's two tasks; does nothing when already started."""
        if self._tasks:
            return
        await self._backend.on_startup()
        self._backend_lock = asyncio.Lock()  # bound to the running loop: a restart may run in another one
        self._queue = asyncio.Queue()
        self._tasks = [asyncio.create_task(self._send_queue(self._queue)), asyncio.create_task(self._deliver())]

    async def _on_shutdown(self) -> None:
        """Send what was published, stop the tasks and the backend; does nothing when not started."""
        if not self._tasks:
            return
        queue, self._queue = self._queue, None
        sender, reader = self._tasks
        self._tasks = []
        try:
            if queue is not None:
                queue.put_nowait(None)  # what was published before shutdown is sent first
                await sender
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
            for subscribers in list(self._channels.values()):
                for subscriber in list(subscribers):
                    self._forget(subscriber, list(subscriber.channels))
            self._backend_channels.clear()
            await self._backend.on_shutdown()
