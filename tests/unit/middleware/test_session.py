"""Sessions through the client: client-side (encrypted cookies) and server-side (memory, file and Redis stores)."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

from outpour import Request, delete, get, post
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.session.base import BaseBackendConfig, BaseSessionBackend
from outpour.middleware.session.client_side import (
    CHUNK_SIZE,
    ClientSideSessionBackend,
    CookieBackendConfig,
)
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.stores.base import Store
from outpour.stores.file import FileStore
from outpour.stores.memory import MemoryStore
from outpour.stores.redis import RedisStore
from outpour.testing import TestClient, create_async_test_client, create_test_client
from outpour.types import Empty
from tests._services import redis_url

SECRET = b"0123456789abcdef0123456789abcdef"


@get("/session", sync_to_thread=False)
def read_session(request: Request) -> dict[str, Any]:
    return {"session": request.session, "id": request.get_session_id()}


@post("/session", sync_to_thread=False)
def write_session(request: Request, data: dict[str, Any]) -> None:
    request.set_session(data)


@post("/session/add", sync_to_thread=False)
def add_to_session(request: Request, data: dict[str, Any]) -> None:
    request.session.update(data)


@delete("/session", sync_to_thread=False)
def clear_session(request: Request) -> None:
    request.clear_session()


HANDLERS = [read_session, write_session, add_to_session, clear_session]


def _set(client: Any, name: str, value: str) -> None:
    """Replace the client's cookie ``name``, as a browser would after the server set it."""
    client.cookies.delete(name)
    client.cookies.set(name, value, domain="testserver.local")


def session_client(config: BaseBackendConfig[Any], **options: Any) -> TestClient[Any]:
    return create_test_client(HANDLERS, session_config=config, **options)


# -- both kinds --------------------------------------------------------------------------------------------------------


@pytest.fixture(
    params=[pytest.param("cookie", id="client-side"), pytest.param("memory", id="server-side-memory")],
)
def any_config(request: pytest.FixtureRequest) -> BaseBackendConfig[Any]:
    if request.param == "cookie":
        return CookieBackendConfig(secret=SECRET)
    return ServerSideSessionConfig()


def test_a_new_client_has_an_empty_session(any_config: BaseBackendConfig[Any]) -> None:
    with session_client(any_config) as client:
        response = client.get("/session")
    assert (response.json()["session"], "set-cookie" in response.headers) == ({}, False)


def test_set_read_update_clear(any_config: BaseBackendConfig[Any]) -> None:
    with session_client(any_config) as client:
        client.post("/session", json={"user": "ann"})
        client.post("/session/add", json={"theme": "dark"})
        kept = client.get("/session").json()["session"]
        cleared = client.delete("/session")
        after = client.get("/session").json()["session"]
    assert (kept, after) == ({"user": "ann", "theme": "dark"}, {})
    assert "Max-Age=0" in cleared.headers["set-cookie"]


def test_cookie_options_are_applied(any_config: BaseBackendConfig[Any]) -> None:
    any_config.path, any_config.domain, any_config.secure, any_config.samesite = (
        "/app",
        "testserver.local",
        True,
        "strict",
    )
    any_config.max_age = 600
    with session_client(any_config, base_url="https://testserver.local") as client:
        header = client.post("/session", json={"a": 1}).headers["set-cookie"]
    for part in ("Path=/app", "Domain=testserver.local", "Secure", "SameSite=strict", "HttpOnly", "Max-Age=600"):
        assert part in header


def test_excluded_paths_have_no_session(any_config: BaseBackendConfig[Any]) -> None:
    any_config.exclude = "^/session$"
    with session_client(any_config) as client:
        response = client.get("/session")
    assert response.status_code == 500  # `request.session` without a middleware is a server error


def test_set_session_takes_an_object_with_fields(any_config: BaseBackendConfig[Any]) -> None:
    @dataclass
    class Profile:
        name: str
        age: int

    @post("/profile", sync_to_thread=False)
    def profile(request: Request) -> None:
        request.set_session(Profile("ann", 7))

    with create_test_client([profile, read_session], session_config=any_config) as client:
        client.post("/profile")
        assert client.get("/session").json()["session"] == {"name": "ann", "age": 7}


def test_set_session_refuses_a_value_without_fields(any_config: BaseBackendConfig[Any]) -> None:
    @post("/bad", sync_to_thread=False)
    def bad(request: Request) -> str:
        try:
            request.set_session(42)
        except ValueError as exc:
            return str(exc)
        return "accepted"

    with create_test_client([bad], session_config=any_config) as client:
        assert client.post("/bad").text.startswith("Session data must be a dict or an object with fields")


def test_session_methods_need_a_middleware() -> None:
    @post("/no-middleware", sync_to_thread=False)
    def no_middleware(request: Request) -> str:
        try:
            request.set_session({"a": 1})
        except ImproperlyConfiguredException as exc:
            return str(exc.detail)
        return "accepted"

    with create_test_client([no_middleware]) as client:
        assert client.post("/no-middleware").text.startswith("`set_session` needs a session middleware")


# -- client-side -------------------------------------------------------------------------------------------------------


def _cookie_client(**options: Any) -> TestClient[Any]:
    return session_client(CookieBackendConfig(secret=SECRET, **options))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("garbage", id="not-base64"),
        pytest.param("", id="empty"),
        pytest.param("AAAA", id="too-short"),
        pytest.param(base64.urlsafe_b64encode(os.urandom(80)).decode().rstrip("="), id="random"),
        pytest.param("%%%;;", id="punctuation"),
        pytest.param("x", id="one-character"),
    ],
)
def test_a_forged_cookie_is_an_empty_session(value: str) -> None:
    with _cookie_client() as client:
        _set(client, "session", value)
        response = client.get("/session")
    assert (response.status_code, response.json()["session"]) == (200, {})


def test_a_tampered_cookie_is_an_empty_session() -> None:
    with _cookie_client() as client:
        client.post("/session", json={"role": "user"})
        value = client.cookies["session"]
        flipped = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
        _set(client, "session", flipped)
        assert client.get("/session").json()["session"] == {}


def test_a_cookie_under_another_name_does_not_decrypt() -> None:
    """The cookie's name is authenticated: a value copied to another session key is refused."""
    with session_client(CookieBackendConfig(secret=SECRET, key="other")) as other:
        other.post("/session", json={"a": 1})
        value = other.cookies["other"]
    with _cookie_client() as client:
        _set(client, "session", value)
        assert client.get("/session").json()["session"] == {}


def test_a_cookie_of_another_secret_is_an_empty_session() -> None:
    with session_client(CookieBackendConfig(secret=os.urandom(32))) as other:
        other.post("/session", json={"a": 1})
        value = other.cookies["session"]
    with _cookie_client() as client:
        _set(client, "session", value)
        assert client.get("/session").json()["session"] == {}


def test_an_expired_cookie_is_an_empty_session() -> None:
    config = CookieBackendConfig(secret=SECRET)
    config.max_age = -1  # already expired when written (the constructor refuses it)
    backend = ClientSideSessionBackend(config)
    [value] = backend.dump_data({"user": "ann"})
    with _cookie_client() as client:
        _set(client, "session", value.decode())
        assert client.get("/session").json()["session"] == {}


def test_key_rotation_reads_old_sessions_and_rewrites_them_under_the_new_key() -> None:
    old, new = os.urandom(16), os.urandom(32)
    with session_client(CookieBackendConfig(secret=old)) as before:
        before.post("/session", json={"user": "ann"})
        value = before.cookies["session"]
    rotated = CookieBackendConfig(secret=new, old_secrets=[old])
    with session_client(rotated) as client:
        _set(client, "session", value)
        client.post("/session/add", json={"seen": True})
        rewritten = client.cookies["session"]
    with session_client(CookieBackendConfig(secret=new)) as after:
        _set(after, "session", rewritten)
        assert after.get("/session").json()["session"] == {"user": "ann", "seen": True}


def test_large_data_is_split_over_cookies_read_in_index_order() -> None:
    data = {f"k{n}": os.urandom(200).hex() for n in range(60)}  # about 25 kB: 9 cookies at most
    with _cookie_client() as client:
        response = client.post("/session", json=data)
        names = sorted(client.cookies.keys(), key=lambda name: int(name.split("-")[1]))
        assert len(names) > 2
        assert client.get("/session").json()["session"] == data
        shrunk = client.post("/session", json={"small": 1})
        assert client.get("/session").json()["session"] == {"small": 1}
    assert response.status_code == 201
    deleted = [h for h in shrunk.headers.get_list("set-cookie") if "Max-Age=0" in h]
    assert len(deleted) == len(names)  # all the parts are deleted: small data goes in the `session` cookie
    assert list(client.cookies.keys()) == ["session"]


def test_parts_are_joined_in_index_order_whatever_order_they_come_in() -> None:
    backend = ClientSideSessionBackend(CookieBackendConfig(secret=SECRET))
    payload = {"user": "ann"}
    token = b"".join(backend.dump_data(payload))
    size = len(token) // 5 + 1
    parts = [token[at : at + size] for at in range(0, len(token), size)]
    assert len(parts) == 5
    with _cookie_client() as client:
        for index in reversed(range(len(parts))):  # the Cookie header lists session-4 first
            _set(client, f"session-{index}", parts[index].decode())
        assert client.get("/session").json()["session"] == payload


def test_a_missing_part_is_an_empty_session() -> None:
    data = {f"k{n}": os.urandom(200).hex() for n in range(30)}
    with _cookie_client() as client:
        client.post("/session", json=data)
        client.cookies.delete("session-1")
        assert client.get("/session").json()["session"] == {}


def test_data_too_large_for_cookies_is_refused_when_set() -> None:
    @post("/huge", sync_to_thread=False)
    def huge(request: Request) -> str:
        try:
            request.set_session({"blob": os.urandom(40_000).hex()})
        except ValueError as exc:
            return str(exc)
        return "accepted"

    with create_test_client([huge], session_config=CookieBackendConfig(secret=SECRET)) as client:
        message = client.post("/huge").text
    assert message.startswith("The session data is too large for cookies:")
    assert "use `ServerSideSessionConfig`" in message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"secret": b"short"}, r"`CookieBackendConfig\(secret=...\)` is 5 bytes", id="short"),
        pytest.param({"secret": "a" * 16}, r"is a `str`: an AES key", id="str"),
        pytest.param({"secret": SECRET, "old_secrets": [b"x"]}, r"`CookieBackendConfig\(old_secrets=...\)`", id="old"),
        pytest.param({"secret": SECRET, "key": "bad key"}, r"key='bad key'\)` is not a cookie name", id="key"),
    ],
)
def test_invalid_cookie_config_fails_at_creation(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        CookieBackendConfig(**options)


def test_client_side_cookie_chunks_fit_a_cookie() -> None:
    assert CHUNK_SIZE + len("session-10=; HttpOnly; Max-Age=1209600; Path=/; SameSite=strict; Secure") < 4096


# -- server-side -------------------------------------------------------------------------------------------------------


@pytest.fixture(params=[pytest.param("memory", id="memory"), pytest.param("file", id="file")])
def local_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    return MemoryStore() if request.param == "memory" else FileStore(tmp_path, create_directories=True)


def test_server_side_keeps_data_in_the_store_and_an_id_in_the_cookie(local_store: Store) -> None:
    with session_client(ServerSideSessionConfig(), stores={"sessions": local_store}) as client:
        client.post("/session", json={"cart": [1, 2]})
        session_id = client.cookies["session"]
        body = client.get("/session").json()
    assert body == {"session": {"cart": [1, 2]}, "id": session_id}
    assert len(session_id) == 64


def test_a_made_up_session_id_is_never_adopted(local_store: Store) -> None:
    forged = "a" * 64
    with session_client(ServerSideSessionConfig(), stores={"sessions": local_store}) as client:
        _set(client, "session", forged)
        body = client.get("/session").json()
        client.post("/session", json={"user": "victim"})
        issued = client.cookies["session"]
    assert body["session"] == {}
    assert forged not in (body["id"], issued)  # a new session gets a new id, never the one the client made up


@pytest.mark.parametrize("value", ["../../etc/passwd", "A" * 64, "short", "0" * 65])
def test_a_malformed_session_id_is_ignored(value: str) -> None:
    with session_client(ServerSideSessionConfig()) as client:
        _set(client, "session", value)
        response = client.get("/session")
    assert (response.status_code, response.json()["session"]) == (200, {})


@pytest.mark.anyio
async def test_clearing_deletes_the_stored_data() -> None:
    store = MemoryStore()
    async with create_async_test_client(
        HANDLERS, session_config=ServerSideSessionConfig(), stores={"sessions": store}
    ) as client:
        await client.post("/session", json={"a": 1})
        session_id = client.cookies["session"]
        assert await store.exists(session_id)
        await client.delete("/session")
    assert not await store.exists(session_id)


@pytest.mark.anyio
async def test_stored_data_that_is_not_a_session_is_ignored() -> None:
    store = MemoryStore()
    session_id = "b" * 64
    await store.set(session_id, b"[not a dict]")
    async with create_async_test_client(
        HANDLERS, session_config=ServerSideSessionConfig(), stores={"sessions": store}
    ) as client:
        _set(client, "session", session_id)
        assert (await client.get("/session")).json()["session"] == {}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("renew", "expected"), [pytest.param(True, 600, id="renew"), pytest.param(False, 5, id="keep")]
)
async def test_renew_on_access(renew: bool, expected: int) -> None:
    store = MemoryStore()
    config = ServerSideSessionConfig(renew_on_access=renew, max_age=600)
    async with create_async_test_client(HANDLERS, session_config=config, stores={"sessions": store}) as client:
        await client.post("/session", json={"a": 1})
        session_id = client.cookies["session"]
        await store.set(session_id, msgspec.json.encode({"a": 1}), expires_in=5)
        await client.get("/session")  # a read, no change: only the renewal moves the expiry
        remaining = await store.expires_in(session_id)
    assert remaining is not None
    assert expected - 2 <= remaining <= expected


def test_session_id_bytes_below_16_fails_at_creation() -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"session_id_bytes=8\)`: a session id needs at least 16"):
        ServerSideSessionConfig(session_id_bytes=8)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"key": ""}, r"\(key=''\)` is not a cookie name: use 1 to 256", id="empty-key"),
        pytest.param({"key": "k" * 257}, r"is not a cookie name: use 1 to 256", id="long-key"),
        pytest.param({"max_age": 0}, r"\(max_age=0\)` must be a whole number of seconds of at least 1", id="zero-age"),
        pytest.param({"max_age": -1}, r"\(max_age=-1\)` must be", id="negative-age"),
    ],
)
@pytest.mark.parametrize("config_class", [pytest.param(CookieBackendConfig, id="client-side"), ServerSideSessionConfig])
def test_cookie_options_are_checked_at_creation_for_both_kinds(
    config_class: type[Any], options: dict[str, Any], message: str
) -> None:
    extra = {"secret": SECRET} if config_class is CookieBackendConfig else {}
    with pytest.raises(ImproperlyConfiguredException, match=config_class.__name__ + r".*" + message):
        config_class(**extra, **options)


@pytest.mark.parametrize("config_class", [pytest.param(CookieBackendConfig, id="client-side"), ServerSideSessionConfig])
def test_a_key_of_256_characters_and_a_max_age_of_one_second_are_accepted(config_class: type[Any]) -> None:
    extra = {"secret": SECRET} if config_class is CookieBackendConfig else {}
    config = config_class(**extra, key="k" * 256, max_age=1)
    assert (len(config.key), config.max_age) == (256, 1)


def test_a_new_server_side_session_has_its_id_in_the_handler_and_the_cookie() -> None:
    @post("/login", sync_to_thread=False)
    def login(request: Request) -> dict[str, Any]:
        request.set_session({"user": "ann"})
        return {"id": request.get_session_id()}

    with create_test_client([login, read_session], session_config=ServerSideSessionConfig()) as client:
        seen = client.post("/login").json()["id"]
        cookie = client.cookies["session"]
        again = client.get("/session").json()["id"]
    assert seen == cookie == again
    assert len(seen) == 64


def test_asking_for_the_id_of_an_unsaved_session_sets_no_cookie() -> None:
    with create_test_client([read_session], session_config=ServerSideSessionConfig()) as client:
        response = client.get("/session")
    assert response.json()["id"] is not None
    assert "set-cookie" not in response.headers


@pytest.fixture
async def redis_sessions() -> AsyncIterator[Store]:
    with redis_url() as url:
        root = RedisStore.with_client(url)
        async with root:
            store = root.with_namespace(f"outpour-test-{uuid.uuid4().hex}")
            yield store
            await store.delete_all()


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])  # redis-py is asyncio-only
async def test_server_side_sessions_on_redis_are_seen_by_every_worker(redis_sessions: Store) -> None:
    config = ServerSideSessionConfig()
    stores = {"sessions": redis_sessions}
    async with (
        create_async_test_client(HANDLERS, session_config=config, stores=stores) as first,
        create_async_test_client(HANDLERS, session_config=config, stores=stores) as second,
    ):
        await first.post("/session", json={"user": "ann"})
        _set(second, "session", first.cookies["session"])
        assert (await second.get("/session")).json()["session"] == {"user": "ann"}


# -- edges -------------------------------------------------------------------------------------------------------------


def test_reading_a_cleared_session_gives_an_empty_dict(any_config: BaseBackendConfig[Any]) -> None:
    @post("/clear-and-read", sync_to_thread=False)
    def clear_and_read(request: Request) -> dict[str, Any]:
        request.session["a"] = 1
        request.clear_session()
        return request.session

    with create_test_client([clear_and_read], session_config=any_config) as client:
        assert client.post("/clear-and-read").json() == {}


def test_set_session_works_under_a_middleware_of_your_own() -> None:
    """``request.set_session`` needs only ``scope["session"]``, whichever middleware set it."""

    def own_sessions(app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            scope["session"] = {}
            await app(scope, receive, send)

        return middleware

    @post("/own", sync_to_thread=False)
    def own(request: Request) -> dict[str, Any]:
        request.set_session({"a": 1})
        return request.session

    with create_test_client([own], middleware=[own_sessions]) as client:
        assert client.post("/own").json() == {"a": 1}


def test_an_authentic_cookie_of_another_format_is_an_empty_session() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = nonce + AESGCM(SECRET).encrypt(nonce, b"not our payload", b"session")
    with _cookie_client() as client:
        _set(client, "session-0", base64.urlsafe_b64encode(sealed).decode().rstrip("="))
        client.cookies.set("theme", "dark", domain="testserver.local")  # another cookie is not a part
        assert client.get("/session").json()["session"] == {}


def test_small_client_side_data_takes_the_session_cookie_and_large_data_numbered_ones() -> None:
    large = {f"k{n}": os.urandom(200).hex() for n in range(30)}
    with _cookie_client() as client:
        client.post("/session", json={"user": "ann"})
        small_names = list(client.cookies.keys())
        grown = client.post("/session", json=large)
        large_names = sorted(client.cookies.keys())
        assert client.get("/session").json()["session"] == large
        shrunk = client.post("/session", json={"user": "bob"})
        assert client.get("/session").json()["session"] == {"user": "bob"}
    assert small_names == ["session"]
    assert large_names[0] == "session-0"
    assert "session" not in large_names
    assert any(h.startswith("session=") and "Max-Age=0" in h for h in grown.headers.get_list("set-cookie"))
    deleted = [h.split("=")[0] for h in shrunk.headers.get_list("set-cookie") if "Max-Age=0" in h]
    assert sorted(deleted) == large_names
    assert list(client.cookies.keys()) == ["session"]


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(["session", "session-0"], id="both-forms"),
        pytest.param(["session-1"], id="no-first-part"),
    ],
)
def test_cookies_of_mixed_forms_are_an_empty_session(names: list[str]) -> None:
    backend = ClientSideSessionBackend(CookieBackendConfig(secret=SECRET))
    [value] = backend.dump_data({"user": "ann"})
    with _cookie_client() as client:
        for name in names:
            _set(client, name, value.decode())
        assert client.get("/session").json()["session"] == {}


def test_set_session_with_empty_clears_the_session(any_config: BaseBackendConfig[Any]) -> None:
    @post("/forget", sync_to_thread=False)
    def forget(request: Request) -> None:
        request.set_session(Empty)

    with create_test_client([*HANDLERS, forget], session_config=any_config) as client:
        client.post("/session", json={"user": "ann"})
        client.post("/forget")
        assert client.get("/session").json()["session"] == {}
        assert client.get_session_data() == {}


def test_client_side_backend_has_no_session_ids() -> None:
    @get("/ids", sync_to_thread=False)
    def ids(request: Request) -> dict[str, Any]:
        backend = ClientSideSessionBackend(CookieBackendConfig(secret=SECRET))
        return {"id": backend.get_session_id(request), "keys": sorted(backend.get_cookie_key_set(request))}

    with create_test_client([ids, write_session], session_config=CookieBackendConfig(secret=SECRET)) as client:
        client.post("/session", json={"a": 1})
        assert client.get("/ids").json() == {"id": None, "keys": ["session"]}


def test_a_backend_of_your_own_reads_the_connections_session_id() -> None:
    class Fixed(ClientSideSessionBackend):
        async def load_from_connection(self, connection: Any) -> dict[str, Any]:
            connection.scope["_outpour_session_id"] = "fixed"
            return {}

    @get("/id", sync_to_thread=False)
    def session_id(request: Request) -> str | None:
        return BaseSessionBackend.get_session_id(Fixed(CookieBackendConfig(secret=SECRET)), request)

    config = CookieBackendConfig(secret=SECRET)
    config._backend_class = Fixed
    with create_test_client([session_id], session_config=config) as client:
        assert client.get("/id").text == "fixed"


@pytest.mark.parametrize(
    "cookies",
    [
        pytest.param({f"session-{index}": "A" * 3000 for index in range(12)}, id="more-parts-than-written"),
        pytest.param({"session-0": "A" * 30_000}, id="one-huge-part"),
    ],
)
def test_an_oversized_cookie_set_is_an_empty_session_never_an_error(cookies: dict[str, str]) -> None:
    with _cookie_client() as client:
        for name, value in cookies.items():
            _set(client, name, value)
        response = client.get("/session")
    assert (response.status_code, response.json()["session"]) == (200, {})
