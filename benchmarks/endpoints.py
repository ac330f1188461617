"""The endpoints every benchmarked app serves, and how each response is checked.

To add an endpoint: append an :class:`Endpoint` to :data:`ENDPOINTS` and implement it in every module of
``benchmarks/apps`` (an app that cannot serve it lists its name in its module-level ``UNSUPPORTED`` set and is reported
as "n/a").
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from benchmarks.assets import (
    FILE_MEDIA_TYPE,
    HTML_CONTEXT,
    LARGE_FILE_SIZE,
    SMALL_FILE_SIZE,
    SSE_DATA,
    STREAM_CHUNKS,
    TEMPLATE_NAME,
    TEMPLATES_DIR,
    file_sha256,
)

__all__ = [
    "ENDPOINTS",
    "Endpoint",
    "Reply",
    "expect_file",
    "expect_header",
    "expect_headers_cookies",
    "expect_html",
    "expect_layered_response",
    "expect_json",
    "expect_msgpack",
    "expect_redirect",
    "expect_sse",
    "expect_stream",
    "expect_text",
    "parse_sse",
    "select_endpoints",
]


@dataclass(frozen=True, slots=True)
class Reply:
    """A complete HTTP response, as seen by the benchmark client.

    Attributes:
        status: The status code.
        headers: The response headers, names lower-cased.
        body: The complete body.
    """

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        """Return the first value of the header ``name`` (lower-case), or ``None``."""
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def header_values(self, name: bytes) -> list[bytes]:
        """Return every value of the header ``name`` (lower-case), in order."""
        return [value for key, value in self.headers if key.lower() == name]


Check = Callable[[Reply], "str | None"]
"""Validates a response body and headers: returns ``None`` if it is right, else a short description of what is wrong."""


def _media_type(reply: Reply) -> str:
    value = reply.header(b"content-type") or b""
    return value.split(b";", 1)[0].strip().decode("latin-1").lower()


def expect_text(text: str) -> Check:
    """Build a check for a ``text/plain`` body equal to ``text``."""
    expected = text.encode()

    def check(reply: Reply) -> str | None:
        if _media_type(reply) != "text/plain":
            return f"content-type is `{_media_type(reply)}`, expected `text/plain`"
        if reply.body != expected:
            return f"body is `{reply.body[:80]!r}`, expected `{expected!r}`"
        return None

    return check


def expect_json(value: Any) -> Check:
    """Build a check for an ``application/json`` body that decodes to ``value``."""

    def check(reply: Reply) -> str | None:
        if _media_type(reply) != "application/json":
            return f"content-type is `{_media_type(reply)}`, expected `application/json`"
        try:
            decoded = msgspec.json.decode(reply.body)
        except msgspec.DecodeError:
            return f"body is not JSON: `{reply.body[:80]!r}`"
        if decoded != value:
            return f"body is `{reply.body[:80]!r}`, expected JSON `{value!r}`"
        return None

    return check


def expect_msgpack(value: Any) -> Check:
    """Build a check for a MessagePack body (``application/vnd.msgpack`` or ``x-msgpack``) that decodes to ``value``."""

    def check(reply: Reply) -> str | None:
        if _media_type(reply) not in ("application/x-msgpack", "application/vnd.msgpack"):  # Litestar 2 / 3
            return f"content-type is `{_media_type(reply)}`, expected a MessagePack type"
        try:
            decoded = msgspec.msgpack.decode(reply.body)
        except msgspec.DecodeError:
            return f"body is not MessagePack: `{reply.body[:80]!r}`"
        if decoded != value:
            return f"body is `{reply.body[:80]!r}`, expected MessagePack `{value!r}`"
        return None

    return check


def expect_header(name: bytes, value: bytes, then: Check) -> Check:
    """Build a check that the header ``name`` (lower-case) is ``value``, then runs ``then``."""

    def check(reply: Reply) -> str | None:
        found = reply.header(name)
        if found != value:
            return f"header `{name.decode()}` is `{found!r}`, expected `{value!r}`"
        return then(reply)

    return check


LAYERED_HEADERS: tuple[tuple[bytes, bytes], ...] = ((b"x-router", b"1"), (b"x-controller", b"1"), (b"x-handler", b"1"))
"""The three layered response headers of ``GET /headers-cookies`` (outer router, controller, handler)."""

LAYERED_COOKIES: tuple[tuple[str, str], ...] = (("session", "abc123"), ("theme", "dark"))
"""The two layered cookies of ``GET /headers-cookies`` and ``GET /layered-response`` (outer router, handler)."""

HEADERS_COOKIES_PAYLOAD: dict[str, Any] = {"layers": 3, "cookies": 2}
"""The JSON body of ``GET /headers-cookies``."""


LAYERED_RESPONSE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-router", b"1"),
    (b"x-response", b"1"),
    (b"etag", b'"v1"'),
)
"""The headers of ``GET /layered-response``: the outer router's, the returned ``Response``'s and the handler's ETag."""

LAYERED_RESPONSE_PAYLOAD: dict[str, Any] = {"layers": 3}
"""The JSON body of ``GET /layered-response``."""


def _layers_problem(
    reply: Reply, headers: tuple[tuple[bytes, bytes], ...], cookies: tuple[tuple[str, str], ...]
) -> str | None:
    """Return what is wrong with the layered ``headers``, ``cookies`` and ``Cache-Control: max-age=60`` of ``reply``."""
    for name, expected in headers:
        if reply.header(name) != expected:
            return f"header `{name.decode()}` is `{reply.header(name)!r}`, expected `{expected!r}`"
    set_cookies = reply.header_values(b"set-cookie")
    if len(set_cookies) != len(cookies):
        return f"{len(set_cookies)} Set-Cookie headers `{set_cookies!r}`, expected {len(cookies)}"
    pairs = sorted(cookie.split(b";", 1)[0].strip().decode("latin-1") for cookie in set_cookies)
    expected_pairs = sorted(f"{key}={value}" for key, value in cookies)
    if pairs != expected_pairs:
        return f"cookies are `{pairs}`, expected `{expected_pairs}`"
    cache_control = (reply.header(b"cache-control") or b"").lower().replace(b" ", b"")
    if b"max-age=60" not in cache_control.split(b","):
        return f"cache-control is `{reply.header(b'cache-control')!r}`, expected `max-age=60`"
    return None


def expect_headers_cookies(value: Any) -> Check:
    """Build the check of ``GET /headers-cookies``: layered headers, two cookies, ``Cache-Control``, JSON ``value``."""
    then = expect_json(value)

    def check(reply: Reply) -> str | None:
        return _layers_problem(reply, LAYERED_HEADERS, LAYERED_COOKIES) or then(reply)

    return check


def expect_layered_response(value: Any) -> Check:
    """Build the check of ``GET /layered-response``: the returned and layered headers, ETag, cookies, JSON ``value``."""
    then = expect_json(value)

    def check(reply: Reply) -> str | None:
        return _layers_problem(reply, LAYERED_RESPONSE_HEADERS, LAYERED_COOKIES) or then(reply)

    return check


def expect_redirect(location: str) -> Check:
    """Build the check of a redirect to ``location``: the ``Location`` header and an empty body."""
    expected = location.encode("latin-1")

    def check(reply: Reply) -> str | None:
        found = reply.header(b"location")
        if found != expected:
            return f"location is `{found!r}`, expected `{expected!r}`"
        if reply.body:
            return f"body is `{reply.body[:80]!r}`, expected an empty body"
        return None

    return check


def expect_file(size: int) -> Check:
    """Build the check of a file of ``size`` bytes (:func:`benchmarks.assets.file_content`): length and SHA-256."""
    digest = file_sha256(size)

    def check(reply: Reply) -> str | None:
        if _media_type(reply) != FILE_MEDIA_TYPE:
            return f"content-type is `{_media_type(reply)}`, expected `{FILE_MEDIA_TYPE}`"
        length = reply.header(b"content-length")
        if length is not None and length != str(size).encode():
            return f"content-length is `{length!r}`, expected `{size}`"
        if len(reply.body) != size:
            return f"body is {len(reply.body)} bytes, expected {size}"
        if hashlib.sha256(reply.body).hexdigest() != digest:
            return "body differs from the file (SHA-256 mismatch)"
        return None

    return check


def expect_stream(chunks: tuple[bytes, ...]) -> Check:
    """Build the check of a ``text/plain`` stream whose body is ``chunks`` joined (however it was split)."""
    expected = b"".join(chunks)

    def check(reply: Reply) -> str | None:
        if _media_type(reply) != "text/plain":
            return f"content-type is `{_media_type(reply)}`, expected `text/plain`"
        if reply.body != expected:
            return f"body is `{reply.body[:80]!r}`, expected `{expected[:80]!r}`"
        return None

    return check


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_sse(body: bytes) -> list[str]:
    """Return the data of each event of a ``text/event-stream`` body (events without data are skipped).

    Multi-line data are joined with ``\\n``, as the HTML standard's event-stream interpretation does.
    """
    events: list[str] = []
    data: list[str] | None = None
    for line in [*_LINE_BREAK.split(body.decode("utf-8")), ""]:
        if not line:
            if data is not None:
                events.append("\n".join(data))
            data = None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data = [*(data or []), value[1:] if value.startswith(" ") else value]
    return events


def expect_sse(data: tuple[str, ...]) -> Check:
    """Build the check of a ``text/event-stream`` whose events carry ``data``, in order."""

    def check(reply: Reply) -> str | None:
        if _media_type(reply) != "text/event-stream":
            return f"content-type is `{_media_type(reply)}`, expected `text/event-stream`"
        try:
            events = parse_sse(reply.body)
        except UnicodeDecodeError:
            return f"body is not UTF-8: `{reply.body[:80]!r}`"
        if events != list(data):
            return f"events are `{events!r}`, expected `{list(data)!r}`"
        return None

    return check


@functools.cache
def rendered_html() -> bytes:
    """Return ``GET /html``'s page as a bare ``jinja2.Environment`` (autoescape on) renders it."""
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    return environment.get_template(TEMPLATE_NAME).render(HTML_CONTEXT).encode()


def expect_html() -> Check:
    """Build the check of ``GET /html``: ``text/html``, and the same page as a bare Jinja2 environment renders."""

    def check(reply: Reply) -> str | None:
        if _media_type(reply) != "text/html":
            return f"content-type is `{_media_type(reply)}`, expected `text/html`"
        expected = rendered_html()
        if reply.body != expected:
            return f"body differs from the rendered template: `{reply.body[:120]!r}`"
        return None

    return check


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One request the benchmarks send, and what a correct answer is.

    Attributes:
        name: Unique display name, e.g. ``"GET /plain"`` (``--only`` matches a substring of it).
        method: The HTTP method.
        path: The request target: path and optional query string.
        body: The request body.
        headers: Extra request headers (names lower-case); ``content-length`` is added when there is a body.
        expected_status: The status code, or a mapping from framework name to status code with a ``"*"`` default
            (frameworks differ, e.g. Litestar answers a POST with 201 by default).
        check: Validates the body and headers of the first response; later responses must be byte-identical to it
            when ``same_body`` is true, else they only need the same status.
        same_body: Whether every response to this request has the same body.
        compare_length_only: In the timed batches, compare the body's length only, not its bytes (for large bodies,
            where joining and comparing would cost more than the framework; the first response is fully checked).
        transfer_bytes: The body size, for endpoints whose throughput (MB/s) is reported too.
    """

    name: str
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    expected_status: int | Mapping[str, int] = 200
    check: Check = field(default=lambda _reply: None)
    same_body: bool = True
    compare_length_only: bool = False
    transfer_bytes: int | None = None

    def status_for(self, framework: str) -> int:
        """Return the status code ``framework`` must answer with."""
        if isinstance(self.expected_status, int):
            return self.expected_status
        return self.expected_status.get(framework, self.expected_status["*"])

    @property
    def url_path(self) -> str:
        """The path without the query string."""
        return self.path.partition("?")[0]

    @property
    def query_string(self) -> bytes:
        """The raw query string (without ``?``)."""
        return self.path.partition("?")[2].encode("latin-1")

    def request_headers(self) -> list[tuple[bytes, bytes]]:
        """Return the request headers, with ``content-length`` when there is a body."""
        headers = list(self.headers)
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            headers.append((b"content-length", str(len(self.body)).encode()))
        return headers


JSON_PAYLOAD: dict[str, Any] = {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}
"""What ``GET /json`` returns."""

LARGE_PAYLOAD: list[dict[str, Any]] = [
    {"id": i, "name": f"item-{i}", "price": i * 1.25, "tags": ["tools", "blue"], "in_stock": i % 2 == 0}
    for i in range(100)
]
"""What ``GET /json-large`` returns: 100 records (each app builds them once, as its idiomatic record type)."""

ITEM: dict[str, Any] = {"name": "widget", "price": 9.5, "tags": ["tools", "blue"]}
"""What ``POST /json`` sends and expects back."""

ACCOUNT: dict[str, Any] = {"name": "ada", "email": "ada@example.com", "password": "secret"}
"""What ``POST /dto`` sends: the answer is the account with ``id`` 1 and without the password."""

_CREATED_BY_DEFAULT: Mapping[str, int] = {"*": 200, "outpour": 201, "litestar": 201, "raw": 201}

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("GET /plain", "GET", "/plain", check=expect_text("Hello, world!")),
    Endpoint("GET /json", "GET", "/json", check=expect_json(JSON_PAYLOAD)),
    Endpoint("GET /json-large", "GET", "/json-large", check=expect_json(LARGE_PAYLOAD)),
    Endpoint("GET /msgpack", "GET", "/msgpack", check=expect_msgpack(JSON_PAYLOAD)),
    Endpoint("GET /response", "GET", "/response", check=expect_header(b"x-a", b"1", expect_json(JSON_PAYLOAD))),
    Endpoint("GET /path/{id:int}", "GET", "/path/42", check=expect_json({"id": 42})),
    Endpoint("GET /query?limit=", "GET", "/query?limit=10", check=expect_json({"limit": 10})),
    Endpoint(
        "POST /json",
        "POST",
        "/json",
        body=msgspec.json.encode(ITEM),
        headers=((b"content-type", b"application/json"),),
        expected_status=_CREATED_BY_DEFAULT,
        check=expect_json(ITEM),
    ),
    Endpoint("GET /headers-cookies", "GET", "/headers-cookies", check=expect_headers_cookies(HEADERS_COOKIES_PAYLOAD)),
    Endpoint(
        "GET /layered-response",
        "GET",
        "/layered-response",
        check=expect_layered_response(LAYERED_RESPONSE_PAYLOAD),
    ),
    Endpoint("GET /redirect", "GET", "/redirect", expected_status=302, check=expect_redirect("/plain")),
    Endpoint("GET /file-small", "GET", "/file-small", check=expect_file(SMALL_FILE_SIZE)),
    Endpoint(
        "GET /file-large",
        "GET",
        "/file-large",
        check=expect_file(LARGE_FILE_SIZE),
        compare_length_only=True,
        transfer_bytes=LARGE_FILE_SIZE,
    ),
    Endpoint("GET /stream", "GET", "/stream", check=expect_stream(STREAM_CHUNKS)),
    Endpoint("GET /sse", "GET", "/sse", check=expect_sse(SSE_DATA)),
    Endpoint("GET /html", "GET", "/html", check=expect_html()),
    Endpoint(
        "POST /dto",
        "POST",
        "/dto",
        body=msgspec.json.encode(ACCOUNT),
        headers=((b"content-type", b"application/json"),),
        expected_status=_CREATED_BY_DEFAULT,
        check=expect_json({"id": 1, "name": "ada", "email": "ada@example.com"}),
    ),
)
"""Every benchmarked endpoint, in display order."""


def select_endpoints(only: str | None) -> list[Endpoint]:
    """Return the endpoints whose name contains ``only`` (all of them if ``only`` is empty).

    Raises:
        SystemExit: No endpoint matches.
    """
    if not only:
        return list(ENDPOINTS)
    selected = [endpoint for endpoint in ENDPOINTS if only.lower() in endpoint.name.lower()]
    if not selected:
        names = ", ".join(f"`{endpoint.name}`" for endpoint in ENDPOINTS)
        raise SystemExit(f"--only `{only}` matches no endpoint; the endpoints are {names}")
    return selected
