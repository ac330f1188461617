"""``ChannelsBackend``: what a backend does for the plugin (publish, subscribe, stream the events, keep history)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Iterable

__all__ = ["ChannelsBackend"]


class ChannelsBackend(ABC):
    """The link between a ``ChannelsPlugin`` and a broker, which passes every event to every backend subscribed.

    The plugin calls ``on_startup`` when the app starts and ``on_shutdown`` when it stops; between the two it
    subscribes to the channels its subscribers want and reads ``stream_events()`` in one task.
    """

    @abstractmethod
    async def on_startup(self) -> None:
        """Connect to the broker; called when the app starts."""

    @abstractmethod
    async def on_shutdown(self) -> None:
        """Disconnect from the broker; called when the app stops."""

    @abstractmethod
    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Publish an event to channels.

        Args:
            data: The event.
            channels: The channels to publish it to.
        """

    @abstractmethod
    async def subscribe(self, channels: Iterable[str]) -> None:
        """Start receiving the events of channels in ``stream_events``.

        Args:
            channels: The channels.
        """

    @abstractmethod
    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop receiving the events of channels.

        Args:
            channels: The channels.
        """

    @abstractmethod
    def stream_events(self) -> AsyncGenerator[tuple[str, bytes], None]:
        """Yield ``(channel, event)`` for each event published to a subscribed channel, as it arrives.

        Returns:
            The async generator; it runs until closed.
        """

    @abstractmethod
    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Return the events kept for a channel, oldest first.

        Args:
            channel: The channel.
            limit: The most recent ``limit`` events only; all kept ones when ``None``.

        Returns:
            The events; an empty list for a backend that keeps no history.
        """

    def _check_publishable(self, data: bytes) -> None:  # noqa: B027 - a hook: most brokers carry any event
        """Raise ``ChannelsException`` when the broker cannot carry ``data`` (too large); nothing by default."""
