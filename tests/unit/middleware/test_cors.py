"""CORS: preflights answered before routing and the automatic ``OPTIONS``, headers on every answer, errors included."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import Controller, Outpour, Response, Router, get, post, route
from outpour.config.cors import CORSConfig
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware._headers import add_vary
from outpour.middleware.cors import CORSMiddleware
from outpour.testing import TestClient, create_test_client

ORIGIN = "https://app.example.com"


@get("/items")
def items() -> list[int]:
    return [1, 2]


@post("/items")
def add_item() -> str:
    return "added"


@get("/boom")
def boom() -> None:
    raise RuntimeError("kaput")


@get("/varied")
def varied() -> Response[str]:
    return Response("v", headers={"Vary": "Accept-Language"})


@get("/own-acao")
def own_acao() -> Response[str]:
    return Response("v", headers={"Access-Control-Allow-Origin": "https://evil.test"})


@route("/explicit", http_method=["OPTIONS"])
def explicit_options() -> str:
    return "handler"


HANDLERS: list[Any] = [items, add_item, boom, varied, own_acao, explicit_options]


def _client(**config: Any) -> Any:
    return create_test_client(HANDLERS, cors_config=CORSConfig(**config))


def _preflight(client: Any, path: str = "/items", origin: str = ORIGIN, method: str = "POST", **headers: str) -> Any:
    return client.options(path, headers={"origin": origin, "access-control-request-method": method, **headers})


# -- simple requests ---------------------------------------------------------------------------------------------------


def test_allowed_origin_gets_its_origin_and_vary() -> None:
    with _client(allow_origins=[ORIGIN], expose_headers=["X-Total"]) as client:
        response = client.get("/items", headers={"origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-expose-headers"] == "X-Total"
    assert response.headers["vary"] == "Origin"
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    "origin",
    [
        pytest.param("https://evil.test", id="other-origin"),
        pytest.param("null", id="null"),
        pytest.param("https://app.example.com.evil.test", id="suffix-attack"),
        pytest.param("not an origin", id="malformed"),
        pytest.param("https://app.example.com/path", id="with-path"),
        pytest.param("https://" + "a" * 3000, id="huge"),
    ],
)
def test_disallowed_or_malformed_origin_gets_no_allow_origin(origin: str) -> None:
    with _client(allow_origins=[ORIGIN], allow_origin_regex=r"https://[a-z]+\.example\.com") as client:
        response = client.get("/items", headers={"origin": origin})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"


def test_origin_regex_matches_whole_origins() -> None:
    with _client(allow_origins=[], allow_origin_regex=r"https://[a-z]+\.example\.com") as client:
        allowed = client.get("/items", headers={"origin": "https://shop.example.com"})
        anchored = client.get("/items", headers={"origin": "https://shop.example.com.evil.test"})
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example.com"
    assert "access-control-allow-origin" not in anchored.headers


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        pytest.param("https://shop.example.com", True, id="subdomain"),
        pytest.param("https://a.b.example.com", True, id="deeper-subdomain"),
        pytest.param("HTTPS://Shop.Example.COM", True, id="case-insensitive"),
        pytest.param("https://example.com", False, id="the-domain-itself"),
        pytest.param("https://shopexample.com", False, id="no-dot"),
        pytest.param("http://shop.example.com", False, id="other-scheme"),
        pytest.param("https://shop.example.com.evil.test", False, id="suffix"),
        pytest.param("https://shop.example.com:8443", False, id="port-not-listed"),
        pytest.param("https://static.cdn.test", True, id="exact-origin-beside-a-pattern"),
        pytest.param("https://evil.test/.example.com", False, id="a-path-is-not-a-host"),
        pytest.param("https://evil.test?.example.com", False, id="a-query-is-not-a-host"),
        pytest.param("https://evil.test@shop.example.com", False, id="userinfo-is-not-a-host"),
    ],
)
def test_a_star_inside_an_allowed_origin_matches_any_characters(origin: str, allowed: bool) -> None:
    with _client(allow_origins=["https://*.example.com", "https://static.cdn.test"]) as client:
        response = client.get("/items", headers={"origin": origin})
        preflight = client.options("/items", headers={"origin": origin, "access-control-request-method": "GET"})
    assert response.headers.get("access-control-allow-origin") == (origin if allowed else None)
    assert preflight.status_code == (204 if allowed else 400)


def test_allowed_origins_regex_joins_the_star_origins_and_the_regex() -> None:
    config = CORSConfig(allow_origins=["https://*.example.com"], allow_origin_regex=r"https://app\.test")
    pattern = config.allowed_origins_regex
    assert pattern is not None
    assert pattern.fullmatch("https://x.example.com")
    assert pattern.fullmatch("https://app.test")
    assert CORSConfig(allow_origins=["https://example.com"]).allowed_origins_regex is None


def test_wildcard_without_credentials_sends_star_and_no_vary() -> None:
    with _client() as client:
        response = client.get("/items", headers={"origin": ORIGIN})
        without_origin = client.get("/items")
    assert response.headers["access-control-allow-origin"] == "*"
    assert "vary" not in response.headers
    assert "access-control-allow-origin" not in without_origin.headers


def test_wildcard_with_credentials_echoes_the_origin_never_star() -> None:
    with _client(allow_credentials=True) as client:
        response = client.get("/items", headers={"origin": ORIGIN})
        preflight = _preflight(client)
    for answer in (response, preflight):
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        assert answer.headers["access-control-allow-credentials"] == "true"
        assert "Origin" in answer.headers["vary"]


def test_response_without_origin_still_varies_on_origin() -> None:
    """A cache must not serve the answer to a same-origin request to a cross-origin one."""
    with _client(allow_origins=[ORIGIN]) as client:
        response = client.get("/items")
    assert response.headers["vary"] == "Origin"
    assert "access-control-allow-origin" not in response.headers


def test_handler_vary_values_are_merged() -> None:
    with _client(allow_origins=[ORIGIN]) as client:
        response = client.get("/varied", headers={"origin": ORIGIN})
    assert response.headers["vary"] == "Accept-Language, Origin"


def test_handler_allow_origin_is_replaced_for_an_allowed_origin() -> None:
    with _client(allow_origins=[ORIGIN]) as client:
        response = client.get("/own-acao", headers={"origin": ORIGIN})
    assert response.headers.get_list("access-control-allow-origin") == [ORIGIN]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        pytest.param("GET", "/missing", 404, id="404"),
        pytest.param("DELETE", "/items", 405, id="405"),
        pytest.param("GET", "/boom", 500, id="500-unhandled"),
    ],
)
def test_error_answers_carry_cors_headers(method: str, path: str, status: int) -> None:
    with _client(allow_origins=[ORIGIN]) as client:
        response = client.request(method, path, headers={"origin": ORIGIN})
    assert response.status_code == status
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["vary"] == "Origin"


def test_oversized_head_431_carries_cors_headers() -> None:
    app = Outpour(HANDLERS, cors_config=CORSConfig(allow_origins=[ORIGIN]), request_max_header_size=200)
    with TestClient(app) as client:
        response = client.get("/items", headers={"origin": ORIGIN, "x-big": "a" * 300})
    assert (response.status_code, response.headers["access-control-allow-origin"]) == (431, ORIGIN)


# -- preflights --------------------------------------------------------------------------------------------------------


def test_preflight_is_answered_before_the_automatic_options() -> None:
    with _client(
        allow_origins=[ORIGIN], allow_methods=["GET", "POST"], allow_headers=["X-Token"], max_age=42
    ) as client:
        response = _preflight(client, **{"access-control-request-headers": "x-token"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert response.headers["access-control-allow-headers"] == "x-token"
    assert response.headers["access-control-max-age"] == "42"
    assert "allow" not in response.headers  # not the automatic OPTIONS answer


def test_preflight_is_answered_before_an_options_handler_and_an_unknown_path() -> None:
    with _client(allow_origins=[ORIGIN]) as client:
        explicit = _preflight(client, "/explicit")
        unknown = _preflight(client, "/nowhere")
        plain_options = client.options("/explicit", headers={"origin": ORIGIN})
    assert (explicit.status_code, explicit.text) == (204, "")
    assert unknown.status_code == 204
    assert (plain_options.status_code, plain_options.text) == (200, "handler")
    assert plain_options.headers["access-control-allow-origin"] == ORIGIN


def test_wildcard_preflight_echoes_the_requested_method_and_headers() -> None:
    with _client(allow_origins=[ORIGIN]) as client:
        response = _preflight(client, method="PATCH", **{"access-control-request-headers": "X-A, X-B"})
    assert response.headers["access-control-allow-methods"] == "PATCH"
    assert response.headers["access-control-allow-headers"] == "X-A, X-B"


@pytest.mark.parametrize(
    ("origin", "method", "request_headers", "named"),
    [
        pytest.param("https://evil.test", "POST", None, "origin `https://evil.test`", id="origin"),
        pytest.param("null", "POST", None, "origin `null`", id="null-origin"),
        pytest.param(ORIGIN, "DELETE", None, "method `DELETE`", id="method"),
        pytest.param(ORIGIN, "POST", "x-secret", "headers `x-secret`", id="headers"),
    ],
)
def test_disallowed_preflight_is_a_400_saying_what(
    origin: str, method: str, request_headers: str | None, named: str
) -> None:
    headers = {"access-control-request-headers": request_headers} if request_headers else {}
    with _client(allow_origins=[ORIGIN], allow_methods=["GET", "POST"], allow_headers=["x-token"]) as client:
        response = _preflight(client, origin=origin, method=method, **headers)
    assert response.status_code == 400
    assert named in response.text
    assert "access-control-allow-origin" not in response.headers


def test_config_on_router_level_app_is_app_wide() -> None:
    """``cors_config`` is an app option: routers and controllers under the app are covered."""

    class Things(Controller):
        path = "/things"

        @get()
        def list_things(self) -> list[str]:
            return []

    with create_test_client(
        [Router("/api", route_handlers=[Things])], cors_config=CORSConfig(allow_origins=[ORIGIN])
    ) as client:
        response = client.get("/api/things", headers={"origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN


# -- the config --------------------------------------------------------------------------------------------------------


def test_config_properties() -> None:
    config = CORSConfig(allow_origins=[ORIGIN], allow_methods=["GET"], allow_headers=["X-A"], allow_origin_regex="x")
    assert (config.is_allow_all_origins, config.is_allow_all_methods, config.is_allow_all_headers) == (False,) * 3
    assert config.allowed_origins_regex is not None
    assert CORSConfig().allowed_origins_regex is None
    assert config.preflight_headers == {
        "Access-Control-Max-Age": "600",
        "Access-Control-Allow-Methods": "GET",
        "Access-Control-Allow-Headers": "x-a",
    }
    assert config.simple_headers == {}
    assert config.is_origin_allowed(ORIGIN.upper())
    assert config.are_headers_allowed("x-a, ,X-A")
    assert not config.are_headers_allowed("x-a, x-b")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"allow_origin_regex": "("}, r"is not a valid regular expression", id="regex"),
        pytest.param({"max_age": -1}, r"`CORSConfig\(max_age=-1\)` is negative", id="max-age"),
    ],
)
def test_config_mistakes_raise(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        CORSConfig(**kwargs)


def test_websocket_scopes_pass_through() -> None:
    seen: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    async def call() -> None:
        await CORSMiddleware(inner, CORSConfig())({"type": "websocket", "headers": []}, None, None)  # type: ignore[arg-type]

    anyio.run(call)
    assert seen == ["websocket"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_origin_header_is_answered_without_error(origin: str) -> None:
    config = CORSConfig(allow_origins=[ORIGIN], allow_origin_regex=r"https://.*\.example\.com")
    allowed = config.is_origin_allowed(origin)
    assert allowed in (True, False)
    if allowed:
        assert origin.startswith("https://")


@pytest.mark.parametrize(
    ("headers", "merged"),
    [
        pytest.param([], [(b"vary", b"Origin")], id="none"),
        pytest.param([(b"Vary", b"*")], [(b"Vary", b"*")], id="star-covers-all"),
        pytest.param([(b"vary", b"origin, cookie")], [(b"vary", b"origin, cookie")], id="already-there"),
        pytest.param([(b"vary", b" ")], [(b"vary", b"Origin")], id="empty"),
    ],
)
def test_vary_merging(headers: list[tuple[bytes, bytes]], merged: list[tuple[bytes, bytes]]) -> None:
    assert add_vary(headers, b"Origin") == merged
