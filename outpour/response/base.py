"""``Response``, what a handler returns, and ``ASGIResponse``, the low-level object that writes it to the wire."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, cast

from outpour._precondition_hook import (
    SAFE_METHODS,
    precondition_failed,
    precondition_status,
    send_not_modified,
    validators_from_encoded,
)
from outpour.background_tasks import run_background
from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.datastructures.cookie import Cookie
from outpour.datastructures.headers import ETag
from outpour.datastructures.response_header import ResponseHeader
from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException, InvalidHeaderException
from outpour.response._render import (
    body_forbidden,
    bodyless_content_error,
    content_type_header,
    media_type_str,
    render,
)
from outpour.serialization import default_serializer, get_serializer

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.types import Receive, ResponseCookies, ResponseHeaders, Scope, Send, TypeEncodersMap

__all__ = ["ASGIResponse", "Response"]

T = TypeVar("T")

_ENCODED_PAIRS: dict[tuple[str, str], tuple[bytes, bytes]] = {}
"""Header pairs already checked and encoded: most responses send the same few names and values again and again."""
_MAX_ENCODED_PAIRS = 1024


def _encode_pair(name: str, value: Any) -> tuple[bytes, bytes]:
    value = value if type(value) is str else str(value)
    key = (name, value)
    pair = _ENCODED_PAIRS.get(key)
    if pair is None:
        # A name that is not a token, or a value with CR, LF, NUL or a character latin-1 cannot hold, would corrupt
        # the response (or inject headers): refused with ValueError, answered as a logged 500 before anything is sent.
        check_header_name(name)
        check_header_value(value, name=name)
        pair = (name.lower().encode("latin-1"), value.encode("latin-1"))
        if len(_ENCODED_PAIRS) >= _MAX_ENCODED_PAIRS:
            _ENCODED_PAIRS.clear()
        _ENCODED_PAIRS[key] = pair
    return pair


def _encode_headers(headers: Mapping[str, Any] | Iterable[tuple[str, str]] | None) -> list[tuple[bytes, bytes]]:
    if not headers:
        return []
    items: Iterable[tuple[str, Any]] = (
        headers.items() if type(headers) is dict or isinstance(headers, Mapping) else headers
    )  # pyright: ignore[reportAssignmentType]
    cached = _ENCODED_PAIRS.get
    try:
        return [cached(item) or _encode_pair(*item) for item in items]
    except TypeError:  # an unhashable value (a list, say): sent as its str()
        return [_encode_pair(name, value) for name, value in items]


def _body_not_allowed(status_code: int, is_head_response: bool) -> ImproperlyConfiguredException:
    if is_head_response:
        return ImproperlyConfiguredException(
            'An `ASGIResponse` to a HEAD request was given a body, which it must not send. Give `body=b""`, and the '
            "length of the body a GET request would get as `content_length`."
        )
    return ImproperlyConfiguredException(
        f"An `ASGIResponse` with status code {status_code} was given a body, which that status forbids (1xx, 204 and "
        '304 responses have none, RFC 9110). Give `body=b""`, or choose a status code that allows a body.'
    )


def _encode_cookie(cookie: Cookie) -> tuple[bytes, bytes]:
    name, value = cookie.to_encoded_header()
    # Fields are checked when a Cookie is built; this catches one edited afterwards (cookie.value = ...).
    if b"\r" in value or b"\n" in value or b"\x00" in value:
        raise ValueError(
            f"Cookie `{cookie.key}` renders with CR, LF or NUL (was a field changed after it was built?): "
            f"`{value!r}`. Build a new `Cookie` instead of editing one."
        )
    return name, value


encoded_pairs = _encode_headers
"""Check and encode headers (a mapping or pairs) for a start message; the response modules' shared encoder."""
encoded_cookie = _encode_cookie
"""Encode a ``Cookie`` as its ``Set-Cookie`` pair, refusing one edited into carrying CR, LF or NUL."""


class ASGIResponse:
    """A low-level response: status, pre-encoded headers and a body, sent as two ASGI messages.

    A body is an error where none may be sent: with a status code that forbids one (1xx, 204, 304), and in the
    response to a HEAD request, which gives the length the GET response would have as ``content_length`` instead.

    Args:
        background: Task(s) to run after the response is sent.
        body: The body bytes.
        content_length: The Content-Length; defaults to the length of ``body``.
        cookies: Cookies to send as ``Set-Cookie`` lines; documentation-only ones are dropped.
        encoding: The encoding of text bodies (the charset of text media types).
        headers: More headers, as a mapping or pairs of strings (pairs may repeat a name: each is sent). The
            ``headers`` attribute holds them as a dict; what is sent is fixed when the response is created.
        is_head_response: Send the headers of the response without its body.
        media_type: The Content-Type, without a charset for text types (it is added).
        status_code: The status code; 200 when not given.

    Raises:
        ImproperlyConfiguredException: When a body is given with a status code that forbids one, or with
            ``is_head_response=True``.
        ValueError: When a header name or value would corrupt the response.
    """

    __slots__ = (
        "background",
        "body",
        "content_length",
        "cookies",
        "encoded_headers",
        "encoding",
        "headers",
        "is_head_response",
        "media_type",
        "scope",
        "status_code",
    )

    def __init__(
        self,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        body: bytes | str = b"",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoding: str = "utf-8",
        headers: Mapping[str, Any] | Iterable[tuple[str, str]] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.status_code = status_code or 200
        self.body = body.encode(encoding) if isinstance(body, str) else body
        if self.body and (is_head_response or body_forbidden(self.status_code)):
            raise _body_not_allowed(self.status_code, is_head_response)
        self.background = background
        self.encoding = encoding
        self.is_head_response = is_head_response
        self.media_type = media_type_str(media_type) if media_type else None
        self.cookies = [c for c in cookies if not c.documentation_only] if cookies else []
        if not headers:
            self.headers: dict[str, Any] = {}
            pairs: Any = ()
        elif type(headers) is dict or isinstance(headers, Mapping):
            self.headers = dict(headers)  # pyright: ignore[reportAttributeAccessIssue]
            pairs = headers
        else:
            pairs = list(headers)
            self.headers = dict(pairs)
        if body_forbidden(self.status_code):
            self.content_length: int | None = None
        else:
            self.content_length = len(self.body) if content_length is None else content_length
        # Subclasses and outpour's fast paths add pairs they encoded themselves to `encoded_headers` after this.
        self.encoded_headers: list[tuple[bytes, bytes]] = _encode_headers(pairs)
        self.scope: Scope | None = None  # the request's, once sending starts: named in a failing task's log

    def encode_headers(self) -> list[tuple[bytes, bytes]]:
        """Return every header of the response start message, Set-Cookie lines and framing headers included."""
        headers = list(self.encoded_headers)
        names = {name for name, _ in headers} if headers else ()
        if self.media_type and b"content-type" not in names and not body_forbidden(self.status_code):
            headers.append((b"content-type", content_type_header(self.media_type, self.encoding)))
        if self.content_length is not None and b"content-length" not in names:
            headers.append((b"content-length", b"%d" % self.content_length))
        if self.cookies:
            headers.extend([_encode_cookie(cookie) for cookie in self.cookies])
        return headers

    async def start_response(self, send: Send) -> None:
        """Send the ``http.response.start`` message."""
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.encode_headers()})

    async def send_body(self, send: Send, receive: Receive) -> None:
        """Send the body (nothing for a HEAD response) as one ``http.response.body`` message."""
        await send({"type": "http.response.body", "body": b"" if self.is_head_response else self.body})

    async def after_response(self) -> None:
        """Run the background task(s) after the response was sent; a failing task is logged with the request."""
        await run_background(self.background, self.scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the response: start message, body, then the background tasks.

        A 2xx response to GET or HEAD that carries an ``ETag`` or ``Last-Modified`` header first evaluates the
        request's preconditions (RFC 9110 section 13): a matching ``If-None-Match`` (or, without one, an
        ``If-Modified-Since`` not earlier than ``Last-Modified``) is answered 304 Not Modified, with no body; a failing
        ``If-Match`` or ``If-Unmodified-Since`` raises the 412 error before anything is sent. Malformed precondition
        headers are ignored.

        Raises:
            ClientException: 412 Precondition Failed.
        """
        self.scope = scope
        if 200 <= self.status_code < 300 and scope.get("method") in SAFE_METHODS:
            validators = validators_from_encoded(self.encoded_headers)
            if validators is not None:
                outcome = precondition_status(scope, validators)
                if outcome == 304:
                    await send_not_modified(send, self.encode_headers())
                    await self.after_response()
                    return
                if outcome == 412:
                    raise precondition_failed()
        await self.start_response(send)
        await self.send_body(send, receive)
        await self.after_response()


def _to_cookie_list(cookies: ResponseCookies | Iterable[Cookie]) -> list[Cookie]:
    if isinstance(cookies, Mapping):
        return [Cookie(key=key, value=value) for key, value in cast("Mapping[str, str]", cookies).items()]
    return [c for c in cookies if not c.documentation_only]


def _to_header_dict(headers: ResponseHeaders) -> dict[str, Any]:
    if isinstance(headers, Mapping):
        return dict(headers)
    return {h.name: h.value for h in headers if isinstance(h, ResponseHeader) and not h.documentation_only}


def merge_headers(own: Mapping[str, Any], layered: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Merge a response's own headers over layered ones; names are compared case-insensitively."""
    if not layered:
        return own
    if not own:
        return layered
    names = {name.lower() for name in own}
    merged = {name: value for name, value in layered.items() if name.lower() not in names}
    merged.update(own)
    return merged


def merge_cookies(own: list[Cookie], layered: Iterable[Cookie] | None) -> list[Cookie]:
    """Merge the response's own cookies with layered ones; a response's own cookie wins by key, path and domain.

    An own cookie that deletes one (``max_age`` of 0 or less) takes ``Secure``, ``HttpOnly``, ``Partitioned`` and a
    ``SameSite`` other than ``lax`` from the layered cookie it replaces, so that the browser deletes that very cookie.
    """
    if not layered:
        return own
    if not own:
        return list(layered)
    by_ident = {(c.key, c.path, c.domain): c for c in layered}
    merged: list[Cookie] = []
    for cookie in own:
        ident = (cookie.key, cookie.path, cookie.domain)
        replaced = by_ident.pop(ident, None)
        if replaced is not None and cookie.max_age is not None and cookie.max_age <= 0:
            cookie = _deletion_of(cookie, replaced)
        merged.append(cookie)
    merged.extend(by_ident.values())
    return merged


def _deletion_of(deletion: Cookie, stored: Cookie) -> Cookie:
    secure = deletion.secure or stored.secure
    httponly = deletion.httponly or stored.httponly
    partitioned = deletion.partitioned or stored.partitioned
    samesite = stored.samesite if deletion.samesite == "lax" else deletion.samesite
    if (secure, httponly, partitioned, samesite) == (
        deletion.secure,
        deletion.httponly,
        deletion.partitioned,
        deletion.samesite,
    ):
        return deletion
    return Cookie(
        key=deletion.key,
        value=deletion.value,
        max_age=deletion.max_age,
        expires=deletion.expires,
        path=deletion.path,
        domain=deletion.domain,
        secure=secure,
        httponly=httponly,
        samesite=samesite,
        partitioned=partitioned,
    )


def _check_no_content(response: Response[Any], status: int, media_type: str, enc_hook: Callable[[Any], Any]) -> None:
    """Refuse a response whose content renders to a body, given a status code that forbids one.

    Content that renders to nothing (``None``, ``b""``, a falsy value as text) is no body; content that cannot be
    rendered at all is one.

    Raises:
        ImproperlyConfiguredException: When the content is a body.
    """
    try:
        body = response.render(response.content, media_type, enc_hook)
    except (TypeError, ValueError):  # ImproperlyConfiguredException is a ValueError
        body = b"?"
    if body:
        raise bodyless_content_error(status, response.content)


def _merge_encoded(
    own: Mapping[str, Any], layered_headers: list[tuple[bytes, bytes]]
) -> tuple[list[tuple[bytes, bytes]], set[bytes]] | None:
    """A response's own headers, checked and encoded, after the layered ones it does not override, and their names.

    None when the response has an ``ETag`` or ``Last-Modified`` of its own (its ``ASGIResponse`` evaluates them).
    """
    if not own:
        return list(layered_headers), {name for name, _ in layered_headers}
    headers = _encode_headers(own)
    names = {name for name, _ in headers}
    if b"etag" in names or b"last-modified" in names:
        return None
    if layered_headers:
        headers = [pair for pair in layered_headers if pair[0] not in names] + headers
        names.update(name for name, _ in layered_headers)
    return headers, names


def plain_head(
    own: Mapping[str, Any], layered_headers: list[tuple[bytes, bytes]], content_type: bytes
) -> list[tuple[bytes, bytes]] | None:
    """The start-line headers ``response_parts`` sends before Content-Length for a response with the route's defaults.

    That is a ``Response`` without a status code, media type, type encoders, encoding or cookies of its own, sent by
    a route whose status code allows a body and whose renderer and Content-Type are ``content_type``'s. The
    ``Content-Length`` and the layered cookies follow these headers.

    Args:
        own: The response's headers.
        layered_headers: The layers' headers, encoded, names in lower case.
        content_type: The route's Content-Type value.

    Returns:
        The headers; None when the response has an ``ETag``, ``Last-Modified`` or ``Content-Length`` of its own
        (``response_parts`` handles those).

    Raises:
        ValueError: When a header would corrupt the response.
    """
    merged = _merge_encoded(own, layered_headers)
    if merged is None:
        return None
    headers, names = merged
    if b"content-length" in names:
        return None
    if b"content-type" not in names:
        headers.append((b"content-type", content_type))
    return headers


def response_parts(
    response: Response[Any],
    layered_headers: list[tuple[bytes, bytes]],
    layered_cookies: list[Cookie],
    encoded_cookies: list[tuple[bytes, bytes]],
    media_type: str,
    status_code: int,
    type_encoders: TypeEncodersMap | None,
    renderer: Callable[[Any], bytes] | None = None,
    content_type: bytes | None = None,
) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
    """Render a plain ``Response`` (exactly that class) straight to its status, start-line headers and body.

    What ``response.to_asgi_response(...)`` and the ``ASGIResponse`` would send, without building either: the fast
    path of a handler returning ``Response(...)``. The handler's layered values come already encoded.

    Args:
        response: A ``Response`` whose class is ``Response`` itself (a subclass may override ``render`` or
            ``to_asgi_response``: use those).
        layered_headers: The layers' headers, encoded, names in lower case (no Content-Type, no Set-Cookie).
        layered_cookies: The layers' cookies, merged under the response's own when it has some.
        encoded_cookies: ``layered_cookies`` encoded, sent as they are when the response has no cookies.
        media_type: The handler's media type, used when the response has none.
        status_code: The handler's status code, used when the response has none.
        type_encoders: The layers' type encoders; the response's own win.
        renderer: ``get_renderer(media_type, type_encoders)``, built once by the route: used for a response without
            a media type, type encoders or an encoding of its own.
        content_type: ``content_type_header(media_type)``, used with ``renderer``.

    Returns:
        ``(status, headers, body)``; ``None`` when the response carries an ``ETag`` or ``Last-Modified`` header
        (its preconditions are evaluated by ``ASGIResponse``: take the general path).

    Raises:
        ValueError: When a header would corrupt the response.
        TypeError: When the content cannot be serialized.
        ImproperlyConfiguredException: When the media type cannot carry the content, or the status code forbids
            the content the response has.
    """
    merged = _merge_encoded(response.headers, layered_headers)
    if merged is None:
        return None
    headers, names = merged
    status = response.status_code or status_code
    if status < 200 or status == 204 or status == 304:  # body_forbidden(status), inline
        if response.content is not None:
            chosen = media_type_str(response.media_type) if response.media_type else media_type
            _check_no_content(response, status, chosen, default_serializer)
        body = b""
    else:
        own_encoders = response.response_type_encoders
        if (
            renderer is not None
            and content_type is not None
            and response.media_type is None
            and own_encoders is None
            and response.encoding == "utf-8"
        ):
            body = renderer(response.content)
            chosen_type = content_type
        else:
            chosen = media_type_str(response.media_type) if response.media_type else media_type
            encoders = (
                {**type_encoders, **own_encoders} if type_encoders and own_encoders else own_encoders or type_encoders
            )
            body = render(response.content, chosen, encoders, response.encoding)
            chosen_type = content_type_header(chosen, response.encoding)
        if b"content-type" not in names:
            headers.append((b"content-type", chosen_type))
        if b"content-length" not in names:
            headers.append((b"content-length", b"%d" % len(body)))
    if response.cookies:
        headers.extend(_encode_cookie(cookie) for cookie in merge_cookies(response.cookies, layered_cookies))
    elif encoded_cookies:
        headers.extend(encoded_cookies)
    return status, headers, body


class Response(Generic[T]):
    """An HTTP response: content rendered by media type, with status, headers, cookies and background tasks.

    The generic parameter is the type of ``content``; it documents the body in the OpenAPI schema.

    Args:
        content: The body: a value serialized according to ``media_type``.
        background: Task(s) to run after the response is sent.
        cookies: Cookies, as ``Cookie`` instances or a mapping of key to value.
        encoding: The encoding of text content.
        headers: Headers, as a mapping or ``ResponseHeader`` instances; header names are case-insensitive.
        media_type: The media type; JSON when neither the response nor the handler sets one.
        status_code: The status code; the handler's when not given.
        type_encoders: Encoders for types msgspec does not serialize, merged over the class attribute.
    """

    __slots__ = (
        "background",
        "content",
        "cookies",
        "encoding",
        "headers",
        "media_type",
        "response_type_encoders",
        "status_code",
    )

    type_encoders: ClassVar[TypeEncodersMap | None] = None

    def __init__(
        self,
        content: T,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> None:
        self.content = content
        self.background = background
        self.cookies = _to_cookie_list(cookies) if cookies else []
        self.encoding = encoding
        self.headers = {**headers} if type(headers) is dict else _to_header_dict(headers) if headers else {}
        self.media_type = media_type
        self.status_code = status_code
        # The class attribute itself when there is nothing to merge: one stable mapping, whose encoder is cached.
        if type_encoders:
            self.response_type_encoders: TypeEncodersMap | None = {**(self.type_encoders or {}), **type_encoders}
        else:
            self.response_type_encoders = self.type_encoders or None

    def set_header(self, key: str, value: Any) -> None:
        """Set a header, replacing any of the same name (names are compared case-insensitively).

        Args:
            key: The header name: an RFC 9110 token.
            value: The header value (sent as ``str(value)``): one line, latin-1.

        Raises:
            ValueError: When the name is not a token, or the value holds CR, LF, NUL or another control character.
        """
        check_header_name(key)
        check_header_value(str(value), name=key)
        lowered = key.lower()
        for name in [name for name in self.headers if name.lower() == lowered]:
            del self.headers[name]
        self.headers[key] = value

    def set_cookie(
        self,
        key: str | Cookie,
        value: str | None = None,
        max_age: int | None = None,
        expires: int | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] = "lax",
    ) -> None:
        """Set a cookie, given as a ``Cookie`` or as its fields; a cookie with the same key, path and domain is replaced.

        A partitioned cookie (CHIPS) is given as ``Cookie(..., partitioned=True, secure=True)``.

        Args:
            key: A ``Cookie``, or the cookie's key.
            value: The value.
            max_age: Seconds until it expires.
            expires: Seconds until it expires, sent as a date.
            path: The path it applies to.
            domain: The domain it applies to.
            secure: Send only over HTTPS.
            httponly: Hide it from scripts.
            samesite: The SameSite policy.
        """
        if not isinstance(key, Cookie):
            key = Cookie(
                key=key,
                value=value,
                max_age=max_age,
                expires=expires,
                path=path,
                domain=domain,
                secure=secure or None,
                httponly=httponly or None,
                samesite=samesite,
            )
        ident = (key.key, key.path, key.domain)
        self.cookies = [c for c in self.cookies if (c.key, c.path, c.domain) != ident]
        self.cookies.append(key)

    def delete_cookie(self, key: str, path: str = "/", domain: str | None = None) -> None:
        """Ask the browser to delete a cookie: an empty value with ``Max-Age=0`` and an ``expires`` of now.

        A browser only deletes the cookie whose key, path and domain match (and, for a partitioned cookie, only from
        its partition), so the deletion repeats the attributes the cookie was set with: ``Secure``, ``HttpOnly``,
        ``SameSite`` and ``Partitioned`` are taken from a cookie with the same key, path and domain set on this
        response, else from a layered ``response_cookies`` entry (when the response is sent); ``__Host-`` and
        ``__Secure-`` cookies are deleted with ``Secure``. To give them yourself, set the deletion as a cookie:
        ``set_cookie(Cookie(key=key, value="", max_age=0, secure=True, partitioned=True))``.

        Args:
            key: The cookie's key.
            path: Its path.
            domain: Its domain.
        """
        previous = next((c for c in self.cookies if c.key == key and c.path == path and c.domain == domain), None)
        secure = previous.secure if previous else key.lower().startswith(("__host-", "__secure-")) or None
        samesite = previous.samesite if previous else "lax"
        partitioned = previous.partitioned if previous else None
        self.set_cookie(
            Cookie(
                key=key,
                value="",
                max_age=0,
                expires=0,
                path=path,
                domain=domain,
                secure=secure or None,
                httponly=previous.httponly if previous else None,
                samesite=samesite,
                partitioned=partitioned or None,
            )
        )

    def set_etag(self, etag: str | ETag) -> None:
        """Set the ETag header.

        Args:
            etag: An ``ETag``, or a string: an entity tag as sent (``"abc"``, ``W/"abc"``) or a bare tag (``abc``,
                sent as the strong tag ``"abc"``).

        Raises:
            ImproperlyConfiguredException: When the string is not a valid entity tag.
        """
        if not isinstance(etag, ETag):
            try:
                # `ETag.from_header` wants the quotes; a bare tag is taken as the value of a strong one.
                etag = ETag.from_header(etag) if '"' in etag else ETag(value=etag)
            except InvalidHeaderException as exc:
                # A value written in the code: a server error, not the client's 400 that `from_header` stands for.
                raise ImproperlyConfiguredException(exc.detail) from None
        self.set_header("etag", etag.to_header())

    def render(self, content: Any, media_type: str, enc_hook: Callable[[Any], Any] = default_serializer) -> bytes:
        """Render ``content`` to bytes according to ``media_type``; override it to serialize in another way.

        ``bytes`` are sent as they are; JSON (``application/json`` and ``application/...+json``) and MessagePack
        types serialize other values; any other media type takes only ``str`` (encoded with ``encoding``),
        ``bytes`` or ``None`` (an empty body).

        Args:
            content: The value to render.
            media_type: The media type that decides the serialization.
            enc_hook: The serializer of values msgspec does not encode natively. :meth:`to_asgi_response` passes
                one built from the layered ``type_encoders`` and this response's; left out, this response's
                ``type_encoders`` apply.

        Returns:
            The body bytes.

        Raises:
            TypeError: When a value cannot be serialized; the message names its type and how to add an encoder.
            ImproperlyConfiguredException: When the media type cannot carry ``content``.
        """
        if enc_hook is default_serializer:
            return render(content, media_type, self.response_type_encoders, self.encoding)
        return render(content, media_type, None, self.encoding, enc_hook)

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
    ) -> ASGIResponse:
        """Create the low-level ``ASGIResponse``; values set on this response win over the layered ones passed in.

        Args:
            request: The request being answered.
            background: Layered background task(s), used when the response has none.
            cookies: Layered cookies.
            headers: Layered headers.
            is_head_response: Whether the request was a HEAD request.
            media_type: The handler's media type, used when the response has none.
            status_code: The handler's status code, used when the response has none.
            type_encoders: Layered type encoders; the response's own win.

        Returns:
            The ``ASGIResponse`` that sends this response; for a HEAD request, without the body but with its length.

        Raises:
            ImproperlyConfiguredException: When the status code forbids a body (1xx, 204, 304) and the content
                renders to one: give ``None`` as the content.
            TypeError: When the content cannot be serialized.
        """
        chosen_media_type = media_type_str(self.media_type or media_type or MediaType.JSON)
        own_encoders = self.response_type_encoders
        encoders = (
            {**type_encoders, **own_encoders} if type_encoders and own_encoders else own_encoders or type_encoders
        )
        status = self.status_code or status_code or 200
        enc_hook = get_serializer(encoders)
        if body_forbidden(status):
            if self.content is not None:
                _check_no_content(self, status, chosen_media_type, enc_hook)
            body = b""
        else:
            body = self.render(self.content, chosen_media_type, enc_hook)
        return ASGIResponse(
            background=self.background or background,
            body=b"" if is_head_response else body,
            content_length=len(body),
            cookies=merge_cookies(self.cookies, cookies),
            encoding=self.encoding,
            headers=merge_headers(self.headers, headers),
            is_head_response=is_head_response,
            media_type=chosen_media_type,
            status_code=status,
        )
