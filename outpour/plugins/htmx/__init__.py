"""HTMX (https://htmx.org) support: ``HTMXRequest`` reads what HTMX sends, the responses set what HTMX reads.

- ``HTMXPlugin`` (``HTMXConfig``) makes ``HTMXRequest`` the app's request class.
- ``HTMXRequest`` has ``htmx``, an ``HTMXDetails``: false for non-HTMX requests, else the ``HX-*`` request headers
  as properties (``boosted``, ``current_url``, ``target``, ``trigger``, ``triggering_event``, ...).
- Responses: ``HTMXTemplate`` (a ``Template`` with HTMX headers), ``ClientRedirect``, ``ClientRefresh``,
  ``HXLocation``, ``HXStopPolling``, ``PushUrl``, ``ReplaceUrl``, ``Reswap``, ``Retarget``, ``TriggerEvent``.
- ``HTMXHeaders`` names the headers; ``EventAfterType``, ``PushUrlType``, ``ReSwapMethod``, ``LocationType``,
  ``TriggerEventType`` and ``HtmxHeaderType`` type the arguments.
"""

from __future__ import annotations

from outpour.plugins.htmx import _utils
from outpour.plugins.htmx._plugin import HTMXConfig, HTMXPlugin
from outpour.plugins.htmx._request import HTMXDetails, HTMXRequest
from outpour.plugins.htmx._response import (
    ClientRedirect,
    ClientRefresh,
    HTMXTemplate,
    HXLocation,
    HXStopPolling,
    PushUrl,
    ReplaceUrl,
    Reswap,
    Retarget,
    TriggerEvent,
)
from outpour.plugins.htmx._types import (
    EventAfterType,
    HtmxHeaderType,
    LocationType,
    PushUrlType,
    ReSwapMethod,
    TriggerEventType,
)
from outpour.plugins.htmx._utils import HTMXHeaders

__all__ = [
    "ClientRedirect",
    "ClientRefresh",
    "EventAfterType",
    "HTMXConfig",
    "HTMXDetails",
    "HTMXHeaders",
    "HTMXPlugin",
    "HTMXRequest",
    "HTMXTemplate",
    "HXLocation",
    "HXStopPolling",
    "HtmxHeaderType",
    "LocationType",
    "PushUrl",
    "PushUrlType",
    "ReSwapMethod",
    "ReplaceUrl",
    "Reswap",
    "Retarget",
    "TriggerEvent",
    "TriggerEventType",
    "_utils",
]
