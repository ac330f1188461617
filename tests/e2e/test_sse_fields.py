"""End to end under uvicorn on 127.0.0.1: a server-sent event stream with bad field values delivers every event.

The app below is written into a temporary directory and served by uvicorn in its own process group (always killed
afterwards); the client is a raw socket, so the test sees the exact bytes on the wire.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e._serving import free_port, running

pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]

APP = """
from outpour import Outpour, get
from outpour.response import ServerSentEvent, ServerSentEventMessage


async def items():
    yield "first"
    yield ServerSentEventMessage(data="two\\r\\nlines", id="1\\r\\n2", event="tick\\nretry: 1", comment="a\\rb")
    yield {"data": "third", "id": "3\\x00", "event_type": "to\\rck", "retry": -1}
    yield "last"


@get("/mid-stream")
async def mid_stream() -> ServerSentEvent:
    return ServerSentEvent(items)


@get("/with-preamble")
async def with_preamble() -> ServerSentEvent:
    return ServerSentEvent(items, event_id="0\\ndata: injected", comment_message="hello\\nworld")


app = Outpour([mid_stream, with_preamble])
"""

MIDDLE = (  # the message and the dict events: their own fields only
    b": a\r\n: b\r\nid: 12\r\nevent: tickretry: 1\r\ndata: two\r\ndata: lines\r\n\r\n"
    b"id: 3\r\nevent: tock\r\ndata: third\r\n\r\n"
)
EVENTS = b"data: first\r\n\r\n" + MIDDLE + b"data: last\r\n\r\n"
WITH_PREAMBLE = (  # the comment opens the first event's block; `event_id` goes with each plain value
    b": hello\r\n: world\r\nid: 0data: injected\r\ndata: first\r\n\r\n"
    + MIDDLE
    + b"id: 0data: injected\r\ndata: last\r\n\r\n"
)
MID_STREAM_WARNINGS = [
    "SSE field `id` changed: the value '1\\r\\n2' contains CR, LF or NUL and is sent as '12'",
    "SSE field `event` changed: the value 'tick\\nretry: 1'",
    "SSE field `id` changed: the value '3\\x00'",
    "SSE field `event` changed: the value 'to\\rck'",
    "SSE field `retry` dropped: the value -1",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    directory = tmp_path_factory.mktemp("e2e-sse-fields")
    (directory / "sse_fields_app.py").write_text(APP)
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "sse_fields_app:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"]
    env = {"PYTHONPATH": f"{directory}:{ROOT}"}
    with running(command, port, cwd=directory, env=env):
        yield port, directory / f"server-{port}.log"


def get_raw(port: int, path: str) -> bytes:
    """Send an HTTP/1.1 GET that asks the server to close the connection, and read everything it sends."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def dechunk(body: bytes) -> bytes:
    """The payload of a chunked body; fails unless it ends with the last (zero-size) chunk."""
    payload = b""
    while True:
        size_line, _, body = body.partition(b"\r\n")
        assert size_line, f"the body ended without its last chunk: the stream was cut short after {payload!r}"
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            assert body.startswith(b"\r\n"), "no end of the chunked body"
            return payload
        payload += body[:size]
        assert body[size : size + 2] == b"\r\n"
        body = body[size + 2 :]


@pytest.mark.parametrize(
    ("path", "expected_body", "preamble_warnings"),
    [
        pytest.param("/mid-stream", EVENTS, [], id="mid-stream"),
        pytest.param(
            "/with-preamble",
            WITH_PREAMBLE,
            ["SSE field `id` changed: the value '0\\ndata: injected'"],  # once, however many events carry it
            id="with-preamble",
        ),
    ],
)
def test_a_stream_with_bad_fields_delivers_every_event(
    server: tuple[int, Path], path: str, expected_body: bytes, preamble_warnings: list[str]
) -> None:
    port, log = server
    before = log.read_text()
    head, _, body = get_raw(port, path).partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    headers = dict(line.lower().split(b": ", 1) for line in header_lines)
    assert status_line == b"HTTP/1.1 200 OK"
    assert headers[b"content-type"] == b"text/event-stream; charset=utf-8"
    assert headers[b"transfer-encoding"] == b"chunked"
    assert dechunk(body) == expected_body  # every event, the bad fields encoded, and a complete end of the body

    output = log.read_text().removeprefix(before).splitlines()  # what the server logged for this request
    expected = preamble_warnings + MID_STREAM_WARNINGS
    assert len(output) == len(expected)
    assert all(line.startswith(start) for line, start in zip(output, expected, strict=True)), output
