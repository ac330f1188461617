"""``LoggingMiddleware``: request and response fields logged through any logger, secrets obfuscated, compressed bodies
left out; and the ``outpour`` logger's default queued handler."""

from __future__ import annotations

import io
import logging
import time
from typing import Annotated, Any

import anyio
import pytest
import structlog

from outpour import Request, Response, get, post
from outpour._logging import configure_default_logging
from outpour.config.compression import CompressionConfig
from outpour.datastructures import Cookie, UploadFile
from outpour.enums import RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.logging import LoggingMiddleware
from outpour.params import Body
from outpour.testing import create_test_client


@get("/items/{item_id:int}")
def item(item_id: int) -> Response[dict[str, int]]:
    return Response(
        {"id": item_id},
        headers={"X-API-KEY": "server-secret", "X-Trace": "t1"},
        cookies=[Cookie(key="session", value="s3cr3t"), Cookie(key="theme", value="dark")],
    )


@post("/echo")
async def echo(request: Request[Any, Any, Any]) -> bytes:
    return await request.body()


@get("/big", opt={"quiet": True})
def big() -> str:
    return "x" * 2000


class ListLogger:
    """Any object with ``info`` will do: this one keeps what it is given."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def info(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.entries.append((message, args, kwargs))


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "test.requests"]


def test_default_fields_are_logged_through_a_named_logger(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="test.requests")
    with create_test_client([item], middleware=[LoggingMiddleware("test.requests")]) as client:
        client.get("/items/7?q=a&q=b&x=1")
    assert _lines(caplog) == [
        'HTTP Request: path=/items/7, method=GET, content_type=["",{}], query={"q":"b","x":"1"}, '
        'path_params={"item_id":7}',
        "HTTP Response: status_code=200",
    ]


def test_headers_and_cookies_are_obfuscated(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="test.requests")
    middleware = LoggingMiddleware(
        logging.getLogger("test.requests"),
        request_log_fields=("headers", "cookies"),
        response_log_fields=("status_code", "headers", "cookies"),
        request_headers_to_obfuscate={"Authorization", "X-Custom"},
    )
    with create_test_client([item], middleware=[middleware]) as client:
        client.cookies.set("session", "client-secret")
        client.get("/items/1", headers={"Authorization": "Bearer abc", "x-custom": "c", "x-plain": "p"})
    request_line, response_line = _lines(caplog)
    assert '"authorization":"*****"' in request_line
    assert '"x-custom":"*****"' in request_line
    assert '"x-plain":"p"' in request_line
    assert 'cookies={"session":"*****"}' in request_line
    assert "Bearer" not in request_line
    assert "client-secret" not in request_line
    assert '"x-api-key":"*****"' in response_line
    assert '"x-trace":"t1"' in response_line
    assert 'cookies={"session":"*****","theme":"dark"}' in response_line
    assert "server-secret" not in response_line
    assert "s3cr3t" not in response_line


def test_plain_text_entries_write_containers_as_json(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="test.requests")
    middleware = LoggingMiddleware(
        "test.requests", request_log_fields=("body", "query", "method"), response_log_fields=("body",)
    )
    with create_test_client([echo], middleware=[middleware]) as client:
        client.post("/echo?tag=a&tag=b", content=b"caf\xc3\xa9 \xff")
    request_line, response_line = _lines(caplog)
    assert request_line == 'HTTP Request: body=caf\u00e9 \ufffd, query={"tag":"b"}, method=POST'
    assert response_line.startswith("HTTP Response: body=caf\u00e9 ")


def test_structured_logging_passes_values_as_keywords() -> None:
    logger = ListLogger()
    middleware = LoggingMiddleware(
        lambda: logger,
        log_structured=True,
        request_log_fields=("method", "scheme", "client", "body"),
        response_log_fields=("status_code", "body"),
        request_log_message="in",
        response_log_message="out",
    )
    with create_test_client([echo], middleware=[middleware]) as client:
        client.post("/echo", content=b"hello")
    (in_message, _, in_values), (out_message, _, out_values) = logger.entries
    assert (in_message, in_values["method"], in_values["scheme"], in_values["body"]) == ("in", "POST", "http", "hello")
    assert in_values["client"][0] == "testclient"
    assert (out_message, out_values) == ("out", {"status_code": 201, "body": "hello"})  # the handler read the body too


@pytest.mark.parametrize(
    ("content", "content_type", "logged"),
    [
        pytest.param(b'{"a": 1}', "application/json", {"a": 1}, id="json"),
        pytest.param(b"a=1&b=2", "application/x-www-form-urlencoded", {"a": "1", "b": "2"}, id="form"),
        pytest.param(b"{oops", "application/json", "{oops", id="malformed-json-as-text"),
        pytest.param(b"plain", "text/plain", "plain", id="text"),
    ],
)
def test_parse_body_and_raw_query(content: bytes, content_type: str, logged: Any) -> None:
    logger = ListLogger()
    middleware = LoggingMiddleware(
        lambda: logger, log_structured=True, parse_body=True, parse_query=False, request_log_fields=("body", "query")
    )
    with create_test_client([echo], middleware=[middleware]) as client:
        response = client.post("/echo?a=1&a=2", content=content, headers={"content-type": content_type})
    assert response.content == content
    assert logger.entries[0][2] == {"body": logged, "query": "a=1&a=2"}


def test_an_uploaded_file_is_logged_by_name_not_content(caplog: pytest.LogCaptureFixture) -> None:
    @post("/upload")
    async def upload(data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)]) -> str:
        return f"{len(await data.read())} bytes"

    middleware = LoggingMiddleware("test.requests", parse_body=True, request_log_fields=("body",))
    with caplog.at_level(logging.INFO), create_test_client([upload], middleware=[middleware]) as client:
        response = client.post("/upload", files={"data": ("photo.bin", b"\xfa\xfb", "image/png")}, data={"note": "hi"})
    assert (response.status_code, response.text) == (201, "2 bytes")
    # The file shows as its name and type, never its bytes.
    assert _lines(caplog)[0] == 'HTTP Request: body={"note":"hi","data":"photo.bin - image/png"}'


def test_compressed_body_is_left_out_unless_asked_for() -> None:
    logger = ListLogger()
    compression = CompressionConfig(backend="gzip")
    fields: Any = ("status_code", "body")
    with create_test_client(
        [big],
        compression_config=compression,
        middleware=[LoggingMiddleware(lambda: logger, log_structured=True, response_log_fields=fields)],
    ) as client:
        client.get("/big", headers={"accept-encoding": "gzip"})
    logged = LoggingMiddleware(
        lambda: logger, log_structured=True, response_log_fields=fields, include_compressed_body=True
    )
    with create_test_client([big], compression_config=compression, middleware=[logged]) as client:
        client.get("/big", headers={"accept-encoding": "gzip"})
    assert logger.entries[1][2] == {"status_code": 200}
    assert logger.entries[3][2]["body"][:2] == b"\x1f\x8b"  # the gzip magic: the bytes sent


def test_structlog_logger_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    structlog.configure(processors=[structlog.processors.KeyValueRenderer(key_order=["event"])])
    try:
        with create_test_client(
            [item], middleware=[LoggingMiddleware(structlog.get_logger("my.app"), log_structured=True)]
        ) as client:
            client.get("/items/3")
    finally:
        structlog.reset_defaults()
    out = capsys.readouterr().out
    assert "event='HTTP Request' path='/items/3' method='GET'" in out
    assert "event='HTTP Response' status_code=200" in out


def test_exclusions(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="test.requests")
    middleware = LoggingMiddleware("test.requests", exclude="^/items", exclude_opt_key="quiet")
    with create_test_client([item, big, echo], middleware=[middleware]) as client:
        client.get("/items/1")
        client.get("/big")
        client.post("/echo")
    assert [line.split(",")[0] for line in _lines(caplog)] == [
        "HTTP Request: path=/echo",
        "HTTP Response: status_code=201",
    ]


def test_response_cookies_that_cannot_be_parsed_are_skipped() -> None:
    middleware = LoggingMiddleware(ListLogger(), response_log_fields=("cookies",))
    scope: Any = {"_outpour_logged_response": {"start": {"status": 200, "headers": [(b"set-cookie", b"\x00bad;;=")]}}}
    assert middleware.extract_response_data(scope) == {"cookies": {}}


@pytest.mark.parametrize(
    ("option", "value"),
    [
        pytest.param("request_log_fields", ("path", "user"), id="request"),
        pytest.param("response_log_fields", ("size",), id="response"),
    ],
)
def test_unknown_fields_raise(option: str, value: Any) -> None:
    with pytest.raises(
        ImproperlyConfiguredException, match=rf"`LoggingMiddleware\({option}=...\)` names `'(user|size)'`"
    ):
        LoggingMiddleware("x", **{option: value})


def test_extract_request_data_reads_the_request() -> None:
    middleware = LoggingMiddleware("x", request_log_fields=("method", "path"))
    request: Request[Any, Any, Any] = Request({"type": "http", "method": "PUT", "path": "/p", "headers": []})
    assert anyio.run(middleware.extract_request_data, request) == {"method": "PUT", "path": "/p"}


# -- the outpour logger's default handler ------------------------------------------------------------------------------


def test_default_handler_writes_formatted_tracebacks_off_the_loop() -> None:
    logger = logging.getLogger("outpour")
    root_handlers = logging.getLogger().handlers[:]
    saved = logger.handlers[:], logger.level
    logging.getLogger().handlers.clear()
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)
    stream = io.StringIO()
    try:
        listener = configure_default_logging(stream)
        assert logger.level == logging.INFO
        assert listener is not None
        assert configure_default_logging(stream) is None  # configured already: left alone

        @get("/fail")
        def fail() -> None:
            raise RuntimeError("kaput")

        with create_test_client([fail]) as client:
            assert client.get("/fail").status_code == 500
        listener.stop()
        listener.stop()  # again, as at exit: nothing to do
        logger.handlers.clear()
        logger.setLevel(logging.WARNING)  # a level set by the application is kept
        second = configure_default_logging(io.StringIO())
        assert second is not None
        second.stop()
        assert logger.level == logging.WARNING
    finally:
        logger.handlers[:], (level,) = saved[0], (saved[1],)
        logger.setLevel(level)
        logging.getLogger().handlers[:] = root_handlers
    text = stream.getvalue()
    assert " ERROR outpour: Exception in GET /fail: kaput\nTraceback (most recent call last):" in text
    assert text.count("RuntimeError: kaput") == 1
    assert time.strftime("%Y-%m-%d") in text
