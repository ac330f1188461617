"""What the PostgreSQL backends share: NOTIFY payloads (text, under 8,000 bytes) and channel names (identifiers)."""

from __future__ import annotations

import base64

from outpour.channels.plugin import ChannelsException

__all__ = ["MAX_PAYLOAD_BYTES", "check_channels", "decode_payload", "encode_payload", "next_retry"]

MAX_PAYLOAD_BYTES = 7999
"""PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more (in its default configuration)."""
_MAX_CHANNEL_BYTES = 63
_MAX_RETRY_SECONDS = 2.0


def encode_payload(data: bytes) -> str:
    """The NOTIFY payload of an event: ``t`` and the text when it is UTF-8, else ``b`` and its base64.

    NOTIFY carries text only; a one-character tag keeps any bytes intact.

    Raises:
        ChannelsException: The payload would reach PostgreSQL's 8,000-byte limit.
    """
    try:
        payload = "t" + data.decode()
    except UnicodeDecodeError:
        payload = "b" + base64.b64encode(data).decode("ascii")
    size = len(payload.encode())
    if size > MAX_PAYLOAD_BYTES:
        raise ChannelsException(
            f"An event of {len(data):,} bytes is too large for PostgreSQL's NOTIFY, which carries under 8,000 bytes "
            f"(this one would take {size:,}). Publish a smaller event (an id the subscriber fetches the rest by), or "
            "use a Redis backend for large events."
        )
    return payload


def decode_payload(payload: str) -> bytes:
    """The event a NOTIFY payload carries (``encode_payload`` reversed; an untagged payload is taken as text)."""
    if payload.startswith("b"):
        return base64.b64decode(payload[1:])
    return payload[1:].encode() if payload.startswith("t") else payload.encode()


def check_channels(channels: list[str]) -> list[str]:
    """Return ``channels``, raising for a name PostgreSQL would cut short (identifiers hold 63 bytes).

    Raises:
        ChannelsException: A channel name over 63 bytes.
    """
    for channel in channels:
        if len(channel.encode()) > _MAX_CHANNEL_BYTES:
            raise ChannelsException(
                f"The channel name `{channel[:40]}...` is {len(channel.encode())} bytes long; PostgreSQL channel "
                "names hold at most 63 bytes. Use a shorter name."
            )
    return channels


def next_retry(retry: float) -> float:
    """How long to wait before the next reconnection attempt: 50 ms, doubling up to 2 seconds."""
    return min(max(retry * 2, 0.05), _MAX_RETRY_SECONDS)
