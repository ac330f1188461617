"""Compression: negotiated from ``Accept-Encoding``, ``Vary`` merged, small/partial/encoded bodies left alone, streams
compressed chunk by chunk (each chunk decodable when it arrives)."""

from __future__ import annotations

import gzip
import random
import sys
import zlib
from collections.abc import AsyncIterator, Callable
from io import BytesIO
from typing import Any, ClassVar

import anyio
import brotli  # type: ignore[import-untyped]
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import get
from outpour.config.compression import CompressionConfig
from outpour.datastructures import ETag
from outpour.enums import CompressionEncoding
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException
from outpour.middleware.compression import CompressionMiddleware
from outpour.middleware.compression._accept_encoding import choose_encoding, parse_accept_encoding
from outpour.middleware.compression.gzip_facade import GzipCompression, _whole_body_state
from outpour.response import Response, ServerSentEvent, Stream
from outpour.testing import create_test_client
from outpour.types import Message, Receive, Scope, Send

TEXT = "outpour " * 200  # 1600 bytes


@get("/text")
def text() -> str:
    return TEXT


@get("/small")
def small() -> str:
    return "tiny"


@get("/partial")
def partial() -> Response[str]:
    return Response(TEXT, status_code=206, headers={"Content-Range": "bytes 0-1599/5000"})


@get("/encoded")
def encoded() -> Response[bytes]:
    return Response(gzip.compress(TEXT.encode()), media_type="text/plain", headers={"Content-Encoding": "gzip"})


@get("/png")
def png() -> Response[bytes]:
    return Response(b"\x89PNG" + b"\0" * 2000, media_type="image/png")


@get("/svg")
def svg() -> Response[str]:
    return Response("<svg>" + " " * 2000 + "</svg>", media_type="image/svg+xml")


@get("/tagged", etag=ETag(value="v1"))
def tagged() -> Response[str]:
    return Response(TEXT, headers={"Vary": "Cookie"})


@get("/stream")
async def stream() -> Stream:
    async def chunks() -> AsyncIterator[str]:
        for index in range(3):
            yield f"chunk {index} " * 50
            await anyio.sleep(0)  # each chunk its own message (chunks ready at once would share one)

    return Stream(chunks(), media_type="text/plain")


@get("/excluded", opt={"no_compression": True})
def excluded() -> str:
    return TEXT


@get("/static/file.txt")
def static_file() -> str:
    return TEXT


HANDLERS: list[Any] = [text, small, partial, encoded, png, svg, tagged, stream, excluded, static_file]


def _client(backend: str = "gzip", **config: Any) -> Any:
    return create_test_client(HANDLERS, compression_config=CompressionConfig(backend=backend, **config))


def _get(path: str, accept: str | None, backend: str = "gzip", **config: Any) -> Any:
    headers = {"accept-encoding": accept} if accept is not None else {"accept-encoding": ""}
    with _client(backend, **config) as client:
        return client.get(path, headers=headers)


# -- negotiation -------------------------------------------------------------------------------------------------------


def test_gzip_response_decodes_to_the_body_with_its_length_and_vary() -> None:
    response = _get("/text", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert int(response.headers["content-length"]) < len(TEXT)
    assert response.text == TEXT  # httpx decodes gzip


@pytest.mark.parametrize(
    ("backend", "accept", "encoding"),
    [
        pytest.param("gzip", "gzip;q=0, deflate", None, id="gzip-refused-by-q0"),
        pytest.param("gzip", "*", "gzip", id="wildcard"),
        pytest.param("gzip", "*;q=0.5, gzip;q=0", None, id="explicit-q0-beats-wildcard"),
        pytest.param("gzip", "identity", None, id="identity-only"),
        pytest.param("brotli", "gzip, br", "br", id="brotli-preferred"),
        pytest.param("brotli", "gzip", "gzip", id="brotli-falls-back-to-gzip"),
        pytest.param("brotli", "br;q=0, gzip", "gzip", id="brotli-q0"),
        pytest.param("zstd", "zstd, gzip", "zstd", id="zstd-preferred"),
        pytest.param("zstd", "GZIP;Q=1", "gzip", id="zstd-falls-back-case-insensitively"),
        pytest.param("gzip", "gzip;q=abc", None, id="malformed-q-skipped"),
    ],
)
def test_encoding_is_negotiated_from_q_values(backend: str, accept: str, encoding: str | None) -> None:
    response = _get("/text", accept, backend)
    assert response.headers.get("content-encoding") == encoding
    assert response.headers["vary"] == "Accept-Encoding"


@pytest.mark.parametrize(
    ("backend", "fallback_option"),
    [
        pytest.param("brotli", "brotli_gzip_fallback", id="brotli"),
        pytest.param("zstd", "zstd_gzip_fallback", id="zstd"),
    ],
)
def test_gzip_fallback_can_be_turned_off(backend: str, fallback_option: str) -> None:
    response = _get("/text", "gzip", backend, **{fallback_option: False})
    assert "content-encoding" not in response.headers


def test_brotli_and_zstd_bodies_decode() -> None:
    brotli_response = _get("/text", "br", "brotli", brotli_quality=11, brotli_mode="generic")
    zstd_response = _get("/text", "zstd", "zstd", zstd_compress_level=19)
    assert (brotli_response.headers["content-encoding"], brotli_response.text) == ("br", TEXT)  # httpx decodes both
    assert (zstd_response.headers["content-encoding"], zstd_response.text) == ("zstd", TEXT)


def test_huge_accept_encoding_is_read_in_part_without_error() -> None:
    accept = ", ".join(f"x-coding-{index}" for index in range(2000)) + ", gzip"
    response = _get("/text", accept)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers  # `gzip` lies past what is read


# -- what is not compressed --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "vary"),
    [
        pytest.param("/small", False, id="below-minimum-size"),
        pytest.param("/partial", False, id="206"),
        pytest.param("/encoded", False, id="already-encoded"),
        pytest.param("/png", False, id="compressed-media-type"),
        pytest.param("/excluded", False, id="opt-key"),
        pytest.param("/static/file.txt", False, id="path"),
    ],
)
def test_responses_left_alone(path: str, vary: bool) -> None:
    response = _get(path, "gzip", exclude=["^/static"], exclude_opt_key="no_compression")
    assert response.status_code in (200, 206)
    assert response.headers.get("content-encoding") in (None, "gzip" if path == "/encoded" else None)
    assert ("vary" in response.headers) is vary


def test_not_modified_is_left_alone() -> None:
    with _client() as client:
        etag = client.get("/tagged", headers={"accept-encoding": "gzip"}).headers["etag"]
        response = client.get("/tagged", headers={"accept-encoding": "gzip", "if-none-match": etag})
    assert response.status_code == 304
    assert "content-encoding" not in response.headers


def test_svg_is_compressed_and_etag_weakened_and_vary_merged() -> None:
    assert _get("/svg", "gzip").headers["content-encoding"] == "gzip"
    tagged_response = _get("/tagged", "gzip")
    assert tagged_response.headers["etag"] == 'W/"v1"'
    assert tagged_response.headers["vary"] == "Cookie, Accept-Encoding"


def test_head_is_not_compressed() -> None:
    with _client() as client:
        response = client.head("/text", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert response.headers["content-length"] == str(len(TEXT))


def test_minimum_size_one_compresses_everything() -> None:
    assert _get("/small", "gzip", minimum_size=1).headers["content-encoding"] == "gzip"


# -- streams -----------------------------------------------------------------------------------------------------------


def test_stream_is_compressed_without_length() -> None:
    response = _get("/stream", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    assert response.text == "".join(f"chunk {index} " * 50 for index in range(3))


async def _messages(app: Any, accept: bytes, path: str = "/") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"accept-encoding", accept)]}
    await app(scope, receive, send)
    return sent


def _chunked_app(chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": headers or []})
        for index, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": index < len(chunks) - 1})

    return app


def test_each_stream_chunk_decodes_on_arrival() -> None:
    """Every chunk sent is flushed: the client decodes what it got so far without waiting for more."""
    events = [b"data: event %d\n\n" % index for index in range(5)]
    app = CompressionMiddleware(_chunked_app([*events, b""]), CompressionConfig(backend="gzip", minimum_size=1))
    sent = anyio.run(_messages, app, b"gzip")
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    bodies = [message for message in sent if message["type"] == "http.response.body"]
    for event, message in zip(events, bodies, strict=False):
        assert decoder.decompress(message["body"]) == event
    assert bodies[-1]["more_body"] is False
    assert decoder.decompress(bodies[-1]["body"]) == b""
    assert decoder.eof


@pytest.mark.parametrize("backend", ["brotli", "zstd"])
def test_each_stream_chunk_decodes_on_arrival_with_brotli_and_zstd(backend: str) -> None:
    events = [b"data: event %d\n\n" % index for index in range(3)]
    app = CompressionMiddleware(_chunked_app([*events, b""]), CompressionConfig(backend=backend))
    sent = anyio.run(_messages, app, b"br, zstd")
    decoder: Any = brotli.Decompressor() if backend == "brotli" else zstandard.ZstdDecompressor().decompressobj()
    bodies = [message for message in sent if message["type"] == "http.response.body"]
    for event, message in zip(events, bodies, strict=False):
        out = decoder.process(message["body"]) if backend == "brotli" else decoder.decompress(message["body"])
        assert out == event


@pytest.mark.parametrize("backend", ["gzip", "brotli", "zstd"])
def test_create_compression_send_wrapper_flushes_each_chunk(backend: str) -> None:
    """The public wrapper of ``send``: given the negotiated coding, each streamed chunk decodes when it arrives."""
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:  # never called
        raise AssertionError

    async def respond() -> None:
        middleware = CompressionMiddleware(app, CompressionConfig(backend=backend))
        scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
        wrapped = middleware.create_compression_send_wrapper(send, CompressionEncoding(backend_coding), scope)
        await wrapped({"type": "http.response.start", "status": 200, "headers": []})
        for chunk in (b"abc", b"def"):
            await wrapped({"type": "http.response.body", "body": chunk, "more_body": True})
        await wrapped({"type": "http.response.body", "body": b"", "more_body": False})

    backend_coding = {"gzip": "gzip", "brotli": "br", "zstd": "zstd"}[backend]
    anyio.run(respond)
    decode, ended = _decoder(backend)
    start, *bodies = sent
    assert (dict(start["headers"])[b"content-encoding"], b"content-length" in dict(start["headers"])) == (
        backend_coding.encode(),
        False,
    )
    assert [decode(message["body"]) for message in bodies] == [b"abc", b"def", b""]
    assert ended()


def test_empty_intermediate_chunks_send_nothing() -> None:
    app = CompressionMiddleware(_chunked_app([b"x" * 600, b"", b"y"]), CompressionConfig(backend="gzip"))
    sent = anyio.run(_messages, app, b"gzip")
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.body", "http.response.body"]


def test_sse_is_compressed() -> None:
    @get("/events")
    async def events() -> ServerSentEvent:
        async def gen() -> AsyncIterator[str]:
            for index in range(100):
                yield f"event {index}"

        return ServerSentEvent(gen())

    with create_test_client([events], compression_config=CompressionConfig(backend="gzip")) as client:
        response = client.get("/events", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert "data: event 99" in response.text


def test_other_messages_pass_through() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "/tmp/x"})

    sent = anyio.run(_messages, CompressionMiddleware(app, CompressionConfig(backend="gzip")), b"gzip")
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.pathsend"]


def test_body_without_start_passes_through() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.body", "body": b"x"})

    sent = anyio.run(_messages, CompressionMiddleware(app, CompressionConfig(backend="gzip")), b"gzip")
    assert sent == [{"type": "http.response.body", "body": b"x"}]


def test_content_range_on_a_200_is_left_alone() -> None:
    headers = [(b"content-range", b"bytes 0-599/600")]
    app = CompressionMiddleware(_chunked_app([b"x" * 600], headers), CompressionConfig(backend="gzip"))
    sent = anyio.run(_messages, app, b"gzip")
    assert sent[1]["body"] == b"x" * 600


def test_pathsend_is_withdrawn_when_compressing() -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(dict(scope.get("extensions", {})))

    middleware = CompressionMiddleware(app, CompressionConfig(backend="gzip"))
    scope: Any = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept-encoding", b"gzip")]}

    async def call() -> None:
        await middleware({**scope, "extensions": {"http.response.pathsend": {}, "other": {}}}, None, None)  # type: ignore[arg-type]

    anyio.run(call)
    assert seen == [{"other": {}}]


# -- the facades and the config ----------------------------------------------------------------------------------------


def test_gzip_facade_close_ends_the_stream() -> None:
    buffer = BytesIO()
    facade = GzipCompression(buffer, None, CompressionConfig(backend="gzip"))
    facade.write(b"abc")
    facade.close()
    facade.close()  # once only
    assert gzip.decompress(buffer.getvalue()) == b"abc"


@pytest.mark.parametrize("backend", ["brotli", "zstd"])
def test_brotli_and_zstd_facades_close(backend: str) -> None:
    config = CompressionConfig(backend=backend)
    buffer = BytesIO()
    facade = config.facade(buffer, config.compression_level, config)
    facade.write(b"abc")
    facade.close()
    facade.close()
    data = buffer.getvalue()
    decoded = (
        brotli.decompress(data)
        if backend == "brotli"
        else zstandard.ZstdDecompressor().decompressobj().decompress(data)
    )
    assert decoded == b"abc"


class ReverseCompression:
    """A custom backend, for the test: "compresses" by reversing (and says so in its coding)."""

    encoding: ClassVar[str] = "x-reverse"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        self.buffer = buffer

    def write(self, body: bytes, final: bool = False) -> None:
        self.buffer.write(body[::-1])

    def close(self) -> None: ...


def test_custom_backend_with_its_facade() -> None:
    response = _get("/text", "x-reverse", "x-reverse", compression_facade=ReverseCompression)
    assert response.headers["content-encoding"] == "x-reverse"
    assert response.content == TEXT.encode()[::-1]
    assert (
        _get("/text", "gzip", "x-reverse", compression_facade=ReverseCompression).headers["content-encoding"] == "gzip"
    )
    refused = _get("/text", "gzip", "x-reverse", compression_facade=ReverseCompression, gzip_fallback=False)
    assert "content-encoding" not in refused.headers
    assert CompressionConfig(backend="x-reverse", compression_facade=ReverseCompression).compression_level is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param(
            {"gzip_compress_level": 10}, r"`CompressionConfig\(gzip_compress_level=10\)` is out of range", id="gzip"
        ),
        pytest.param(
            {"brotli_quality": -1}, r"brotli_quality=-1\)` is out of range: give a value from 0 to 11", id="br"
        ),
        pytest.param({"brotli_mode": "fast"}, r"brotli_mode='fast'\)` is not a brotli mode", id="mode"),
        pytest.param({"minimum_size": -5}, r"minimum_size=-5\)` is below 1", id="size"),
        pytest.param({"minimum_size": 0}, r"minimum_size=0\)` is below 1", id="size-zero"),
        pytest.param({"backend": "lzma"}, r"backend='lzma'\)` is not `'gzip'`, `'brotli'` or `'zstd'`", id="backend"),
    ],
)
def test_config_mistakes_raise(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        CompressionConfig(**{"backend": "gzip", **kwargs})


@pytest.mark.parametrize(
    ("backend", "module", "extra"),
    [pytest.param("brotli", "brotli", "brotli", id="brotli"), pytest.param("zstd", "zstandard", "zstd", id="zstd")],
)
def test_missing_package_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, backend: str, module: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingDependencyException, match=rf"pip install 'outpour\[{extra}\]'"):
        CompressionConfig(backend=backend)


# -- the Accept-Encoding parser ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        pytest.param("gzip, br;q=0.8, *;q=0", {"gzip": 1.0, "br": 0.8, "*": 0.0}, id="weights"),
        pytest.param("gzip;q=1.000, gzip;q=0", {"gzip": 1.0}, id="first-wins"),
        pytest.param("gzip;q=1.5, br;q=0.1234, zstd;q=, x;q=.5, y;q=0.a", {}, id="bad-qvalues"),
        pytest.param(" , ;q=1, g zip, gzip;level=1", {"gzip": 1.0}, id="junk"),
        pytest.param("GZip ; Q=0.5", {"gzip": 0.5}, id="case"),
    ],
)
def test_parse_accept_encoding(value: str, parsed: dict[str, float]) -> None:
    assert parse_accept_encoding(value) == parsed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parse_accept_encoding_never_fails_and_weights_are_qvalues(value: str) -> None:
    parsed = parse_accept_encoding(value)
    assert all(0 <= weight <= 1 for weight in parsed.values())
    assert choose_encoding(parsed, "br", "gzip") in ("br", "gzip", None)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["gzip", "br", "zstd", "*", "identity"]), st.sampled_from([0, 0.001, 0.5, 1])))
def test_a_coding_with_q0_is_never_chosen(weights: dict[str, float]) -> None:
    rendered = ", ".join(f"{coding};q={weight}" for coding, weight in weights.items())
    chosen = choose_encoding(parse_accept_encoding(rendered), "br", "gzip")
    if chosen is not None:
        assert weights.get(chosen, weights.get("*", 0)) > 0


# -- streams: a small compressor per open stream, chunks compressed without the buffer --------------------------------


def _body_messages(sent: list[Message]) -> list[Message]:
    return [message for message in sent if message["type"] == "http.response.body"]


def _decoder(backend: str) -> tuple[Callable[[bytes], bytes], Callable[[], bool]]:
    """Incremental decoding of a body in ``backend``'s coding, one received chunk at a time, and whether it ended."""
    if backend == "gzip":
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return inflate.decompress, lambda: inflate.eof
    if backend == "brotli":
        decompressor = brotli.Decompressor()
        return decompressor.process, decompressor.is_finished
    frame = zstandard.ZstdDecompressor().decompressobj()
    return frame.decompress, lambda: frame.eof


def _brotli_window_bits(data: bytes) -> int:
    """The ``WBITS`` a brotli stream declares in its first bits (RFC 7932, section 9.1)."""
    first = data[0]
    if not first & 1:
        return 16
    if (first >> 1) & 7:
        return 17 + ((first >> 1) & 7)
    return 17 if not (first >> 4) & 7 else 8 + ((first >> 4) & 7)


_FAR = random.Random(16).randbytes(2000)  # sent twice, 10 KB apart: only a window over 4 KiB reaches back to it
_FILLER = random.Random(7).randbytes(8000)


def test_a_streamed_gzip_body_fits_a_4_kib_window_and_a_whole_body_keeps_32_kib() -> None:
    """A client inflating with a 4 KiB window decodes the stream, chunk by chunk: no match reaches further back.

    The same bytes as a whole body do refer 10 KB back (they compress smaller): whole bodies keep zlib's full window.
    """
    config = CompressionConfig(backend="gzip", minimum_size=1)
    chunks = [_FAR, _FILLER, _FAR]
    sent = anyio.run(_messages, CompressionMiddleware(_chunked_app([*chunks, b""]), config), b"gzip")
    small_window = zlib.decompressobj(16 + 12)
    bodies = _body_messages(sent)
    for chunk, message in zip(chunks, bodies, strict=False):
        assert small_window.decompress(message["body"]) == chunk
    assert small_window.decompress(bodies[-1]["body"]) == b""
    assert small_window.eof  # the trailer's CRC and length were checked
    whole = anyio.run(_messages, CompressionMiddleware(_chunked_app([b"".join(chunks)]), config), b"gzip")[1]["body"]
    assert len(whole) < sum(len(message["body"]) for message in bodies) - 1500


@pytest.mark.parametrize(
    ("size", "state"),
    [(0, (9, 3)), (750, (10, 4)), (5_000, (13, 7)), (40_000, (15, 8)), (10_000_000, (15, 8))],
)
def test_a_whole_body_gets_a_compressor_no_larger_than_it_needs(size: int, state: tuple[int, int]) -> None:
    """The window covers the body and its lookahead (no match is lost); the hash table shrinks with it.

    Nothing on the wire tells the window of a body shorter than it, so the chosen state is checked here.
    """
    assert _whole_body_state(size) == state


@given(st.binary(max_size=20_000))
@settings(max_examples=60, deadline=None)
def test_any_whole_body_round_trips_through_the_sized_compressor(body: bytes) -> None:
    buffer = BytesIO()
    GzipCompression(buffer, 9, CompressionConfig(backend="gzip")).write(body, final=True)
    assert gzip.decompress(buffer.getvalue()) == body


@pytest.mark.parametrize(
    ("lgwin", "expected"), [pytest.param(22, 12, id="default"), pytest.param(10, 10, id="smaller")]
)
def test_a_streamed_brotli_body_declares_a_window_of_at_most_4_kib(lgwin: int, expected: int) -> None:
    config = CompressionConfig(backend="brotli", brotli_lgwin=lgwin)
    stream = anyio.run(_messages, CompressionMiddleware(_chunked_app([b"data: x\n\n", b""]), config), b"br")
    whole = anyio.run(_messages, CompressionMiddleware(_chunked_app([TEXT.encode()]), config), b"br")
    assert _brotli_window_bits(stream[1]["body"]) == expected
    assert _brotli_window_bits(whole[1]["body"]) == lgwin


def test_a_streamed_zstd_frame_declares_an_8_kib_window() -> None:
    config = CompressionConfig(backend="zstd", minimum_size=1)
    stream = anyio.run(_messages, CompressionMiddleware(_chunked_app([b"data: x\n\n", b""]), config), b"zstd")
    whole = anyio.run(_messages, CompressionMiddleware(_chunked_app([TEXT.encode()]), config), b"zstd")
    assert zstandard.get_frame_parameters(stream[1]["body"]).window_size == 8 * 1024
    assert zstandard.get_frame_parameters(whole[1]["body"]).window_size > 1024 * 1024


@settings(max_examples=60, deadline=None)
@given(
    backend=st.sampled_from(["gzip", "brotli", "zstd"]),
    chunks=st.lists(st.binary(max_size=3000) | st.sampled_from([b"", b"data: event\r\n\r\n"]), min_size=1, max_size=8),
    last=st.binary(max_size=200),
)
def test_every_streamed_chunk_decodes_on_arrival(backend: str, chunks: list[bytes], last: bytes) -> None:
    """Each non-empty chunk leaves at once, decodable to itself; empty ones send nothing; the last ends the stream."""
    config = CompressionConfig(backend=backend, minimum_size=1)
    sent = anyio.run(_messages, CompressionMiddleware(_chunked_app([*chunks, last]), config), b"gzip, br, zstd")
    decode, ended = _decoder(backend)
    bodies = _body_messages(sent)
    expected = [chunks[0], *(chunk for chunk in chunks[1:] if chunk)]
    assert [message["more_body"] for message in bodies] == [True] * len(expected) + [False]
    for chunk, message in zip(expected, bodies, strict=False):
        assert decode(message["body"]) == chunk
    assert not ended()
    assert decode(bodies[-1]["body"]) == last
    assert ended()  # the trailer (gzip's CRC and length, brotli's last block, zstd's last block) came last
    coding = {"gzip": b"gzip", "brotli": b"br", "zstd": b"zstd"}[backend]
    assert (b"content-encoding", coding) in sent[0]["headers"]
    assert not any(name == b"content-length" for name, _ in sent[0]["headers"])


def test_a_whole_body_after_a_stream_start_is_compressed_with_its_length() -> None:
    """A stream whose chunks came in one message (``more_body`` false at once) is compressed as a whole body."""
    body = b"data: event\r\n\r\n" * 50
    sent = anyio.run(_messages, CompressionMiddleware(_chunked_app([body]), CompressionConfig(backend="gzip")), b"gzip")
    assert (b"content-length", str(len(sent[1]["body"])).encode()) in sent[0]["headers"]
    assert gzip.decompress(sent[1]["body"]) == body


class RecordingCompression(GzipCompression):
    """A custom backend's facade subclassing the built-in gzip one: its ``write`` must still be called."""

    encoding: ClassVar[str] = "x-gzip"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        super().__init__(buffer, compression_level, config)
        self.buffer = buffer


@pytest.mark.parametrize(
    ("facade", "decode"),
    [
        pytest.param(ReverseCompression, lambda bodies: [body[::-1] for body in bodies], id="custom"),
        pytest.param(RecordingCompression, lambda bodies: [gzip.decompress(b"".join(bodies))], id="gzip-subclass"),
    ],
)
def test_custom_facades_keep_the_buffer_protocol_for_streams(
    facade: type[Any], decode: Callable[[list[bytes]], list[bytes]]
) -> None:
    """A facade other than the three built-in classes gets ``write`` per non-empty chunk, into an emptied buffer."""
    calls: list[tuple[bytes, bool, bool]] = []

    class Spy(facade):  # type: ignore[misc]
        def write(self, body: bytes, final: bool = False) -> None:
            calls.append((body, final, self.buffer.getvalue() == b""))
            super().write(body, final)

    config = CompressionConfig(backend=facade.encoding, compression_facade=Spy, minimum_size=1)
    sent = anyio.run(
        _messages,
        CompressionMiddleware(_chunked_app([b"one ", b"", b"two ", b"three"]), config),
        facade.encoding.encode(),
    )
    assert calls == [(b"one ", False, True), (b"two ", False, True), (b"three", True, True)]
    assert (b"content-encoding", facade.encoding.encode()) in sent[0]["headers"]
    expected = [b"one ", b"two ", b"three"] if facade is ReverseCompression else [b"one two three"]
    assert decode([message["body"] for message in _body_messages(sent)]) == expected


_ACCEPT_ITEMS = st.sampled_from(["gzip", "br", "zstd", "*", "identity", "gzip;q=0", "br;q=0", "*;q=0", "x;q=0.5"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_ACCEPT_ITEMS, max_size=3).map(", ".join), min_size=1, max_size=150))
def test_one_middleware_answers_each_accept_encoding_as_a_fresh_negotiation(values: list[str]) -> None:
    """The middleware remembers the coding of the values it has seen (a bounded number): answers never drift."""
    middleware = CompressionMiddleware(_chunked_app([TEXT.encode()]), CompressionConfig(backend="brotli"))
    values += [f"x-{index}, {value}" for index, value in enumerate(values)]  # past the values it keeps
    for value in [*values, *values]:
        sent = anyio.run(_messages, middleware, value.encode())
        expected = choose_encoding(parse_accept_encoding(value), "br", "gzip") if value else None
        assert dict(sent[0]["headers"]).get(b"content-encoding") == (expected.encode() if expected else None)
