"""Range requests (RFC 9110 section 14) on File responses: the Range table, If-Range, multipart/byteranges."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour import Outpour, get
from outpour._ranges import (
    MAX_RANGES,
    ByteRange,
    multipart_byteranges,
    parse_range_header,
    parse_range_specs,
    render_range_specs,
    resolve_ranges,
)
from outpour.response import File

SIZE = 1000
CONTENT = bytes(i % 251 for i in range(SIZE))


@dataclass
class Result:
    status: int
    headers: dict[str, str]
    body: bytes
    messages: list[dict[str, Any]] = field(default_factory=list)


async def call(
    app: Any,
    path: str,
    *,
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    raw_headers: list[tuple[bytes, bytes]] | None = None,
) -> Result:
    """Call an ASGI app once with a GET request and collect what it sends."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers or []] + (raw_headers or []),
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "extensions": {},
    }
    messages: list[dict[str, Any]] = []
    done = anyio.Event()
    sent_request = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            done.set()

    await app(scope, receive, send)
    start = messages[0]
    response_headers: dict[str, str] = {}
    for name, value in start["headers"]:
        response_headers[name.decode("latin-1")] = value.decode("latin-1")
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return Result(start["status"], response_headers, body, messages)


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(CONTENT)
    return path


def make_app(path: Path, chunk_size: int = 1024 * 1024) -> Outpour:
    @get("/file")
    async def handler() -> File:
        return File(path, chunk_size=chunk_size)

    return Outpour([handler])


def single(start: int, end: int) -> tuple[int, str, bytes]:
    return 206, f"bytes {start}-{end}/{SIZE}", CONTENT[start : end + 1]


WHOLE = (200, None, CONTENT)
UNSATISFIABLE = (416, f"bytes */{SIZE}", b"")


def multi(*ranges: tuple[int, int]) -> tuple[int, list[tuple[int, int]], None]:
    return 206, list(ranges), None


MANY = "bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(MAX_RANGES))
TOO_MANY = "bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(MAX_RANGES + 1))

RANGE_TABLE = [
    pytest.param("bytes=0-0", single(0, 0), id="first-byte"),
    pytest.param("bytes=0-499", single(0, 499), id="first-half"),
    pytest.param("bytes=500-999", single(500, 999), id="second-half"),
    pytest.param("bytes=0-999", single(0, 999), id="everything-as-range"),
    pytest.param("bytes=999-999", single(999, 999), id="last-byte"),
    pytest.param("bytes=500-", single(500, 999), id="open-ended"),
    pytest.param("bytes=0-", single(0, 999), id="open-ended-from-zero"),
    pytest.param("bytes=-100", single(900, 999), id="suffix"),
    pytest.param("bytes=-1000", single(0, 999), id="suffix-whole"),
    pytest.param("bytes=-5000", single(0, 999), id="suffix-over-long"),
    pytest.param("bytes=900-5000", single(900, 999), id="end-over-long"),
    pytest.param("bytes=0-99999999999999999999999", single(0, 999), id="end-huge-number"),
    pytest.param("BYTES=0-4", single(0, 4), id="unit-case-insensitive"),
    pytest.param("bytes= 0-4 ,", single(0, 4), id="whitespace-and-trailing-comma"),
    pytest.param("bytes=,,0-4,,", single(0, 4), id="empty-elements"),
    pytest.param("bytes=0-4,2000-3000", single(0, 4), id="unsatisfiable-part-dropped"),
    pytest.param("bytes=0-10,5-15", single(0, 15), id="overlap-coalesced"),
    pytest.param("bytes=0-10,0-10,0-10", single(0, 10), id="repeated-range-coalesced"),
    pytest.param("bytes=0-5,5-9", single(0, 9), id="one-shared-byte-coalesced"),
    pytest.param("bytes=1000-", UNSATISFIABLE, id="starts-at-end"),
    pytest.param("bytes=1000-2000", UNSATISFIABLE, id="starts-past-end"),
    pytest.param("bytes=99999999999999999999-", UNSATISFIABLE, id="start-huge-number"),
    pytest.param("bytes=-0", UNSATISFIABLE, id="empty-suffix"),
    pytest.param("bytes=1000-,-0", UNSATISFIABLE, id="all-unsatisfiable"),
    pytest.param("bytes=-0,0-4", single(0, 4), id="empty-suffix-then-range"),
    pytest.param("bytes=5-2", WHOLE, id="inverted"),
    pytest.param("bytes=0-4,5-2", WHOLE, id="one-inverted-in-list"),
    pytest.param("bytes=abc", WHOLE, id="garbage"),
    pytest.param("bytes=", WHOLE, id="empty-set"),
    pytest.param("bytes", WHOLE, id="no-equals"),
    pytest.param("bytes=-", WHOLE, id="bare-dash"),
    pytest.param("bytes=0 - 4", WHOLE, id="space-inside-range"),
    pytest.param("bytes=0-4;q=1", WHOLE, id="parameter"),
    pytest.param("bytes=+0-4", WHOLE, id="sign"),
    pytest.param("bytes=0x0-0x4", WHOLE, id="hex"),
    pytest.param("bytes = 0-4", WHOLE, id="space-around-equals"),
    pytest.param("items=0-4", WHOLE, id="other-unit"),
    pytest.param("bytes=0-4,items=5-6", WHOLE, id="unit-repeated"),
    pytest.param("bytes=\u0663-\u0665", WHOLE, id="non-ascii-digits"),
    pytest.param(TOO_MANY, WHOLE, id="101-ranges"),
    pytest.param("bytes=0-4,10-14", multi((0, 4), (10, 14)), id="two-ranges"),
    pytest.param("bytes=10-19,0-4", multi((10, 19), (0, 4)), id="order-kept"),
    pytest.param("bytes=0-4,-5", multi((0, 4), (995, 999)), id="first-and-suffix"),
    pytest.param("bytes=0-10,5-15,20-30", multi((0, 15), (20, 30)), id="overlap-coalesced-multi"),
    pytest.param("bytes=0-0,-1", multi((0, 0), (999, 999)), id="first-and-last-byte"),
    pytest.param(MANY, multi(*[(i * 2, i * 2) for i in range(MAX_RANGES)]), id="100-ranges"),
]


def parse_multipart(body: bytes, content_type: str) -> list[tuple[dict[str, str], bytes]]:
    """Parse a multipart/byteranges body strictly: delimiters, part headers and data."""
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    assert body.endswith(b"\r\n--" + boundary + b"--\r\n")
    body = body[: -len(b"\r\n--" + boundary + b"--\r\n")]
    assert body.startswith(b"--" + boundary + b"\r\n")
    parts = []
    for chunk in body[len(b"--" + boundary + b"\r\n") :].split(b"\r\n--" + boundary + b"\r\n"):
        head, _, data = chunk.partition(b"\r\n\r\n")
        headers = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n"))
        parts.append(({k.lower(): v for k, v in headers.items()}, data))
    return parts


@pytest.mark.anyio
@pytest.mark.parametrize(("range_header", "expected"), RANGE_TABLE)
@pytest.mark.parametrize("chunk_size", [pytest.param(1024 * 1024, id="one-message"), pytest.param(7, id="streamed")])
async def test_range_table(data_file: Path, range_header: str, expected: Any, chunk_size: int) -> None:
    result = await call(
        make_app(data_file, chunk_size), "/file", raw_headers=[(b"range", range_header.encode("utf-8"))]
    )
    status, content_range, body = expected
    assert result.status == status
    assert result.headers["accept-ranges"] == "bytes"
    assert int(result.headers["content-length"]) == len(result.body)
    if isinstance(content_range, list):
        parts = parse_multipart(result.body, result.headers["content-type"])
        assert [(h["content-range"], h["content-type"], d) for h, d in parts] == [
            (f"bytes {s}-{e}/{SIZE}", "application/octet-stream", CONTENT[s : e + 1]) for s, e in content_range
        ]
        assert "content-range" not in result.headers
        return
    assert result.headers.get("content-range") == content_range
    assert result.body == body
    if status != 416:
        assert result.headers["content-type"] == "application/octet-stream"


@pytest.mark.anyio
async def test_streamed_multipart_never_holds_more_than_a_chunk(data_file: Path) -> None:
    result = await call(make_app(data_file, 16), "/file", headers=[("range", "bytes=0-99,200-299")])
    assert result.status == 206
    sizes = [len(m["body"]) for m in result.messages[1:]]
    # A part's header travels with the part's first chunk; every other message is at most one chunk.
    assert max(sizes) < 16 + 150
    assert sum(sizes) == int(result.headers["content-length"])


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("if_range", "expected_status"),
    [
        pytest.param("etag", 206, id="matching-etag"),
        pytest.param('"other"', 200, id="other-etag"),
        pytest.param("weak-etag", 200, id="weak-etag-never-matches"),
        pytest.param("date", 206, id="matching-date"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT", 200, id="other-date"),
        pytest.param("garbage", 200, id="malformed"),
    ],
)
async def test_if_range(data_file: Path, if_range: str, expected_status: int) -> None:
    app = make_app(data_file)
    plain = await call(app, "/file")
    etag, date = plain.headers["etag"], plain.headers["last-modified"]
    value = {"etag": etag, "weak-etag": "W/" + etag, "date": date}.get(if_range, if_range)
    result = await call(app, "/file", headers=[("range", "bytes=0-9"), ("if-range", value)])
    assert result.status == expected_status
    assert result.body == (CONTENT[:10] if expected_status == 206 else CONTENT)


@pytest.mark.anyio
async def test_head_with_range_sends_whole_headers_without_body(data_file: Path) -> None:
    result = await call(make_app(data_file), "/file", method="HEAD", headers=[("range", "bytes=0-9")])
    assert (result.status, result.headers["content-length"], result.body) == (200, str(SIZE), b"")


@pytest.mark.anyio
async def test_range_is_ignored_for_other_status_codes(data_file: Path) -> None:
    @get("/teapot")
    async def handler() -> File:
        return File(data_file, status_code=203)

    result = await call(Outpour([handler]), "/teapot", headers=[("range", "bytes=0-9")])
    assert (result.status, result.body) == (203, CONTENT)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("range_header", "status", "content_range"),
    [
        pytest.param("bytes=0-", 416, "bytes */0", id="int-range"),
        pytest.param("bytes=-5", 200, None, id="suffix-selects-nothing"),
        pytest.param("bytes=0-5", 416, "bytes */0", id="closed-range"),
    ],
)
async def test_empty_file(tmp_path: Path, range_header: str, status: int, content_range: str | None) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    result = await call(make_app(path), "/file", headers=[("range", range_header)])
    assert (result.status, result.headers.get("content-range"), result.body) == (status, content_range, b"")


def test_multipart_layout_length_matches_parts() -> None:
    layout = multipart_byteranges([ByteRange(0, 4), ByteRange(10, 19)], 100, "text/plain", boundary="XyZ")
    assert layout.content_type == "multipart/byteranges; boundary=XyZ"
    body = b"".join(head + b"x" * r.length for head, r in layout.parts) + layout.closing
    assert len(body) == layout.content_length
    assert body.startswith(
        b"--XyZ\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-4/100\r\n\r\nxxxxx\r\n--XyZ\r\n"
    )


_spec = st.one_of(
    st.tuples(st.integers(0, 10**6), st.none()),
    st.tuples(st.none(), st.integers(0, 10**6)),
    st.integers(0, 10**6).flatmap(lambda first: st.tuples(st.just(first), st.integers(first, first + 10**6))),
)


@given(st.lists(_spec, min_size=1, max_size=MAX_RANGES))
def test_range_specs_round_trip(specs: list[tuple[int | None, int | None]]) -> None:
    assert parse_range_specs(render_range_specs(specs)) == specs


@given(st.lists(_spec, min_size=1, max_size=20), st.integers(1, 10**6))
def test_resolved_ranges_are_within_bounds_and_disjoint(specs: list[Any], size: int) -> None:
    ranges = resolve_ranges(specs, size)
    assert all(0 <= r.start <= r.end < size for r in ranges)
    ordered = sorted(ranges)
    assert all(a.end < b.start for a, b in itertools.pairwise(ordered))
    assert sum(r.length for r in ranges) <= size


@given(st.text(max_size=60), st.integers(0, 10**9))
def test_hostile_range_headers_never_raise(value: str, size: int) -> None:
    result = parse_range_header(value, size)
    assert result is None or all(0 <= r.start <= r.end < size for r in result)


@given(st.from_regex(r"bytes=[0-9 ,\-]{0,30}", fullmatch=True), st.integers(0, 100))
def test_near_valid_range_headers_never_raise(value: str, size: int) -> None:
    result = parse_range_header(value, size)
    assert result is None or all(0 <= r.start <= r.end < size for r in result)


def test_more_digits_than_int_accepts_means_malformed() -> None:
    assert parse_range_header("bytes=" + "9" * 5000 + "-", 100) is None


def test_if_range_with_an_unquoted_current_etag() -> None:
    from outpour._ranges import if_range_allows

    assert if_range_allows('"abc"', "abc", None)
    assert not if_range_allows('"abc"', None, None)
    assert not if_range_allows("Sun, 06 Nov 1994 08:49:37 GMT", None, None)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("\x0bbytes=0-4", id="vertical-tab-before"),
        pytest.param("bytes=0-4\x0c", id="form-feed-after"),
        pytest.param("bytes=0-4\n,6-7", id="newline-in-element"),
        pytest.param("Xbytes=0-4", id="letter-before-unit"),
        pytest.param("bytes=0-4X", id="letter-after-range"),
        pytest.param("bytes=0-4X,6-7", id="letter-in-element"),
    ],
)
def test_only_spaces_and_tabs_are_optional_whitespace(value: str) -> None:
    """RFC 9110 section 5.6.3: OWS is SP and HTAB; any other character makes the header malformed."""
    assert parse_range_specs(value) is None


def test_ranges_are_rendered_in_lower_case() -> None:
    assert render_range_specs([(0, 4), (None, 5), (7, None)]) == "bytes=0-4,-5,7-"


def test_the_range_limit_is_passed_on() -> None:
    assert parse_range_header("bytes=0-1,3-4", 100, max_ranges=1) is None
    assert parse_range_header("bytes=0-1,3-4", 100, max_ranges=2) == [ByteRange(0, 1), ByteRange(3, 4)]


@pytest.mark.parametrize(
    ("value", "etag", "last_modified", "expected"),
    [
        pytest.param('\x0b"abc"', '"abc"', None, False, id="vertical-tab-is-not-ows"),
        pytest.param('X"abc"', '"abc"', None, False, id="letter-before-tag"),
        pytest.param(' "abc"\t', '"abc"', None, True, id="ows-around-tag"),
        pytest.param("Wed, 31 Dec 1969 23:59:59 GMT", None, -0.5, True, id="date-before-1970-floored"),
        pytest.param("Thu, 01 Jan 1970 00:00:00 GMT", None, -0.5, False, id="date-before-1970-not-truncated"),
    ],
)
def test_if_range_allows(value: str, etag: str | None, last_modified: float | None, expected: bool) -> None:
    from outpour._ranges import if_range_allows

    assert if_range_allows(value, etag, last_modified) is expected
