"""HTMX responses: ``Response`` and ``Template`` subclasses that set HTMX's response headers.

Each is an ordinary outpour response (the headers are set when it is created), so it is sent the way any
``Response`` or ``Template`` is, with the layered headers, cookies and background tasks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from outpour.enums import MediaType
from outpour.plugins.htmx._types import HtmxHeaderType, LocationType, TriggerEventType
from outpour.plugins.htmx._utils import _URL_SAFE, HTMX_STOP_POLLING, get_headers
from outpour.response import Response, Template

if TYPE_CHECKING:
    from collections.abc import Mapping

    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.plugins.htmx._types import EventAfterType, PushUrlType, ReSwapMethod, TriggerEventNameType
    from outpour.types import ResponseCookies, ResponseHeaders

__all__ = [
    "ClientRedirect",
    "ClientRefresh",
    "HTMXTemplate",
    "HXLocation",
    "HXStopPolling",
    "PushUrl",
    "ReplaceUrl",
    "Reswap",
    "Retarget",
    "TriggerEvent",
]

T = TypeVar("T")


def _set_headers(response: Response[Any], spec: HtmxHeaderType) -> None:
    """Set the HTMX headers of ``spec`` on ``response`` (checked as any header set with ``set_header``)."""
    for name, value in get_headers(spec).items():
        response.set_header(name, value)


class HXStopPolling(Response[bytes]):
    """Ask HTMX to stop polling: status 286 and an empty body (HTMX still swaps the body in)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(b"", status_code=HTMX_STOP_POLLING, media_type=MediaType.HTML)


class ClientRedirect(Response[bytes]):
    """Make HTMX load another page with a full reload (``HX-Redirect``).

    Args:
        redirect_to: The URL to load; characters a URL may not hold are percent-encoded.
    """

    __slots__ = ()

    def __init__(self, redirect_to: str) -> None:
        super().__init__(b"", status_code=200, media_type=MediaType.HTML)
        _set_headers(self, HtmxHeaderType(redirect=redirect_to))


class ClientRefresh(Response[bytes]):
    """Make HTMX reload the whole page (``HX-Refresh: true``)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(b"", status_code=200, media_type=MediaType.HTML)
        _set_headers(self, HtmxHeaderType(refresh=True))


class HXLocation(Response[bytes]):
    """Make HTMX load another page without a full reload, as if an ``hx-get`` had been clicked (``HX-Location``).

    Args:
        redirect_to: The path to load.
        source: The source element of the request.
        event: The event that "triggered" the request.
        target: The CSS selector of the element to swap the response into.
        select: The CSS selector of the part of the response to swap in.
        swap: How the response is swapped in.
        hx_headers: Headers HTMX sends with the request (HTMX's ``headers`` field).
        values: Values HTMX submits with the request.
        **kwargs: Other ``Response`` arguments (``cookies``, ``background``, ...).
    """

    __slots__ = ()

    def __init__(
        self,
        redirect_to: str,
        source: str | None = None,
        event: str | None = None,
        target: str | None = None,
        select: str | None = None,
        swap: ReSwapMethod | None = None,
        hx_headers: dict[str, Any] | None = None,
        values: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("status_code", 200)
        kwargs.setdefault("media_type", MediaType.HTML)
        super().__init__(b"", **kwargs)
        location = LocationType(
            path=quote(redirect_to, safe=_URL_SAFE),
            source=source,
            event=event,
            target=target,
            select=select,
            swap=swap,
            values=values,
            hx_headers=hx_headers,
        )
        _set_headers(self, HtmxHeaderType(location=location))


class PushUrl(Response[T]):
    """A response that also pushes a URL onto the browser's history (``HX-Push-Url``).

    Args:
        content: The body.
        push_url: The URL to push, or ``False`` to keep HTMX from pushing one (with ``hx-push-url`` set).
        **kwargs: Other ``Response`` arguments.
    """

    __slots__ = ()

    def __init__(self, content: T, push_url: PushUrlType, **kwargs: Any) -> None:
        kwargs.setdefault("status_code", 200)
        super().__init__(content, **kwargs)
        _set_headers(self, HtmxHeaderType(push_url=push_url))


class ReplaceUrl(Response[T]):
    """A response that also replaces the URL in the browser's location bar (``HX-Replace-Url``).

    Args:
        content: The body.
        replace_url: The URL to show, or ``False`` to keep the current one.
        **kwargs: Other ``Response`` arguments.
    """

    __slots__ = ()

    def __init__(self, content: T, replace_url: PushUrlType, **kwargs: Any) -> None:
        kwargs.setdefault("status_code", 200)
        super().__init__(content, **kwargs)
        _set_headers(self, HtmxHeaderType(replace_url=replace_url))


class Reswap(Response[T]):
    """A response swapped in another way than the element's ``hx-swap`` says (``HX-Reswap``).

    Args:
        content: The body.
        method: The swap method (an ``hx-swap`` value, modifiers included).
        **kwargs: Other ``Response`` arguments.
    """

    __slots__ = ()

    def __init__(self, content: T, method: ReSwapMethod, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        _set_headers(self, HtmxHeaderType(re_swap=method))


class Retarget(Response[T]):
    """A response swapped into another element than the request's target (``HX-Retarget``).

    Args:
        content: The body.
        target: The CSS selector of the element to update.
        **kwargs: Other ``Response`` arguments.
    """

    __slots__ = ()

    def __init__(self, content: T, target: str, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        _set_headers(self, HtmxHeaderType(re_target=target))


class TriggerEvent(Response[T]):
    """A response that triggers client-side events (``HX-Trigger``, ``HX-Trigger-After-Settle`` or ``-After-Swap``).

    Args:
        content: The body.
        name: An event name, a sequence of names, or a mapping of names to their details.
        after: When to trigger: ``"receive"`` (on receiving the response), ``"settle"`` or ``"swap"``.
        params: The detail of each event named by ``name`` (a name or a sequence); not with a mapping.
        **kwargs: Other ``Response`` arguments.

    Raises:
        ImproperlyConfiguredException: ``after`` is not one of the three, or ``params`` is given with a mapping.
    """

    __slots__ = ()

    def __init__(
        self,
        content: T,
        name: TriggerEventNameType,
        after: EventAfterType,
        params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(content, **kwargs)
        _set_headers(self, HtmxHeaderType(trigger_event=TriggerEventType(name=name, params=params, after=after)))


class HTMXTemplate(Template):
    """A ``Template`` response that also sets HTMX headers; annotate the handler's return as ``Template``.

    Args:
        push_url: A URL to push onto the browser's history, or ``False`` to keep HTMX from pushing one.
        re_swap: How the response is swapped in.
        re_target: The CSS selector of the element to update instead of the request's target.
        trigger_event: An event name, a sequence of names, or a mapping of names to details, to trigger.
        params: The detail of each event named by ``trigger_event`` (a name or a sequence).
        after: When to trigger the events: ``"receive"``, ``"settle"`` or ``"swap"``; needed with ``trigger_event``.
        template_name: The template's name (see ``Template``).
        template_str: The template's source, instead of ``template_name``.
        background: Task(s) to run after the response is sent.
        context: Values available in the template.
        cookies: Cookies to set.
        encoding: The encoding of the rendered text.
        headers: More headers.
        media_type: The Content-Type.
        status_code: The status code.

    Raises:
        ImproperlyConfiguredException: As ``Template`` does, or ``trigger_event`` is given without a valid
            ``after``.
    """

    __slots__ = ()

    def __init__(
        self,
        push_url: PushUrlType | None = None,
        re_swap: ReSwapMethod | None = None,
        re_target: str | None = None,
        trigger_event: TriggerEventNameType | None = None,
        params: dict[str, Any] | None = None,
        after: EventAfterType | None = None,
        *,
        template_name: str | None = None,
        template_str: str | None = None,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        context: Mapping[str, Any] | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(
            template_name,
            template_str=template_str,
            background=background,
            context=context,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )
        # An empty name is "no event"; an empty list or mapping still sends an (empty) `HX-Trigger`.
        event = (
            None
            if trigger_event is None or trigger_event == ""
            else TriggerEventType(name=trigger_event, params=params, after=after)
        )
        _set_headers(self, HtmxHeaderType(push_url=push_url, re_swap=re_swap, re_target=re_target, trigger_event=event))
