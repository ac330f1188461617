"""The benchmark endpoints as a hand-written ASGI app using msgspec: the floor any framework can reach.

The files are read with blocking reads in the event loop (from the page cache: the floor, not a design to copy);
``GET /html`` renders the template with a bare ``jinja2.Environment``.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import jinja2
import msgspec

from benchmarks.assets import (
    FILE_MEDIA_TYPE,
    HTML_CONTEXT,
    LARGE_FILE,
    SMALL_FILE,
    SSE_DATA,
    STREAM_CHUNKS,
    TEMPLATE_NAME,
    TEMPLATES_DIR,
)

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


class NewAccount(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /dto``'s body: what a DTO excluding ``id`` accepts."""

    name: str
    email: str
    password: str


class AccountOut(msgspec.Struct):
    """``POST /dto``'s answer: the account without its ``password``."""

    id: int
    name: str
    email: str


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
_decode_account = msgspec.json.Decoder(NewAccount).decode
_HEADERS_COOKIES = [
    (b"x-router", b"1"),
    (b"x-controller", b"1"),
    (b"x-handler", b"1"),
    (b"set-cookie", b"session=abc123; Path=/; SameSite=lax"),
    (b"set-cookie", b"theme=dark; Path=/; SameSite=lax"),
    (b"cache-control", b"max-age=60"),
    (b"content-type", b"application/json"),
]
_LAYERED_RESPONSE = [
    (b"x-response", b"1"),
    (b"x-router", b"1"),
    (b"etag", b'"v1"'),
    (b"set-cookie", b"session=abc123; Path=/; SameSite=lax"),
    (b"set-cookie", b"theme=dark; Path=/; SameSite=lax"),
    (b"cache-control", b"max-age=60"),
    (b"content-type", b"application/json"),
]
_REDIRECT = [(b"location", b"/plain")]
_FILE = [(b"content-type", FILE_MEDIA_TYPE.encode())]
_SMALL_FILE = str(SMALL_FILE)
_LARGE_FILE = str(LARGE_FILE)
_CHUNK_SIZE = 1024 * 1024
_STREAM_START = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
_SSE_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")],
}
_HTML = [(b"content-type", b"text/html; charset=utf-8")]
_template = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True).get_template(
    TEMPLATE_NAME
)


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


async def _send_file(send: Send, path: str) -> None:
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        headers = [*_FILE, (b"content-length", b"%d" % size)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        while chunk := file.read(_CHUNK_SIZE):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _stream(send: Send, start: Message, chunks: tuple[bytes, ...]) -> None:
    await send(start)
    for chunk in chunks:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


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
        if path == "/headers-cookies":
            return await _respond(send, 200, _HEADERS_COOKIES, _encode({"layers": 3, "cookies": 2}))
        if path == "/layered-response":
            return await _respond(send, 200, _LAYERED_RESPONSE, _encode({"layers": 3}))
        if path == "/redirect":
            return await _respond(send, 302, _REDIRECT, b"")
        if path == "/file-small":
            with open(_SMALL_FILE, "rb") as file:
                return await _respond(send, 200, _FILE, file.read())
        if path == "/file-large":
            return await _send_file(send, _LARGE_FILE)
        if path == "/stream":
            return await _stream(send, _STREAM_START, STREAM_CHUNKS)
        if path == "/sse":
            return await _stream(send, _SSE_START, tuple(b"data: %s\r\n\r\n" % data.encode() for data in SSE_DATA))
        if path == "/html":
            return await _respond(send, 200, _HTML, _template.render(HTML_CONTEXT).encode())
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
    elif method == "POST" and path == "/dto":
        try:
            account = _decode_account(await _read_body(receive))
        except msgspec.DecodeError as exc:
            return await _respond(send, 400, _TEXT, str(exc).encode())
        return await _respond(send, 201, _JSON, _encode(AccountOut(1, account.name, account.email)))
    return await _respond(send, 404, _TEXT, b"Not Found")
