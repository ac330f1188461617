"""Allowed hosts: an unlisted ``Host`` is a 400 before routing; wildcards, ports, IPv6 and the ``www.`` redirect."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import asgi, get
from outpour.config.allowed_hosts import AllowedHostsConfig
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.allowed_hosts import AllowedHostsMiddleware, parse_host
from outpour.testing import create_test_client
from outpour.types import Receive, Scope, Send


@get("/page")
def page() -> str:
    return "page"


@get("/health", opt={"skip_host_check": True})
def health() -> str:
    return "ok"


@asgi("/raw", opt={"skip_host_check": True})
async def raw(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"raw"})


HOSTS = ["example.com", "*.example.org", "[::1]", "127.0.0.1"]


def _get(host: Any, path: str = "/page", **config: Any) -> Any:
    allowed = AllowedHostsConfig(allowed_hosts=config.pop("hosts", HOSTS), **config)
    with create_test_client([page, health, raw], allowed_hosts=allowed) as client:
        return client.get(path, headers={"host": host}, follow_redirects=False)


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("example.com", id="exact"),
        pytest.param("EXAMPLE.com:8000", id="case-and-port"),
        pytest.param("example.com.", id="trailing-dot"),
        pytest.param("a.example.org", id="wildcard"),
        pytest.param("x.y.z.example.org", id="deep-wildcard"),
        pytest.param("[::1]:8000", id="ipv6-port"),
        pytest.param("127.0.0.1:80", id="ipv4-port"),
    ],
)
def test_allowed_hosts_are_served(host: str) -> None:
    response = _get(host)
    assert (response.status_code, response.text) == (200, "page")


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("evil.com", id="unlisted"),
        pytest.param("example.com.evil.com", id="suffix"),
        pytest.param("evilexample.org", id="no-dot"),
        pytest.param("example.com:80x", id="bad-port"),
        pytest.param("example.com:", id="empty-port"),
        pytest.param("[::1", id="unclosed-ipv6"),
        pytest.param("[::2]:80", id="other-ipv6"),
        pytest.param("user@example.com", id="userinfo"),
        pytest.param("", id="empty"),
        pytest.param(b"ex\xe4mple.com", id="latin-1"),
    ],
)
def test_unlisted_or_malformed_host_is_a_400_saying_so(host: bytes | str) -> None:
    response = _get(host)
    assert response.status_code == 400
    assert "Invalid host header: the app does not serve" in response.text


def test_404_of_a_bad_host_is_a_400() -> None:
    """The check runs before routing: an unknown path on an unknown host is refused for its host."""
    assert _get("evil.com", "/nowhere").status_code == 400


def test_www_redirect_keeps_port_path_and_query() -> None:
    allowed = AllowedHostsConfig(allowed_hosts=["www.example.com"])
    with create_test_client([page], allowed_hosts=allowed) as client:
        response = client.get("/page?x=1", headers={"host": "example.com:8000"}, follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "http://www.example.com:8000/page?x=1"


def test_www_redirect_can_be_turned_off() -> None:
    assert _get("example.com", hosts=["www.example.com"], www_redirect=False).status_code == 400
    # `*.example.org` does not match `example.org` itself: it is redirected to `www.example.org`, or refused.
    assert _get("example.org").status_code == 301
    assert _get("example.org", www_redirect=False).status_code == 400


def test_a_list_is_taken_as_allowed_hosts() -> None:
    with create_test_client([page], allowed_hosts=["example.com"]) as client:
        assert client.get("/page", headers={"host": "example.com"}).status_code == 200
        assert client.get("/page", headers={"host": "other.com"}).status_code == 400
        assert client.app.allowed_hosts == AllowedHostsConfig(allowed_hosts=["example.com"])


def test_x_forwarded_host_is_used_without_host() -> None:
    async def call() -> list[Any]:
        sent: list[Any] = []

        async def inner(scope: Scope, receive: Receive, send: Send) -> None:
            sent.append("app")

        async def send(message: Any) -> None:
            sent.append(message)

        middleware = AllowedHostsMiddleware(inner, AllowedHostsConfig(allowed_hosts=["example.com"]))
        await middleware({"type": "http", "path": "/", "headers": [(b"x-forwarded-host", b"example.com")]}, None, send)  # type: ignore[arg-type]
        await middleware({"type": "http", "path": "/", "headers": []}, None, send)  # type: ignore[arg-type]
        return sent

    sent = anyio.run(call)
    assert sent[0] == "app"
    assert sent[1]["status"] == 400
    assert b"no `Host` header" in sent[2]["body"]


def test_websocket_with_bad_host_is_closed() -> None:
    async def call() -> list[Any]:
        sent: list[Any] = []

        async def send(message: Any) -> None:
            sent.append(message)

        middleware = AllowedHostsMiddleware(page, AllowedHostsConfig(allowed_hosts=["example.com"]))  # type: ignore[arg-type]
        await middleware({"type": "websocket", "path": "/", "headers": [(b"host", b"evil.com")]}, None, send)  # type: ignore[arg-type]
        return sent

    assert anyio.run(call) == [{"type": "websocket.close", "code": 1008}]


def test_excluded_paths_and_opt_key_skip_the_check() -> None:
    excluded = _get("evil.com", "/page", exclude=["^/page"])
    by_opt = _get("evil.com", "/health", exclude_opt_key="skip_host_check")
    asgi_by_opt = _get("evil.com", "/raw", exclude_opt_key="skip_host_check")
    not_excluded = _get("evil.com", "/page", exclude_opt_key="skip_host_check")
    assert (excluded.status_code, by_opt.status_code, asgi_by_opt.text) == (200, 200, "raw")
    assert not_excluded.status_code == 400


def test_star_allows_any_host() -> None:
    assert _get("anything.test", hosts=["*"]).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("www.*.example.com", id="middle-wildcard"),
        pytest.param("example.*", id="end-wildcard"),
        pytest.param("", id="empty"),
        pytest.param("exa mple.com", id="space"),
    ],
)
def test_wildcard_elsewhere_than_first_label_raises(host: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"is not a host name pattern: give a name"):
        AllowedHostsConfig(allowed_hosts=[host])


def test_allowed_hosts_of_the_wrong_type_raise() -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"`allowed_hosts='example.com'` is not a list"):
        create_test_client([page], allowed_hosts="example.com")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parse_host_never_fails(value: str) -> None:
    host = parse_host(value)
    assert host is None or (host and not any(char in host for char in " /\\@?#"))


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,20}){0,3}", fullmatch=True), st.integers(0, 65535))
def test_parse_host_round_trips_name_and_port(name: str, port: int) -> None:
    assert parse_host(f"{name}:{port}") == name
    assert parse_host(name.upper()) == name


async def _next_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError  # the middleware is only inspected


@pytest.mark.parametrize(
    ("hosts", "allowed", "refused"),
    [
        pytest.param(
            ["*.example.com", "api.test"], ["a.example.com", "x.y.example.com", "api.test"], ["apiXtest"], id="wildcard"
        ),
        pytest.param(["a.b"], ["a.b"], ["aXb", "x.a.b", "a.b.c"], id="dots-are-literal"),
    ],
)
def test_allowed_hosts_regex_matches_as_the_middleware_does(
    hosts: list[str], allowed: list[str], refused: list[str]
) -> None:
    middleware = AllowedHostsMiddleware(app=_next_app, config=AllowedHostsConfig(allowed_hosts=hosts))
    regex = middleware.allowed_hosts_regex
    assert regex is not None
    assert [bool(regex.fullmatch(host)) for host in allowed + refused] == [True] * len(allowed) + [False] * len(refused)
    assert all(middleware.is_allowed(host) for host in allowed)
    assert not any(middleware.is_allowed(host) for host in refused)


@pytest.mark.parametrize(
    ("config", "pattern"),
    [
        pytest.param(AllowedHostsConfig(allowed_hosts=["www.a.io", "b.io", "www.c.io"]), "a.io|c.io", id="www"),
        pytest.param(AllowedHostsConfig(allowed_hosts=["a.io"]), None, id="no-www-host"),
        pytest.param(AllowedHostsConfig(allowed_hosts=["www.a.io"], www_redirect=False), None, id="off"),
    ],
)
def test_redirect_domains_lists_the_hosts_redirected_to_www(config: AllowedHostsConfig, pattern: str | None) -> None:
    redirect = AllowedHostsMiddleware(app=_next_app, config=config).redirect_domains
    assert (redirect.pattern if redirect is not None else None) == pattern


def test_allowing_every_host_has_no_regex() -> None:
    config = AllowedHostsConfig(allowed_hosts=["*", "example.com"])
    assert AllowedHostsMiddleware(app=_next_app, config=config).allowed_hosts_regex is None
