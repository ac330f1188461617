"""``HTMXRequest``: a ``Request`` whose ``htmx`` attribute (``HTMXDetails``) reads the headers HTMX sends."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic
from urllib.parse import unquote, urlsplit, urlunsplit

from outpour.connection import Request
from outpour.connection.base import AuthT, StateT, UserT, empty_receive, empty_send
from outpour.exceptions import SerializationException
from outpour.plugins.htmx._utils import HTMXHeaders
from outpour.serialization import decode_json

if TYPE_CHECKING:
    from outpour.types import Receive, Scope, Send

__all__ = ["HTMXDetails", "HTMXRequest"]


class HTMXDetails:
    """The values an HTMX client sends in its request headers; false (``bool(details)``) for other clients.

    A header sent URI-encoded (with ``<name>-URI-AutoEncoded: true``, as HTMX does for non-ASCII values) is decoded.

    Args:
        request: The request.
    """

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.request = request

    def _get_header_value(self, name: HTMXHeaders) -> str | None:
        """The value of header ``name``, URI-decoded when HTMX says it encoded it; ``None`` when absent or empty."""
        headers = self.request.headers
        value = headers.get(name.value)
        if not value:
            return None
        return unquote(value) if headers.get(f"{name.value}-URI-AutoEncoded") == "true" else value

    def __bool__(self) -> bool:
        """Whether an HTMX client sent the request (``HX-Request: true``)."""
        return self._get_header_value(HTMXHeaders.REQUEST) == "true"

    @cached_property
    def boosted(self) -> bool:
        """Whether the request comes from an element using ``hx-boost``."""
        return self._get_header_value(HTMXHeaders.BOOSTED) == "true"

    @cached_property
    def current_url(self) -> str | None:
        """The URL the browser is showing (``HX-Current-URL``)."""
        return self._get_header_value(HTMXHeaders.CURRENT_URL)

    @cached_property
    def current_url_abs_path(self) -> str | None:
        """The path, query and fragment of ``current_url`` when it is on this server's scheme and host, else ``None``."""
        if not self.current_url:
            return None
        split = urlsplit(self.current_url)
        if split.scheme == self.request.scope.get("scheme") and split.netloc == self.request.headers.get("host"):
            return urlunsplit(split._replace(scheme="", netloc=""))
        return None

    @cached_property
    def history_restore_request(self) -> bool:
        """Whether HTMX asks for the whole page to restore history after a miss in its local history cache."""
        return self._get_header_value(HTMXHeaders.HISTORY_RESTORE_REQUEST) == "true"

    @cached_property
    def prompt(self) -> str | None:
        """The user's answer to an ``hx-prompt``."""
        return self._get_header_value(HTMXHeaders.PROMPT)

    @cached_property
    def target(self) -> str | None:
        """The ``id`` of the target element, when it has one."""
        return self._get_header_value(HTMXHeaders.TARGET)

    @cached_property
    def trigger(self) -> str | None:
        """The ``id`` of the element that triggered the request, when it has one."""
        return self._get_header_value(HTMXHeaders.TRIGGER_ID)

    @cached_property
    def trigger_name(self) -> str | None:
        """The ``name`` of the element that triggered the request, when it has one."""
        return self._get_header_value(HTMXHeaders.TRIGGER_NAME)

    @cached_property
    def triggering_event(self) -> Any:
        """The event that triggered the request, decoded from the JSON of the ``Triggering-Event`` header.

        HTMX's ``event-header`` extension sends it; ``None`` without the header or when it is not valid JSON.
        """
        value = self._get_header_value(HTMXHeaders.TRIGGERING_EVENT)
        if value is None:
            return None
        try:
            return decode_json(value)
        except SerializationException:
            return None


class HTMXRequest(Request[UserT, AuthT, StateT], Generic[UserT, AuthT, StateT]):
    """A ``Request`` with ``htmx``, the ``HTMXDetails`` of the headers an HTMX client sent.

    Make it the request class with ``HTMXPlugin`` or ``request_class=HTMXRequest`` on any layer, and annotate
    handlers' ``request`` with it.

    Args:
        scope: The ASGI scope.
        receive: The ASGI ``receive`` callable.
        send: The ASGI ``send`` callable.
    """

    __slots__ = ("htmx",)

    def __init__(self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send) -> None:
        super().__init__(scope, receive, send)
        self.htmx = HTMXDetails(self)
