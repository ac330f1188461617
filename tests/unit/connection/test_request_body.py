"""``Request.body``, ``stream``, ``json`` and ``msgpack``: reading, caching, limits and disconnects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest

from outpour.connection import BodyConsumedError, ClientDisconnected, Request
from outpour.exceptions import ClientException, InternalServerException, OutpourException, RequestEntityTooLarge


class Receiver:
    """An ASGI ``receive`` that replays messages and then reports a disconnect, counting its calls."""

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.messages = list(messages)
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.messages:
            return self.messages.pop(0)
        return {"type": "http.disconnect"}


def chunks(*parts: bytes) -> list[dict[str, Any]]:
    return [
        {"type": "http.request", "body": part, "more_body": index < len(parts) - 1} for index, part in enumerate(parts)
    ]


async def drain(stream: AsyncIterator[bytes], seen: list[bytes]) -> None:
    async for chunk in stream:
        seen.append(chunk)


def make_scope(
    headers: list[tuple[bytes, bytes]] | None = None, limit: Any = "unset", **overrides: Any
) -> dict[str, Any]:
    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": "/", "headers": headers or []}
    if limit != "unset":
        scope["route_handler"] = SimpleNamespace(request_max_body_size=limit)
    scope.update(overrides)
    return scope


def test_exception_classes() -> None:
    assert issubclass(ClientDisconnected, OutpourException)
    assert issubclass(ClientDisconnected, InternalServerException)  # what Litestar raises there
    assert issubclass(BodyConsumedError, OutpourException)
    assert issubclass(BodyConsumedError, RuntimeError)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        pytest.param(chunks(b"hello"), b"hello", id="one-message"),
        pytest.param(chunks(b"he", b"", b"llo"), b"hello", id="several-messages"),
        pytest.param(chunks(b""), b"", id="empty"),
        pytest.param([{"type": "http.request"}], b"", id="no-body-key"),
        pytest.param(
            [{"type": "http.other"}, {"type": "http.request", "body": b"x"}], b"x", id="unknown-message-ignored"
        ),
    ],
)
async def test_body(messages: list[dict[str, Any]], expected: bytes) -> None:
    scope = make_scope()
    request = Request(scope, Receiver(messages))
    assert await request.body() == expected
    assert scope["_outpour_body"] == expected


@pytest.mark.anyio
async def test_body_is_cached_across_calls_and_requests() -> None:
    scope = make_scope()
    receive = Receiver(chunks(b"a", b"b"))
    first = Request(scope, receive)
    assert await first.body() == b"ab"
    assert await first.body() == b"ab"
    assert await Request(scope, receive).body() == b"ab"
    assert receive.calls == 2


@pytest.mark.anyio
async def test_default_receive_reports_disconnect() -> None:
    with pytest.raises(ClientDisconnected, match="disconnected"):
        await Request(make_scope()).body()


@pytest.mark.anyio
async def test_disconnect_mid_body() -> None:
    scope = make_scope()
    receive = Receiver([{"type": "http.request", "body": b"a", "more_body": True}])
    request = Request(scope, receive)
    with pytest.raises(ClientDisconnected):
        await request.body()
    calls = receive.calls
    with pytest.raises(ClientDisconnected):
        await request.body()
    with pytest.raises(ClientDisconnected):
        async for _ in request.stream():
            pass  # pragma: no cover
    assert receive.calls == calls


@pytest.mark.anyio
async def test_content_length_over_limit_refused_without_reading() -> None:
    receive = Receiver(chunks(b"x" * 11))
    request = Request(make_scope([(b"content-length", b"11")], limit=10), receive)
    with pytest.raises(RequestEntityTooLarge, match=r"11 bytes.*limit of 10 bytes") as info:
        await request.body()
    assert info.value.status_code == 413
    assert receive.calls == 0


@pytest.mark.anyio
async def test_default_limit_without_route_handler_attribute() -> None:
    scope = make_scope([(b"content-length", b"10000001")], route_handler=SimpleNamespace())
    with pytest.raises(RequestEntityTooLarge, match="limit of 10000000 bytes"):
        await Request(scope, Receiver([])).body()
    with pytest.raises(RequestEntityTooLarge):
        await Request(make_scope([(b"content-length", b"10000001")]), Receiver([])).body()


@pytest.mark.anyio
async def test_content_length_at_limit_accepted() -> None:
    request = Request(make_scope([(b"content-length", b"3")], limit=3), Receiver(chunks(b"abc")))
    assert await request.body() == b"abc"


@pytest.mark.anyio
async def test_body_over_limit_while_reading() -> None:
    receive = Receiver(chunks(b"abc", b"def", b"ghi"))
    with pytest.raises(RequestEntityTooLarge, match="exceeds the limit of 5 bytes"):
        await Request(make_scope(limit=5), receive).body()
    assert receive.calls == 2


@pytest.mark.anyio
async def test_no_limit() -> None:
    body = b"x" * 20_000_001
    request = Request(make_scope([(b"content-length", str(len(body)).encode())], limit=None), Receiver(chunks(body)))
    assert len(await request.body()) == len(body)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([(b"content-length", b"-1")], id="negative"),
        pytest.param([(b"content-length", b"abc")], id="letters"),
        pytest.param([(b"content-length", b"1.5")], id="decimal"),
        pytest.param([(b"content-length", b" 5")], id="space"),
        pytest.param([(b"content-length", b"")], id="empty"),
        pytest.param([(b"content-length", b"5, 5")], id="list"),
        pytest.param([(b"content-length", "٣".encode())], id="non-ascii-digit"),
        pytest.param([(b"content-length", b"5"), (b"content-length", b"6")], id="conflicting"),
    ],
)
async def test_invalid_content_length(headers: list[tuple[bytes, bytes]]) -> None:
    receive = Receiver(chunks(b"abcde"))
    with pytest.raises(ClientException, match="Invalid `Content-Length` header") as info:
        await Request(make_scope(headers), receive).body()
    assert info.value.status_code == 400
    assert receive.calls == 0


@pytest.mark.anyio
async def test_repeated_equal_content_length_accepted() -> None:
    headers = [(b"content-length", b"5"), (b"content-length", b"05")]
    assert await Request(make_scope(headers), Receiver(chunks(b"abcde"))).body() == b"abcde"


@pytest.mark.anyio
async def test_stream_yields_chunks_as_they_arrive() -> None:
    scope = make_scope()
    receive = Receiver(chunks(b"a", b"", b"b", b"c"))
    request = Request(scope, receive)
    seen = []
    async for chunk in request.stream():
        seen.append((chunk, receive.calls))
    assert seen == [(b"a", 1), (b"b", 3), (b"c", 4)]
    assert "_outpour_body" not in scope


@pytest.mark.anyio
async def test_stream_ten_thousand_one_byte_messages() -> None:
    count = 10_000
    receive = Receiver(chunks(*([b"x"] * count)))
    total = 0
    async for chunk in Request(make_scope(), receive).stream():
        total += len(chunk)
    assert total == count
    body_receive = Receiver(chunks(*([b"y"] * count)))
    assert await Request(make_scope(), body_receive).body() == b"y" * count


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "expected"),
    [pytest.param(b"cached", [b"cached"], id="cached"), pytest.param(b"", [], id="empty-cached")],
)
async def test_stream_after_body_yields_cached_body(body: bytes, expected: list[bytes]) -> None:
    request = Request(make_scope(), Receiver(chunks(body)))
    await request.body()
    assert [chunk async for chunk in request.stream()] == expected
    assert [chunk async for chunk in request.stream()] == expected


@pytest.mark.anyio
async def test_second_stream_after_partial_consume_raises() -> None:
    request = Request(make_scope(), Receiver(chunks(b"a", b"b")))
    async with aclosing(request.stream()) as stream:
        async for _ in stream:
            break
    with pytest.raises(BodyConsumedError, match="already consumed by `stream\\(\\)`"):
        async for _ in request.stream():
            pass  # pragma: no cover


@pytest.mark.anyio
async def test_body_after_full_stream_raises() -> None:
    scope = make_scope()
    request = Request(scope, Receiver(chunks(b"a", b"b")))
    assert [chunk async for chunk in request.stream()] == [b"a", b"b"]
    with pytest.raises(BodyConsumedError, match="call `body\\(\\)` first"):
        await request.body()
    with pytest.raises(BodyConsumedError):
        await Request(scope).body()


@pytest.mark.anyio
async def test_stream_limits() -> None:
    with pytest.raises(RequestEntityTooLarge):
        async for _ in Request(make_scope([(b"content-length", b"100")], limit=10), Receiver([])).stream():
            pass  # pragma: no cover
    seen: list[bytes] = []
    with pytest.raises(RequestEntityTooLarge, match="limit of 3 bytes"):
        await drain(Request(make_scope(limit=3), Receiver(chunks(b"ab", b"cd"))).stream(), seen)
    assert seen == [b"ab"]
    with pytest.raises(ClientException, match="Invalid `Content-Length`"):
        async for _ in Request(make_scope([(b"content-length", b"x")]), Receiver([])).stream():
            pass  # pragma: no cover


@pytest.mark.anyio
async def test_stream_disconnect() -> None:
    seen: list[bytes] = []
    with pytest.raises(ClientDisconnected):
        await drain(Request(make_scope(), Receiver(chunks(b"a", b"b")[:1])).stream(), seen)
    assert seen == [b"a"]


@pytest.mark.anyio
async def test_stream_ignores_unknown_messages() -> None:
    receive = Receiver([{"type": "http.other"}, *chunks(b"a")])
    assert [chunk async for chunk in Request(make_scope(), receive).stream()] == [b"a"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "encode", "kind"),
    [
        pytest.param("json", msgspec.json.encode, "JSON", id="json"),
        pytest.param("msgpack", msgspec.msgpack.encode, "MessagePack", id="msgpack"),
    ],
)
async def test_decoders(method: str, encode: Any, kind: str) -> None:
    value = {"a": [1, 2.5, "x", None, True]}
    request = Request(make_scope(), Receiver(chunks(encode(value))))
    decoded = await getattr(request, method)()
    assert decoded == value
    assert await getattr(request, method)() is decoded
    assert await getattr(Request(make_scope(), Receiver(chunks(b""))), method)() is None
    with pytest.raises(ClientException, match=f"Malformed {kind} body: ") as info:
        await getattr(Request(make_scope(), Receiver(chunks(b"\xc1{"))), method)()
    assert info.value.status_code == 400


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "body", "kind"),
    [
        pytest.param("json", b"[" * 100_000 + b"]" * 100_000, "JSON", id="json"),
        pytest.param("msgpack", b"\x91" * 100_000 + b"\xc0", "MessagePack", id="msgpack"),
    ],
)
async def test_deeply_nested_is_a_client_error(method: str, body: bytes, kind: str) -> None:
    request = Request(make_scope(), Receiver(chunks(body)))
    with pytest.raises(ClientException, match=f"Malformed {kind} body: it is nested too deeply") as info:
        await getattr(request, method)()
    assert info.value.status_code == 400


@pytest.mark.anyio
async def test_disconnect_while_reading_is_caught_as_an_internal_server_exception() -> None:
    request = Request(make_scope(), Receiver(chunks(b"he", b"llo")[:1]))
    with pytest.raises(InternalServerException) as caught:
        await request.body()
    assert isinstance(caught.value, ClientDisconnected)
