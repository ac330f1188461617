"""The rows of ``outpour routes``: each route's path, methods, handler and the kind of response it sends.

The kind comes from the compiled plan: the return annotation names the response class (``Stream``, ``File``,
``ServerSentEvent``, …), and for plain values the media type says how the body is rendered (JSON, MessagePack, text,
HTML).
"""

from __future__ import annotations

import collections.abc
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from outpour.pagination import ClassicPagination, CursorPagination, OffsetPagination
from outpour.response import ASGIResponse, File, Redirect, Response, ServerSentEvent, Stream, Template
from outpour.routes import ASGIRoute, HTTPRoute, WebSocketRoute

if TYPE_CHECKING:
    from outpour._plan import HTTPPlan
    from outpour.app import Outpour

__all__ = ["RouteRow", "media_label", "response_kind", "route_rows"]

# Most specific first: ``ServerSentEvent`` is a ``Stream``, and every response class is a ``Response``.
_RESPONSE_KINDS: tuple[tuple[type[Any], str], ...] = (
    (ServerSentEvent, "server-sent events"),
    (Stream, "stream"),
    (File, "file"),
    (Redirect, "redirect"),
    (Template, "template"),
    (ClassicPagination, "classic pagination"),
    (OffsetPagination, "offset pagination"),
    (CursorPagination, "cursor pagination"),
)
_MEDIA_LABELS = {
    "application/json": "JSON",
    "application/vnd.msgpack": "MessagePack",
    "application/x-msgpack": "MessagePack",
    "application/msgpack": "MessagePack",
    "text/plain": "text",
    "text/html": "HTML",
}


@dataclass(frozen=True)
class RouteRow:
    """One line of the routes table.

    Attributes:
        path: The path template, e.g. ``/items/{item_id:int}``.
        methods: The HTTP methods, or ``*`` for an ASGI app.
        handler: The handler function's qualified name.
        kind: What the route sends, e.g. ``JSON``, ``stream`` or ``file``.
    """

    path: str
    methods: tuple[str, ...]
    handler: str
    kind: str


def media_label(media_type: str) -> str:
    """Name a media type the way the docs do: ``application/json`` is ``JSON``; others are shown as they are.

    Args:
        media_type: A media type, parameters allowed.

    Returns:
        The label.
    """
    bare = media_type.split(";", 1)[0].strip().lower()
    if bare in _MEDIA_LABELS:
        return _MEDIA_LABELS[bare]
    if bare.endswith("+json"):
        return f"JSON ({bare})"
    return bare


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None``; a union of several types stays as it is."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def response_kind(plan: HTTPPlan) -> str:
    """Say what a compiled route sends, from its return annotation, media type and response class.

    Args:
        plan: The route's compiled plan.

    Returns:
        A short label, e.g. ``JSON``, ``response (text)``, ``server-sent events``, ``returned ASGI app`` or
        ``no body``.
    """
    annotation = _unwrap(plan.return_annotation)
    cls = get_origin(annotation) or annotation
    label = media_label(plan.media_type)
    if annotation is None or annotation is type(None):
        kind = "no body"
    elif isinstance(cls, type) and issubclass(cls, ASGIResponse):
        kind = "ASGI response"
    elif cls is collections.abc.Callable:  # ``-> ASGIApp``: the handler returns an ASGI app, which answers
        kind = "returned ASGI app"
    elif isinstance(cls, type):
        kind = next((name for base, name in _RESPONSE_KINDS if issubclass(cls, base)), "")
        if kind.endswith("pagination"):
            kind = f"{kind} ({label})"
        elif not kind:
            kind = f"response ({label})" if issubclass(cls, Response) else label
    else:
        kind = label
    response_class = plan.response_class
    if response_class is not None and response_class is not Response:
        kind = f"{kind} via {response_class.__name__}"
    return kind


def route_rows(app: Outpour, exclude: Sequence[str] = (), hide_prefix: str | None = None) -> list[RouteRow]:
    """List the app's routes, sorted by path then methods.

    Args:
        app: The app.
        exclude: Regular expressions; a route whose path matches one (``re.search``) is left out.
        hide_prefix: Leave out routes at or under this path (the OpenAPI pages).

    Returns:
        The rows.
    """
    patterns = [re.compile(pattern) for pattern in exclude]
    plans: dict[tuple[int, str], HTTPPlan] = {}
    for plan in app.plans:
        plans.setdefault((id(plan.handler), plan.method), plan)
    rows: list[RouteRow] = []
    for route in app.routes:
        path = route.path
        if any(pattern.search(path) for pattern in patterns):
            continue
        if hide_prefix and (path == hide_prefix or path.startswith(hide_prefix.rstrip("/") + "/")):
            continue
        if isinstance(route, ASGIRoute):
            kind = "ASGI app (mount)" if route.route_handler.is_mount else "ASGI app"
            rows.append(RouteRow(path, ("*",), route.route_handler.handler_name, kind))
        elif isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                found = plans.get((id(handler), handler.http_methods[0]))
                kind = response_kind(found) if found is not None else "?"
                rows.append(RouteRow(path, tuple(handler.http_methods), handler.handler_name, kind))
        elif isinstance(route, WebSocketRoute):
            rows.append(RouteRow(path, ("WEBSOCKET",), route.route_handler.handler_name, "WebSocket"))
    rows.sort(key=lambda row: (row.path, row.methods))
    return rows
