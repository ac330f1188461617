"""The demo app (``make demo``): every example linked from the index answers, and each shows what its row says."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import msgspec
import pytest

from examples.demo import chat_demo, streams
from examples.demo.app import app
from outpour import Outpour
from outpour.testing import TestClient


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Outpour]]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def fast_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "EVENT_INTERVAL", 0)
    monkeypatch.setattr(streams, "LINE_INTERVAL", 0)


@pytest.mark.usefixtures("fast_streams")
def test_index_links_answer(client: TestClient[Outpour]) -> None:
    index = client.get("/")
    assert (index.status_code, index.headers["content-type"]) == (200, "text/html; charset=utf-8")
    hrefs = re.findall(r"<a href='([^']+)' data-kind=", index.text)
    assert len(hrefs) >= 25
    statuses = {href: client.get(href, follow_redirects=False).status_code for href in hrefs}
    assert {href: status for href, status in statuses.items() if status >= 400} == {}
    assert "/schema/swagger" in hrefs


@pytest.mark.parametrize(
    ("path", "accept", "content_type", "body"),
    [
        pytest.param("/json", None, "application/json", b'"name":"my resource"', id="json"),
        pytest.param("/json-suffix", None, "application/vnd.example.resource+json", b'"id":1', id="json-suffix"),
        pytest.param("/text", None, "text/plain; charset=utf-8", b"rumbling rabbit", id="text"),
        pytest.param("/html", None, "text/html; charset=utf-8", b"<span>Hello World!</span>", id="html"),
        pytest.param("/negotiate", "text/html", "text/html; charset=utf-8", b"<b>HTML</b>", id="negotiate-html"),
        pytest.param(
            "/negotiate", "application/json", "application/json", b'{"you asked for":"JSON"}', id="negotiate-json"
        ),
        pytest.param(
            "/negotiate", "text/plain", "text/plain; charset=utf-8", b"You asked for text.", id="negotiate-text"
        ),
        pytest.param("/asgi-app", None, "text/plain; charset=utf-8", b"plain ASGI app", id="asgi-app"),
        pytest.param("/custom-response", None, "application/json", b'{"fruit":["apple","pear"]', id="custom"),
        pytest.param("/stream", None, "text/plain; charset=utf-8", b"1...\nlift-off!\n", id="stream"),
        pytest.param("/template?name=Ada", None, "text/html; charset=utf-8", b"Hello, Ada!", id="template"),
    ],
)
@pytest.mark.usefixtures("fast_streams")
def test_bodies(client: TestClient[Outpour], path: str, accept: str | None, content_type: str, body: bytes) -> None:
    response = client.get(path, headers={"accept": accept} if accept else {})
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)
    assert body in response.content


def test_msgpack(client: TestClient[Outpour]) -> None:
    response = client.get("/msgpack")
    assert response.headers["content-type"] == "application/vnd.msgpack"
    assert msgspec.msgpack.decode(response.content) == {"hello": "world"}


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        pytest.param("/status/accepted", 202, None, id="202"),
        pytest.param("/status/no-content", 204, None, id="204"),
        pytest.param("/redirect", 302, "/json", id="302"),
        pytest.param("/old-index", 301, "/", id="301"),
    ],
)
def test_status_codes(client: TestClient[Outpour], path: str, status: int, location: str | None) -> None:
    response = client.get(path, follow_redirects=False)
    assert (response.status_code, response.headers.get("location")) == (status, location)


def test_layers(client: TestClient[Outpour]) -> None:
    response = client.get("/layers/headers")
    assert [response.headers[f"x-demo-{layer}"] for layer in ("app", "router", "handler")] == [
        "app layer",
        "router layer",
        "handler layer",
    ]
    assert (response.headers["cache-control"], response.headers["etag"]) == ("max-age=60, public", '"demo-v1"')
    assert sorted(response.headers.get_list("set-cookie")) == [
        "demo-app=app; HttpOnly; Path=/; SameSite=lax",
        "demo-layer=router; Path=/; SameSite=lax",
    ]
    page = client.get("/layers/page")
    assert page.headers["cache-control"] == "no-store"
    override = client.get("/layers/override")
    assert "demo-layer=handler; Path=/; SameSite=lax" in override.headers.get_list("set-cookie")


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        pytest.param('"demo-v1"', 304, id="same-etag"),
        pytest.param('W/"demo-v1"', 304, id="weak-comparison"),
        pytest.param('"other", "demo-v1"', 304, id="in-a-list"),
        pytest.param("*", 304, id="any"),
        pytest.param('"demo-v0"', 200, id="other-etag"),
    ],
)
def test_reload_with_the_etag_is_304(client: TestClient[Outpour], if_none_match: str, status: int) -> None:
    response = client.get("/layers/headers", headers={"if-none-match": if_none_match})
    assert response.status_code == status
    assert response.headers["etag"] == '"demo-v1"'
    assert response.headers["cache-control"] == "max-age=60, public"
    if status == 304:
        assert response.content == b""
        assert "content-type" not in response.headers


def test_layers_page_revalidates_with_fetch(client: TestClient[Outpour]) -> None:
    page = client.get("/layers/page").text
    assert "{headers: {'If-None-Match': r.headers.get('etag')}}" in page
    assert "<pre id='revalidated'></pre>" in page


def test_openapi_pages_use_the_shipped_assets(client: TestClient[Outpour]) -> None:
    swagger = client.get("/schema/swagger")
    assert swagger.status_code == 200
    assert "<title>outpour demo</title>" in swagger.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', swagger.text)
    assert [url.split("?v=")[0] for url in urls] == [
        "/schema/_assets/swagger/swagger-ui.css",
        "/schema/_assets/swagger/swagger-ui-bundle.js",
        "/schema/_assets/swagger/swagger-ui-standalone-preset.js",
    ]
    for url, content_type in zip(urls, ["text/css", "text/javascript", "text/javascript"], strict=True):
        asset = client.get(url)
        assert asset.status_code == 200
        assert asset.headers["content-type"].split(";")[0] == content_type
        assert len(asset.content) > 10_000
    document = client.get("/schema/openapi.json").json()
    assert document["info"]["title"] == "outpour demo"
    assert {"/json", "/sse", "/files/report.csv", "/layers/headers", "/items/cursor", "/chat"} <= set(document["paths"])


def test_chat_message_reaches_the_event_stream(client: TestClient[Outpour], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_demo, "FOLLOW", False)  # the stream sends the channel's history, then ends
    sent = client.post("/chat", json={"author": "Ada", "text": "hello <everyone>"})
    refused = client.post("/chat", json={"author": "", "text": "x"})
    deadline = time.monotonic() + 5
    while True:  # `publish` queues the message; the plugin hands it to the backend a moment later
        events = client.get("/chat/events")
        if "hello <everyone>" in events.text or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    page = client.get("/chat")
    assert sent.status_code == 201
    assert refused.status_code == 400
    assert "author" in refused.text
    assert events.headers["content-type"] == "text/event-stream; charset=utf-8"
    data = [msgspec.json.decode(line[6:]) for line in events.text.splitlines() if line.startswith("data: ")]
    assert {"author": "Ada", "text": "hello <everyone>"} in [{k: m[k] for k in ("author", "text")} for m in data]
    assert "new EventSource('/chat/events')" in page.text
    assert "<style>" in page.text


def test_returned_response_sets_its_header_and_cookie(client: TestClient[Outpour]) -> None:
    response = client.get("/response")
    assert response.headers["x-demo"] == "returned response"
    assert "demo-response=set-by-response; Path=/; SameSite=lax" in response.headers.get_list("set-cookie")


def test_background_task_runs_after_the_response(client: TestClient[Outpour]) -> None:
    client.get("/background?name=Ada")
    later = client.get("/background").json()
    assert any(run.endswith("greeted Ada") for run in later["background runs so far"])


def test_file_download_and_ranges(client: TestClient[Outpour]) -> None:
    download = client.get("/files/report.csv")
    assert download.headers["content-disposition"] == 'attachment; filename="report.csv"'
    assert download.text.startswith("id,name,amount\n1,item 1,3.50\n")
    part = client.get("/files/report.csv", headers={"range": "bytes=0-13"})
    assert (part.status_code, part.text) == (206, "id,name,amount")
    inline = client.get("/files/inline")
    assert inline.headers["content-disposition"].startswith("inline")


@pytest.mark.usefixtures("fast_streams")
def test_sse(client: TestClient[Outpour]) -> None:
    response = client.get("/sse")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    ticks = [line for line in response.text.splitlines() if line.startswith("event: tick")]
    assert len(ticks) == streams.EVENT_COUNT
    assert "event: done" in response.text
    page = client.get("/sse/page")
    assert "new EventSource('/sse')" in page.text


@pytest.mark.parametrize(
    ("path", "items", "extra"),
    [
        pytest.param("/items/classic?page_size=10&current_page=10", [91, 95], {"total_pages": 10}, id="classic"),
        pytest.param("/items/offset?limit=5&offset=90", [91, 95], {"total": 95}, id="offset"),
        pytest.param("/items/cursor?results_per_page=10&cursor=40", [41, 50], {"cursor": 50}, id="cursor"),
        pytest.param("/items/cursor?results_per_page=10&cursor=90", [91, 95], {"cursor": None}, id="cursor-end"),
    ],
)
def test_pagination(client: TestClient[Outpour], path: str, items: list[int], extra: dict[str, object]) -> None:
    body = client.get(path).json()
    ids = [item["id"] for item in body["items"]]
    assert [ids[0], ids[-1]] == items
    assert {key: body[key] for key in extra} == extra


def test_database_needs_the_lifespan(monkeypatch: pytest.MonkeyPatch) -> None:
    from examples.demo.pagination_demo import Database

    monkeypatch.setattr(Database, "path", None)
    with pytest.raises(RuntimeError, match="created when the app starts"), Database.connect():
        pass


def test_websocket_echo_and_clock(client: TestClient[Outpour], monkeypatch: pytest.MonkeyPatch) -> None:
    from examples.demo import websockets_demo

    monkeypatch.setattr(websockets_demo, "TICK_INTERVAL", 0)
    page = client.get("/ws/page")
    assert (page.status_code, "new WebSocket(base + '/ws/echo')" in page.text) == (200, True)
    with client.websocket_connect("/ws/echo") as ws:
        ws.send_text("hello")
        reply = ws.receive_json()
    assert reply["echo"] == "hello"
    with client.websocket_connect("/ws/clock") as ws:
        ticks = [ws.receive_text() for _ in range(websockets_demo.TICK_COUNT)]
    assert [tick.split(" at ")[0] for tick in ticks] == [f"tick {n}" for n in range(1, websockets_demo.TICK_COUNT + 1)]
