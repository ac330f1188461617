"""File responses: media types, Content-Disposition, validators, preconditions, streaming, pathsend and errors."""

from __future__ import annotations

import errno
import logging
import os
import re
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from hypothesis import given
from hypothesis import strategies as st

from outpour import Outpour, get
from outpour.background_tasks import BackgroundTask
from outpour.datastructures.headers import ETag
from outpour.exceptions import ImproperlyConfiguredException, NotFoundException, PermissionDeniedException
from outpour.file_system import BaseFileSystem, BaseLocalFileSystem, FileInfo, FileSystemRegistry, PathType
from outpour.response import File
from outpour.response.file import (
    ASGIFileResponse,
    create_content_disposition,
    create_etag_for_file,
    guess_media_type,
)
from outpour.testing import create_test_client

PATHSEND: dict[str, Any] = {"http.response.pathsend": {}}


@dataclass
class Result:
    status: int
    headers: dict[str, str]
    body: bytes
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def body_messages(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == "http.response.body"]


async def call(
    app: Any,
    path: str,
    *,
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    extensions: dict[str, Any] | None = None,
    on_send: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    disconnect_at_once: bool = False,
) -> Result:
    """Call an ASGI app once and collect what it sends."""
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
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers or []],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "extensions": extensions if extensions is not None else {},
    }
    messages: list[dict[str, Any]] = []
    done = anyio.Event()
    sent_request = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        if not disconnect_at_once:
            await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.pathsend" or (
            message["type"] == "http.response.body" and not message.get("more_body", False)
        ):
            done.set()
        if on_send is not None:
            await on_send(message)

    await app(scope, receive, send)
    start = messages[0]
    response_headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in start["headers"]}
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return Result(start["status"], response_headers, body, messages)


def file_app(make: Callable[[], File], path: str = "/file", **options: Any) -> Outpour:
    @get(path, **options)
    async def handler() -> File:
        return make()

    return Outpour([handler])


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("hello, file")
    return path


# -- media types -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        pytest.param("report.pdf", "application/pdf", id="pdf"),
        pytest.param("REPORT.PDF", "application/pdf", id="upper-case-extension"),
        pytest.param("notes.txt", "text/plain", id="text"),
        pytest.param("page.html", "text/html", id="html"),
        pytest.param("archive.tar.gz", "application/gzip", id="tar-gz-is-gzip"),
        pytest.param("archive.tgz", "application/gzip", id="tgz"),
        pytest.param("data.json.gz", "application/gzip", id="json-gz"),
        pytest.param("logs.bz2", "application/x-bzip2", id="bz2"),
        pytest.param("logs.xz", "application/x-xz", id="xz"),
        pytest.param("style.css.br", "application/x-brotli", id="br"),
        pytest.param("README", "application/octet-stream", id="no-extension"),
        pytest.param("blob.unknownext", "application/octet-stream", id="unknown-extension"),
        pytest.param("dir/sub/report.pdf", "application/pdf", id="path"),
    ],
)
def test_guess_media_type(filename: str, expected: str) -> None:
    assert guess_media_type(filename) == expected


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("filename", "file_media_type", "handler_media_type", "expected"),
    [
        pytest.param("notes.txt", None, None, "text/plain; charset=utf-8", id="guessed-text-gets-charset"),
        pytest.param("a.tar.gz", None, None, "application/gzip", id="archive"),
        pytest.param("README", None, None, "application/octet-stream", id="fallback"),
        pytest.param("README", "application/pdf", None, "application/pdf", id="explicit"),
        pytest.param("README", None, "application/pdf", "application/pdf", id="handler"),
        pytest.param("x.txt", "image/png", "application/pdf", "image/png", id="file-beats-handler"),
        pytest.param("x.txt", None, "application/pdf", "application/pdf", id="handler-beats-guess"),
    ],
)
async def test_content_type(
    tmp_path: Path, filename: str, file_media_type: str | None, handler_media_type: str | None, expected: str
) -> None:
    path = tmp_path / filename
    path.write_bytes(b"\x1f\x8b data")
    options: dict[str, Any] = {"media_type": handler_media_type} if handler_media_type else {}
    result = await call(file_app(lambda: File(path, filename=filename, media_type=file_media_type), **options), "/file")
    assert result.headers["content-type"] == expected
    assert "content-encoding" not in result.headers
    assert result.body == b"\x1f\x8b data"


# -- Content-Disposition -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        pytest.param("report.pdf", 'attachment; filename="report.pdf"', id="plain"),
        pytest.param("my report.pdf", 'attachment; filename="my report.pdf"', id="space"),
        pytest.param(
            'say "hi".txt',
            'attachment; filename="say \\"hi\\".txt"; filename*=UTF-8\'\'say%20%22hi%22.txt',
            id="quotes",
        ),
        pytest.param(
            "back\\slash.txt",
            "attachment; filename=\"back\\\\slash.txt\"; filename*=UTF-8''back%5Cslash.txt",
            id="backslash",
        ),
        pytest.param("100%.txt", "attachment; filename=\"100%.txt\"; filename*=UTF-8''100%25.txt", id="percent"),
        pytest.param(
            "café.txt", "attachment; filename=\"cafe.txt\"; filename*=UTF-8''caf%C3%A9.txt", id="accent-dropped"
        ),
        pytest.param(
            "party 🎉.txt",
            "attachment; filename=\"party _.txt\"; filename*=UTF-8''party%20%F0%9F%8E%89.txt",
            id="emoji",
        ),
        pytest.param(
            "报告.pdf", "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf", id="only-non-latin"
        ),
        pytest.param(
            "отчёт", "attachment; filename=\"_____\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82", id="cyrillic"
        ),
        pytest.param(
            "evil\r\nSet-Cookie: a=b.txt",
            'attachment; filename="evil__Set-Cookie: a=b.txt"',
            id="crlf-replaced",
        ),
        pytest.param(
            os.fsdecode(b"r\xe9sum\xe9.txt"),
            "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%EF%BF%BDsum%EF%BF%BD.txt",
            id="undecodable-bytes-from-disk",
        ),
        pytest.param("", 'attachment; filename=""', id="no-name"),
    ],
)
def test_content_disposition(filename: str, expected: str) -> None:
    value = create_content_disposition("attachment", filename)
    assert value == expected
    value.encode("ascii")  # always ASCII, so always a valid header
    assert "\r" not in value
    assert "\n" not in value


_DISPOSITION = re.compile(r'(attachment|inline); filename="((?:[^"\\]|\\.)*)"(?:; filename\*=UTF-8\'\'(\S+))?')


@given(
    st.text(st.one_of(st.characters(), st.sampled_from(["\udcff", "\ud800", '"', "\\", "%"])), max_size=40),
    st.sampled_from(["attachment", "inline"]),
)
def test_content_disposition_round_trip(filename: str, disposition_type: str) -> None:
    """The exact name (control characters as ``_``) is read back from ``filename*``, or from ``filename`` alone."""
    value = create_content_disposition(disposition_type, filename)
    value.encode("ascii")
    if not filename:
        assert value == f'{disposition_type}; filename=""'
        return
    match = _DISPOSITION.fullmatch(value)
    assert match is not None
    assert match[1] == disposition_type
    exact = unquote(match[3], errors="strict") if match[3] else re.sub(r"\\(.)", r"\1", match[2])
    cleaned = (
        "_" if ord(ch) < 0x20 or ord(ch) == 0x7F else "\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in filename
    )
    assert exact == "".join(cleaned)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, 'attachment; filename=""', id="no-name-by-default"),
        pytest.param(
            {"filename": "été.txt"}, "attachment; filename=\"ete.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt", id="name"
        ),
        pytest.param(
            {"content_disposition_type": "inline", "filename": "notes.txt"}, 'inline; filename="notes.txt"', id="inline"
        ),
        pytest.param({"headers": {"Content-Disposition": "inline"}}, "inline", id="header-wins"),
    ],
)
async def test_content_disposition_header(text_file: Path, kwargs: dict[str, Any], expected: str) -> None:
    result = await call(file_app(lambda: File(text_file, **kwargs)), "/file")
    assert result.headers["content-disposition"] == expected


@pytest.mark.anyio
async def test_without_a_filename_the_path_names_nothing(tmp_path: Path) -> None:
    """As Litestar documents it: the media type is guessed from ``filename`` only, else ``application/octet-stream``."""
    path = tmp_path / "photo.png"
    path.write_bytes(b"png")
    result = await call(file_app(lambda: File(path)), "/file")
    assert result.headers["content-type"] == "application/octet-stream"
    assert result.headers["content-disposition"] == 'attachment; filename=""'
    named = await call(file_app(lambda: File(path, filename="photo.png")), "/file")
    assert named.headers["content-type"] == "image/png"
    assert named.headers["content-disposition"] == 'attachment; filename="photo.png"'


@pytest.mark.anyio
async def test_file_whose_name_on_disk_is_not_utf8(tmp_path: Path) -> None:
    path = os.path.join(os.fsencode(tmp_path), b"r\xe9sum\xe9.txt")
    with open(path, "wb") as f:
        f.write(b"cv")
    name = os.fsdecode(path)
    result = await call(file_app(lambda: File(name, filename=os.path.basename(name))), "/file")
    assert (result.status, result.body) == (200, b"cv")
    assert result.headers["content-disposition"].endswith("filename*=UTF-8''r%EF%BF%BDsum%EF%BF%BD.txt")


# -- validators and preconditions --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_etag_and_last_modified_come_from_the_file(text_file: Path) -> None:
    os.utime(text_file, (784111777, 784111777))
    result = await call(file_app(lambda: File(text_file)), "/file")
    assert result.headers["last-modified"] == "Sun, 06 Nov 1994 08:49:37 GMT"
    assert result.headers["etag"] == create_etag_for_file(os.fspath(text_file), 784111777, len("hello, file"))
    assert result.headers["etag"].startswith(f'"{784111777 * 1_000_000:x}-{len("hello, file"):x}-')
    assert result.headers["accept-ranges"] == "bytes"
    assert result.headers["content-length"] == "11"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("make", "layered", "expected"),
    [
        pytest.param(lambda p: File(p, etag=ETag(value="given")), None, '"given"', id="argument"),
        pytest.param(lambda p: File(p, etag=ETag(value="w", weak=True)), None, 'W/"w"', id="weak-argument"),
        pytest.param(lambda p: File(p, headers={"ETag": '"own"'}), None, '"own"', id="own-header"),
        pytest.param(lambda p: File(p), ETag(value="layered"), "computed", id="layered-gives-way"),
    ],
)
async def test_etag_precedence(
    text_file: Path, make: Callable[[Path], File], layered: ETag | None, expected: str
) -> None:
    options: dict[str, Any] = {"etag": layered} if layered else {}
    app = file_app(lambda: make(text_file), **options)
    result = await call(app, "/file")
    etags = [v for n, v in result.messages[0]["headers"] if n == b"etag"]
    assert len(etags) == 1
    if expected == "computed":
        assert f"-{len('hello, file'):x}-" in etags[0].decode()
    else:
        assert etags[0].decode() == expected
    revalidated = await call(app, "/file", headers=[("if-none-match", etags[0].decode())])
    assert revalidated.status == 304


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "header", "value", "status"),
    [
        pytest.param("GET", "if-none-match", "etag", 304, id="inm-304"),
        pytest.param("HEAD", "if-none-match", "etag", 304, id="inm-head-304"),
        pytest.param("GET", "if-none-match", '"other"', 200, id="inm-other-200"),
        pytest.param("GET", "if-modified-since", "last-modified", 304, id="ims-304"),
        pytest.param("GET", "if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT", 200, id="ims-old-200"),
        pytest.param("GET", "if-match", '"other"', 412, id="im-412"),
        pytest.param("GET", "if-match", "etag", 200, id="im-200"),
        pytest.param("GET", "if-unmodified-since", "Sun, 06 Nov 1994 08:49:37 GMT", 412, id="ius-412"),
    ],
)
async def test_preconditions(text_file: Path, method: str, header: str, value: str, status: int) -> None:
    app = file_app(lambda: File(text_file))
    plain = await call(app, "/file")
    value = plain.headers.get(value, value)
    result = await call(app, "/file", method=method, headers=[(header, value)])
    assert result.status == status
    if status == 304:
        assert result.body == b""
        assert result.headers["etag"] == plain.headers["etag"]
        assert result.headers["last-modified"] == plain.headers["last-modified"]
        assert "content-length" not in result.headers
        assert "content-type" not in result.headers
    elif status == 412:
        assert (result.body, result.headers["content-length"]) == (b"", "0")
    else:
        assert result.body == (b"" if method == "HEAD" else b"hello, file")


@pytest.mark.anyio
async def test_preconditions_ignored_for_other_status_codes(text_file: Path) -> None:
    app = file_app(lambda: File(text_file, status_code=203))
    etag = (await call(app, "/file")).headers["etag"]
    assert (await call(app, "/file", headers=[("if-none-match", etag)])).status == 203


# -- HEAD, single message, streaming -----------------------------------------------------------------------------------


class CountingFileSystem(BaseLocalFileSystem):
    """The local disk, counting reads."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        self.reads += 1
        return await super().read_bytes(path, start, end)

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        self.reads += 1
        async for chunk in super().iter(path, chunksize, start, end):
            yield chunk


@pytest.mark.anyio
@pytest.mark.parametrize("chunk_size", [pytest.param(1024, id="small"), pytest.param(3, id="large")])
async def test_head_sends_headers_only_and_reads_nothing(text_file: Path, chunk_size: int) -> None:
    fs = CountingFileSystem()
    result = await call(
        file_app(lambda: File(text_file, file_system=fs, chunk_size=chunk_size)), "/file", method="HEAD"
    )
    assert (result.status, result.headers["content-length"], result.body) == (200, "11", b"")
    assert fs.reads == 0


@pytest.mark.anyio
async def test_file_up_to_chunk_size_goes_in_one_message(tmp_path: Path) -> None:
    path = tmp_path / "exact.bin"
    path.write_bytes(b"x" * 64)
    result = await call(file_app(lambda: File(path, chunk_size=64)), "/file")
    assert result.body_messages == [{"type": "http.response.body", "body": b"x" * 64}]


@pytest.mark.anyio
async def test_large_file_streams_in_chunks(tmp_path: Path) -> None:
    content = os.urandom(1000)
    path = tmp_path / "large.bin"
    path.write_bytes(content)
    result = await call(file_app(lambda: File(path, chunk_size=64)), "/file")
    bodies = result.body_messages
    assert all(len(m["body"]) <= 64 for m in bodies)
    assert len(bodies) == 16
    assert [m["more_body"] for m in bodies] == [True] * 15 + [False]
    assert result.body == content
    assert result.headers["content-length"] == "1000"


@pytest.mark.anyio
async def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = await call(file_app(lambda: File(path)), "/file")
    assert (result.status, result.headers["content-length"], result.body) == (200, "0", b"")


@pytest.mark.anyio
async def test_file_growing_while_sent_never_exceeds_content_length(tmp_path: Path) -> None:
    path = tmp_path / "growing.log"
    path.write_bytes(b"a" * 100)

    async def grow(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            with path.open("ab") as f:
                f.write(b"b" * 50)

    result = await call(file_app(lambda: File(path, chunk_size=10)), "/file", on_send=grow)
    assert result.headers["content-length"] == "100"
    assert result.body == b"a" * 100
    assert result.body_messages[-1]["more_body"] is False


@pytest.mark.anyio
async def test_file_shrinking_while_sent_ends_short_without_padding(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "shrinking.log"
    path.write_bytes(b"a" * 100)

    async def shrink(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            with path.open("r+b") as f:
                f.truncate(25)

    ran: list[str] = []
    app = file_app(lambda: File(path, chunk_size=10, background=BackgroundTask(ran.append, "bg")))
    with caplog.at_level(logging.ERROR, logger="outpour.file"):
        result = await call(app, "/file", on_send=shrink)
    assert result.headers["content-length"] == "100"
    assert result.body == b"a" * 25  # 10 sent, then the 15 bytes left after truncation
    assert all(m["more_body"] for m in result.body_messages)  # never completed: the server closes the connection
    assert "shrank while being sent" in caplog.text
    assert ran == []


@pytest.mark.anyio
async def test_small_file_that_shrank_since_stat_sends_what_was_read(text_file: Path) -> None:
    info: FileInfo = {"name": str(text_file), "size": 500, "type": "file", "mtime": 1.0}
    result = await call(file_app(lambda: File(text_file, file_info=info)), "/file")
    assert (result.headers["content-length"], result.body) == ("11", b"hello, file")


@pytest.mark.anyio
async def test_client_disconnect_stops_streaming(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * 10_000)

    async def slow(message: dict[str, Any]) -> None:
        await anyio.sleep(0.001)

    ran: list[str] = []
    app = file_app(lambda: File(path, chunk_size=10, background=BackgroundTask(ran.append, "bg")))
    result = await call(app, "/file", on_send=slow, disconnect_at_once=True)
    assert len(result.body) < 10_000
    assert ran == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("size", "complete"),
    [
        pytest.param(80, True, id="eight-chunks-sent-unwatched"),
        pytest.param(200, False, id="later-chunks-watched"),
    ],
)
async def test_disconnect_is_watched_after_the_first_eight_chunks(tmp_path: Path, size: int, complete: bool) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * size)

    async def slow(message: dict[str, Any]) -> None:
        await anyio.sleep(0.001)

    ran: list[str] = []
    app = file_app(lambda: File(path, chunk_size=10, background=BackgroundTask(ran.append, "bg")))
    result = await call(app, "/file", on_send=slow, disconnect_at_once=True)
    assert (len(result.body) == size) is complete
    assert result.body_messages[-1]["more_body"] is not complete
    assert ran == (["bg"] if complete else [])


@pytest.mark.anyio
async def test_file_shrinking_after_the_first_chunks_ends_short(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "shrinking.log"
    path.write_bytes(b"a" * 200)
    count = 0

    async def shrink(message: dict[str, Any]) -> None:
        nonlocal count
        count += message["type"] == "http.response.body"
        if count == 10:
            with path.open("r+b") as f:
                f.truncate(150)

    with caplog.at_level(logging.ERROR, logger="outpour.file"):
        result = await call(file_app(lambda: File(path, chunk_size=10)), "/file", on_send=shrink)
    assert (result.headers["content-length"], result.body) == ("200", b"a" * 150)
    assert all(m["more_body"] for m in result.body_messages)
    assert "50 of the 200 bytes announced are missing" in caplog.text


@pytest.mark.anyio
async def test_send_failing_after_the_first_chunks_stops_streaming(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * 1000)

    async def broken(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and len(result_messages()) == 12:
            raise OSError("connection reset")

    messages: list[dict[str, Any]] = []

    def result_messages() -> list[dict[str, Any]]:
        return messages

    async def record(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            messages.append(message)
        await broken(message)

    ran: list[str] = []
    app = file_app(lambda: File(path, chunk_size=10, background=BackgroundTask(ran.append, "bg")))
    result = await call(app, "/file", on_send=record)
    assert len(result.body_messages) == 12
    assert ran == []


@pytest.mark.anyio
async def test_send_failing_stops_streaming(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * 1000)

    async def broken(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            raise OSError("connection reset")

    result = await call(file_app(lambda: File(path, chunk_size=10)), "/file", on_send=broken)
    assert len(result.body_messages) == 1


@pytest.mark.anyio
async def test_background_cookies_and_headers(text_file: Path) -> None:
    ran: list[str] = []
    app = file_app(
        lambda: File(
            text_file, background=BackgroundTask(ran.append, "done"), cookies={"seen": "1"}, headers={"x-a": "b"}
        )
    )
    result = await call(app, "/file")
    assert ran == ["done"]
    assert result.headers["x-a"] == "b"
    assert result.headers["set-cookie"].startswith("seen=1")


# -- zero-copy ---------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_pathsend_used_when_offered(text_file: Path) -> None:
    fs = CountingFileSystem()
    result = await call(file_app(lambda: File(text_file, file_system=fs)), "/file", extensions=PATHSEND)
    assert result.messages[1] == {"type": "http.response.pathsend", "path": str(text_file.resolve())}
    assert result.headers["content-length"] == "11"
    assert fs.reads == 0


@pytest.mark.anyio
async def test_pathsend_path_is_absolute(text_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(text_file.parent)
    result = await call(file_app(lambda: File("notes.txt")), "/file", extensions=PATHSEND)
    assert result.messages[1]["path"] == str(text_file.resolve())


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "method", "make_fs", "extensions"),
    [
        pytest.param([], "GET", BaseLocalFileSystem, {}, id="not-offered"),
        pytest.param([("range", "bytes=0-1")], "GET", BaseLocalFileSystem, PATHSEND, id="range"),
        pytest.param([], "HEAD", BaseLocalFileSystem, PATHSEND, id="head"),
        pytest.param([], "GET", lambda: "memory", PATHSEND, id="not-local"),
    ],
)
async def test_pathsend_not_used(
    text_file: Path, headers: list[tuple[str, str]], method: str, make_fs: Callable[[], Any], extensions: Any
) -> None:
    memory = MemoryFileSystem()
    memory.pipe_file(str(text_file), text_file.read_bytes())
    fs = make_fs()
    fs = memory if fs == "memory" else fs
    result = await call(
        file_app(lambda: File(str(text_file), file_system=fs)),
        "/file",
        method=method,
        headers=headers,
        extensions=extensions,
    )
    assert [m["type"] for m in result.messages[1:]] == ["http.response.body"]
    memory.rm(str(text_file))


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("chunk_size", "expected"), [(11, ["http.response.pathsend"]), (10, ["http.response.body"] * 2)]
)
async def test_pathsend_only_for_a_file_that_fits_in_one_piece(
    text_file: Path, chunk_size: int, expected: list[str]
) -> None:
    # A larger file streams in pieces that take turns with other responses, instead of the server sending it whole.
    result = await call(file_app(lambda: File(text_file, chunk_size=chunk_size)), "/file", extensions=PATHSEND)
    assert [m["type"] for m in result.messages[1:]] == expected
    assert b"".join(m.get("body", b"") for m in result.messages[1:]) == (
        b"" if chunk_size == 11 else text_file.read_bytes()
    )


# -- errors ------------------------------------------------------------------------------------------------------------


PATH_ERRORS = [
    (errno.ENAMETOOLONG, "ENAMETOOLONG"),
    (errno.ENOTDIR, "ENOTDIR"),
    (errno.ELOOP, "ELOOP"),
    (errno.EINVAL, "EINVAL"),
    (errno.EILSEQ, "EILSEQ"),
    (errno.EISDIR, "EISDIR"),
]
"""Errors meaning that a path names no file: each is a 404, and nothing is logged."""


class FailingFileSystem(BaseFileSystem):
    """A file system whose calls raise what it is given."""

    def __init__(self, on_info: OSError | None = None, on_read: OSError | None = None, kind: str = "file") -> None:
        self.on_info = on_info
        self.on_read = on_read
        self.kind = kind

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        if self.on_info:
            raise self.on_info
        return {"name": str(path), "size": 5, "type": self.kind, "mtime": 0.0}

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        if self.on_read:
            raise self.on_read
        return b"12345"[start : end + 1]

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        if self.on_read:
            raise self.on_read
        yield b"12345"[start : end + 1]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("fs", "chunk_size", "status", "logged"),
    [
        pytest.param(FailingFileSystem(on_info=FileNotFoundError(2, "gone")), 1024, 404, None, id="missing"),
        pytest.param(FailingFileSystem(kind="directory"), 1024, 404, None, id="directory"),
        pytest.param(FailingFileSystem(kind="other"), 1024, 404, None, id="fifo-or-device"),
        pytest.param(
            FailingFileSystem(on_info=PermissionError(13, "no")), 1024, 403, "Cannot read file", id="stat-denied"
        ),
        pytest.param(
            FailingFileSystem(on_read=PermissionError(13, "no")), 1024, 403, "Cannot read file", id="read-denied"
        ),
        pytest.param(
            FailingFileSystem(on_read=PermissionError(13, "no")), 2, 403, "Cannot read file", id="stream-denied"
        ),
        pytest.param(
            FailingFileSystem(on_read=OSError(errno.EIO, "I/O error")),
            1024,
            404,
            "Cannot read file `x.txt`, answering 404: [Errno 5] I/O error",
            id="io-error",
        ),
        pytest.param(
            FailingFileSystem(on_info=OSError(errno.EMFILE, "Too many open files")),
            1024,
            404,
            "Cannot read file `x.txt`, answering 404: [Errno 24]",
            id="no-file-descriptors",
        ),
        pytest.param(
            FailingFileSystem(on_read=OSError(errno.EIO, "I/O error")), 2, 404, "answering 404", id="stream-io-error"
        ),
        *(
            pytest.param(FailingFileSystem(on_info=OSError(code, os.strerror(code))), 1024, 404, None, id=name)
            for code, name in PATH_ERRORS
        ),
        *(
            pytest.param(FailingFileSystem(on_read=OSError(code, os.strerror(code))), 2, 404, None, id=f"open-{name}")
            for code, name in PATH_ERRORS
        ),
    ],
)
async def test_file_errors(
    fs: BaseFileSystem, chunk_size: int, status: int, logged: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """A file that cannot be described or read is a 4xx, never a 500; only errors not about the path are logged."""
    with caplog.at_level(logging.DEBUG):
        result = await call(file_app(lambda: File("x.txt", file_system=fs, chunk_size=chunk_size)), "/file")
    assert result.status == status
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    if logged:
        assert [m for m in warnings if logged in m], warnings
    else:
        assert warnings == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    "name",
    [
        pytest.param("a" * 300, id="segment-longer-than-NAME_MAX"),
        pytest.param("/".join(["abcdefghij"] * 500), id="path-longer-than-PATH_MAX"),
        pytest.param("notes.txt/inside", id="through-a-file-ENOTDIR"),
        pytest.param("loop", id="symlink-loop-ELOOP"),
        pytest.param("loop/inside", id="through-a-symlink-loop"),
        pytest.param("nul\x00byte", id="NUL-byte"),
        pytest.param("surrogate-\ud800", id="unencodable-character"),
    ],
)
@pytest.mark.parametrize("pathsend", [pytest.param(False, id="read"), pytest.param(True, id="pathsend")])
async def test_local_path_naming_no_file_is_404(
    tmp_path: Path, name: str, pathsend: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """A `File` path may come from the request: whatever the OS refuses about it is a 404, logged at most as info."""
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with caplog.at_level(logging.DEBUG):
        result = await call(
            file_app(lambda: File(os.path.join(tmp_path, name))), "/file", extensions=PATHSEND if pathsend else {}
        )
    assert (result.status, result.body) == (404, b'{"status_code":404,"detail":"Not Found"}')
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.anyio
async def test_nul_byte_in_a_described_path_is_404_under_pathsend(tmp_path: Path) -> None:
    info: FileInfo = {"name": "x", "size": 5, "type": "file", "mtime": 1.0}
    result = await call(file_app(lambda: File(f"{tmp_path}/a\x00b", file_info=info)), "/file", extensions=PATHSEND)
    assert result.status == 404


@pytest.mark.anyio
@pytest.mark.parametrize(
    "make", [pytest.param(lambda p: p / "missing.txt", id="missing"), pytest.param(lambda p: p, id="directory")]
)
async def test_local_missing_and_directory_are_404(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    result = await call(file_app(lambda: File(make(tmp_path))), "/file")
    assert result.status == 404


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("fs", "error"),
    [
        pytest.param(FailingFileSystem(on_info=FileNotFoundError()), NotFoundException, id="not-found"),
        pytest.param(FailingFileSystem(on_info=PermissionError()), PermissionDeniedException, id="denied"),
    ],
)
async def test_asgi_file_response_raises_before_starting(fs: BaseFileSystem, error: type[Exception]) -> None:
    messages: list[Any] = []

    async def send(message: Any) -> None:
        messages.append(message)

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    response = ASGIFileResponse(file_path="x", file_system=fs)
    with pytest.raises(error):
        await response({"type": "http", "method": "GET", "headers": []}, receive, send)
    assert messages == []


@pytest.mark.anyio
async def test_shrunk_file_with_range_is_a_server_error(text_file: Path) -> None:
    info: FileInfo = {"name": str(text_file), "size": 500, "type": "file", "mtime": 1.0}
    result = await call(
        file_app(lambda: File(text_file, file_info=info)), "/file", headers=[("range", "bytes=100-200")]
    )
    assert result.status == 500


@pytest.mark.anyio
async def test_file_info_may_be_awaitable(text_file: Path) -> None:
    async def describe() -> FileInfo:
        return {"name": str(text_file), "size": 11, "type": "file"}

    result = await call(file_app(lambda: File(text_file, file_info=describe())), "/file")
    assert (result.body, "last-modified" in result.headers) == (b"hello, file", False)


@pytest.mark.anyio
async def test_an_etag_is_made_without_a_modification_time(text_file: Path) -> None:
    """A file system that gives no modification time still gets an ``ETag``: from the path and size alone."""
    info: FileInfo = {"name": str(text_file), "size": 11, "type": "file"}
    app = file_app(lambda: File(text_file, file_info=info))
    result = await call(app, "/file")
    assert result.headers["etag"] == create_etag_for_file(os.fspath(text_file), None, 11)
    assert "last-modified" not in result.headers
    revalidated = await call(app, "/file", headers=[("if-none-match", result.headers["etag"])])
    assert (revalidated.status, revalidated.body) == (304, b"")


_MODIFIED = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)


class DatetimeTimesFileSystem(BaseFileSystem):
    """A file system of the user's that reports its modification times as ``datetime`` objects, under ``updated_at``."""

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        return {"name": str(path), "size": 5, "type": "file", "updated_at": _MODIFIED}  # type: ignore[typeddict-unknown-key]

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        return b"12345"[start : end + 1]

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        yield b"12345"[start : end + 1]


@pytest.mark.parametrize("key", ["mtime", "ctime", "Last-Modified", "updated_at", "last_modified", "timestamp"])
@pytest.mark.parametrize(
    "value",
    [
        pytest.param(_MODIFIED.timestamp(), id="seconds"),
        pytest.param(int(_MODIFIED.timestamp()), id="whole-seconds"),
        pytest.param(_MODIFIED, id="datetime"),
        pytest.param(_MODIFIED.isoformat(), id="iso-8601"),
        pytest.param("2001-02-03T04:05:06Z", id="iso-8601-z"),
    ],
)
def test_last_modified_read_from_a_given_file_info_as_fsspec_reports_it(text_file: Path, key: str, value: Any) -> None:
    """A ``file_info`` given to ``File`` may hold the time under another key, as a ``datetime`` or as ISO 8601 text."""
    info: Any = {"name": str(text_file), "size": 11, "type": "file", key: value}

    @get("/")
    def handler() -> File:
        return File(text_file, file_info=info)

    with create_test_client([handler]) as client:
        response = client.get("/")
        assert (response.status_code, response.headers["last-modified"]) == (200, "Sat, 03 Feb 2001 04:05:06 GMT")
        assert response.headers["etag"] == create_etag_for_file(os.fspath(text_file), _MODIFIED.timestamp(), 11)
        assert client.get("/", headers={"if-modified-since": response.headers["last-modified"]}).status_code == 304
    assert info[key] is value  # the dict given is left as it was


def test_last_modified_read_from_a_file_systems_datetime(tmp_path: Path) -> None:
    @get("/")
    def handler() -> File:
        return File(tmp_path / "any.txt", file_system=DatetimeTimesFileSystem())

    with create_test_client([handler]) as client:
        response = client.get("/")
        assert (response.content, response.headers["last-modified"]) == (b"12345", "Sat, 03 Feb 2001 04:05:06 GMT")
        assert client.get("/", headers={"if-unmodified-since": "Fri, 02 Feb 2001 00:00:00 GMT"}).status_code == 412


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_a_last_modified_given_in_headers_replaces_the_files(text_file: Path, method: str) -> None:
    os.utime(text_file, (784111777, 784111777))
    given = "Tue, 15 Nov 1994 12:45:26 GMT"
    app = file_app(lambda: File(text_file, headers={"Last-Modified": given}))
    result = await call(app, "/file", method=method)
    assert [v for n, v in result.messages[0]["headers"] if n == b"last-modified"] == [given.encode()]
    # conditional requests compare with the date sent
    assert (await call(app, "/file", method=method, headers=[("if-modified-since", given)])).status == 304
    earlier = "Sun, 06 Nov 1994 08:49:37 GMT"  # the file's own time: older than the date sent
    assert (await call(app, "/file", method=method, headers=[("if-modified-since", earlier)])).status == 200


@pytest.mark.anyio
async def test_a_content_length_given_in_headers_replaces_the_files(text_file: Path) -> None:
    app = file_app(lambda: File(text_file, headers={"Content-Length": "5"}))
    result = await call(app, "/file")
    assert [v for n, v in result.messages[0]["headers"] if n == b"content-length"] == [b"5"]
    assert result.body == b"hello"
    head = await call(app, "/file", method="HEAD")
    assert [v for n, v in head.messages[0]["headers"] if n == b"content-length"] == [b"5"]
    ranged = await call(app, "/file", headers=[("range", "bytes=-2")])
    assert (ranged.status, ranged.headers["content-range"], ranged.body) == (206, "bytes 3-4/5", b"lo")
    whole = await call(app, "/file", extensions=PATHSEND)  # the server would send the whole file: not used
    assert [m["type"] for m in whole.messages] == ["http.response.start", "http.response.body"]
    assert whole.body == b"hello"


def test_a_content_length_given_in_headers_must_be_a_number() -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"`Content-Length` given in the headers .* is `5 kB`"):
        ASGIFileResponse(file_path="x.txt", headers={"Content-Length": "5 kB"})


async def _start_and_send_body(response: ASGIFileResponse) -> list[Any]:
    messages: list[Any] = []

    async def send(message: Any) -> None:
        messages.append(message)

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    await response.start_response(send)
    await response.send_body(send, receive)
    return messages


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        pytest.param(lambda p: p / "missing.txt", r"Cannot send the file `.*missing\.txt`: No such file", id="missing"),
        pytest.param(lambda p: p, r"Cannot send `.*`: it is a directory, not a file", id="directory"),
    ],
)
async def test_start_response_checks_the_file(tmp_path: Path, make: Callable[[Path], Path], fragment: str) -> None:
    response = ASGIFileResponse(file_path=make(tmp_path), file_system=BaseLocalFileSystem())
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        await response.start_response(send)
    assert sent == []


@pytest.mark.anyio
@pytest.mark.parametrize("chunk_size", [pytest.param(4, id="chunks"), pytest.param(1024, id="one-piece")])
async def test_start_response_and_send_body_send_the_whole_file(text_file: Path, chunk_size: int) -> None:
    os.utime(text_file, (784111777, 784111777))
    response = ASGIFileResponse(file_path=text_file, chunk_size=chunk_size, media_type="text/plain")
    start, *body = await _start_and_send_body(response)
    headers = dict(start["headers"])
    assert (start["status"], headers[b"content-length"], headers[b"content-type"]) == (
        200,
        b"11",
        b"text/plain; charset=utf-8",
    )
    assert headers[b"etag"] == create_etag_for_file(os.fspath(text_file), 784111777, 11).encode()
    assert headers[b"last-modified"] == b"Sun, 06 Nov 1994 08:49:37 GMT"
    assert b"".join(m["body"] for m in body) == b"hello, file"
    assert body[-1] == {"type": "http.response.body", "body": b""}


@pytest.mark.anyio
async def test_start_response_and_send_body_for_head(text_file: Path) -> None:
    response = ASGIFileResponse(file_path=text_file, is_head_response=True, headers={"Content-Length": "5"})
    start, body = await _start_and_send_body(response)
    assert dict(start["headers"])[b"content-length"] == b"5"
    assert body == {"type": "http.response.body", "body": b""}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"chunk_size": 0}, "chunk_size", id="zero-chunk"),
        pytest.param({"chunk_size": True}, "chunk_size", id="bool-chunk"),
        pytest.param({"content_disposition_type": "download"}, "content_disposition_type", id="disposition"),
    ],
)
def test_invalid_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        File("x", **kwargs)
    with pytest.raises(ImproperlyConfiguredException, match=message):
        ASGIFileResponse(file_path="x", **kwargs)


# -- file systems ------------------------------------------------------------------------------------------------------


@pytest.fixture
def memory_fs() -> Any:
    fs = MemoryFileSystem()
    fs.pipe_file("/assets/logo.svg", b"<svg/>")
    yield fs
    fs.rm("/assets", recursive=True)


@pytest.mark.anyio
async def test_file_system_by_name(memory_fs: Any) -> None:
    @get("/logo")
    async def logo() -> File:
        return File("/assets/logo.svg", file_system="assets", filename="logo.svg")

    app = Outpour([logo], plugins=[FileSystemRegistry({"assets": memory_fs})])
    result = await call(app, "/logo")
    assert (result.status, result.headers["content-type"], result.body) == (200, "image/svg+xml", b"<svg/>")


@pytest.mark.anyio
async def test_registry_default_is_used_without_a_name(memory_fs: Any) -> None:
    @get("/logo")
    async def logo() -> File:
        return File("/assets/logo.svg")

    app = Outpour([logo], plugins=[FileSystemRegistry(default=memory_fs)])
    assert (await call(app, "/logo")).body == b"<svg/>"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "plugins",
    [pytest.param([], id="no-registry"), pytest.param([FileSystemRegistry({"a": MemoryFileSystem()})], id="unknown")],
)
async def test_unknown_file_system_name_is_a_server_error(plugins: list[Any], caplog: pytest.LogCaptureFixture) -> None:
    @get("/logo")
    async def logo() -> File:
        return File("/assets/logo.svg", file_system="nope")

    with caplog.at_level(logging.ERROR):
        result = await call(Outpour([logo], plugins=plugins), "/logo")
    assert result.status == 500
    assert "`nope`" in caplog.text


@pytest.mark.anyio
async def test_fsspec_file_system_passed_directly_streams_ranges(memory_fs: Any) -> None:
    memory_fs.pipe_file("/assets/big.bin", bytes(range(256)) * 4)
    result = await call(
        file_app(lambda: File("/assets/big.bin", file_system=memory_fs, chunk_size=100)),
        "/file",
        headers=[("range", "bytes=10-509")],
    )
    assert (result.status, result.body) == (206, (bytes(range(256)) * 4)[10:510])
    assert all(len(m["body"]) <= 100 for m in result.body_messages)


def test_fsspec_is_importable_for_these_tests() -> None:
    assert fsspec.filesystem("memory") is not None


# -- edges -------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("accept_ranges", "range_status"),
    [pytest.param("none", 200, id="none-disables-ranges"), pytest.param("bytes", 206, id="bytes")],
)
async def test_accept_ranges_header_of_the_response(text_file: Path, accept_ranges: str, range_status: int) -> None:
    app = file_app(lambda: File(text_file, headers={"Accept-Ranges": accept_ranges}))
    result = await call(app, "/file", headers=[("range", "bytes=0-1"), ("accept", "*/*")])
    assert result.status == range_status
    assert [v for n, v in result.messages[0]["headers"] if n == b"accept-ranges"] == [accept_ranges.encode()]
    unsatisfiable = await call(app, "/file", headers=[("range", "bytes=500-")])
    assert unsatisfiable.status == (416 if range_status == 206 else 200)
    assert [v for n, v in unsatisfiable.messages[0]["headers"] if n == b"accept-ranges"] == [accept_ranges.encode()]


class OverlongFileSystem(BaseLocalFileSystem):
    """Yields whole files, whatever range is asked: a careless implementation."""

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        yield Path(path).read_bytes() + b"EXTRA"


@pytest.mark.anyio
async def test_bytes_past_the_range_are_never_sent(text_file: Path) -> None:
    result = await call(file_app(lambda: File(text_file, file_system=OverlongFileSystem(), chunk_size=2)), "/file")
    assert (result.headers["content-length"], result.body) == ("11", b"hello, file")


@pytest.mark.anyio
async def test_file_empty_before_the_first_chunk_is_a_server_error(tmp_path: Path) -> None:
    path = tmp_path / "emptied.bin"
    path.write_bytes(b"")
    info: FileInfo = {"name": str(path), "size": 100, "type": "file"}
    result = await call(file_app(lambda: File(path, file_info=info, chunk_size=10)), "/file")
    assert result.status == 500


@pytest.mark.anyio
async def test_pathsend_refused_for_an_unreadable_file(text_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    result = await call(file_app(lambda: File(text_file)), "/file", extensions=PATHSEND)
    assert result.status == 403


@pytest.mark.anyio
@pytest.mark.parametrize("file_system", [pytest.param(None, id="default"), pytest.param("mem", id="by-name")])
async def test_asgi_file_response_resolves_file_systems_itself(text_file: Path, file_system: str | None) -> None:
    memory = MemoryFileSystem()
    memory.pipe_file(str(text_file), b"from memory")
    messages: list[Any] = []

    async def send(message: Any) -> None:
        messages.append(message)

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    app = Outpour([], plugins=[FileSystemRegistry({"mem": memory})])
    response = ASGIFileResponse(file_path=text_file, file_system=file_system)
    await response({"type": "http", "method": "GET", "headers": [], "app": app}, receive, send)
    memory.rm(str(text_file))
    assert messages[1]["body"] == (b"hello, file" if file_system is None else b"from memory")


@pytest.mark.anyio
@pytest.mark.parametrize("pieces", [pytest.param(4, id="unwatched-pieces"), pytest.param(20, id="watched-pieces")])
async def test_concurrent_large_files_take_turns(tmp_path: Path, pieces: int) -> None:
    # Cached pieces are read without waiting and this send never waits, as a server's does until its buffer fills:
    # each response must still let the other run between two pieces, not send its whole body first.
    for name in ("a", "b"):
        (tmp_path / f"{name}.bin").write_bytes(name.encode() * 10 * pieces)

    @get("/{name:str}")
    async def handler(name: str) -> File:
        return File(tmp_path / f"{name}.bin", chunk_size=10, file_system=BaseLocalFileSystem(inline_read_size=10))

    app = Outpour([handler])
    order: list[bytes] = []

    async def record(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            order.append(message["body"][:1])

    async with anyio.create_task_group() as tg:
        tg.start_soon(partial(call, app, "/a", on_send=record))
        tg.start_soon(partial(call, app, "/b", on_send=record))
    assert sorted(order) == [b"a"] * pieces + [b"b"] * pieces
    switches = sum(1 for first, second in pairwise(order) if first != second)
    assert switches >= pieces
