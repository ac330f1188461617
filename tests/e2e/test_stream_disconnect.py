"""End to end under uvicorn and granian on 127.0.0.1: a client that goes away is not a server error.

* A client reads two chunks of a stream and leaves: the stream's ``finally`` runs, and the server logs no error.
* 40 clients leave a never-ending stream: every generator is closed and no asyncio task is left behind, also when the
  request carries a body that nobody reads (uvicorn and granian speak ASGI 2.3: a send after the client left is
  dropped without a word, so only ``http.disconnect`` tells the stream).
* A client sends part of a request body and closes the socket: no 500 and no error in the log, and the server goes on
  answering.

The app is ``_stream_app.py``; a server that does not start fails the tests (``ServerFailedError``).
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e._serving import free_port, running

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
WAIT_SECONDS = 15.0
"""How long a condition may take to come true (a bound, not a timing assertion)."""
ABANDONED_STREAMS = 40
_ERROR_LINE = re.compile(r'Traceback|\bERROR\b|\bCRITICAL\b|" 500\b')
"""A traceback, an error-level line (uvicorn ``ERROR:``, granian ``[ERROR]``), or a 500 in an access-log line."""


@dataclass
class Server:
    kind: str
    port: int
    markers: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def diagnostics(self) -> dict[str, Any]:
        status, body = exchange(self.port, b"GET /diagnostics HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n\r\n")
        assert status == 200, body
        result: dict[str, Any] = json.loads(body)
        return result

    def log_size(self) -> int:
        return self.log.stat().st_size

    def error_lines(self, since: int) -> list[str]:
        """The lines of the server's log, from byte ``since`` on, that report an error or a 500."""
        with self.log.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        return [line for line in text.splitlines() if _ERROR_LINE.search(line)]


def wait_for(condition: Callable[[], bool], timeout: float = WAIT_SECONDS) -> bool:
    """Poll ``condition`` until it is true or ``timeout`` seconds have passed; return its last value."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return condition()
        time.sleep(0.05)
    return True


def exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """Send a raw ``Connection: close`` request on a new connection; return the status and the (unchunked) body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    return int(head.split(b" ", 2)[1]), body


def _unchunk(data: bytes) -> bytes:
    body = b""
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return body
        body, data = body + data[:size], data[size + 2 :]


@pytest.fixture(scope="module", params=[pytest.param("uvicorn", id="uvicorn"), pytest.param("granian", id="granian")])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    kind: str = request.param
    markers = tmp_path_factory.mktemp(f"markers-{kind}")
    port = free_port()
    if kind == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "info", "_stream_app:app"]
    else:
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--log-level", "info", "--access-log", "_stream_app:app"]
    env = {"OUTPOUR_E2E_MARKERS": str(markers), "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)])}
    with running(command, port, cwd=HERE, env=env, log_dir=markers.parent):
        yield Server(kind, port, markers, markers.parent / f"server-{port}.log")


@pytest.mark.parametrize(
    ("path", "first_two"),
    [
        pytest.param("/ticks", [b"tick 0\n", b"tick 1\n"], id="async-generator-between-chunks"),
        pytest.param("/waiting", [b"first\n", b"second\n"], id="async-generator-waiting"),
        pytest.param("/sync-ticks", [b"tick 0\n", b"tick 1\n"], id="sync-generator"),
        pytest.param("/sse", [b"data: 1\r\n\r\n", b"data: 2\r\n\r\n"], id="server-sent-events"),
    ],
)
def test_reading_two_chunks_and_closing_runs_the_finally(server: Server, path: str, first_two: list[bytes]) -> None:
    log_start = server.log_size()
    with httpx.Client(timeout=5) as client, client.stream("GET", server.url + path) as response:
        assert response.status_code == 200
        received = b""
        for chunk in response.iter_raw():
            received += chunk
            if len(received) >= len(b"".join(first_two)):
                break
    assert received.startswith(b"".join(first_two))
    marker = server.markers / path.strip("/")
    assert wait_for(marker.exists), f"the generator of {path} was not closed under {server.kind}"
    assert server.error_lines(log_start) == []


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(b"GET /forever HTTP/1.1\r\nHost: e2e\r\n\r\n", id="get"),
        pytest.param(
            b"POST /forever HTTP/1.1\r\nHost: e2e\r\nContent-Length: 5\r\n\r\nhello", id="post-body-never-read"
        ),
    ],
)
def test_abandoned_streams_are_closed_and_leave_no_task(server: Server, request_bytes: bytes) -> None:
    """40 clients read the start of a never-ending stream and close: every generator ends, every task ends."""
    log_start = server.log_size()
    before = server.diagnostics()
    sockets = []
    try:
        for _ in range(ABANDONED_STREAMS):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sockets.append(sock)
            sock.sendall(request_bytes)
        for sock in sockets:
            received = b""
            while b"tick 1\n" not in received:  # mid-way: the generator has started and is running
                chunk = sock.recv(4096)
                assert chunk, "the server closed a stream the client still reads"
                received += chunk
    finally:
        for sock in sockets:
            sock.close()
    started = before["started"] + ABANDONED_STREAMS
    latest = before

    def settled() -> bool:
        nonlocal latest
        latest = server.diagnostics()
        return bool(latest["finalised"] == latest["started"] == started and latest["tasks"] == before["tasks"])

    wait_for(settled)
    assert latest["started"] == started
    assert latest["finalised"] == latest["started"], f"generators left open under {server.kind}: {latest}"
    assert latest["tasks"] == before["tasks"], f"asyncio tasks left behind under {server.kind}: {latest}"
    assert server.error_lines(log_start) == []


@pytest.mark.parametrize(
    "path",
    [pytest.param("/body/data", id="data-parameter"), pytest.param("/body/raw", id="request-body")],
)
def test_a_short_body_then_close_is_not_a_server_error(server: Server, path: str) -> None:
    """``Content-Length: 100`` with 10 bytes, then the socket closes: no 500, no error logged; the server goes on."""
    log_start = server.log_size()
    before = server.diagnostics()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: e2e\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        sock.sendall(head.encode() + b'{"a": 1, "')
        time.sleep(0.2)  # let the server read what was sent before the connection goes away
    finished = before["finished"].get(path, 0) + 1
    latest = before

    def done() -> bool:
        nonlocal latest
        latest = server.diagnostics()
        return bool(latest["finished"].get(path, 0) == finished)

    assert wait_for(done), f"the server did not finish the aborted request under {server.kind}: {latest}"
    assert "500" not in latest["statuses"], latest
    assert server.error_lines(log_start) == []
    status, body = exchange(
        server.port,
        f"POST {path} HTTP/1.1\r\nHost: e2e\r\nContent-Type: application/json\r\nContent-Length: 8\r\n"
        "Connection: close\r\n\r\n".encode()
        + b'{"a": 1}',
    )
    assert (status, json.loads(body)) == (201, {"a": 1} if path == "/body/data" else {"size": 8})
    assert server.error_lines(log_start) == []
