"""The benchmark endpoints as a hand-written ASGI app using msgspec: the floor any framework can reach."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class Record(msgspec.Struct):
    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


RECORDS = [Record(i, f"item-{i}", i * 1.25, ["tools", "blue"], i % 2 == 0) for i in range(100)]


class Item(msgspec.Struct):
    name: str
    price: float
    tags: list[str]


_TEXT = [(b"content-type", b"text/plain; charset=utf-8")]
_JSON = [(b"content-type", b"application/json")]
_MSGPACK = [(b"content-type", b"application/x-msgpack")]
_JSON_WITH_HEADER = [(b"x-a", b"1"), (b"content-type", b"application/json")]
_PLAIN_BODY = b"Hello, world!"
_PAYLOAD = {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}
_JSON_BODY = msgspec.json.encode(_PAYLOAD)
_encode = msgspec.json.Encoder().encode
_encode_msgpack = msgspec.msgpack.Encoder().encode
_decode_item = msgspec.json.Decoder(Item).decode


async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("the client disconnected before sending the whole body")
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _query_int(query_string: bytes, name: bytes, default: int) -> int:
    for pair in query_string.split(b"&"):
        key, _, value = pair.partition(b"=")
        if key == name:
            return int(value)
    return default


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Serve the benchmark endpoints."""
    if scope["type"] != "http":
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        return
    path: str = scope["path"]
    method: str = scope["method"]
    if method == "GET":
        if path == "/plain":
            return await _respond(send, 200, _TEXT, _PLAIN_BODY)
        if path == "/json":
            return await _respond(send, 200, _JSON, _JSON_BODY)
        if path == "/json-large":  # encoded per request, as every framework does
            return await _respond(send, 200, _JSON, _encode(RECORDS))
        if path == "/msgpack":
            return await _respond(send, 200, _MSGPACK, _encode_msgpack(_PAYLOAD))
        if path == "/response":
            return await _respond(send, 200, _JSON_WITH_HEADER, _encode(_PAYLOAD))
        if path == "/query":
            try:
                limit = _query_int(scope["query_string"], b"limit", 10)
            except ValueError:
                return await _respond(send, 400, _TEXT, b"limit must be an integer")
            return await _respond(send, 200, _JSON, _encode({"limit": limit}))
        if path.startswith("/path/"):
            try:
                id_ = int(path[6:])
            except ValueError:
                return await _respond(send, 404, _TEXT, b"Not Found")
            return await _respond(send, 200, _JSON, _encode({"id": id_}))
    elif method == "POST" and path == "/json":
        try:
            item = _decode_item(await _read_body(receive))
        except msgspec.DecodeError as exc:
            return await _respond(send, 400, _TEXT, str(exc).encode())
        return await _respond(send, 201, _JSON, _encode(item))
    return await _respond(send, 404, _TEXT, b"Not Found")
