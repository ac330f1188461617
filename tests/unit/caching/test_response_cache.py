"""Response caching through the client: ``cache=...`` on handlers, ``ResponseCacheConfig`` on the app."""

from __future__ import annotations

import gzip
import logging
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

from outpour import Request, Response, get, post
from outpour.background_tasks import BackgroundTask
from outpour.config.response_cache import CACHE_FOREVER, ResponseCacheConfig, default_cache_key_builder
from outpour.connection import ASGIConnection
from outpour.datastructures import Cookie
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException, NotAuthorizedException
from outpour.handlers import BaseRouteHandler
from outpour.middleware.session.client_side import CookieBackendConfig
from outpour.response import Stream
from outpour.stores.base import Store
from outpour.stores.file import FileStore
from outpour.stores.memory import MemoryStore
from outpour.testing import create_async_test_client, create_test_client

pytestmark = pytest.mark.filterwarnings("error")


def counting() -> tuple[list[int], Any]:
    calls: list[int] = []

    @get("/count", cache=True)
    async def count(n: int = 0) -> dict[str, int]:
        calls.append(n)
        return {"calls": len(calls)}

    return calls, count


def test_a_hit_replays_without_running_the_handler() -> None:
    calls, count = counting()
    with create_test_client([count]) as client:
        bodies = [client.get("/count").json() for _ in range(3)]
    assert (bodies, len(calls)) == ([{"calls": 1}] * 3, 1)


def test_the_default_key_is_the_path_and_the_sorted_query() -> None:
    calls, count = counting()
    with create_test_client([count]) as client:
        first = client.get("/count?n=1&b=2").json()
        same = client.get("/count?b=2&n=1").json()
        other = client.get("/count?n=2").json()
    assert (first, same, other, calls) == ({"calls": 1}, {"calls": 1}, {"calls": 2}, [1, 2])


def test_a_hit_skips_the_dependencies() -> None:
    provided: list[str] = []

    def expensive() -> str:
        provided.append("x")
        return "value"

    @get("/dep", cache=True, dependencies={"value": Provide(expensive, sync_to_thread=False)})
    async def handler(value: str) -> str:
        return value

    with create_test_client([handler]) as client:
        assert [client.get("/dep").text for _ in range(3)] == ["value"] * 3
    assert provided == ["x"]


def test_status_headers_and_cookies_are_replayed() -> None:
    @get("/full", cache=True, status_code=202, response_headers={"x-kind": "full"})
    async def full() -> Response[str]:
        return Response("made", cookies=[Cookie(key="flavour", value="mint")], headers={"x-made": "yes"})

    with create_test_client([full]) as client:
        first, second = client.get("/full"), client.get("/full")
    for response in (first, second):
        assert (response.status_code, response.text) == (202, "made")
        assert (response.headers["x-kind"], response.headers["x-made"]) == ("full", "yes")
        assert "flavour=mint" in response.headers["set-cookie"]


def test_streams_are_not_cached() -> None:
    calls: list[int] = []

    @get("/stream", cache=True)
    async def stream() -> Stream:
        calls.append(1)

        async def chunks() -> AsyncIterator[bytes]:
            yield b"a"
            yield b"b"

        return Stream(chunks())

    with create_test_client([stream]) as client:
        assert [client.get("/stream").text for _ in range(2)] == ["ab", "ab"]
    assert len(calls) == 2


def test_a_hit_answers_if_none_match_with_304() -> None:
    @get("/tagged", cache=True, sync_to_thread=False)
    def tagged() -> Response[str]:
        return Response("body", headers={"etag": '"v1"'})

    with create_test_client([tagged]) as client:
        miss = client.get("/tagged", headers={"if-none-match": '"v1"'})
        hit = client.get("/tagged", headers={"if-none-match": '"v1"'})
        full = client.get("/tagged")
        other = client.get("/tagged", headers={"if-none-match": '"v0"'})
    assert (miss.status_code, miss.content, miss.headers["etag"]) == (304, b"", '"v1"')
    assert (hit.status_code, hit.content) == (304, b"")
    assert (full.status_code, full.text, other.status_code) == (200, "body", 200)


def test_head_is_answered_from_the_cached_get() -> None:
    calls, count = counting()
    with create_test_client([count]) as client:
        body = client.get("/count").content
        head = client.head("/count")
    assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", str(len(body)))
    assert len(calls) == 1


def test_head_without_a_cached_get_runs_the_handler_and_stores_nothing() -> None:
    _calls, count = counting()
    with create_test_client([count]) as client:
        assert client.head("/count").status_code == 200
        assert client.get("/count").json() == {"calls": 2}


@pytest.mark.anyio
async def test_concurrent_misses_run_the_handler_once() -> None:
    calls: list[int] = []

    @get("/slow", cache=True)
    async def slow() -> dict[str, int]:
        calls.append(1)
        await anyio.sleep(0.2)
        return {"calls": len(calls)}

    bodies: list[Any] = []
    async with create_async_test_client([slow]) as client:

        async def fetch() -> None:
            bodies.append((await client.get("/slow")).json())

        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(fetch)
    assert (bodies, calls) == ([{"calls": 1}] * 5, [1])


def test_vary_keeps_one_entry_per_value() -> None:
    calls: list[str] = []

    @get("/greeting", cache=True)
    async def greeting(request: Request) -> Response[str]:
        language = request.headers.get("accept-language", "en")
        calls.append(language)
        return Response({"fr": "bonjour"}.get(language, "hello"), headers={"vary": "Accept-Language"})

    with create_test_client([greeting]) as client:
        answers = [client.get("/greeting", headers={"accept-language": lang}).text for lang in ("fr", "en", "fr", "en")]
    assert (answers, calls) == (["bonjour", "hello", "bonjour", "hello"], ["fr", "en"])


def test_vary_star_is_never_stored() -> None:
    calls: list[int] = []

    @get("/star", cache=True)
    async def star() -> Response[str]:
        calls.append(1)
        return Response("x", headers={"vary": "*"})

    with create_test_client([star]) as client:
        client.get("/star")
        client.get("/star")
    assert len(calls) == 2


def test_an_encoded_body_is_only_replayed_to_clients_accepting_it() -> None:
    @get("/zipped", cache=True)
    async def zipped(request: Request) -> Response[bytes]:
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(gzip.compress(b"payload"), headers={"content-encoding": "gzip"}, media_type="text/plain")
        return Response(b"payload", media_type="text/plain")

    with create_test_client([zipped]) as client:
        encoded = client.get("/zipped", headers={"accept-encoding": "gzip"})
        plain = client.get("/zipped", headers={"accept-encoding": "identity"})
    assert (encoded.headers["content-encoding"], encoded.text) == ("gzip", "payload")
    assert ("content-encoding" not in plain.headers, plain.text) == (True, "payload")


def test_a_cookie_set_by_middleware_is_not_replayed_to_another_client() -> None:
    @get("/page", cache=True)
    async def page(request: Request) -> str:
        request.session["visits"] = request.session.get("visits", 0) + 1
        return "page"

    config = CookieBackendConfig(secret=os.urandom(16))
    with (
        create_test_client([page], session_config=config) as first,
        create_test_client([page], session_config=config) as second,
    ):
        # Two clients of one app would share the client's cookie jar: the second app shares the store instead.
        store = MemoryStore()
        second.app.stores.register("response_cache", store, allow_override=True)
        first.app.stores.register("response_cache", store, allow_override=True)
        assert "session=" in first.get("/page").headers.get("set-cookie", "")
        replayed = second.get("/page")
    assert (replayed.text, "set-cookie" in replayed.headers) == ("page", False)


def test_guards_run_before_a_hit() -> None:
    def only_admins(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.headers.get("x-role") != "admin":
            raise NotAuthorizedException("admins only")

    @get("/secret", cache=True, guards=[only_admins])
    async def secret() -> str:
        return "secret"

    with create_test_client([secret]) as client:
        assert client.get("/secret", headers={"x-role": "admin"}).text == "secret"
        refused = client.get("/secret")
    assert (refused.status_code, refused.json()["detail"]) == (401, "admins only")


def test_errors_are_not_cached_by_default() -> None:
    calls: list[int] = []

    @get("/broken", cache=True)
    async def broken() -> str:
        calls.append(1)
        raise NotAuthorizedException("no")

    with create_test_client([broken]) as client:
        assert [client.get("/broken").status_code for _ in range(2)] == [401, 401]
    assert len(calls) == 2


def test_cache_response_filter_decides() -> None:
    calls: list[int] = []

    @get("/created", cache=True, status_code=201)
    async def created() -> str:
        calls.append(1)
        return "x"

    config = ResponseCacheConfig(cache_response_filter=lambda _, status: status == 200)
    with create_test_client([created], response_cache_config=config) as client:
        client.get("/created")
        client.get("/created")
    assert len(calls) == 2


def test_handler_key_builder_wins_over_the_config() -> None:
    calls: list[str] = []

    def by_user(request: Request[Any, Any, Any]) -> str:
        return f"{request.url.path}:{request.headers.get('x-user', '')}"

    @get("/me", cache=True, cache_key_builder=by_user)
    async def me(request: Request) -> str:
        user = str(request.headers.get("x-user", ""))
        calls.append(user)
        return user

    config = ResponseCacheConfig(key_builder=lambda request: "everyone")
    with create_test_client([me], response_cache_config=config) as client:
        answers = [client.get("/me", headers={"x-user": user}).text for user in ("ann", "bob", "ann")]
    assert (answers, calls) == (["ann", "bob", "ann"], ["ann", "bob"])


def test_config_key_builder_applies_to_every_cached_handler() -> None:
    calls: list[int] = []

    @get("/one", cache=True)
    async def one() -> str:
        calls.append(1)
        return "one"

    @get("/two", cache=True)
    async def two() -> str:
        calls.append(2)
        return "two"

    with create_test_client([one, two], response_cache_config=ResponseCacheConfig(key_builder=lambda r: "k")) as c:
        assert (c.get("/one").text, c.get("/two").text) == ("one", "one")
    assert calls == [1]


def test_default_key_builder_reads_the_request() -> None:
    @get("/key", sync_to_thread=False)
    def key(request: Request) -> str:
        return default_cache_key_builder(request)

    with create_test_client([key]) as client:
        assert client.get("/key?b=2&a=1&a=0").text == "GET/key?a=1&a=0&b=2"


def test_post_and_get_keep_separate_entries() -> None:
    calls: list[str] = []

    @get("/item", cache=True)
    async def read() -> str:
        calls.append("get")
        return "get"

    @post("/item", cache=True)
    async def write() -> str:
        calls.append("post")
        return "post"

    with create_test_client([read, write]) as client:
        answers = [client.get("/item").text, client.post("/item").text, client.get("/item").text]
    assert (answers, calls) == (["get", "post", "get"], ["get", "post"])


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("cache", "config", "expected"),
    [
        pytest.param(True, ResponseCacheConfig(), 60, id="true-default"),
        pytest.param(True, ResponseCacheConfig(default_expiration=30), 30, id="true-config"),
        pytest.param(True, ResponseCacheConfig(default_expiration=None), None, id="true-none"),
        pytest.param(120, ResponseCacheConfig(), 120, id="seconds"),
        pytest.param(CACHE_FOREVER, ResponseCacheConfig(), None, id="forever"),
    ],
)
async def test_expiry(cache: Any, config: ResponseCacheConfig, expected: int | None) -> None:
    @get("/e", cache=cache)
    async def handler() -> str:
        return "e"

    async with create_async_test_client([handler], response_cache_config=config) as client:
        await client.get("/e")
        remaining = await config.get_store_from_app(client.app).expires_in("GET/e")
    if expected is None:
        assert remaining is None
    else:
        assert remaining is not None
        assert expected - 2 <= remaining <= expected


def test_the_configured_store_is_used(tmp_path: Path) -> None:
    calls, count = counting()
    store = FileStore(tmp_path, create_directories=True)
    config = ResponseCacheConfig(store="disk")
    with create_test_client([count], stores={"disk": store}, response_cache_config=config) as client:
        client.get("/count")
    assert list(tmp_path.iterdir())  # the entry is on disk
    with create_test_client([count], stores={"disk": store}, response_cache_config=config) as client:
        assert client.get("/count").json() == {"calls": 1}  # a new app (worker) reads it
    assert len(calls) == 1


class FailingStore(MemoryStore):
    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        raise ConnectionError("the store is down")


def test_a_failing_store_costs_a_miss_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    calls, count = counting()
    with (
        caplog.at_level(logging.ERROR, "outpour"),
        create_test_client([count], stores={"response_cache": FailingStore()}) as client,
    ):
        answers = [client.get("/count").status_code for _ in range(2)]
    assert (answers, len(calls)) == ([200, 200], 2)
    assert "could not store `GET/count`" in caplog.text


@pytest.mark.anyio
async def test_an_entry_not_written_by_the_cache_is_a_miss() -> None:
    _calls, count = counting()
    store: Store = MemoryStore()
    await store.set("/count", b"\xc1 not msgpack")
    async with create_async_test_client([count], stores={"response_cache": store}) as client:
        assert (await client.get("/count")).json() == {"calls": 1}
        assert (await client.get("/count")).json() == {"calls": 1}


def test_background_tasks_run_once_per_miss() -> None:
    ran: list[int] = []

    @get("/bg", cache=True, background=BackgroundTask(ran.append, 1))
    async def bg() -> str:
        return "bg"

    with create_test_client([bg]) as client:
        assert [client.get("/bg").text for _ in range(2)] == ["bg", "bg"]
    assert ran == [1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"cache": 0}, r"has `cache=0`: pass `True`", id="zero"),
        pytest.param({"cache": -5}, r"has `cache=-5`", id="negative"),
        pytest.param({"cache": "60"}, r"has `cache='60'`", id="string"),
        pytest.param(
            {"cache": True, "cache_key_builder": "path"}, r"`cache_key_builder='path'`, which is not", id="key"
        ),
    ],
)
def test_invalid_cache_options_fail_at_creation(options: dict[str, Any], message: str) -> None:
    @get("/x", **options)
    async def handler() -> str:
        return "x"

    with pytest.raises(ImproperlyConfiguredException, match=message):
        create_test_client([handler])


def test_a_repeated_request_header_varies_as_one_value() -> None:
    calls: list[str] = []

    @get("/tags", cache=True)
    async def tags(request: Request) -> Response[str]:
        value = ",".join(request.headers.getall("x-tag", []))
        calls.append(value)
        return Response(value, headers={"vary": "X-Tag"})

    with create_test_client([tags]) as client:
        both = client.get("/tags", headers=[("x-tag", "a"), ("x-tag", "b")])
        again = client.get("/tags", headers=[("x-tag", "a"), ("x-tag", "b")])
        one = client.get("/tags", headers=[("x-tag", "a")])
    assert (both.text, again.text, one.text, calls) == ("a,b", "a,b", "a", ["a,b", "a"])


def test_the_decoded_entries_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("outpour._response_cache._MEMO_SIZE", 2)
    calls, count = counting()
    with create_test_client([count]) as client:
        first = [client.get(f"/count?n={n}").json() for n in range(4)]
        again = [client.get(f"/count?n={n}").json() for n in range(4)]
    assert (first, again, calls) == (first, first, [0, 1, 2, 3])


def test_an_async_guard_refusing_a_hit_runs_the_after_exception_hooks() -> None:
    refused: list[str] = []

    async def only_admins(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.headers.get("x-role") != "admin":
            raise NotAuthorizedException("admins only")

    async def record(exc: Exception, scope: Any) -> None:
        refused.append(type(exc).__name__)

    @get("/secret", cache=True, guards=[only_admins])
    async def secret() -> str:
        return "secret"

    with create_test_client([secret], after_exception=[record]) as client:
        assert client.get("/secret", headers={"x-role": "admin"}).text == "secret"
        assert client.get("/secret", headers={"x-role": "admin"}).text == "secret"
        assert client.get("/secret").status_code == 401
    assert refused == ["NotAuthorizedException"]


def test_empty_vary_items_and_passing_sync_guards_are_fine() -> None:
    def allow(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        return None

    calls: list[int] = []

    @get("/lenient", cache=True, guards=[allow, allow])
    async def lenient() -> Response[str]:
        calls.append(1)
        return Response("ok", headers={"vary": "X-A,, X-B,"})

    with create_test_client([lenient]) as client:
        answers = [client.get("/lenient", headers={"x-a": "1"}).text for _ in range(2)]
    assert (answers, calls) == (["ok", "ok"], [1])


@pytest.mark.anyio
async def test_the_stored_key_starts_with_the_method() -> None:
    """An app can drop one cached response by deleting `GET/<path>?<sorted query>` from the store."""
    calls: list[int] = []

    @get("/items", cache=True)
    async def items() -> dict[str, int]:
        calls.append(1)
        return {"calls": len(calls)}

    async with create_async_test_client([items]) as client:
        await client.get("/items?b=2&a=1")
        store = client.app.response_cache_config.get_store_from_app(client.app)
        stored = await store.exists("GET/items?a=1&b=2")
        await store.delete("GET/items?a=1&b=2")
        again = (await client.get("/items?a=1&b=2")).json()
    assert (stored, again) == (True, {"calls": 2})


@pytest.mark.parametrize(
    ("status_code", "kept"),
    [
        pytest.param(200, True, id="ok"),
        pytest.param(204, True, id="no-content"),
        pytest.param(301, True, id="moved-permanently"),
        pytest.param(308, True, id="permanent-redirect"),
        pytest.param(302, False, id="found"),
        pytest.param(303, False, id="see-other"),
        pytest.param(307, False, id="temporary-redirect"),
        pytest.param(404, False, id="not-found"),
    ],
)
def test_only_successes_and_permanent_redirects_are_kept(status_code: int, kept: bool) -> None:
    calls: list[int] = []

    @get("/maybe", cache=True)
    async def maybe() -> Response[None]:
        calls.append(1)
        return Response(None, status_code=status_code, headers={"location": "/elsewhere"})

    with create_test_client([maybe]) as client:
        statuses = [client.get("/maybe", follow_redirects=False).status_code for _ in range(2)]
    assert (statuses, len(calls)) == ([status_code] * 2, 1 if kept else 2)
