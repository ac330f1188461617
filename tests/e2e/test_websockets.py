"""End to end under uvicorn and granian on 127.0.0.1, with the ``websockets`` client library.

* Text, binary and JSON messages; a ping answered by a pong; a fragmented message; a 1 MiB message echoed whole.
* Close codes: the app's own (with its reason), 1007 for malformed JSON to a JSON listener, 1009 for a message over
  the ``WebSocket``'s ``max_message_size``, and a guard's refusal (a close before accept: the handshake is answered 403).
* A text frame that is not UTF-8 is refused by the server itself, which goes on serving.
* Clients vanishing mid-stream (the TCP connection dropped without a close frame): every stream's generator is closed
  and no task is left; 1,000 connect/close cycles leave no task and no file descriptor behind.

The app is ``_ws_app.py``; a server that does not start fails the tests (``ServerFailedError``).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.e2e._serving import free_port, running

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
WAIT_SECONDS = 15.0
"""How long a condition may take to come true (a bound, not a timing assertion)."""
VANISHING_CLIENTS = 20
CYCLES = 1000


@dataclass
class Server:
    kind: str
    port: int

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def diagnostics(self) -> dict[str, int]:
        result: dict[str, int] = httpx.get(f"http://127.0.0.1:{self.port}/diagnostics", timeout=10).json()
        return result


def wait_for(condition: Callable[[], bool], timeout: float = WAIT_SECONDS) -> bool:
    """Poll ``condition`` until it is true or ``timeout`` seconds have passed; return its last value."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return condition()
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module", params=[pytest.param("uvicorn", id="uvicorn"), pytest.param("granian", id="granian")])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    kind: str = request.param
    logs = tmp_path_factory.mktemp(f"ws-{kind}")
    port = free_port()
    if kind == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "warning", "--ws", "websockets", "_ws_app:app"]
    else:
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--log-level", "warning", "_ws_app:app"]
    env = {"PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)])}
    with running(command, port, cwd=HERE, env=env, log_dir=logs):
        yield Server(kind, port)


def test_text_binary_and_json(server: Server) -> None:
    with connect(server.url("/echo")) as ws:
        ws.send("héllo")
        assert ws.recv(timeout=10) == "héllo"
        ws.send(b"\x00\x01\xff")
        assert ws.recv(timeout=10) == b"\x00\x01\xff"
    with connect(server.url("/json")) as ws:
        ws.send(json.dumps({"a": [1, 2]}))
        assert json.loads(ws.recv(timeout=10)) == {"echo": {"a": [1, 2]}}


def test_ping_is_answered_with_a_pong(server: Server) -> None:
    with connect(server.url("/echo")) as ws:
        pong = ws.ping(b"are you there")
        assert pong.wait(timeout=10)
        ws.send("still open")
        assert ws.recv(timeout=10) == "still open"


def test_a_fragmented_message_arrives_whole(server: Server) -> None:
    with connect(server.url("/echo")) as ws:
        ws.send(["frag", "ment", "ed"])
        assert ws.recv(timeout=10) == "fragmented"
        ws.send([b"\x01", b"\x02\x03"])
        assert ws.recv(timeout=10) == b"\x01\x02\x03"


def test_a_one_mebibyte_message_is_echoed_whole(server: Server) -> None:
    payload = os.urandom(1024 * 1024)
    with connect(server.url("/echo"), max_size=None) as ws:
        ws.send(payload)
        assert ws.recv(timeout=30) == payload


def _close_of(ws: Any) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as info:
        ws.recv(timeout=10)
    assert info.value.rcvd is not None
    return info.value.rcvd.code, info.value.rcvd.reason


def test_the_apps_close_code_and_reason_reach_the_client(server: Server) -> None:
    with connect(server.url("/close/4321")) as ws:
        assert _close_of(ws) == (4321, "bye")


def test_malformed_json_to_a_json_listener_closes_with_1007_and_others_go_on(server: Server) -> None:
    with connect(server.url("/json")) as other, connect(server.url("/json")) as ws:
        ws.send("{not json")
        code, reason = _close_of(ws)
        other.send('{"b": 1}')
        assert json.loads(other.recv(timeout=10)) == {"echo": {"b": 1}}
    assert code == 1007
    assert reason.startswith("Malformed JSON message")


def test_a_message_over_the_limit_closes_with_1009(server: Server) -> None:
    with connect(server.url("/small")) as ws:
        ws.send("x" * 1024)
        assert ws.recv(timeout=10) == "x" * 1024
        ws.send("x" * 1025)
        code, reason = _close_of(ws)
    assert (code, reason) == (1009, "A message of 1025 bytes exceeds the limit of 1024 bytes; send smaller messages.")


def test_a_guard_refusal_answers_the_handshake_with_403(server: Server) -> None:
    with pytest.raises(InvalidStatus) as info, connect(server.url("/guarded")):
        pass  # pragma: no cover - refused
    assert info.value.response.status_code == 403


def test_an_unknown_path_answers_the_handshake_with_403(server: Server) -> None:
    with pytest.raises(InvalidStatus) as info, connect(server.url("/nowhere")):
        pass  # pragma: no cover - refused
    assert info.value.response.status_code == 403


def _open_raw(port: int, path: str) -> socket.socket:
    """Open a WebSocket by hand and read the start of the stream; the caller drops the TCP connection."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    received = b""
    while b"\r\n\r\n" not in received or len(received.partition(b"\r\n\r\n")[2]) < 3:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection during the handshake"
        received += chunk
    assert received.startswith(b"HTTP/1.1 101")
    return sock


def _masked_frame(opcode: int, payload: bytes) -> bytes:
    """A final client frame (RFC 6455, section 5.2): clients mask what they send."""
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def test_invalid_utf8_in_a_text_frame_is_refused_and_the_server_goes_on(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            f"GET /echo HTTP/1.1\r\nHost: e2e\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(4096)
        assert received.startswith(b"HTTP/1.1 101")
        rest = received.partition(b"\r\n\r\n")[2]
        sock.sendall(_masked_frame(0x1, b"ok\xff\xfe"))
        while len(rest) < 4:
            chunk = sock.recv(4096)
            if not chunk:
                break
            rest += chunk
    assert rest[0] == 0x88  # a close frame: the server checks UTF-8 before the app sees the message
    # uvicorn closes with 1007; granian (2.8) sends a close frame without a status code (1005 to the client).
    expected = {"uvicorn": 1007, "granian": 1005}[server.kind]
    assert (int.from_bytes(rest[2:4], "big") if rest[1] & 0x7F >= 2 else 1005) == expected
    with connect(server.url("/echo")) as ws:
        ws.send("still serving")
        assert ws.recv(timeout=10) == "still serving"


def test_clients_vanishing_mid_stream_end_their_streams_and_tasks(server: Server) -> None:
    before = server.diagnostics()
    sockets = [_open_raw(server.port, "/forever") for _ in range(VANISHING_CLIENTS)]
    for sock in sockets:
        sock.close()  # no close frame: the TCP connection just goes away
    expected = before["started"] + VANISHING_CLIENTS

    def settled() -> bool:
        now = server.diagnostics()
        return now["started"] == expected and now["finalised"] == expected and now["tasks"] <= before["tasks"]

    assert wait_for(settled), f"streams or tasks left behind under {server.kind}: {server.diagnostics()} vs {before}"


def test_a_thousand_connect_close_cycles_leak_nothing(server: Server) -> None:
    with connect(server.url("/echo")) as ws:  # warm up: the first connection creates what the server keeps
        ws.send("warm")
        ws.recv(timeout=10)
    before = server.diagnostics()
    for n in range(CYCLES):
        with connect(server.url("/echo")) as ws:
            if n % 100 == 0:
                ws.send(str(n))
                assert ws.recv(timeout=10) == str(n)

    def settled() -> bool:
        now = server.diagnostics()
        return now["tasks"] <= before["tasks"] and now["fds"] <= before["fds"] + 2

    assert wait_for(settled), (
        f"tasks or file descriptors left behind under {server.kind}: {server.diagnostics()} vs {before}"
    )
