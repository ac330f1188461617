"""Hostile file paths and conditional dates end to end, under uvicorn and granian on 127.0.0.1: never a 500.

Requests go out on a raw socket, so that nothing between the test and the server tidies them: a 300-character path
segment (past the file system's NAME_MAX), a 5,000-character path (past PATH_MAX), a path through a file (ENOTDIR),
a symbolic link loop (ELOOP) and an encoded NUL, to the static files router and to a ``File`` route; and an
``If-Modified-Since`` of year 0, which once reached ``calendar`` and raised. Each answer must be the 404 or the file,
and the server's log must hold no error and no traceback. A server that does not start fails the tests
(``ServerFailedError``).
"""

from __future__ import annotations

import re
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]
_ERROR_LINE = re.compile(r"Traceback|\bERROR\b|\[ERROR\]|\bCRITICAL\b|\bWARNING\b|\[WARN|\" 5\d\d\b")

APP = """
import os

from outpour import Outpour, get
from outpour.response import File
from outpour.static_files import create_static_files_router

FILES = os.environ["E2E_FILES"]


@get("/file/{name:path}")
async def file(name: str) -> File:
    return File(os.path.join(FILES, name.lstrip("/")))


app = Outpour([file, create_static_files_router(path="/static", directories=[FILES])])
"""

NOT_FOUND = b'{"status_code":404,"detail":"Not Found"}'
YEAR_0 = "Mon, 01 Jan 0000 00:00:00 GMT"


@dataclass
class Server:
    kind: str
    port: int
    log: Path

    def log_size(self) -> int:
        return self.log.stat().st_size

    def error_lines(self, since: int) -> list[str]:
        """The lines of the server's log past byte ``since`` that report an error, a warning or a 5xx."""
        with self.log.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        return [line for line in text.splitlines() if _ERROR_LINE.search(line)]


def exchange(port: int, target: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Send one raw ``Connection: close`` GET request; return the status and the body (the app sends no chunks)."""
    lines = [f"GET {target} HTTP/1.1", "Host: e2e", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" not in head.lower(), head
    return int(head.split(b" ", 2)[1]), body


@pytest.fixture(scope="module", params=[pytest.param("uvicorn", id="uvicorn"), pytest.param("granian", id="granian")])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    kind: str = request.param
    files = tmp_path_factory.mktemp(f"hostile-files-{kind}")
    (files / "hello.txt").write_text("hello")
    (files / "loop").symlink_to(files / "loop")
    app_dir = tmp_path_factory.mktemp(f"hostile-app-{kind}")
    (app_dir / "hostile_app.py").write_text(APP)
    port = free_port()
    if kind == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", "hostile_app:app", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "info"]
    else:
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--log-level", "info", "--access-log", "hostile_app:app"]
    env = {"E2E_FILES": str(files), "PYTHONPATH": f"{app_dir}:{ROOT}"}
    with running(command, port, cwd=app_dir, env=env):
        yield Server(kind, port, app_dir / f"server-{port}.log")


HOSTILE_PATHS = [
    pytest.param("a" * 300, id="segment-past-NAME_MAX"),
    pytest.param("/".join(["abcdefghij"] * 455), id="path-past-PATH_MAX"),
    pytest.param("hello.txt/inside", id="through-a-file-ENOTDIR"),
    pytest.param("loop", id="symlink-loop-ELOOP"),
    pytest.param("loop/inside", id="through-a-symlink-loop"),
    pytest.param("%C3%A9" * 200, id="segment-past-NAME_MAX-in-utf-8"),
]


@pytest.mark.parametrize("route", ["/static/", "/file/"])
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_paths_the_file_system_refuses_are_404(server: Server, route: str, path: str) -> None:
    since = server.log_size()
    assert exchange(server.port, route + path) == (404, NOT_FOUND)
    assert server.error_lines(since) == []


def test_an_encoded_nul_is_404(server: Server) -> None:
    since = server.log_size()
    assert exchange(server.port, "/static/hello.txt%00.png") == (404, NOT_FOUND)
    assert exchange(server.port, "/file/hello.txt%00.png") == (404, NOT_FOUND)
    assert server.error_lines(since) == []


@pytest.mark.parametrize("route", ["/static/", "/file/"])
@pytest.mark.parametrize("header", ["If-Modified-Since", "If-Unmodified-Since"])
def test_a_date_of_year_0_is_ignored(server: Server, route: str, header: str) -> None:
    since = server.log_size()
    assert exchange(server.port, route + "hello.txt", {header: YEAR_0}) == (200, b"hello")
    assert server.error_lines(since) == []


@pytest.mark.parametrize("route", ["/static/", "/file/"])
def test_an_if_range_of_year_0_sends_the_whole_file(server: Server, route: str) -> None:
    since = server.log_size()
    status, body = exchange(server.port, route + "hello.txt", {"Range": "bytes=0-1", "If-Range": YEAR_0})
    assert (status, body) == (200, b"hello")
    assert server.error_lines(since) == []
