"""``outpour run --workers 2`` with ``RedisStore``: the workers share the response cache, rate limits and sessions.

A ``before_send`` hook adds ``x-worker`` (the answering worker's pid) to every response, outside the cache: a cached body
computed by one worker and replayed by the other shows two pids. Every request opens a new connection, so requests
spread over both workers; the keys live under a namespace of this run, deleted afterwards.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from outpour.stores.redis import RedisStore
from tests._services import redis_url
from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]

APP = """
import os

from outpour import Outpour, Request, get, post
from outpour.config.response_cache import ResponseCacheConfig
from outpour.middleware.rate_limit import RateLimitConfig
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.stores.redis import RedisStore
from outpour.stores.registry import StoreRegistry

computed = []


@get("/cached", cache=60, sync_to_thread=False)
def cached() -> dict[str, int]:
    computed.append(1)
    return {"pid": os.getpid(), "computed_here": len(computed)}


@get("/limited", sync_to_thread=False)
def limited() -> str:
    return "ok"


@post("/login", sync_to_thread=False)
def login(request: Request) -> None:
    request.set_session({"user": "ann", "by": os.getpid()})


@get("/me", sync_to_thread=False)
def me(request: Request) -> dict[str, object]:
    return request.session


def worker_header(message, scope):
    if message["type"] == "http.response.start":
        message["headers"] = [*message.get("headers", []), (b"x-worker", str(os.getpid()).encode())]


def create_app() -> Outpour:
    root = RedisStore.with_client(os.environ["TEST_REDIS_URL"], namespace=os.environ["TEST_NAMESPACE"])
    limit = RateLimitConfig(rate_limit=("minute", 6), exclude=["^/(cached|login|me)$"])
    return Outpour(
        [cached, limited, login, me],
        middleware=[limit.middleware, ServerSideSessionConfig().middleware],
        before_send=[worker_header],
        stores=StoreRegistry(default_factory=root.with_namespace),
        response_cache_config=ResponseCacheConfig(),
    )

"""


def _get(url: str, cookies: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(timeout=10, cookies=cookies) as client:  # a new connection each time
        return client.get(url)


async def _clean(url: str, namespace: str) -> None:
    async with RedisStore.with_client(url, namespace=namespace) as store:
        await store.delete_all()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    namespace = f"outpour-e2e-{uuid.uuid4().hex}"
    command = [sys.executable, "-m", "outpour.cli", "run", "--workers", "2", "--server", "uvicorn", "--port", str(port)]
    with redis_url() as url:
        env = {
            "PYTHONPATH": str(ROOT),
            "OUTPOUR_APP": "",
            "OUTPOUR_APP_DIR": "",
            "OUTPOUR_DEBUG": "",
            "TEST_REDIS_URL": url,
            "TEST_NAMESPACE": namespace,
        }
        try:
            with running(command, port, tmp_path, env):
                yield f"http://127.0.0.1:{port}"
        finally:
            asyncio.run(_clean(url, namespace))


def _spread(base: str, path: str, count: int) -> list[httpx.Response]:
    """``count`` concurrent requests, repeated until both workers answered (at most 20 seconds)."""
    responses: list[httpx.Response] = []
    deadline = time.monotonic() + 20
    with ThreadPoolExecutor(max_workers=count) as pool:
        while time.monotonic() < deadline:
            responses.extend(pool.map(_get, [base + path] * count))
            if len({r.headers["x-worker"] for r in responses}) == 2:
                break
    return responses


def test_a_response_cached_by_one_worker_is_served_by_the_other(server: str) -> None:
    first = _get(server + "/cached")
    responses = _spread(server, "/cached", 6)
    workers = {r.headers["x-worker"] for r in responses}
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert {r.content for r in responses} == {first.content}
    assert first.json()["computed_here"] == 1


def test_rate_limits_are_counted_across_workers(server: str) -> None:
    # The kernel picks the worker of each connection: send until both have answered and at least 12 requests went.
    # Counted per worker, a worker answering 6 or more plus another answering any would allow more than 6.
    responses: list[httpx.Response] = []
    deadline = time.monotonic() + 20
    with ThreadPoolExecutor(max_workers=4) as pool:
        while len(responses) < 12 or len({r.headers["x-worker"] for r in responses}) < 2:
            assert time.monotonic() < deadline, f"one worker answered all {len(responses)} requests"
            responses.extend(pool.map(_get, [server + "/limited"] * 4))
    statuses = [r.status_code for r in responses]
    assert sorted(set(statuses)) == [200, 429]
    assert statuses.count(200) == 6


def test_a_session_set_by_one_worker_is_read_by_the_other(server: str) -> None:
    with httpx.Client(timeout=10) as client:
        login = client.post(server + "/login")
        cookies = dict(login.cookies)
    answers: list[httpx.Response] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        answer = _get(server + "/me", cookies)
        answers.append(answer)
        if answer.headers["x-worker"] != login.headers["x-worker"]:
            break
    other = answers[-1]
    assert other.headers["x-worker"] != login.headers["x-worker"]
    assert other.json() == {"user": "ann", "by": int(login.headers["x-worker"])}
