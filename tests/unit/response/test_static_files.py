"""The static files router: serving, HTML mode, attachments, file systems, and the path traversal table."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from outpour import Outpour, Router
from outpour.exceptions import ImproperlyConfiguredException
from outpour.file_system import (
    BaseFileSystem,
    BaseLocalFileSystem,
    FileInfo,
    FileSystemRegistry,
    LinkableFileSystem,
    PathType,
)
from outpour.static_files import create_static_files_router
from outpour.testing import create_test_client


@dataclass
class Result:
    status: int
    headers: dict[str, str]
    body: bytes


async def call(app: Any, path: str, raw_path: bytes | None = None, method: str = "GET") -> Result:
    """Call the app with an exact ``path`` and ``raw_path``, as a server would after decoding the request target."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode("utf-8"),
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "extensions": {},
    }
    messages: list[dict[str, Any]] = []
    done = anyio.Event()
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await app(scope, receive, send)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in messages[0]["headers"]}
    return Result(messages[0]["status"], headers, b"".join(m.get("body", b"") for m in messages[1:]))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """tmp/static (served) next to tmp/static-secret (not served), with links both ways."""
    static = tmp_path / "static"
    secret = tmp_path / "static-secret"
    (static / "sub").mkdir(parents=True)
    secret.mkdir()
    (static / "hello.txt").write_text("hello")
    (static / "héllo wörld.txt").write_text("unicode")
    (static / "%2e%2e").mkdir()
    (static / "index.html").write_text("<h1>home</h1>")
    (static / "sub" / "index.html").write_text("<h1>sub</h1>")
    (static / "sub" / "page.txt").write_text("page")
    (secret / "secret.txt").write_text("top secret")
    (static / "link_in").symlink_to(static / "hello.txt")
    (static / "link_out").symlink_to(secret / "secret.txt")
    (static / "dirlink_out").symlink_to(secret)
    (static / "relative_out").symlink_to(Path("..") / "static-secret" / "secret.txt")
    return tmp_path


def static_app(site: Path, **kwargs: Any) -> Outpour:
    return Outpour([create_static_files_router(path="/static", directories=[site / "static"], **kwargs)])


NOT_FOUND = (404, None)

TRAVERSAL_TABLE = [
    pytest.param("/static/hello.txt", None, (200, b"hello"), id="plain-file"),
    pytest.param("/static/./hello.txt", None, (200, b"hello"), id="dot-segment-harmless"),
    pytest.param("/static//hello.txt", None, (200, b"hello"), id="double-slash-harmless"),
    pytest.param("/static/sub/page.txt", None, (200, b"page"), id="nested-file"),
    pytest.param(
        "/static/héllo wörld.txt", b"/static/h%C3%A9llo%20w%C3%B6rld.txt", (200, b"unicode"), id="unicode-name"
    ),
    pytest.param("/static/link_in", None, (200, b"hello"), id="symlink-inside-root"),
    pytest.param("/static/../static-secret/secret.txt", None, NOT_FOUND, id="dot-dot"),
    pytest.param("/static/sub/../../static-secret/secret.txt", None, NOT_FOUND, id="nested-dot-dot"),
    pytest.param("/static/sub/../hello.txt", None, NOT_FOUND, id="dot-dot-even-inside-root"),
    pytest.param("/static/..", None, NOT_FOUND, id="dot-dot-alone"),
    pytest.param(
        "/static/../static-secret/secret.txt",
        b"/static/%2e%2e/static-secret/secret.txt",
        NOT_FOUND,
        id="encoded-dot-dot",
    ),
    pytest.param(
        "/static/../static-secret/secret.txt",
        b"/static/%2E%2E/static-secret/secret.txt",
        NOT_FOUND,
        id="encoded-dot-dot-upper",
    ),
    pytest.param(
        "/static/../static-secret/secret.txt",
        b"/static/.%2e/static-secret/secret.txt",
        NOT_FOUND,
        id="half-encoded-dot-dot",
    ),
    pytest.param("/static/%2e%2e/x", b"/static/%252e%252e/x", NOT_FOUND, id="double-encoded-is-literal"),
    pytest.param("/static/sub/page.txt", b"/static/sub%2fpage.txt", NOT_FOUND, id="encoded-slash"),
    pytest.param("/static/sub/page.txt", b"/static/sub%2Fpage.txt", NOT_FOUND, id="encoded-slash-upper"),
    pytest.param(
        "/static/../static-secret/secret.txt",
        b"/static/..%2fstatic-secret%2fsecret.txt",
        NOT_FOUND,
        id="encoded-slash-dot-dot",
    ),
    pytest.param("/static/..\\static-secret\\secret.txt", None, NOT_FOUND, id="backslash"),
    pytest.param(
        "/static/..\\static-secret\\secret.txt",
        b"/static/..%5cstatic-secret%5csecret.txt",
        NOT_FOUND,
        id="encoded-backslash",
    ),
    pytest.param("/static/sub\\page.txt", None, NOT_FOUND, id="backslash-inside-root"),
    pytest.param("/static/hello.txt\x00.png", b"/static/hello.txt%00.png", NOT_FOUND, id="nul"),
    pytest.param("/static/hello.txt\x00", None, NOT_FOUND, id="nul-decoded"),
    pytest.param("/static//etc/passwd", None, NOT_FOUND, id="absolute-path"),
    pytest.param("/static/" + "/".join([".."] * 10) + "/etc/passwd", None, NOT_FOUND, id="many-dot-dots"),
    pytest.param("/static/link_out", None, NOT_FOUND, id="symlink-leaving-root"),
    pytest.param("/static/relative_out", None, NOT_FOUND, id="relative-symlink-to-sibling-with-prefix"),
    pytest.param("/static/dirlink_out/secret.txt", None, NOT_FOUND, id="directory-symlink-leaving-root"),
    pytest.param("/static/sub", None, NOT_FOUND, id="directory"),
    pytest.param("/static", None, NOT_FOUND, id="root-directory"),
    pytest.param("/static/missing.txt", None, NOT_FOUND, id="missing"),
    pytest.param("/static/hello.txt/x", None, NOT_FOUND, id="file-as-directory"),
    pytest.param("/static-secret/secret.txt", None, NOT_FOUND, id="sibling-prefix-route"),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("path", "raw_path", "expected"), TRAVERSAL_TABLE)
async def test_traversal_table(
    site: Path, path: str, raw_path: bytes | None, expected: tuple[int, bytes | None]
) -> None:
    result = await call(static_app(site), path, raw_path)
    status, body = expected
    assert result.status == status
    if body is not None:
        assert result.body == body
    else:
        assert b"secret" not in result.body


@pytest.mark.anyio
async def test_sibling_directory_with_shared_prefix_is_never_served(tmp_path: Path) -> None:
    """``/srv/static`` must not serve ``/srv/static-secret``, even through a link whose target shares the prefix."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static-secret").mkdir()
    (tmp_path / "static-secret" / "key").write_text("secret")
    (tmp_path / "static" / "key").symlink_to(tmp_path / "static-secret" / "key")
    assert (await call(static_app(tmp_path), "/static/key")).status == 404


@pytest.mark.anyio
@pytest.mark.parametrize("raw", [pytest.param(False, id="decoded"), pytest.param(True, id="percent-encoded-slashes")])
async def test_absolute_path_of_an_existing_file_outside_the_root(site: Path, raw: bool) -> None:
    secret = str(site / "static-secret" / "secret.txt")
    path = "/static/" + secret
    raw_path = ("/static/" + secret.replace("/", "%2F")).encode() if raw else None
    result = await call(static_app(site), path, raw_path)
    assert result.status == 404
    assert b"secret" not in result.body


@pytest.mark.anyio
async def test_symlinks_outside_allowed_when_asked(site: Path) -> None:
    result = await call(static_app(site, allow_symlinks_outside_directory=True), "/static/link_out")
    assert (result.status, result.body) == (200, b"top secret")
    # `..` is refused all the same.
    assert (
        await call(static_app(site, allow_symlinks_outside_directory=True), "/static/../static-secret/secret.txt")
    ).status == 404


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "allowed", "expected"),
    [
        pytest.param("/static/link_in", False, (200, b"hello"), id="link-inside"),
        pytest.param("/static/link_out", False, (404, None), id="link-leaving"),
        pytest.param("/static/dirlink_out/secret.txt", False, (404, None), id="directory-link-leaving"),
        pytest.param("/static/link_out", True, (200, b"top secret"), id="link-leaving-allowed"),
    ],
)
async def test_fsspec_local_file_system_is_linkable(
    site: Path, path: str, allowed: bool, expected: tuple[int, bytes | None]
) -> None:
    """fsspec's ``LocalFileSystem`` is registered as linkable: its links are kept inside the directories."""
    from fsspec.implementations.local import LocalFileSystem

    app = static_app(site, file_system=LocalFileSystem(), allow_symlinks_outside_directory=allowed)
    result = await call(app, path)
    assert (result.status, result.body if expected[1] is not None else None) == expected


class LinkedMemory(MemoryFileSystem):  # type: ignore[misc]  # fsspec is untyped
    """A memory file system whose ``/site/docs/link.txt`` is a link to a file outside the served directory."""


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("allowed", "status"), [pytest.param(False, 404, id="refused"), pytest.param(True, 200, id="allowed")]
)
async def test_a_file_system_registered_as_linkable_is_resolved(
    memory_site: Any, monkeypatch: pytest.MonkeyPatch, allowed: bool, status: int
) -> None:
    memory_site.pipe_file("/site/docs/link.txt", b"the secret's copy")
    links = {"/site/docs/link.txt": "/site/docs-secret/key.txt"}

    async def resolve(fs: Any, path: PathType) -> str:
        assert isinstance(fs, LinkedMemory)
        return links.get(os.fspath(path), os.fspath(path))

    monkeypatch.setattr(LinkableFileSystem, "_resolvers", dict(LinkableFileSystem._resolvers))
    LinkableFileSystem.register_as_linkable(LinkedMemory, resolve)
    router = create_static_files_router(
        path="/docs", directories=["/site/docs"], file_system=LinkedMemory(), allow_symlinks_outside_directory=allowed
    )
    assert (await call(Outpour([router]), "/docs/link.txt")).status == status
    assert (await call(Outpour([router]), "/docs/a.txt")).status == 200


@pytest.mark.anyio
async def test_headers_of_a_static_file(site: Path) -> None:
    result = await call(static_app(site), "/static/hello.txt")
    assert result.headers["content-type"] == "text/plain; charset=utf-8"
    assert result.headers["content-disposition"] == 'inline; filename="hello.txt"'
    assert result.headers["accept-ranges"] == "bytes"
    assert "etag" in result.headers
    assert "last-modified" in result.headers


@pytest.mark.anyio
async def test_send_as_attachment(site: Path) -> None:
    result = await call(static_app(site, send_as_attachment=True), "/static/hello.txt")
    assert result.headers["content-disposition"] == 'attachment; filename="hello.txt"'


@pytest.mark.anyio
async def test_head(site: Path) -> None:
    result = await call(static_app(site), "/static/hello.txt", method="HEAD")
    assert (result.status, result.headers["content-length"], result.body) == (200, "5", b"")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        pytest.param("/static", 200, b"<h1>home</h1>", id="root-index"),
        pytest.param("/static/", 200, b"<h1>home</h1>", id="root-index-slash"),
        pytest.param("/static/sub", 200, b"<h1>sub</h1>", id="sub-index"),
        pytest.param("/static/sub/", 200, b"<h1>sub</h1>", id="sub-index-slash"),
        pytest.param("/static/hello.txt", 200, b"hello", id="file"),
        pytest.param("/static/missing", 404, b"<h1>not here</h1>", id="404-page"),
        pytest.param("/static/../static-secret/secret.txt", 404, None, id="traversal-still-refused"),
    ],
)
async def test_html_mode(site: Path, path: str, status: int, body: bytes | None) -> None:
    (site / "static" / "404.html").write_text("<h1>not here</h1>")
    result = await call(static_app(site, html_mode=True), path)
    assert result.status == status
    if body is not None:
        assert result.body == body
        assert result.headers["content-type"] == ("text/plain" if body == b"hello" else "text/html") + "; charset=utf-8"


@pytest.mark.anyio
async def test_html_mode_without_404_page(site: Path) -> None:
    assert (await call(static_app(site, html_mode=True), "/static/missing")).status == 404


@pytest.mark.anyio
async def test_several_directories_are_tried_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("first a")
    (second / "a.txt").write_text("second a")
    (second / "b.txt").write_text("second b")
    app = Outpour([create_static_files_router(path="/s", directories=[first, second])])
    assert (await call(app, "/s/a.txt")).body == b"first a"
    assert (await call(app, "/s/b.txt")).body == b"second b"


@pytest.mark.anyio
async def test_relative_directories_are_relative_to_the_start_up_directory(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    app = Outpour([create_static_files_router(path="/static", directories=["static"])])
    monkeypatch.chdir("/")
    assert (await call(app, "/static/hello.txt")).body == b"hello"


@pytest.fixture
def memory_site() -> Any:
    fs = MemoryFileSystem()
    fs.pipe_file("/site/docs/a.txt", b"memory a")
    fs.pipe_file("/site/docs/index.html", b"<p>docs</p>")
    fs.pipe_file("/site/docs-secret/key.txt", b"secret")
    yield fs
    fs.rm("/site", recursive=True)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        pytest.param("/docs/a.txt", 200, b"memory a", id="file"),
        pytest.param("/docs", 200, b"<p>docs</p>", id="index"),
        pytest.param("/docs/../docs-secret/key.txt", 404, None, id="dot-dot"),
        pytest.param("/docs//site/docs-secret/key.txt", 404, None, id="absolute-path"),
        pytest.param("/docs/..\\docs-secret\\key.txt", 404, None, id="backslash"),
        pytest.param("/docs/missing", 404, None, id="missing"),
    ],
)
async def test_fsspec_file_system(memory_site: Any, path: str, status: int, body: bytes | None) -> None:
    app = Outpour(
        [create_static_files_router(path="/docs", directories=["/site/docs"], file_system=memory_site, html_mode=True)]
    )
    result = await call(app, path)
    assert result.status == status
    if body is not None:
        assert result.body == body


@pytest.mark.anyio
async def test_file_system_by_name_from_registry(memory_site: Any) -> None:
    app = Outpour(
        [create_static_files_router(path="/docs", directories=["/site/docs/"], file_system="mem")],
        plugins=[FileSystemRegistry({"mem": memory_site})],
    )
    assert (await call(app, "/docs/a.txt")).body == b"memory a"


class DeniedFileSystem(BaseLocalFileSystem):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        raise self.error


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("error", "status", "logged"),
    [
        pytest.param(PermissionError(13, "denied"), 403, "Cannot read `", id="denied"),
        pytest.param(OSError(errno.EIO, "I/O"), 404, "answering 404: [Errno 5] I/O", id="io"),
        pytest.param(OSError(errno.EMFILE, "Too many open files"), 404, "answering 404: [Errno 24]", id="no-fds"),
    ],
)
async def test_unreadable_is_logged(
    site: Path, error: OSError, status: int, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Errors not about the path are a 4xx all the same, logged as a warning without a traceback."""
    with caplog.at_level(logging.DEBUG):
        result = await call(static_app(site, file_system=DeniedFileSystem(error)), "/static/hello.txt")
    assert result.status == status
    assert [(r.levelno, r.exc_info) for r in caplog.records if r.levelno >= logging.WARNING] == [
        (logging.WARNING, None)
    ]
    assert logged in caplog.text


@pytest.mark.anyio
@pytest.mark.parametrize(
    "error",
    [
        pytest.param(OSError(code, os.strerror(code)), id=errno.errorcode[code])
        for code in (errno.ENAMETOOLONG, errno.ELOOP, errno.EINVAL, errno.EILSEQ, errno.ENOTDIR, errno.ENOENT)
    ],
)
async def test_path_errors_of_a_file_system_are_404_and_not_logged(
    site: Path, error: OSError, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        result = await call(static_app(site, file_system=DeniedFileSystem(error)), "/static/hello.txt")
    assert result.status == 404
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.anyio
async def test_a_path_error_in_one_directory_lets_the_next_one_answer(tmp_path: Path) -> None:
    class TooLongHere(BaseLocalFileSystem):
        async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
            if os.fspath(path).startswith(os.fspath(tmp_path / "first")):
                raise OSError(errno.ENAMETOOLONG, "File name too long", path)
            return await super().info(path)

    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "x.txt").write_text("second")
    router = create_static_files_router(
        path="/static", directories=[tmp_path / "first", tmp_path / "second"], file_system=TooLongHere()
    )
    assert (await call(Outpour([router]), "/static/x.txt")).body == b"second"


HOSTILE_PATHS = [
    pytest.param("/static/" + "a" * 300, id="segment-longer-than-NAME_MAX"),
    pytest.param("/static/" + "/".join(["abcdefghij"] * 500), id="path-longer-than-PATH_MAX"),
    pytest.param("/static/" + "\u00e9" * 200, id="segment-longer-than-NAME_MAX-in-utf8-bytes"),
    pytest.param("/static/hello.txt/" + "a" * 300, id="long-segment-through-a-file"),
    pytest.param("/static/loop", id="symlink-loop"),
    pytest.param("/static/loop/hello.txt", id="through-a-symlink-loop"),
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("html_mode", [pytest.param(False, id="plain"), pytest.param(True, id="html-mode")])
def test_hostile_paths_through_the_test_client(
    site: Path, path: str, html_mode: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Paths the file system refuses are answered like missing files, and nothing is logged at warning or above."""
    (site / "static" / "loop").symlink_to(site / "static" / "loop")
    (site / "static" / "404.html").write_text("<h1>missing</h1>")
    router = create_static_files_router(path="/static", directories=[site / "static"], html_mode=html_mode)
    with caplog.at_level(logging.DEBUG), create_test_client([router]) as client:
        response = client.get(path)
    if html_mode:
        assert (response.status_code, response.text) == (404, "<h1>missing</h1>")
    else:
        assert response.json() == {"status_code": 404, "detail": "Not Found"}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize(
    "date",
    [
        pytest.param("Mon, 01 Jan 0000 00:00:00 GMT", id="year-0"),
        pytest.param("Sun Jan  1 00:00:00 0000", id="asctime-year-0"),
        pytest.param("Sunday, 00-Jan-00 00:00:00 GMT", id="rfc850-day-0"),
        pytest.param("Mon, 01 Jan 99999 00:00:00 GMT", id="five-digit-year"),
        pytest.param("Mon, \u0660\u0661 Jan 2024 00:00:00 GMT", id="arabic-indic-digits-in-utf-8"),
        pytest.param("Mon, 01 Jan 2024 00:00:00 GMT" + "9" * 400, id="huge-number"),
        pytest.param("Mon, -1 Jan 2024 00:00:00 GMT", id="negative-day"),
        pytest.param("Mon, 31 Feb 2024 00:00:00 GMT", id="no-such-day"),
    ],
)
@pytest.mark.parametrize("header", ["if-modified-since", "if-unmodified-since", "if-range"])
def test_out_of_range_dates_in_conditional_headers_are_ignored(site: Path, date: str, header: str) -> None:
    """RFC 9110 section 13.1.3: a conditional header that is not a valid HTTP date is ignored; the file is sent."""
    router = create_static_files_router(path="/static", directories=[site / "static"])
    with create_test_client([router]) as client:
        response = client.get("/static/hello.txt", headers={header.encode(): date.encode(), b"range": b"bytes=0-1"})
    # Range applies unless an ignored If-Range stands in its way (RFC 9110 section 13.1.5).
    expected = (200, b"hello") if header == "if-range" else (206, b"he")
    assert (response.status_code, response.content) == expected


@pytest.mark.parametrize(
    ("header", "status"),
    [
        pytest.param("if-modified-since", 304, id="not-modified-since"),
        pytest.param("if-unmodified-since", 206, id="unmodified-since"),
    ],
)
def test_the_last_representable_date_is_a_date(site: Path, header: str, status: int) -> None:
    """Year 9999 and a leap second are the far edge of HTTP dates: valid, and evaluated, without overflow."""
    router = create_static_files_router(path="/static", directories=[site / "static"])
    with create_test_client([router]) as client:
        response = client.get(
            "/static/hello.txt", headers={header: "Fri, 31 Dec 9999 23:59:60 GMT", "range": "bytes=0-1"}
        )
    assert response.status_code == status


class PlainFileSystem(BaseFileSystem):
    """A file system without links over a dict."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        name = os.fspath(path)
        if name in self.files:
            return {"name": name, "size": len(self.files[name]), "type": "file"}
        if any(f.startswith(name + "/") for f in self.files):
            return {"name": name, "size": 0, "type": "directory"}
        raise FileNotFoundError(name)

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        data = self.files[os.fspath(path)]
        return data[start : None if end == -1 else end + 1]

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        yield await self.read_bytes(path, start, end)


@pytest.mark.anyio
async def test_custom_file_system_without_links(tmp_path: Path) -> None:
    fs = PlainFileSystem({"root/a.txt": b"A", "root-x/b.txt": b"B"})
    app = Outpour([create_static_files_router(path="/p", directories=["root"], file_system=fs)])
    assert (await call(app, "/p/a.txt")).body == b"A"
    assert (await call(app, "/p/../root-x/b.txt")).status == 404
    assert (await call(app, "/p/b.txt")).status == 404


def test_router_options_and_name(site: Path) -> None:
    class MyRouter(Router):
        pass

    router = create_static_files_router(
        path="/assets",
        directories=[site / "static"],
        name="assets",
        router_class=MyRouter,
        tags=["static"],
        opt={"a": 1},
    )
    assert isinstance(router, MyRouter)
    assert router.path == "/assets"
    assert router.tags == ["static"]
    app = Outpour([router])
    assert app.route_reverse("assets", file_path="css/site.css") == "/assets/css/site.css"


@pytest.mark.parametrize("directories", [pytest.param([], id="empty"), pytest.param("assets", id="string")])
def test_directories_must_be_a_list(directories: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="directories"):
        create_static_files_router(path="/s", directories=directories)
