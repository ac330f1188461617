"""The type aliases and ``TypedDict``s of ``outpour.plugins.htmx``: swap methods, event timing, header specs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypedDict

__all__ = [
    "EventAfterType",
    "HtmxHeaderType",
    "LocationType",
    "PushUrlType",
    "ReSwapMethod",
    "TriggerEventNameType",
    "TriggerEventType",
]

EventAfterType: TypeAlias = Literal["receive", "settle", "swap", None]
"""When HTMX triggers an event: on receiving the response, after the swap, or after the settle step."""

TriggerEventNameType: TypeAlias = str | Sequence[str] | Mapping[str, Any]
"""An event name, several names, or names each with its own detail."""

PushUrlType: TypeAlias = str | bool
"""A URL (for ``HX-Push-Url`` / ``HX-Replace-Url``), or ``False`` to leave the browser's history alone."""

ReSwapMethod: TypeAlias = Literal[
    "innerHTML", "outerHTML", "beforebegin", "afterbegin", "beforeend", "afterend", "delete", "none", None
]
"""How HTMX swaps the response into the target (the ``hx-swap`` values)."""


class LocationType(TypedDict):
    """The fields of an ``HX-Location`` header (a client-side navigation without a full reload)."""

    path: str
    source: str | None
    event: str | None
    target: str | None
    select: str | None
    swap: ReSwapMethod | None
    values: dict[str, str] | None
    hx_headers: dict[str, Any] | None


class TriggerEventType(TypedDict):
    """An ``HX-Trigger`` header: the event name(s), their detail and when to trigger them."""

    name: TriggerEventNameType
    params: dict[str, Any] | None
    after: EventAfterType | None


class HtmxHeaderType(TypedDict, total=False):
    """The HTMX response headers a response sets, by field."""

    location: LocationType | None
    redirect: str | None
    refresh: bool
    push_url: PushUrlType | None
    replace_url: PushUrlType | None
    re_swap: ReSwapMethod | None
    re_target: str | None
    trigger_event: TriggerEventType | None
