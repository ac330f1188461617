"""The examples of docs/usage/stores.md, caching.md, sessions.md and the rate limiting section of middleware.md."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from docs.examples.caching import cache
from docs.examples.middleware import rate_limit
from docs.examples.sessions import cookie_backend
from docs.examples.stores import get_set
from outpour.stores.base import NamespacedStore
from outpour.testing import AsyncTestClient, TestClient
from tests._services import redis_url


@pytest.mark.anyio
async def test_store_basics() -> None:
    result = await get_set.basics()
    remaining = result.pop("token_expires_in")
    assert isinstance(remaining, int)
    assert 58 <= remaining <= 60
    assert result == {"greeting": b"hello", "missing": None, "renewed": b"abc"}


@pytest.mark.anyio
async def test_store_namespaces(tmp_path: Path) -> None:
    assert await get_set.namespaces(tmp_path) == {"cache": None, "sessions": b"session"}


def test_caching() -> None:
    cache.computed.clear()
    with TestClient(cache.app) as client:
        for path in ("/report", "/report", "/prices", "/prices", "/about", "/about"):
            client.get(path)
        languages = [client.get("/welcome", headers={"accept-language": lang}).text for lang in ("fr", "en", "fr")]
    assert cache.computed == ["report", "prices", "about", "welcome", "welcome"]
    assert languages == ["bienvenue", "welcome", "bienvenue"]


def test_rate_limit() -> None:
    with TestClient(rate_limit.app) as client:
        statuses = [client.get("/").status_code for _ in range(3)]
        health = [client.get("/health").status_code for _ in range(3)]
    assert (statuses, health) == ([200, 200, 429], [200, 200, 200])


def test_cookie_sessions() -> None:
    with TestClient(cookie_backend.app) as client:
        empty = client.get("/session").json()
        client.post("/session")
        kept = client.get("/session").json()
        client.delete("/session")
        cleared = client.get("/session").json()
    assert (empty["has_session"], kept["session"], cleared["has_session"]) == (False, {"username": "ada"}, False)


def _fresh(name: str) -> ModuleType:
    module = importlib.import_module(name)
    return importlib.reload(module)  # read the environment set by the test


def test_server_side_sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_DIR", str(tmp_path))
    server_side = _fresh("docs.examples.sessions.server_side")
    with TestClient(server_side.app) as client:
        client.post("/cart", json={"item": "tea"})
        client.post("/cart", json={"item": "milk"})
        assert client.get("/cart").json() == {"cart": ["tea", "milk"]}
    assert len(list(tmp_path.iterdir())) == 1  # one session, on disk


@pytest.fixture
def redis_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    with redis_url() as url:
        monkeypatch.setenv("REDIS_URL", url)
        monkeypatch.setenv("SESSION_DIR", str(tmp_path))
        yield url


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])  # redis-py is asyncio-only
async def test_redis_cache(redis_env: str) -> None:
    redis_store = _fresh("docs.examples.caching.redis_store")
    store = redis_store.redis_store.with_namespace(uuid.uuid4().hex)  # this run's own keys
    redis_store.app.stores.register("redis_cache", store, allow_override=True)
    try:
        async with AsyncTestClient(redis_store.app) as client:
            first, second = await client.get("/slow"), await client.get("/slow")
        assert await store.expires_in("GET/slow") is not None
    finally:
        await store.delete_all()
        await redis_store.redis_store._shutdown()
    assert first.json() == second.json() == {"computed": "once per 10 seconds, for every worker"}


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])  # redis-py is asyncio-only
async def test_registry(redis_env: str) -> None:
    registry = _fresh("docs.examples.stores.registry")
    limits = registry.app.stores.get("rate_limit")
    assert isinstance(limits, NamespacedStore)
    assert limits.namespace == "myapp:rate_limit"
    async with AsyncTestClient(registry.app) as client:  # its shutdown closes the Redis client
        try:
            first = (await client.get("/visits")).json()
            second = (await client.get("/visits")).json()  # cached for 5 seconds: the handler did not run
        finally:
            for name in ("rate_limit", "response_cache"):
                await registry.app.stores.get(name).delete_all()
    assert (first, second) == ({"visits": 1}, {"visits": 1})


def test_session_auth() -> None:
    from docs.examples.sessions import session_auth

    with TestClient(session_auth.app) as client:
        assert client.get("/me").status_code == 401  # no session yet
        assert client.post("/login").status_code == 201
        response = client.get("/me")
    assert (response.status_code, response.json()) == (200, {"id": "42"})
