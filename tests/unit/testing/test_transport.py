"""The test clients' transports against raw ASGI apps: scopes, bodies, streaming, disconnects, errors, cookies."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import aclosing
from typing import Any, Literal, cast

import anyio
import httpx
import pytest

from outpour.testing import AsyncTestClient, TestClient, _exchange
from outpour.types import Message, Receive, Scope, Send

Backend = Literal["asyncio", "trio"]


@pytest.fixture(params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def start(send: Send, status: int = 200, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers or []})


async def body(send: Send, data: bytes, more: bool = False) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": more})


def recording_echo(received: list[Message], scopes: list[Scope]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        scopes.append(scope)
        data = b""
        while True:
            message = await receive()
            received.append(message)
            data += message["body"]
            if not message["more_body"]:
                break
        await start(send, headers=[(b"x-method", scope["method"].encode())])
        await body(send, data)

    return app


# --- round trips and scopes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "content", "messages"),
    [
        pytest.param("GET", None, [(b"", False)], id="get-no-body"),
        pytest.param("POST", b"hello", [(b"hello", False)], id="post-body"),
        pytest.param("PUT", b"", [(b"", False)], id="put-empty"),
    ],
)
def test_round_trip(backend: Backend, method: str, content: bytes | None, messages: list[tuple[bytes, bool]]) -> None:
    received: list[Message] = []
    with TestClient(recording_echo(received, []), backend=backend) as client:
        response = client.request(method, "/echo", content=content)
    assert response.status_code == 200
    assert response.headers["x-method"] == method
    assert response.content == (content or b"")
    assert [(m["body"], m["more_body"]) for m in received] == messages
    assert {m["type"] for m in received} == {"http.request"}


def test_chunked_request_body_arrives_in_chunks(backend: Backend) -> None:
    received: list[Message] = []

    def chunks() -> Iterator[bytes]:
        yield b"a"
        yield b""
        yield b"b"

    with TestClient(recording_echo(received, []), backend=backend) as client:
        assert client.post("/", content=chunks()).content == b"ab"
    assert [(m["body"], m["more_body"]) for m in received] == [(b"a", True), (b"b", False)]


@pytest.mark.anyio
async def test_async_chunked_request_body_arrives_in_chunks() -> None:
    received: list[Message] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b"a"
        yield b"b"

    async with AsyncTestClient(recording_echo(received, [])) as client:
        assert (await client.post("/", content=chunks())).content == b"ab"
    assert [(m["body"], m["more_body"]) for m in received] == [(b"a", True), (b"b", False)]


@pytest.mark.parametrize(
    ("base_url", "scheme", "server"),
    [
        pytest.param("http://testserver.local", "http", ("testserver.local", 80), id="http"),
        pytest.param("https://example.org", "https", ("example.org", 443), id="https"),
        pytest.param("http://localhost:8000", "http", ("localhost", 8000), id="explicit-port"),
    ],
)
def test_scope(base_url: str, scheme: str, server: tuple[str, int]) -> None:
    scopes: list[Scope] = []
    client = TestClient(recording_echo([], scopes), base_url=base_url, root_path="/api")
    client.get("/a%20b/c%2Fd?x=1&y=%20z", headers={"X-Custom": "Value"})
    scope = scopes[0]
    headers = scope["headers"]
    assert scope["type"] == "http"
    assert scope["asgi"] == {"version": "3.0", "spec_version": "2.4"}
    assert scope["http_version"] == "1.1"
    assert scope["method"] == "GET"
    assert scope["scheme"] == scheme
    assert scope["path"] == "/a b/c/d"
    assert scope["raw_path"] == b"/a%20b/c%2Fd"
    assert scope["query_string"] == b"x=1&y=%20z"
    assert scope["root_path"] == "/api"
    assert scope["client"] == ("testclient", 50000)
    assert scope["server"] == server
    assert scope["state"] == {}
    assert scope["extensions"] == {}
    assert (b"x-custom", b"Value") in headers
    assert (b"host", server[0].encode() if server[1] in (80, 443) else f"{server[0]}:{server[1]}".encode()) in headers
    assert (b"user-agent", b"testclient") in headers
    assert all(name == name.lower() for name, _ in headers)


def test_repeated_query_parameters_are_kept() -> None:
    scopes: list[Scope] = []
    TestClient(recording_echo([], scopes)).get("/", params=[("a", "1"), ("a", "2")])
    assert scopes[0]["query_string"] == b"a=1&a=2"


# --- streaming responses ----------------------------------------------------------------------------------------


def test_response_streams_chunk_by_chunk(backend: Backend) -> None:
    gate = threading.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        await start(send)
        await body(send, b"one", more=True)
        opened = await anyio.to_thread.run_sync(gate.wait, 5)
        await body(send, b"two" if opened else b"late", more=True)
        await body(send, b"three")

    with TestClient(app, backend=backend) as client, client.stream("GET", "/") as response:
        chunks = response.iter_raw()
        assert next(chunks) == b"one"
        gate.set()
        assert list(chunks) == [b"two", b"three"]


@pytest.mark.anyio
async def test_async_response_streams_chunk_by_chunk() -> None:
    gate = anyio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        await start(send)
        await body(send, b"one", more=True)
        with anyio.move_on_after(5):
            await gate.wait()
        await body(send, b"two" if gate.is_set() else b"late", more=True)
        await body(send, b"three")

    async with AsyncTestClient(app) as client, client.stream("GET", "/") as response:
        chunks = response.aiter_raw()
        assert await chunks.__anext__() == b"one"
        gate.set()
        assert [chunk async for chunk in chunks] == [b"two", b"three"]


def test_unentered_client_streams_on_its_own_portal(backend: Backend) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await start(send)
        for part in (b"a", b"", b"b"):
            await body(send, part, more=True)
        await body(send, b"")

    with TestClient(app, backend=backend).stream("GET", "/") as response:
        assert list(response.iter_raw()) == [b"a", b"b"]


class Events:
    """What an endless event-stream app observed."""

    def __init__(self) -> None:
        self.disconnected = False
        self.send_error: BaseException | None = None
        self.cancelled = False
        self.finished = False


def endless_app(events: Events, *, mode: str) -> Any:
    """An endless event stream; ``mode`` says how it notices the client left."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        try:
            await start(send, headers=[(b"content-type", b"text/event-stream")])
            if mode == "listen":
                async with anyio.create_task_group() as task_group:

                    async def listen() -> None:
                        while (await receive())["type"] != "http.disconnect":
                            pass
                        events.disconnected = True
                        task_group.cancel_scope.cancel()

                    task_group.start_soon(listen)
                    for n in range(10**9):
                        await body(send, f"data: {n}\n\n".encode(), more=True)
            elif mode == "send-in-task":
                async with anyio.create_task_group() as task_group:

                    async def produce() -> None:
                        for n in range(10**9):
                            await body(send, f"data: {n}\n\n".encode(), more=True)

                    task_group.start_soon(produce)
            elif mode == "send":
                try:
                    for n in range(10**9):
                        await body(send, f"data: {n}\n\n".encode(), more=True)
                except OSError as exc:
                    events.send_error = exc
                    raise
            else:  # "stuck": ignores the client after two events
                await body(send, b"data: 0\n\n", more=True)
                await body(send, b"data: 1\n\n", more=True)
                try:
                    await anyio.sleep_forever()
                except anyio.get_cancelled_exc_class():
                    events.cancelled = True
                    raise
        finally:
            events.finished = True

    return app


async def first_chunks(response: httpx.Response, count: int) -> list[bytes]:
    """Read ``count`` chunks of a body left unfinished.

    httpx's body iterators are async generators and trio warns about abandoned ones, so the one under the response
    is closed explicitly.
    """
    stream = cast("AsyncGenerator[bytes, None]", cast("httpx.AsyncByteStream", response.stream).__aiter__())
    async with aclosing(stream):
        return [await anext(stream) for _ in range(count)]


MODES = [
    pytest.param("listen", id="listens-for-disconnect"),
    pytest.param("send", id="send-raises"),
    pytest.param("send-in-task", id="send-raises-in-task-group"),
    pytest.param("stuck", id="stuck-then-cancelled"),
]


def check_disconnect(events: Events, mode: str, elapsed: float) -> None:
    assert events.finished
    assert events.disconnected is (mode == "listen")
    assert isinstance(events.send_error, OSError) is (mode == "send")
    assert events.cancelled is (mode == "stuck")
    assert elapsed < 3


@pytest.mark.parametrize("mode", MODES)
def test_closing_an_endless_stream_disconnects_the_app(
    backend: Backend, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_exchange, "DISCONNECT_GRACE", 0.05)
    events = Events()
    with TestClient(endless_app(events, mode=mode), backend=backend) as client:
        with client.stream("GET", "/sse") as response:
            assert response.headers["content-type"] == "text/event-stream"
            chunks = response.iter_raw()
            assert [next(chunks), next(chunks)] == [b"data: 0\n\n", b"data: 1\n\n"]
            started = time.monotonic()
        check_disconnect(events, mode, time.monotonic() - started)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_async_closing_an_endless_stream_disconnects_the_app(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_exchange, "DISCONNECT_GRACE", 0.05)
    events = Events()
    async with AsyncTestClient(endless_app(events, mode=mode)) as client:
        async with client.stream("GET", "/sse") as response:
            assert await first_chunks(response, 2) == [b"data: 0\n\n", b"data: 1\n\n"]
            started = time.monotonic()
        check_disconnect(events, mode, time.monotonic() - started)


def test_exiting_the_client_ends_responses_left_open(backend: Backend) -> None:
    events = Events()
    with TestClient(endless_app(events, mode="stuck"), backend=backend) as client:
        response = client.send(client.build_request("GET", "/sse"), stream=True)
        chunks = response.iter_raw()
        assert [next(chunks), next(chunks)] == [b"data: 0\n\n", b"data: 1\n\n"]
    assert events.cancelled
    assert events.finished
    response.close()
    assert response.is_closed


@pytest.mark.anyio
async def test_async_exiting_the_client_ends_responses_left_open() -> None:
    events = Events()
    async with AsyncTestClient(endless_app(events, mode="stuck")) as client:
        response = await client.send(client.build_request("GET", "/sse"), stream=True)
        assert await first_chunks(response, 2) == [b"data: 0\n\n", b"data: 1\n\n"]
    assert events.cancelled
    await response.aclose()
    assert response.is_closed


def test_disconnect_is_reported_once_the_response_is_complete(backend: Backend) -> None:
    after: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await start(send)
        await body(send, b"done")
        after.append(await receive())

    assert TestClient(app, backend=backend).get("/").text == "done"
    assert after == [{"type": "http.disconnect"}]


def test_head_response_has_no_body(backend: Backend) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await start(send, headers=[(b"content-length", b"6")])
        await body(send, b"abc", more=True)
        await body(send, b"def")

    response = TestClient(app, backend=backend).head("/")
    assert response.headers["content-length"] == "6"
    assert response.content == b""


# --- errors -----------------------------------------------------------------------------------------------------


def failing_app(when: str) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        if when == "before-start":
            raise ValueError("broken app")
        await start(send)
        await body(send, b"partial", more=True)
        if when == "mid-body":
            raise ValueError("broken app")
        await body(send, b"!")
        raise ValueError("broken app")

    return app


ERROR_CASES = [
    pytest.param("before-start", 500, b"Internal Server Error", id="before-start"),
    pytest.param("mid-body", 200, b"partial", id="mid-body"),
    pytest.param("after-response", 200, b"partial!", id="after-response"),
]


@pytest.mark.parametrize(("when", "status", "content"), ERROR_CASES)
def test_server_exceptions_are_raised(backend: Backend, when: str, status: int, content: bytes) -> None:
    with TestClient(failing_app(when), backend=backend) as client, pytest.raises(ValueError, match="broken app"):
        client.get("/")


@pytest.mark.parametrize(("when", "status", "content"), ERROR_CASES)
def test_server_exceptions_can_be_answered(backend: Backend, when: str, status: int, content: bytes) -> None:
    with TestClient(failing_app(when), backend=backend, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert (response.status_code, response.content) == (status, content)


@pytest.mark.anyio
@pytest.mark.parametrize("entered", [pytest.param(True, id="entered"), pytest.param(False, id="not-entered")])
@pytest.mark.parametrize(("when", "status", "content"), ERROR_CASES)
async def test_async_server_exceptions(entered: bool, when: str, status: int, content: bytes) -> None:
    raising = AsyncTestClient(failing_app(when))
    answering = AsyncTestClient(failing_app(when), raise_server_exceptions=False)
    if entered:
        async with raising, answering:
            with pytest.raises(ValueError, match="broken app"):
                await raising.get("/")
            response = await answering.get("/")
    else:
        with pytest.raises(ValueError, match="broken app"):
            await raising.get("/")
        response = await answering.get("/")
    assert (response.status_code, response.content) == (status, content)


async def no_start(scope: Scope, receive: Receive, send: Send) -> None:
    return None


async def body_first(scope: Scope, receive: Receive, send: Send) -> None:
    await body(send, b"x")


async def double_start(scope: Scope, receive: Receive, send: Send) -> None:
    await start(send)
    await start(send)


async def unknown_message(scope: Scope, receive: Receive, send: Send) -> None:
    await start(send)
    await send({"type": "http.response.trailers", "headers": []})


async def unfinished(scope: Scope, receive: Receive, send: Send) -> None:
    await start(send)
    await body(send, b"x", more=True)


async def body_after_end(scope: Scope, receive: Receive, send: Send) -> None:
    await start(send)
    await body(send, b"x")
    await body(send, b"y")


@pytest.mark.parametrize(
    ("app", "match"),
    [
        pytest.param(no_start, "without sending `http.response.start`", id="no-start"),
        pytest.param(body_first, "`http.response.body` before `http.response.start`", id="body-first"),
        pytest.param(double_start, "`http.response.start` twice", id="double-start"),
        pytest.param(unknown_message, "`http.response.trailers`", id="unknown-message"),
        pytest.param(unfinished, "without finishing the response", id="unfinished"),
        pytest.param(body_after_end, "after the response was complete", id="body-after-end"),
    ],
)
def test_protocol_errors_are_explained(backend: Backend, app: Any, match: str) -> None:
    with pytest.raises(RuntimeError, match=match):
        TestClient(app, backend=backend).get("/")


@pytest.mark.parametrize("stage", [pytest.param("start", id="before-start"), pytest.param("body", id="mid-body")])
def test_read_timeout(backend: Backend, stage: str) -> None:
    finished: list[bool] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        try:
            if stage == "body":
                await start(send)
            await anyio.sleep_forever()
        finally:
            finished.append(True)

    with (
        TestClient(app, backend=backend, timeout=0.05) as client,
        pytest.raises(httpx.ReadTimeout, match=r"`0\.05` seconds"),
    ):
        client.get("/")
    assert finished == [True]


@pytest.mark.anyio
async def test_async_read_timeout() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep_forever()

    with pytest.raises(httpx.ReadTimeout):
        await AsyncTestClient(app, timeout=0.05).get("/")


# --- client behaviour -------------------------------------------------------------------------------------------


def cookie_app() -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        if scope["path"] == "/login":
            await start(send, headers=[(b"set-cookie", b"session=abc; Path=/; HttpOnly")])
            await body(send, b"")
            return
        cookie = dict(scope["headers"]).get(b"cookie", b"")
        await start(send)
        await body(send, cookie)

    return app


@pytest.mark.parametrize(
    "base_url",
    [
        pytest.param("http://testserver.local", id="default"),
        pytest.param("http://testserver", id="dotless-host"),
        pytest.param("https://example.org", id="https"),
    ],
)
def test_cookies_persist_across_requests(base_url: str) -> None:
    with TestClient(cookie_app(), base_url=base_url) as client:
        assert client.get("/whoami").content == b""
        client.get("/login")
        assert client.get("/whoami").content == b"session=abc"
        assert client.cookies["session"] == "abc"


@pytest.mark.anyio
async def test_async_cookies_persist_and_initial_cookies_are_sent() -> None:
    async with AsyncTestClient(cookie_app(), cookies={"theme": "dark"}) as client:
        assert (await client.get("/whoami")).content == b"theme=dark"
        await client.get("/login")
        assert sorted((await client.get("/whoami")).content.split(b"; ")) == [b"session=abc", b"theme=dark"]


def test_redirects_are_followed() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/old":
            await start(send, 302, [(b"location", b"/new")])
            await body(send, b"")
        else:
            await start(send)
            await body(send, scope["path"].encode())

    response = TestClient(app).get("/old")
    assert response.text == "/new"
    assert [r.status_code for r in response.history] == [302]


def test_client_attributes() -> None:
    client = TestClient(no_start, raise_server_exceptions=False, root_path="/r", backend="trio", backend_options={})
    assert client.app is no_start
    assert (client.raise_server_exceptions, client.root_path, client.backend) == (False, "/r", "trio")
    assert client.backend_options == {}
    assert client.base_url == httpx.URL("http://testserver.local")
    assert client.headers["user-agent"] == "testclient"


def test_portal_runs_code_on_the_apps_loop(backend: Backend) -> None:
    client = TestClient(recording_echo([], []), backend=backend)
    with client.portal() as portal:
        assert portal.call(anyio.sleep, 0) is None
    with client, client.portal() as portal:
        assert portal is client._portal


def test_entering_twice_is_refused() -> None:
    with TestClient(recording_echo([], [])) as client, pytest.raises(RuntimeError, match="already open"), client:
        pass


@pytest.mark.anyio
async def test_async_entering_twice_is_refused() -> None:
    async with AsyncTestClient(recording_echo([], [])) as client:
        with pytest.raises(RuntimeError, match="already open"):
            await client.__aenter__()


@pytest.mark.anyio
async def test_async_errors_in_the_test_body_are_not_wrapped() -> None:
    with pytest.raises(KeyError):
        async with AsyncTestClient(recording_echo([], [])):
            raise KeyError("from the test")
