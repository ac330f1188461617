"""``Redirect``: a response sending the client elsewhere with a 301, 302, 303, 307 or 308 and a ``Location``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeAlias, cast
from urllib.parse import quote, urlencode

from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response._render import content_type_header, media_type_str
from outpour.response.base import ASGIResponse, Response, encoded_cookie, encoded_pairs, merge_cookies

if TYPE_CHECKING:
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.datastructures.cookie import Cookie
    from outpour.types import ResponseCookies, ResponseHeaders, TypeEncodersMap

__all__ = ["ASGIRedirectResponse", "Redirect", "RedirectStatusType"]

RedirectStatusType: TypeAlias = Literal[301, 302, 303, 307, 308]
"""The status codes a redirect can have."""

REDIRECT_STATUS_CODES: Final = frozenset({301, 302, 303, 307, 308})
REDIRECT_ALLOWED_MEDIA_TYPES: Final = frozenset({MediaType.TEXT.value, MediaType.HTML.value})
"""The media types of a redirect's (empty) body, as in Litestar."""


class _MultiItems(Protocol):
    def multi_items(self) -> Iterable[tuple[str, Any]]: ...


QueryParams: TypeAlias = "Mapping[str, Any] | Iterable[tuple[str, Any]] | _MultiItems"
"""Query parameters: a mapping (a list value repeats the key), ``(key, value)`` pairs, or a ``MultiDict``."""

# Characters a Location keeps as they are: RFC 3986 reserved and unreserved characters and "%" (existing escapes).
# Everything else (spaces, CR, LF, NUL, backslashes, quotes, non-ASCII) is percent-encoded.
_SAFE: Final = "/#%[]=:;$&()+,!?*@'~"
_STRAY_PERCENT: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _check_status(status_code: int | None) -> None:
    if status_code is not None and status_code not in REDIRECT_STATUS_CODES:
        raise ImproperlyConfiguredException(
            f"`{status_code}` is not a redirect status code; a `Redirect` takes 301, 302, 303, 307 or 308 "
            "(302 when not given)."
        )


def _check_media_type(media_type: MediaType | str | None) -> None:
    if media_type is not None and media_type_str(media_type).lower() not in REDIRECT_ALLOWED_MEDIA_TYPES:
        raise ImproperlyConfiguredException(
            f"`{media_type_str(media_type)}` is not a media type a redirect can have: its body is empty, sent as "
            "`text/plain` or `text/html`. Give one of these as `media_type`, or leave it out for `text/plain`."
        )


def _utf8(text: str) -> bytes:
    """Encode text as UTF-8; undecodable bytes kept as surrogates go back to bytes, other lone surrogates to U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return "".join(
            "\ufffd" if "\ud800" <= ch <= "\udfff" and not "\udc80" <= ch <= "\udcff" else ch for ch in text
        ).encode("utf-8", "surrogateescape")


def _query_value(value: Any) -> Any:
    return _utf8(value) if isinstance(value, str) else value


def _query_items(query_params: Any) -> list[tuple[Any, Any]]:
    if hasattr(query_params, "multi_items"):
        return [(_query_value(k), _query_value(v)) for k, v in query_params.multi_items()]
    items = query_params.items() if isinstance(query_params, Mapping) else query_params
    out: list[tuple[Any, Any]] = []
    for key, value in items:
        if isinstance(value, list | tuple):
            out.extend((_query_value(key), _query_value(v)) for v in value)
        else:
            out.append((_query_value(key), _query_value(value)))
    return out


def encode_location(path: str | bytes, query_params: QueryParams | None = None) -> str:
    """Percent-encode a redirect target for the ``Location`` header, appending query parameters.

    Args:
        path: The target: a path or an absolute URL.
        query_params: Query parameters to add; a value that is a list adds the key once per item.

    Returns:
        The header value; it never holds CR, LF, NUL or non-ASCII characters.
    """
    text = path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else path
    location = quote(_utf8(_STRAY_PERCENT.sub("%25", text)), safe=_SAFE)
    if query_params:
        query = urlencode(_query_items(query_params), doseq=False)
        if query:
            fragment = ""
            if "#" in location:
                location, _, rest = location.partition("#")
                fragment = "#" + rest
            sep = "&" if "?" in location else "?"
            if location.endswith(("?", "&")):
                sep = ""
            location = f"{location}{sep}{query}{fragment}"
    return location


def plain_redirect_template(
    layered_headers: Mapping[str, str],
    layered_cookies: list[Cookie],
    encoded_cookies: list[tuple[bytes, bytes]],
    handler_media_type: str | None,
    status_code: int,
    content_type: bytes | None,
) -> tuple[int, list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    """What ``redirect_parts`` sends around the ``Location`` of a plain redirect, worked out once by a route.

    A plain redirect is a ``Redirect`` to a ``str`` path without query parameters, headers, cookies, a media type or
    an encoding of its own: ``redirect_parts`` gives it the headers ``before + [location] + after`` and, without a
    status code of its own, the status returned here.

    Returns:
        ``(status, before, after)``.
    """
    status, headers = redirect_parts(
        Redirect("/"), layered_headers, layered_cookies, encoded_cookies, handler_media_type, status_code, content_type
    )
    index = headers.index(_location_pair("/"))
    return status, headers[:index], headers[index + 1 :]


@lru_cache(maxsize=512)
def _location_pair(path: str) -> tuple[bytes, bytes]:
    """The ``Location`` header of a path without query parameters, remembered: routes redirect to few targets."""
    return b"location", encode_location(path).encode("ascii")  # percent-encoded: ASCII without controls


location_pair = _location_pair
"""The encoded ``Location`` header of a path without query parameters (remembered)."""


def redirect_parts(
    redirect: Redirect,
    layered_headers: Mapping[str, str],
    layered_cookies: list[Cookie],
    encoded_cookies: list[tuple[bytes, bytes]],
    handler_media_type: str | None,
    status_code: int,
    content_type: bytes | None = None,
) -> tuple[int, list[tuple[bytes, bytes]]]:
    """The status and start-line headers of a ``Redirect`` (exactly that class) sent by a route; its body is empty.

    What ``redirect.to_asgi_response(...)`` and the ``ASGIRedirectResponse`` would send, without building either.

    Args:
        redirect: The redirect the handler returned.
        layered_headers: The layers' headers (names in lower case), under the redirect's own.
        layered_cookies: The layers' cookies, merged under the redirect's own when it has some.
        encoded_cookies: ``layered_cookies`` encoded, sent as they are when the redirect has no cookies.
        handler_media_type: The media type the route handler sets, or None.
        status_code: The route handler's status code: used when it is a redirect status code.
        content_type: The Content-Type of a redirect without a media type or an encoding of its own, when the route
            computed it once (``text/plain`` or the handler's ``text/html``, UTF-8).

    Returns:
        ``(status, headers)``.

    Raises:
        ValueError: When a header would corrupt the response.
    """
    status = redirect.status_code
    if status is None:
        status = status_code if status_code in REDIRECT_STATUS_CODES else 302
    path, query_params = redirect.path, redirect.query_params
    own = redirect.headers
    if own or layered_headers or query_params or type(path) is not str:
        location = encode_location(path, query_params)
        merged = {**layered_headers, **own} if layered_headers else own
        headers = encoded_pairs(
            [(k, v) for k, v in merged.items() if k.lower() != "location"] + [("location", location)]
        )
        names: Any = {name for name, _ in headers}
    else:
        headers, names = [_location_pair(path)], ()
    if b"content-type" not in names:
        if content_type is not None and redirect.media_type is None and redirect.encoding == "utf-8":
            headers.append((b"content-type", content_type))
        else:
            chosen = redirect.media_type or _redirect_media_type(handler_media_type) or MediaType.TEXT
            headers.append((b"content-type", content_type_header(media_type_str(chosen), redirect.encoding)))
    if b"content-length" not in names:
        headers.append((b"content-length", b"0"))
    if redirect.cookies:
        headers.extend(encoded_cookie(cookie) for cookie in merge_cookies(redirect.cookies, layered_cookies))
    else:
        headers.extend(encoded_cookies)
    return status, headers


class ASGIRedirectResponse(ASGIResponse):
    """The low-level redirect response: an empty body and a percent-encoded ``Location``.

    Args:
        path: The target: a path or an absolute URL (with its query string); percent-encoded where needed.
        media_type: The Content-Type: ``text/plain`` (the default) or ``text/html``.
        status_code: 301, 302, 303, 307 or 308; 302 when not given.
        headers: More headers.
        background: Task(s) to run after the response is sent.
        body: The body; redirects are sent empty, so it is ignored.
        content_length: Ignored: the body is empty.
        cookies: Cookies to set.
        encoding: The charset of a text media type.
        is_head_response: Whether the request was a HEAD request.

    Raises:
        ImproperlyConfiguredException: ``status_code`` is not a redirect status code, or ``media_type`` is neither
            ``text/plain`` nor ``text/html``.
    """

    __slots__ = ("location",)

    def __init__(
        self,
        path: str | bytes,
        media_type: MediaType | str | None = None,
        status_code: RedirectStatusType | None = None,
        headers: Mapping[str, Any] | None = None,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        body: bytes | str = b"",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoding: str = "utf-8",
        is_head_response: bool = False,
    ) -> None:
        _check_status(status_code)
        _check_media_type(media_type)
        self.location = encode_location(path)
        merged = {k: v for k, v in (headers or {}).items() if k.lower() != "location"}
        merged["location"] = self.location
        super().__init__(
            background=background,
            body=b"",
            cookies=cookies,
            encoding=encoding,
            headers=merged,
            is_head_response=is_head_response,
            media_type=media_type or MediaType.TEXT,
            status_code=status_code or 302,
        )


class Redirect(Response[Any]):
    """A redirect to ``path``: a 302 unless ``status_code`` or the route handler's ``status_code`` says otherwise.

    The status code is, in order: the one given here, the route handler's when it is a redirect status code,
    and 302. ``Location`` is percent-encoded: reserved characters and existing escapes stay, anything else
    (spaces, CR, LF, non-ASCII) is encoded.

    Args:
        path: The target: a path (``/login``) or an absolute URL.
        background: Task(s) to run after the response is sent.
        cookies: Cookies to set.
        encoding: The charset of a text media type.
        headers: More headers.
        media_type: The Content-Type of the (empty) body, ``text/plain`` or ``text/html``; ``text/plain`` when neither
            this nor the handler sets one.
        status_code: 301, 302, 303, 307 or 308.
        type_encoders: Unused: the body is empty; kept for the common response signature.
        query_params: Query parameters to add to ``path``; a value that is a list adds the key once per item.

    Raises:
        ImproperlyConfiguredException: ``status_code`` is not a redirect status code, or ``media_type`` is neither
            ``text/plain`` nor ``text/html``.
    """

    __slots__ = ("path", "query_params")

    def __init__(
        self,
        path: str,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: RedirectStatusType | None = None,
        type_encoders: TypeEncodersMap | None = None,
        query_params: QueryParams | None = None,
    ) -> None:
        if status_code is not None:  # the checks only for what is given: a plain `Redirect(path)` calls neither
            _check_status(status_code)
        if media_type is not None:
            _check_media_type(media_type)
        if type(self) is not Redirect or cookies or headers or type_encoders or Redirect.type_encoders:
            super().__init__(
                content=b"",
                background=background,
                cookies=cookies,
                encoding=encoding,
                headers=headers,
                media_type=media_type,
                status_code=status_code,
                type_encoders=type_encoders,
            )
        else:  # what `Response.__init__` sets for these arguments, without a second call with nine keywords
            self.content = b""
            self.background = background
            self.cookies = []
            self.encoding = encoding
            self.headers = {}
            self.media_type = media_type
            self.status_code = status_code
            self.response_type_encoders = None
        self.path = path
        self.query_params = query_params

    @property
    def url(self) -> str:
        """The ``Location`` value: the percent-encoded target with its query parameters."""
        return encode_location(self.path, self.query_params)

    def to_asgi_response(
        self,
        request: Request[Any, Any, Any] | None,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIRedirectResponse:
        """Create the ``ASGIRedirectResponse``.

        Args:
            request: The request being answered.
            background: Layered background task(s), used when the response has none.
            cookies: Layered cookies.
            headers: Layered headers.
            is_head_response: Whether the request was a HEAD request.
            media_type: Unused: the handler's own ``media_type`` applies when it sets one and it is ``text/plain``
                or ``text/html``. A handler returning only redirects with another one is refused when the app is
                created; one that also returns other values (``-> Redirect | dict``) keeps it for those.
            status_code: The handler's status code; used when it is a redirect status code.
            type_encoders: Unused.

        Returns:
            The low-level response.
        """
        status = self.status_code
        if status is None:
            status = status_code if status_code in REDIRECT_STATUS_CODES else 302
        chosen = self.media_type or _redirect_media_type(explicit_handler_media_type(request)) or MediaType.TEXT
        return ASGIRedirectResponse(
            path=self.url,
            media_type=media_type_str(chosen),
            status_code=cast("RedirectStatusType", status),
            headers={**headers, **self.headers} if headers else self.headers,
            background=self.background or background,
            cookies=merge_cookies(self.cookies, cookies),
            encoding=self.encoding,
            is_head_response=is_head_response,
        )


def _redirect_media_type(media_type: MediaType | str | None) -> MediaType | str | None:
    """The handler's media type when a redirect can have it, else None (the redirect is sent as ``text/plain``).

    A handler that returns a ``Redirect`` or other values (``-> Redirect | dict``) keeps its ``media_type`` for the
    others.
    """
    if media_type is not None and media_type_str(media_type).lower() in REDIRECT_ALLOWED_MEDIA_TYPES:
        return media_type
    return None


redirect_media_type = _redirect_media_type
"""The media type a route's redirects take from its handler (the sender computes their Content-Type once)."""


def explicit_handler_media_type(request: Request[Any, Any, Any] | None) -> MediaType | str | None:
    """Return the ``media_type`` set on the route handler answering ``request``, or None when it sets none."""
    if request is None:
        return None
    scope = getattr(request, "scope", None) or {}
    handler = scope.get("route_handler")
    media_type: MediaType | str | None = getattr(handler, "media_type", None)
    return media_type
