"""``RateLimitConfig`` / ``RateLimitMiddleware`` through the client, on the memory store and on the real Redis."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import msgspec
import pytest

from outpour import MediaType, Request, get
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.rate_limit import CacheObject, RateLimitConfig, RateLimitMiddleware, get_remote_address
from outpour.stores.base import Store
from outpour.stores.file import FileStore
from outpour.stores.memory import MemoryStore
from outpour.stores.redis import RedisStore
from outpour.testing import create_async_test_client, create_test_client
from tests._services import redis_url


@get("/", media_type=MediaType.TEXT, sync_to_thread=False)
def home() -> str:
    return "ok"


@get("/health", media_type=MediaType.TEXT, sync_to_thread=False)
def health() -> str:
    return "up"


@get("/free", media_type=MediaType.TEXT, sync_to_thread=False, opt={"no_limit": True})
def free() -> str:
    return "free"


def test_headers_count_down_then_429_with_retry_after() -> None:
    config = RateLimitConfig(rate_limit=("minute", 2))
    with create_test_client([home], middleware=[config.middleware]) as client:
        responses = [client.get("/") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert [r.headers["ratelimit-remaining"] for r in responses] == ["1", "0", "0"]
    assert {r.headers["ratelimit-limit"] for r in responses} == {"2"}
    assert {r.headers["ratelimit-policy"] for r in responses} == {"2; w=60"}
    refused = responses[2]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert 1 <= int(refused.headers["ratelimit-reset"]) <= 60
    assert refused.json()["detail"].startswith("Rate limit exceeded: at most 2 request(s) per minute.")


def test_the_window_slides() -> None:
    config = RateLimitConfig(rate_limit=("second", 1))
    with create_test_client([home], middleware=[config.middleware]) as client:
        assert client.get("/").status_code == 200
        assert client.get("/").status_code == 429
        time.sleep(1.1)
        assert client.get("/").status_code == 200


def test_excluded_paths_and_opt_key_are_not_limited() -> None:
    config = RateLimitConfig(rate_limit=("minute", 1), exclude=["^/health$"], exclude_opt_key="no_limit")
    with create_test_client([home, health, free], middleware=[config.middleware]) as client:
        statuses = [client.get(path).status_code for path in ("/health", "/health", "/free", "/free", "/", "/")]
        assert "ratelimit-limit" not in client.get("/health").headers
    assert statuses == [200, 200, 200, 200, 200, 429]


def test_the_identifier_function_separates_clients() -> None:
    config = RateLimitConfig(rate_limit=("minute", 1), identifier_for_request=lambda r: r.headers.get("x-api-key", ""))
    with create_test_client([home], middleware=[config.middleware]) as client:
        statuses = [client.get("/", headers={"x-api-key": key}).status_code for key in ("a", "b", "a", "b")]
    assert statuses == [200, 200, 429, 429]


def test_a_forged_x_forwarded_for_does_not_reset_the_limit() -> None:
    config = RateLimitConfig(rate_limit=("minute", 1))
    with create_test_client([home], middleware=[config.middleware]) as client:
        statuses = [
            client.get("/", headers={"x-forwarded-for": f"10.0.0.{n}", "x-real-ip": f"10.0.1.{n}"}).status_code
            for n in range(3)
        ]
    assert statuses == [200, 429, 429]


def test_get_remote_address_reads_the_peer_only() -> None:
    @get("/address", sync_to_thread=False)
    def address(request: Request) -> str:
        return get_remote_address(request)

    with create_test_client([address]) as client:
        assert client.get("/address", headers={"x-forwarded-for": "1.2.3.4"}).text == "testclient"


@pytest.mark.parametrize("is_async", [pytest.param(False, id="sync"), pytest.param(True, id="async")])
def test_check_throttle_handler_decides_which_requests_count(is_async: bool) -> None:
    def sync_check(request: Request[Any, Any, Any]) -> bool:
        return request.url.path != "/health"

    async def async_check(request: Request[Any, Any, Any]) -> bool:
        return request.url.path != "/health"

    config = RateLimitConfig(rate_limit=("minute", 1), check_throttle_handler=async_check if is_async else sync_check)
    with create_test_client([home, health], middleware=[config.middleware]) as client:
        statuses = [client.get(path).status_code for path in ("/health", "/health", "/", "/")]
    assert statuses == [200, 200, 200, 429]


def test_headers_can_be_turned_off_and_renamed() -> None:
    quiet = RateLimitConfig(rate_limit=("hour", 5), set_rate_limit_headers=False)
    renamed = RateLimitConfig(rate_limit=("day", 5), rate_limit_limit_header_key="X-Limit")
    with create_test_client([home], middleware=[quiet.middleware]) as client:
        assert not any(name.startswith("ratelimit") for name in client.get("/").headers)
    with create_test_client([home], middleware=[renamed.middleware]) as client:
        response = client.get("/")
    assert (response.headers["x-limit"], response.headers["ratelimit-policy"]) == ("5", "5; w=86400")


@pytest.mark.parametrize(
    "rate_limit",
    [
        pytest.param(("week", 1), id="unit"),
        pytest.param(("minute", 0), id="zero"),
        pytest.param(("minute", "5"), id="string"),
        pytest.param(("minute",), id="short"),
    ],
)
def test_an_invalid_rate_limit_fails_at_configuration(rate_limit: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"give a unit \('second', 'minute', 'hour', 'day'\)"):
        RateLimitConfig(rate_limit=rate_limit)


@pytest.mark.anyio
async def test_the_store_comes_from_the_registry_and_a_foreign_value_counts_as_no_history() -> None:
    config = RateLimitConfig(rate_limit=("minute", 1), store="limits")
    store = MemoryStore()
    key = "RateLimitMiddleware::minute::1::testclient"
    await store.set(key, b"not json")
    async with create_async_test_client([home], middleware=[config.middleware], stores={"limits": store}) as client:
        assert (await client.get("/")).status_code == 200
        assert (await client.get("/")).status_code == 429
    stored = await store.get(key)
    assert stored is not None
    assert b"history" in stored


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("reset_in", "second_status"),
    [pytest.param(-1, 200, id="reset-passed"), pytest.param(30, 429, id="reset-ahead")],
)
async def test_a_stored_reset_time_that_has_passed_starts_a_new_window(reset_in: int, second_status: int) -> None:
    config = RateLimitConfig(rate_limit=("minute", 1))
    store = MemoryStore()
    key = "RateLimitMiddleware::minute::1::testclient"
    async with create_async_test_client([home], middleware=[config.middleware], stores={"rate_limit": store}) as client:
        assert (await client.get("/")).status_code == 200
        raw = await store.get(key)
        assert raw is not None
        stored = msgspec.json.decode(raw, type=CacheObject)
        stored.reset = int(time.time()) + reset_in  # as an admin tool lifting (or keeping) the limit would
        await store.set(key, msgspec.json.encode(stored))
        assert (await client.get("/")).status_code == second_status


def test_middleware_methods_are_litestars() -> None:
    config = RateLimitConfig(rate_limit=("minute", 3))
    middleware = RateLimitMiddleware(home, config)  # type: ignore[arg-type]
    headers = middleware.create_response_headers(CacheObject(history=[int(time.time())], reset=int(time.time()) + 60))
    assert headers["RateLimit-Remaining"] == "2"
    assert config.middleware.kwargs == {"config": config}


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])  # redis-py is asyncio-only
async def test_two_apps_on_one_redis_store_share_the_count() -> None:
    """Two apps stand for two workers: the limit is counted across both through Redis."""
    config = RateLimitConfig(rate_limit=("minute", 3))
    with redis_url() as url:
        root = RedisStore.with_client(url)
        async with root:
            store = root.with_namespace(f"outpour-test-{uuid.uuid4().hex}")
            try:
                async with (
                    create_async_test_client([home], middleware=[config.middleware], stores={"rate_limit": store}) as a,
                    create_async_test_client([home], middleware=[config.middleware], stores={"rate_limit": store}) as b,
                ):
                    statuses = [(await client.get("/")).status_code for client in (a, b, a, b)]
            finally:
                await store.delete_all()
    assert statuses == [200, 200, 200, 429]


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])  # redis-py is asyncio-only
async def test_on_redis_the_headers_count_down_and_a_foreign_value_counts_as_no_history() -> None:
    config = RateLimitConfig(rate_limit=("minute", 2))
    with redis_url() as url:
        root = RedisStore.with_client(url)
        async with root:
            store = root.with_namespace(f"outpour-test-{uuid.uuid4().hex}")
            await store.set("RateLimitMiddleware::minute::2::testclient", b"not json")
            try:
                async with create_async_test_client(
                    [home], middleware=[config.middleware], stores={"rate_limit": store}
                ) as client:
                    responses = [await client.get("/") for _ in range(3)]
            finally:
                await store.delete_all()
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert [r.headers["ratelimit-remaining"] for r in responses] == ["1", "0", "0"]
    assert 1 <= int(responses[2].headers["retry-after"]) <= 60


@pytest.mark.anyio
async def test_concurrent_requests_of_one_client_are_counted_one_at_a_time(tmp_path: Path) -> None:
    """A file store reads and writes in threads: without the per-client lock, requests would overtake each other."""
    config = RateLimitConfig(rate_limit=("minute", 3))
    statuses: list[int] = []
    stores: dict[str, Store] = {"rate_limit": FileStore(tmp_path)}
    async with create_async_test_client([home], middleware=[config.middleware], stores=stores) as client:

        async def fetch() -> None:
            statuses.append((await client.get("/")).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(6):
                group.start_soon(fetch)
    assert sorted(statuses) == [200, 200, 200, 429, 429, 429]
