"""HTMX's header names (``HTMXHeaders``) and the functions building HTMX response headers from their values.

HTMX reads these response headers (https://htmx.org/reference/#response_headers); each builder returns the header(s)
as a dict of name to value, and raises ``ImproperlyConfiguredException`` for a value HTMX cannot act on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import msgspec

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.plugins.htmx._types import (
        EventAfterType,
        HtmxHeaderType,
        LocationType,
        PushUrlType,
        ReSwapMethod,
        TriggerEventType,
    )

__all__ = [
    "HTMX_STOP_POLLING",
    "HTMXHeaders",
    "get_headers",
    "get_location_headers",
    "get_push_url_header",
    "get_redirect_header",
    "get_refresh_header",
    "get_replace_url_header",
    "get_reswap_header",
    "get_retarget_header",
    "get_trigger_event_headers",
]

HTMX_STOP_POLLING: Final = 286
"""The status code asking HTMX to stop polling (an HTMX convention, not a registered HTTP status)."""

# The characters a URL keeps as they are, as `Redirect` does for `Location`; anything else is percent-encoded so
# that the header value is ASCII.
_URL_SAFE: Final = "/#%[]=:;$&()+,!?*@'~"


class HTMXHeaders(StrEnum):
    """The names of the headers HTMX sends with its requests and reads from responses."""

    REDIRECT = "HX-Redirect"
    REFRESH = "HX-Refresh"
    PUSH_URL = "HX-Push-Url"
    REPLACE_URL = "HX-Replace-Url"
    RE_SWAP = "HX-Reswap"
    RE_TARGET = "HX-Retarget"
    LOCATION = "HX-Location"

    TRIGGER_EVENT = "HX-Trigger"
    TRIGGER_AFTER_SETTLE = "HX-Trigger-After-Settle"
    TRIGGER_AFTER_SWAP = "HX-Trigger-After-Swap"

    REQUEST = "HX-Request"
    BOOSTED = "HX-Boosted"
    CURRENT_URL = "HX-Current-URL"
    HISTORY_RESTORE_REQUEST = "HX-History-Restore-Request"
    PROMPT = "HX-Prompt"
    TARGET = "HX-Target"
    TRIGGER_ID = "HX-Trigger"  # an alias of TRIGGER_EVENT: the request header shares the name
    TRIGGER_NAME = "HX-Trigger-Name"
    TRIGGERING_EVENT = "Triggering-Event"


_TRIGGER_HEADERS: Final[dict[EventAfterType, str]] = {
    "receive": HTMXHeaders.TRIGGER_EVENT.value,
    "settle": HTMXHeaders.TRIGGER_AFTER_SETTLE.value,
    "swap": HTMXHeaders.TRIGGER_AFTER_SWAP.value,
}


def _json(value: Any) -> str:
    """Compact JSON with non-ASCII characters escaped, so that it is a valid header value."""
    return json.dumps(msgspec.to_builtins(value), separators=(",", ":"))


def _url(url: str) -> str:
    return quote(url, safe=_URL_SAFE)


def _url_or_false(url: PushUrlType, header: HTMXHeaders) -> str:
    if url is False or url == "False":
        return "false"
    if not isinstance(url, str):
        raise ImproperlyConfiguredException(
            f"`{url!r}` is not a value for `{header.value}`: give the URL to show in the browser, or `False` to "
            "leave the browser's history and location bar alone."
        )
    return _url(url)


def get_trigger_event_headers(trigger_event: TriggerEventType) -> dict[str, Any]:
    """Return the ``HX-Trigger`` (or ``-After-Settle`` / ``-After-Swap``) header of an event specification.

    Args:
        trigger_event: The event name(s), shared ``params`` and ``after``.

    Returns:
        The header, whose value is a JSON object of event names to details.

    Raises:
        ImproperlyConfiguredException: ``after`` is not ``"receive"``, ``"settle"`` or ``"swap"``, or ``params`` is
            given with a mapping of names to details.
    """
    header = _TRIGGER_HEADERS.get(trigger_event.get("after"))
    if header is None:
        raise ImproperlyConfiguredException(
            f'`after={trigger_event.get("after")!r}` is not a time to trigger an event at; give `after="receive"`, '
            '`"settle"` or `"swap"`.'
        )
    name, params = trigger_event["name"], trigger_event.get("params")
    if isinstance(name, Mapping):
        if params is not None:
            raise ImproperlyConfiguredException(
                "`params` cannot be given with a mapping of event names to details: put each event's detail in the "
                "mapping."
            )
        events = dict(name)
    elif isinstance(name, str):
        events = {name: params or {}}
    else:
        events = {event: params or {} for event in name}
    return {header: _json(events)}


def get_redirect_header(url: str) -> dict[str, Any]:
    """Return the ``HX-Redirect`` header: HTMX loads ``url`` as a full page."""
    return {HTMXHeaders.REDIRECT.value: _url(url)}


def get_push_url_header(url: PushUrlType) -> dict[str, Any]:
    """Return the ``HX-Push-Url`` header: ``url`` pushed onto the browser's history, or ``"false"``."""
    return {HTMXHeaders.PUSH_URL.value: _url_or_false(url, HTMXHeaders.PUSH_URL)}


def get_replace_url_header(url: PushUrlType) -> dict[str, Any]:
    """Return the ``HX-Replace-Url`` header: ``url`` replacing the one in the location bar, or ``"false"``."""
    return {HTMXHeaders.REPLACE_URL.value: _url_or_false(url, HTMXHeaders.REPLACE_URL)}


def get_refresh_header(refresh: bool) -> dict[str, Any]:
    """Return the ``HX-Refresh`` header: ``"true"`` makes HTMX reload the whole page."""
    return {HTMXHeaders.REFRESH.value: "true" if refresh else ""}


def get_reswap_header(method: ReSwapMethod) -> dict[str, Any]:
    """Return the ``HX-Reswap`` header: how the response is swapped in (an ``hx-swap`` value)."""
    return {HTMXHeaders.RE_SWAP.value: method}


def get_retarget_header(target: str) -> dict[str, Any]:
    """Return the ``HX-Retarget`` header: the CSS selector of the element to update instead."""
    return {HTMXHeaders.RE_TARGET.value: target}


def get_location_headers(location: LocationType) -> dict[str, Any]:
    """Return the ``HX-Location`` header: a navigation without a full reload, as a JSON object of the given fields.

    ``hx_headers`` is sent as HTMX's ``headers`` field (the headers of the request HTMX makes).

    Raises:
        ImproperlyConfiguredException: ``path`` is empty.
    """
    if not location.get("path"):
        raise ImproperlyConfiguredException("`HXLocation` needs `redirect_to`: the path to load.")
    spec = {("headers" if key == "hx_headers" else key): value for key, value in location.items() if value}
    return {HTMXHeaders.LOCATION.value: _json(spec)}


def get_headers(hx_headers: HtmxHeaderType) -> dict[str, Any]:
    """Return the HTMX response headers for the fields set in ``hx_headers`` (``None`` fields are left out).

    Args:
        hx_headers: The fields.

    Returns:
        The headers.

    Raises:
        ImproperlyConfiguredException: A field has a value HTMX cannot act on.
    """
    headers: dict[str, Any] = {}
    for key, value in hx_headers.items():
        if value is not None:
            headers.update(_BUILDERS[key](value))
    return headers


_BUILDERS: Final[dict[str, Any]] = {
    "location": get_location_headers,
    "redirect": get_redirect_header,
    "refresh": get_refresh_header,
    "push_url": get_push_url_header,
    "replace_url": get_replace_url_header,
    "re_swap": get_reswap_header,
    "re_target": get_retarget_header,
    "trigger_event": get_trigger_event_headers,
}
