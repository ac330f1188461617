"""``Request.form``: URL-encoded and multipart bodies, uploaded files, limits and hostile input."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outpour.connection import BodyConsumedError, Request
from outpour.datastructures import FormMultiDict, UploadFile
from outpour.exceptions import ClientException, RequestEntityTooLarge, UnsupportedMediaTypeException

URLENCODED = b"application/x-www-form-urlencoded"
MULTIPART = b"multipart/form-data; boundary=BOUNDARY"


class Receiver:
    """An ASGI ``receive`` that replays the body in chunks of ``chunk_size`` bytes, then reports a disconnect."""

    def __init__(self, body: bytes, chunk_size: int | None = None) -> None:
        size = chunk_size or max(len(body), 1)
        parts = [body[start : start + size] for start in range(0, len(body), size)] or [b""]
        self.messages = [
            {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
            for index, part in enumerate(parts)
        ]

    async def __call__(self) -> dict[str, Any]:
        if self.messages:
            return self.messages.pop(0)
        return {"type": "http.disconnect"}  # pragma: no cover


def make_request(
    content_type: bytes | None,
    body: bytes,
    chunk_size: int | None = None,
    cls: type[Request[Any, Any, Any]] = Request,
    limit: Any = 10_000_000,
) -> Request[Any, Any, Any]:
    headers = [(b"content-type", content_type)] if content_type is not None else []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": headers,
        "route_handler": SimpleNamespace(request_max_body_size=limit),
    }
    return cls(scope, Receiver(body, chunk_size))


def part(name: str, value: bytes, filename: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    headers = f"Content-Disposition: {disposition}\r\n"
    if content_type is not None:
        headers += f"Content-Type: {content_type}\r\n"
    return b"--BOUNDARY\r\n" + headers.encode() + b"\r\n" + value + b"\r\n"


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--BOUNDARY--\r\n"


class SmallLimits(Request[Any, Any, Any]):
    __slots__ = ()
    form_max_fields: ClassVar[int] = 2
    form_max_field_size: ClassVar[int] = 8
    form_max_spool_size: ClassVar[int] = 4


# -- URL-encoded ------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_urlencoded() -> None:
    request = make_request(URLENCODED, b"a=1&a=2&b=x+y%21&c=%C3%A9&d")
    form = await request.form()
    assert isinstance(form, FormMultiDict)
    assert form.multi_items() == [("a", "1"), ("a", "2"), ("b", "x y!"), ("c", "é"), ("d", "")]
    assert await request.form() is form
    assert await request.body() == b"a=1&a=2&b=x+y%21&c=%C3%A9&d"


@pytest.mark.anyio
async def test_urlencoded_content_type_with_charset() -> None:
    form = await make_request(b"Application/X-WWW-Form-URLEncoded; charset=utf-8", b"a=1").form()
    assert form.dict() == {"a": ["1"]}


@pytest.mark.anyio
async def test_urlencoded_too_many_fields() -> None:
    with pytest.raises(ClientException, match="3 fields, more than the limit of 2") as info:
        await make_request(URLENCODED, b"a=1&b=2&c=3", cls=SmallLimits).form()
    assert info.value.status_code == 400
    assert (await make_request(URLENCODED, b"a=1&b=2", cls=SmallLimits).form()).dict() == {"a": ["1"], "b": ["2"]}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "ok"),
    [
        pytest.param(b"a=12345678", True, id="at-limit"),
        pytest.param(b"a=123456789", False, id="over-limit"),
        pytest.param("a=éééé".encode(), True, id="multibyte-at-limit"),
        pytest.param("a=éééé1".encode(), False, id="multibyte-over-limit"),
    ],
)
async def test_urlencoded_field_size(body: bytes, ok: bool) -> None:
    request = make_request(URLENCODED, body, cls=SmallLimits)
    if ok:
        assert "a" in await request.form()
    else:
        with pytest.raises(RequestEntityTooLarge, match="form field `a` is larger than the limit of 8 bytes"):
            await request.form()


@pytest.mark.anyio
async def test_urlencoded_body_limit() -> None:
    with pytest.raises(RequestEntityTooLarge):
        await make_request(URLENCODED, b"a=" + b"x" * 20, limit=10).form()


# -- content types ----------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param(b"application/json", id="json"),
        pytest.param(b"text/plain", id="text"),
        pytest.param(b"multipart/mixed; boundary=x", id="multipart-mixed"),
    ],
)
async def test_unsupported_media_type(content_type: bytes) -> None:
    with pytest.raises(UnsupportedMediaTypeException, match=r"Unsupported media type `.*` for a form body") as info:
        await make_request(content_type, b"{}").form()
    assert info.value.status_code == 415


@pytest.mark.anyio
async def test_no_content_type() -> None:
    assert await make_request(None, b"").form() == {}
    with pytest.raises(UnsupportedMediaTypeException, match="Unsupported media type ``"):
        await make_request(None, b"a=1").form()


# -- multipart --------------------------------------------------------------------------------------------------------


MIXED = multipart(
    part("name", b"value"),
    part("name", "ünïcode".encode()),
    part("upload", b"file\r\ncontent", filename="report.csv", content_type="text/csv"),
    part("empty", b""),
    part("nofile", b"", filename=""),
)


@pytest.mark.anyio
@pytest.mark.parametrize("chunk_size", [pytest.param(None, id="one-chunk"), pytest.param(1, id="byte-by-byte")])
async def test_multipart(chunk_size: int | None) -> None:
    form = await make_request(MULTIPART, MIXED, chunk_size).form()
    try:
        assert form.getall("name") == ["value", "ünïcode"]
        assert form["empty"] == ""
        upload = form["upload"]
        assert isinstance(upload, UploadFile)
        assert upload.filename == "report.csv"
        assert upload.content_type == "text/csv"
        assert upload.headers == {
            "content-disposition": 'form-data; name="upload"; filename="report.csv"',
            "content-type": "text/csv",
        }
        assert await upload.read() == b"file\r\ncontent"
        empty_file = form["nofile"]
        assert isinstance(empty_file, UploadFile)
        assert empty_file.filename == ""
        assert empty_file.content_type == "text/plain"
        assert await empty_file.read() == b""
        assert list(form) == ["name", "name", "upload", "empty", "nofile"]
    finally:
        await form.close()


@pytest.mark.anyio
async def test_multipart_form_is_cached_but_body_is_streamed() -> None:
    request = make_request(MULTIPART, multipart(part("a", b"1")))
    form = await request.form()
    assert await request.form() is form
    assert await Request(request.scope).form() is form
    with pytest.raises(BodyConsumedError):
        await request.body()


@pytest.mark.anyio
async def test_multipart_after_body_uses_cached_body() -> None:
    request = make_request(MULTIPART, multipart(part("a", b"1")))
    body = await request.body()
    assert (await request.form()).dict() == {"a": ["1"]}
    assert await request.body() == body


@pytest.mark.anyio
async def test_multipart_empty_body_is_empty_form() -> None:
    assert await make_request(MULTIPART, b"").form() == {}


@pytest.mark.anyio
async def test_multipart_filenames_and_headers_decoding() -> None:
    body = multipart(
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="f"; filename="r\xc3\xa9sum\xc3\xa9.txt"\r\n\r\nx\r\n',
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="g"; filename="caf\xe9.txt"\r\n\r\ny\r\n',
        b'--BOUNDARY\r\ncontent-disposition: FORM-DATA; NAME=plain; filename="a\\"b"\r\n\r\nz\r\n',
    )
    form = await make_request(MULTIPART, body).form()
    try:
        files = [form["f"], form["g"], form["plain"]]
        assert all(isinstance(file, UploadFile) for file in files)
        assert [file.filename for file in files if isinstance(file, UploadFile)] == ["résumé.txt", "café.txt", 'a"b']
    finally:
        await form.close()


@pytest.mark.anyio
async def test_multipart_invalid_utf8_field_replaced() -> None:
    form = await make_request(MULTIPART, multipart(part("a", b"\xff\xfe"))).form()
    assert form["a"] == "\ufffd\ufffd"


@pytest.mark.anyio
async def test_multipart_files_spool_to_disk() -> None:
    form = await make_request(MULTIPART, multipart(part("f", b"0123456789", filename="f.bin")), 3, SmallLimits).form()
    try:
        upload = form["f"]
        assert isinstance(upload, UploadFile)
        assert upload.rolled_to_disk
        assert await upload.read() == b"0123456789"
    finally:
        await form.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_multipart_too_many_parts() -> None:
    body = multipart(part("a", b"1"), part("b", b"2", filename="b"), part("c", b"3"))
    with pytest.raises(ClientException, match="more than the limit of 2 fields and files") as info:
        await make_request(MULTIPART, body, cls=SmallLimits).form()
    assert info.value.status_code == 413


@pytest.mark.anyio
async def test_multipart_field_too_large() -> None:
    with pytest.raises(RequestEntityTooLarge, match="form field `a` is larger than the limit of 8 bytes"):
        await make_request(MULTIPART, multipart(part("a", b"123456789")), 2, SmallLimits).form()
    form = await make_request(MULTIPART, multipart(part("a", b"12345678")), 2, SmallLimits).form()
    assert form["a"] == "12345678"


@pytest.mark.anyio
async def test_multipart_body_limit() -> None:
    with pytest.raises(RequestEntityTooLarge):
        await make_request(MULTIPART, multipart(part("f", b"x" * 100, filename="f")), 10, limit=50).form()


@pytest.mark.anyio
async def test_files_closed_on_error(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[str] = []
    original_close = UploadFile.close

    async def close(self: UploadFile) -> None:
        closed.append(self.filename)
        await original_close(self)

    monkeypatch.setattr(UploadFile, "close", close)
    body = part("f", b"data", filename="one.txt") + part("g", b"da")  # no closing boundary
    with pytest.raises(ClientException, match="ends before the closing boundary `--BOUNDARY--`"):
        await make_request(MULTIPART, body).form()
    assert closed == ["one.txt"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        pytest.param(b"multipart/form-data", MIXED, "missing `boundary`", id="no-boundary"),
        pytest.param(b"multipart/form-data; boundary=", MIXED, "missing `boundary`", id="empty-boundary"),
        pytest.param(b"multipart/form-data; boundary=" + b"x" * 201, MIXED, "Invalid or missing", id="long-boundary"),
        pytest.param("multipart/form-data; boundary=é".encode(), MIXED, "Invalid or missing", id="non-ascii-boundary"),
        pytest.param(
            MULTIPART,
            b"garbage",
            r"Malformed multipart body: the part structure is invalid at byte 0\.$",
            id="garbage",
        ),
        pytest.param(MULTIPART, b"--BOUNDARY\r\n\r\nvalue\r\n--BOUNDARY--\r\n", "no `Content-Disposition`", id="no-cd"),
        pytest.param(
            MULTIPART,
            b"--BOUNDARY\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--BOUNDARY--\r\n",
            "invalid `Content-Disposition` header `attachment; name=a`",
            id="not-form-data",
        ),
        pytest.param(
            MULTIPART,
            b"--BOUNDARY\r\nContent-Disposition: form-data\r\n\r\nv\r\n--BOUNDARY--\r\n",
            "invalid `Content-Disposition`",
            id="no-name",
        ),
        pytest.param(MULTIPART, part("a", b"1"), "ends before the closing boundary", id="truncated"),
        pytest.param(
            MULTIPART,
            b"--BOUNDARY\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(20)) + b"\r\nv\r\n--BOUNDARY--\r\n",
            r"Malformed multipart body: the part structure is invalid at byte \d+\.$",
            id="too-many-part-headers",
        ),
        pytest.param(
            MULTIPART,
            b"--BOUNDARY\r\nContent-Disposition: form-data; name=" + b"a" * 10_000 + b"\r\n\r\nv\r\n--BOUNDARY--\r\n",
            r"Malformed multipart body: the part structure is invalid at byte \d+\.$",
            id="huge-part-header",
        ),
    ],
)
async def test_malformed_multipart(content_type: bytes, body: bytes, message: str) -> None:
    with pytest.raises(ClientException, match=message) as info:
        await make_request(content_type, body).form()
    assert info.value.status_code == 400


@st.composite
def httpx_forms(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[tuple[str, str, bytes]]]:
    names = st.text(
        alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters='"\\'), max_size=8
    )
    fields = draw(st.lists(st.tuples(names, st.text(max_size=30)), max_size=5))
    filenames = names.filter(bool)  # httpx leaves out an empty filename, which makes the part a text field
    files = draw(st.lists(st.tuples(names, filenames, st.binary(max_size=50)), max_size=3))
    return fields, files


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=100)
@given(form=httpx_forms(), chunk_size=st.integers(min_value=1, max_value=64))
@pytest.mark.anyio
async def test_multipart_round_trip_with_httpx(
    form: tuple[list[tuple[str, str]], list[tuple[str, str, bytes]]], chunk_size: int
) -> None:
    fields, files = form
    # httpx renders text fields from a dict; repeated names need a list of values per name.
    grouped: dict[str, list[str]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    encoded = httpx.Request(
        "POST",
        "http://testserver/",
        data=grouped,
        files=[(name, (filename, data, "application/octet-stream")) for name, filename, data in files] or None,
    )
    body = encoded.read()
    content_type = encoded.headers.get("content-type", "").encode()
    if not content_type.startswith(b"multipart/"):
        return  # httpx sends a URL-encoded body when there are no files
    parsed = await make_request(content_type, body, chunk_size).form()
    try:
        text_items = [(name, value) for name, value in parsed.multi_items() if isinstance(value, str)]
        assert text_items == [(name, value) for name, values in grouped.items() for value in values]
        uploads = [(name, value) for name, value in parsed.multi_items() if isinstance(value, UploadFile)]
        assert [(name, upload.filename) for name, upload in uploads] == [(n, f) for n, f, _ in files]
        assert [await upload.read() for _, upload in uploads] == [data for _, _, data in files]
    finally:
        await parsed.close()


FRAGMENTS = [
    b"--BOUNDARY",
    b"--BOUNDARY--",
    b"\r\n",
    b"\r",
    b"\n",
    b"--",
    b"Content-Disposition: form-data",
    b"Content-Disposition:",
    b'; name="a"',
    b"; name=b",
    b'; filename="f.txt"',
    b"Content-Type: text/plain",
    b":",
    b";",
    b"=",
    b'"',
    b"value",
    b"\x00\xff",
    b" ",
]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(
    body=st.one_of(st.binary(max_size=200), st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join)),
    chunk_size=st.integers(min_value=1, max_value=50),
)
@pytest.mark.anyio
async def test_multipart_garbage_gives_400_or_a_form(body: bytes, chunk_size: int) -> None:
    try:
        form = await make_request(MULTIPART, body, chunk_size).form()
    except ClientException as exc:
        error: ClientException | None = exc
    else:
        error = None
        assert isinstance(form, FormMultiDict)
        await form.close()
    if error is not None:
        assert type(error) is ClientException
        assert error.status_code == 400
        assert error.detail


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(content_type=st.binary(max_size=80), body=st.binary(max_size=80))
@pytest.mark.anyio
async def test_form_hostile_content_type_and_body(content_type: bytes, body: bytes) -> None:
    try:
        form = await make_request(content_type, body).form()
    except ClientException as exc:
        status: int | None = exc.status_code
    else:
        status = None
        await form.close()
    assert status in (None, 400, 415)
