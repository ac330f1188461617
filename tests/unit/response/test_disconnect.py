"""The disconnect watcher shared by ``Stream``, ``ServerSentEvent`` and ``File``: its policy, seen through a file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import anyio
import pytest

from outpour.connection.request import _BODY_KEY
from outpour.response.file import ASGIFileResponse
from outpour.types import Message, Scope

pytestmark = pytest.mark.anyio


def make_scope(method: str = "GET") -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "path": "/file",
        "headers": [],
    }


class Peer:
    """A server of ASGI 2.3: the request body, then ``http.disconnect`` at once (the client has left)."""

    def __init__(self, body: list[bytes]) -> None:
        self.body = list(body)
        self.receive_calls = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        self.receive_calls += 1
        if self.body:
            chunk = self.body.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(self.body)}
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        self.sent.append(message)
        await anyio.sleep(0.001)  # a slow client: the sender waits

    @property
    def content(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")


def _tasks() -> int:
    try:
        return len(asyncio.all_tasks())
    except RuntimeError:
        return 0


async def test_an_unread_request_body_does_not_hide_the_disconnect_from_a_file(tmp_path: Path) -> None:
    """The watcher reads the body nobody read, keeps it in the scope, then hears the disconnect and stops the file."""
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * 1000)
    scope = make_scope("POST")
    peer = Peer([b"ab", b"cd"])
    before = _tasks()
    with anyio.fail_after(5):
        await ASGIFileResponse(file_path=path, chunk_size=10)(scope, peer.receive, peer.send)
    await anyio.sleep(0)
    assert 80 <= len(peer.content) < 1000
    assert peer.sent[-1]["more_body"] is True
    assert scope[_BODY_KEY] == b"abcd"
    assert _tasks() == before


async def test_a_short_streamed_file_costs_no_watcher(tmp_path: Path) -> None:
    """Up to eight pieces go out before the watcher is set up: no ``receive``, even when each send waits."""
    path = tmp_path / "short.bin"
    path.write_bytes(b"z" * 80)
    peer = Peer([b""])
    with anyio.fail_after(5):
        await ASGIFileResponse(file_path=path, chunk_size=10)(make_scope(), peer.receive, peer.send)
    assert (peer.content, peer.receive_calls) == (b"z" * 80, 0)


async def test_a_whole_long_file_is_sent_when_the_client_stays(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 4)
    peer = Peer([b""])
    stay = anyio.Event()

    async def receive() -> Message:
        await stay.wait()
        return {"type": "http.disconnect"}  # pragma: no cover - the client stays

    async def send(message: Message) -> None:
        peer.sent.append(message)
        await anyio.sleep(0)

    before = _tasks()
    with anyio.fail_after(5):
        await ASGIFileResponse(file_path=path, chunk_size=10)(make_scope(), receive, send)
    await anyio.sleep(0)
    assert peer.content == bytes(range(256)) * 4
    assert peer.sent[-1]["more_body"] is False
    assert _tasks() == before


async def test_an_outside_cancellation_of_a_file_is_not_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * 100_000)
    sent: list[Any] = []

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    with anyio.CancelScope() as scope:

        async def send(message: Message) -> None:
            sent.append(message)
            if len(sent) == 20:
                scope.cancel()
            await anyio.sleep(0)

        await ASGIFileResponse(file_path=path, chunk_size=10)(make_scope(), receive, send)
        pytest.fail("the file should have been cancelled")  # pragma: no cover
    assert scope.cancelled_caught
    assert len(sent) < 10_001
