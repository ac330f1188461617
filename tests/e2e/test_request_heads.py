"""Request heads the app refuses, on raw sockets through real servers: what reaches the app, and who answers.

Each server runs the app below once per module, from a temporary folder, in its own process group. Requests are
written byte for byte (``http.client`` would refuse to send most of them). Every request carries an ``X-Mark``; the
handlers record the marks they see, and ``GET /ran`` lists them, so a test can tell whether a handler ran.

- ``uvicorn-httptools`` and ``granian``: the servers as users start them (``uvicorn app:app``, ``granian ...``).
- ``outpour-run``: ``outpour run`` with its defaults (uvicorn with h11, whose head buffer follows the app's limit).
- ``outpour-run-httptools``: ``outpour run --http httptools``, the faster parser users may opt back to.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]

APP = """
from outpour import Outpour, Request, get, post

RAN: list[str] = []


@get("/")
async def index(request: Request) -> str:
    RAN.append(request.headers.get("x-mark", ""))
    return "hello"


@post("/upload")
async def upload(request: Request) -> dict[str, int]:
    RAN.append(request.headers.get("x-mark", ""))
    return {"length": len(await request.body())}


@get("/ran")
async def ran() -> list[str]:
    return RAN


app = Outpour([index, upload, ran])
"""

SERVERS = ("uvicorn-httptools", "granian", "outpour-run", "outpour-run-httptools")
OUTPOUR_RUN = [sys.executable, "-m", "outpour.cli", "run", "--host", "127.0.0.1"]
NOT_IMPLEMENTED = (
    "The request's `Transfer-Encoding` is `foo, chunked`: the transfer coding `foo` is not implemented here. Send the "
    "body with `Transfer-Encoding: chunked` alone, or with `Content-Length`."
)
UVICORN_400 = "Invalid HTTP request received."
MIB = 1024 * 1024


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def _command(kind: str, port: int) -> list[str]:
    if kind == "uvicorn-httptools":
        return [sys.executable, "-m", "uvicorn", "app:app", "--http", "httptools", "--host", "127.0.0.1", "--port",
                str(port), "--no-access-log", "--log-level", "warning"]  # fmt: skip
    if kind == "granian":
        return [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port),
                "--workers", "1", "--log-level", "warning", "app:app"]  # fmt: skip
    if kind == "outpour-run":
        return [*OUTPOUR_RUN, "--port", str(port)]
    return [*OUTPOUR_RUN, "--port", str(port), "--http", "httptools"]


@pytest.fixture(scope="module", params=SERVERS)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A running server of each kind: its name and port. A server that does not start fails the tests."""
    kind: str = request.param
    folder = tmp_path_factory.mktemp(kind)
    (folder / "app.py").write_text(APP)
    port = free_port()
    # Empty values count as unset: `outpour run` finds app.py by discovery, whatever the caller's environment says.
    env = {"PYTHONPATH": f"{folder}:{ROOT}", "OUTPOUR_APP": "", "OUTPOUR_APP_DIR": "", "OUTPOUR_DEBUG": ""}
    with running(_command(kind, port), port, folder, env):
        yield kind, port


def exchange(port: int, head: bytes, body: bytes = b"") -> Reply:
    """Write a request as given and read the response, even when the server closes (or resets) early."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before reading it all
            sock.sendall(head + body)
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
    assert received, "the server closed the connection without a response"
    start, _, rest = received.partition(b"\r\n\r\n")
    status_line, *lines = start.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return Reply(int(status_line.split()[1]), headers, rest)


def request_head(method: str, path: str, mark: str, *fields: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"X-Mark: {mark}", *fields, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def ran(port: int) -> list[str]:
    reply = exchange(port, request_head("GET", "/ran", "ran"))
    assert reply.status == 200
    marks = reply.json()
    assert isinstance(marks, list)
    return marks


CHUNKED_BODY = b"5\r\nhello\r\n0\r\n\r\n"


def test_an_unknown_transfer_coding_never_reaches_the_handler(served: tuple[str, int]) -> None:
    kind, port = served
    mark = uuid.uuid4().hex
    reply = exchange(port, request_head("POST", "/upload", mark, "Transfer-Encoding: foo, chunked"), CHUNKED_BODY)
    if kind == "outpour-run":
        # h11 refuses any coding but chunked itself, before the app sees the request.
        assert (reply.status, reply.body.decode()) == (400, UVICORN_400)
    else:
        assert (reply.status, reply.headers["connection"]) == (501, "close")
        assert reply.json() == {"status_code": 501, "detail": NOT_IMPLEMENTED}
    assert mark not in ran(port)

    # The control: chunked alone reaches the handler, with the decoded body.
    mark = uuid.uuid4().hex
    reply = exchange(port, request_head("POST", "/upload", mark, "Transfer-Encoding: chunked"), CHUNKED_BODY)
    assert (reply.status, reply.json()) == (201, {"length": 5})
    assert mark in ran(port)


# Who refuses a head too large: outpour's 431 where the server hands it over, else the server itself.
REFUSALS = {
    "uvicorn-httptools": (431, "outpour"),  # httptools has no limit of its own
    "granian": (431, "granian"),  # past its 100 headers or its 400 KiB buffer; the app's 431 below that
    "outpour-run": (400, "uvicorn"),  # past h11's buffer of 64 KiB + 16 KiB
    "outpour-run-httptools": (431, "outpour"),
}


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(["X-Big: " + "b" * MIB], id="one-1-MiB-header"),
        pytest.param([f"X-H{i}: {'h' * 1024}" for i in range(200)], id="200-headers-of-1-KiB"),
    ],
)
def test_a_head_too_large_is_refused(served: tuple[str, int], fields: list[str]) -> None:
    kind, port = served
    mark = uuid.uuid4().hex
    reply = exchange(port, request_head("GET", "/", mark, *fields))
    status, refused_by = REFUSALS[kind]
    assert 400 <= reply.status < 500
    assert reply.status == status
    if refused_by == "outpour":
        detail = reply.json()["detail"]  # type: ignore[index]
        assert "bytes (names and values), more than the 65536 bytes this server accepts" in detail
    elif refused_by == "uvicorn":
        assert reply.body.decode() == UVICORN_400
    assert mark not in ran(port)


def test_a_head_just_past_the_app_limit_gets_outpours_431(served: tuple[str, int]) -> None:
    """70 KB of headers: within every server's own limit, past the app's 64 KiB."""
    _, port = served
    mark = uuid.uuid4().hex
    reply = exchange(port, request_head("GET", "/", mark, *(f"X-H{i:02}: {'h' * 995}" for i in range(70))))
    assert reply.status == 431
    assert reply.json() == {
        "status_code": 431,
        "detail": "The request's header fields total 70066 bytes (names and values), more than the 65536 bytes this "
        "server accepts. Send fewer or smaller headers (large cookies are the usual cause).",
    }
    assert mark not in ran(port)


def test_an_unknown_method_gets_outpours_405_except_under_httptools(served: tuple[str, int]) -> None:
    kind, port = served
    mark = uuid.uuid4().hex
    reply = exchange(port, request_head("BREW", "/", mark))
    if kind.endswith("httptools"):
        # The trade-off of `--http httptools`: llhttp knows a fixed list of methods and answers the others itself.
        assert (reply.status, reply.body.decode()) == (400, UVICORN_400)
    else:
        assert (reply.status, reply.headers["allow"]) == (405, "GET, OPTIONS")
        assert reply.json() == {"status_code": 405, "detail": "Method Not Allowed"}
    assert mark not in ran(port)
