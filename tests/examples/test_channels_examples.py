"""The channels docs examples run and behave as documented (Redis and PostgreSQL ones against the real servers)."""

from __future__ import annotations

import importlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from types import ModuleType

import pytest

from docs.examples.channels import chat_sse, create_route_handlers, put_history, run_in_background
from outpour.testing import TestClient
from tests._services import postgres_url, redis_url


def read_data(client: TestClient, path: str, count: int) -> list[str]:  # type: ignore[type-arg]
    found: list[str] = []
    with client.stream("GET", path) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                found.append(line.removeprefix("data: "))
            if len(found) == count:
                break
    return found


def post_when_subscribed(client: TestClient, plugin: object, path: str, body: dict[str, str]) -> threading.Thread:  # type: ignore[type-arg]
    def run() -> None:
        deadline = time.monotonic() + 5
        while not plugin._channels and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.02)
        client.post(path, json=body)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_chat_over_sse_with_history() -> None:
    with TestClient(chat_sse.app) as client:
        assert client.post("/rooms/lobby/messages", json={"author": "ann", "text": "first"}).status_code == 201
        thread = post_when_subscribed(
            client, chat_sse.channels_plugin, "/rooms/lobby/messages", {"author": "bob", "text": "second"}
        )
        received = read_data(client, "/rooms/lobby/events", 2)
        thread.join()
    assert received == ['{"author":"ann","text":"first"}', '{"author":"bob","text":"second"}']


def test_chat_greets_once_subscribed() -> None:
    with TestClient(chat_sse.app) as client:
        thread = post_when_subscribed(
            client, chat_sse.channels_plugin, "/rooms/quiet/messages", {"author": "cy", "text": "hello"}
        )
        received = read_data(client, "/rooms/quiet/greeted-events", 2)
        thread.join()
    assert received == ["welcome to quiet", '{"author":"cy","text":"hello"}']


def test_chat_rejects_a_malformed_message() -> None:
    with TestClient(chat_sse.app) as client:
        response = client.post("/rooms/lobby/messages", json={"author": "ann"})
    assert response.status_code == 400
    assert "text" in response.text


def test_run_in_background_collects_every_event() -> None:
    with TestClient(run_in_background.app) as client:
        assert client.get("/collect").json() == ["job 0", "job 1", "job 2"]


def test_put_history_sends_the_latest() -> None:
    with TestClient(put_history.app) as client:
        for number in range(5):
            client.post("/log", json=f"line {number}")
        assert client.get("/log/latest").json() == ["line 2", "line 3", "line 4"]


@pytest.fixture
def redis_chat() -> Iterator[ModuleType]:
    with redis_url() as url:
        os.environ["REDIS_URL"], os.environ["CHAT_PREFIX"] = url, f"outpour-test-{uuid.uuid4().hex}"
        try:
            import docs.examples.channels.redis_chat as module

            yield importlib.reload(module)
        finally:
            del os.environ["REDIS_URL"], os.environ["CHAT_PREFIX"]


def test_redis_chat(redis_chat: ModuleType) -> None:
    plugin = redis_chat.app.plugins.get(type(chat_sse.channels_plugin))
    with TestClient(redis_chat.app) as client:
        thread = post_when_subscribed(client, plugin, "/rooms/r1/messages", {"author": "dee", "text": "over redis"})
        received = read_data(client, "/rooms/r1/greeted-events", 2)
        thread.join()
    assert received == ["welcome to r1", '{"author":"dee","text":"over redis"}']


@pytest.fixture
def postgres_notify() -> Iterator[ModuleType]:
    with postgres_url() as url:
        os.environ["DATABASE_URL"] = url.replace("postgresql+asyncpg://", "postgresql://")
        try:
            import docs.examples.channels.postgres_notify as module

            yield importlib.reload(module)
        finally:
            del os.environ["DATABASE_URL"]


def test_postgres_notify_limits(postgres_notify: ModuleType) -> None:
    with TestClient(postgres_notify.app) as client:
        shipped = client.post("/orders/7/shipped")
        small = client.post("/notes", json="short note")
        large = client.post("/notes", json="x" * 9000)
    assert (shipped.status_code, shipped.json(), small.status_code) == (201, {"order": 7}, 201)
    assert large.status_code == 400
    assert "too large for PostgreSQL's NOTIFY" in large.json()["detail"]


def test_created_websocket_routes() -> None:
    with TestClient(create_route_handlers.app) as client:
        client.post("/publish/news", json="earlier")
        time.sleep(0.05)  # `publish` queues; the plugin's task sends it to the backend
        with client.websocket_connect("/ws/news") as socket:
            assert socket.receive_text() == "earlier"
            client.post("/publish/news", json="now")
            assert socket.receive_text() == "now"
