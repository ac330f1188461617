"""Layered headers and cookies on the wire: injection refused, precedence, ``delete_cookie``, 304 and 412.

Covers ``outpour._precondition_hook`` and the header, cookie and conditional parts of ``outpour.response.base``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import outpour.datastructures.cookie as cookie_module
from outpour import Controller, MediaType, Outpour, Request, Response, Router, delete, get, post, put
from outpour._precondition_hook import (
    Validators,
    not_modified_headers,
    precondition_status,
    validators_from_encoded,
    validators_from_values,
)
from outpour.background_tasks import BackgroundTask
from outpour.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from outpour.datastructures._validation import find_control_char, is_token
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response.base import ASGIResponse, merge_cookies
from outpour.testing import TestClient, create_test_client

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
CONTROL_CHARS = [pytest.param("\r", id="CR"), pytest.param("\n", id="LF"), pytest.param("\x00", id="NUL")]
LAYERS = ["app", "router", "controller", "handler"]


# -- static injection: refused at start-up ------------------------------------------------------------------------------


def build_app(layer: str, options: dict[str, Any]) -> Outpour:
    """An app with one route and ``options`` (layered options) on ``layer``."""
    if layer == "handler":

        @get("/", **options)
        async def handler() -> str:
            return "x"

        return Outpour(route_handlers=[handler])

    async def index(self: Any) -> str:
        return "x"

    controller_options = options if layer == "controller" else {}
    controller = type("Things", (Controller,), {"path": "/things", "index": get("/")(index), **controller_options})
    if layer == "controller":
        return Outpour(route_handlers=[controller])
    if layer == "router":
        return Outpour(route_handlers=[Router(path="/api", route_handlers=[controller], **options)])
    return Outpour(route_handlers=[controller], **options)


Options = Callable[[str], dict[str, Any]]


def hostile(value: str) -> Any:
    """A string where the field's type wants something else."""
    return value


STATIC_FIELDS: list[Any] = [
    pytest.param(lambda c: {"response_headers": [ResponseHeader(name=f"x{c}y", value="v")]}, id="header-name"),
    pytest.param(lambda c: {"response_headers": [ResponseHeader(name="x", value=f"v{c}y: z")]}, id="header-value"),
    pytest.param(
        lambda c: {"response_headers": [ResponseHeader(name="x", value=f"v{c}", documentation_only=True)]},
        id="doc-only-header-value",
    ),
    pytest.param(lambda c: {"response_headers": {f"x{c}y": "v"}}, id="mapping-header-name"),
    pytest.param(lambda c: {"response_headers": {"x": f"v{c}y: z"}}, id="mapping-header-value"),
    pytest.param(lambda c: {"response_cookies": [Cookie(key=f"k{c}", value="v")]}, id="cookie-key"),
    pytest.param(lambda c: {"response_cookies": [Cookie(key="k", value=f"v{c}x")]}, id="cookie-value"),
    pytest.param(lambda c: {"response_cookies": [Cookie(key="k", path=f"/{c}x")]}, id="cookie-path"),
    pytest.param(lambda c: {"response_cookies": [Cookie(key="k", domain=f"a{c}.example")]}, id="cookie-domain"),
    pytest.param(lambda c: {"response_cookies": {f"k{c}": "v"}}, id="mapping-cookie-key"),
    pytest.param(lambda c: {"response_cookies": {"k": f"v{c}x"}}, id="mapping-cookie-value"),
    pytest.param(lambda c: {"etag": ETag(value=f"a{c}b")}, id="etag-value"),
    pytest.param(lambda c: {"cache_control": CacheControlHeader(no_cache=[f"x{c}y"])}, id="cache-control-no-cache"),
    pytest.param(lambda c: {"cache_control": CacheControlHeader(private=[f"x{c}y"])}, id="cache-control-private"),
    # fields that are not strings: anything else (a string with CR, LF or NUL included) is refused
    pytest.param(lambda c: {"response_cookies": [Cookie(key="k", samesite=hostile(f"lax{c}x"))]}, id="cookie-samesite"),
    pytest.param(lambda c: {"response_cookies": [Cookie(key="k", max_age=hostile(f"1{c}x"))]}, id="cookie-max-age"),
    pytest.param(lambda c: {"response_cookies": [Cookie(key="k", expires=hostile(f"1{c}x"))]}, id="cookie-expires"),
    pytest.param(
        lambda c: {"cache_control": CacheControlHeader(max_age=hostile(f"1{c}x"))}, id="cache-control-max-age"
    ),
]


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("char", CONTROL_CHARS)
@pytest.mark.parametrize("options", STATIC_FIELDS)
def test_static_control_characters_are_refused_at_start_up(options: Options, char: str, layer: str) -> None:
    with pytest.raises(
        ImproperlyConfiguredException,
        match=r"control character|not a valid|header field name|whole number|number of seconds|must be `lax`",
    ):
        build_app(layer, options(char))


def edited(obj: Any, field: str, value: Any) -> Any:
    """``obj`` with ``field`` changed after it was built (and validated)."""
    setattr(obj, field, value)
    return obj


EDITED_AFTER_BUILT: list[Any] = [
    pytest.param(
        lambda c: {"response_headers": [edited(ResponseHeader(name="x", value="v"), "value", f"v{c}y: z")]},
        id="header-value",
    ),
    pytest.param(
        lambda c: {"response_headers": [edited(ResponseHeader(name="x", value="v"), "name", f"x{c}y")]},
        id="header-name",
    ),
    pytest.param(lambda c: {"response_cookies": [edited(Cookie(key="k"), "value", f"v{c}x")]}, id="cookie-value"),
    pytest.param(lambda c: {"response_cookies": [edited(Cookie(key="k"), "path", f"/{c}x")]}, id="cookie-path"),
    pytest.param(lambda c: {"response_cookies": [edited(Cookie(key="k"), "domain", f"a{c}x")]}, id="cookie-domain"),
    pytest.param(lambda c: {"response_cookies": [edited(Cookie(key="k"), "key", f"k{c}x")]}, id="cookie-key"),
    pytest.param(
        lambda c: {"response_cookies": [edited(Cookie(key="k", expires=60), "value", f"v{c}x")]}, id="timed-cookie"
    ),
    pytest.param(lambda c: {"etag": edited(ETag("v1"), "value", f"v{c}x")}, id="etag-value"),
    pytest.param(lambda c: {"cache_control": edited(CacheControlHeader(), "max_age", f"1{c}x: y")}, id="cache-control"),
]


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("char", CONTROL_CHARS)
@pytest.mark.parametrize("options", EDITED_AFTER_BUILT)
def test_static_values_edited_after_they_were_built_are_refused_at_start_up(
    options: Options, char: str, layer: str
) -> None:
    # validated when built, then changed: the values are checked again when they are encoded, at start-up
    with pytest.raises(ImproperlyConfiguredException, match=r"control character") as info:
        build_app(layer, options(char))
    assert "Handler `" in str(info.value)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        pytest.param({"response_headers": [("x-a", "1")]}, "`response_headers` takes `ResponseHeader`", id="header"),
        pytest.param({"response_cookies": ["k=v"]}, "`response_cookies` takes `Cookie`", id="cookie"),
    ],
)
def test_entries_of_the_wrong_type_are_refused(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        build_app("router", options)


@pytest.mark.parametrize("path", ["/r/c/h", "/r/c/returned", "/r/c/hooked"])
def test_a_layered_content_type_replaces_the_default_one(path: str) -> None:
    app = four_layers(router={"response_headers": {"Content-Type": "text/x-custom"}})
    with TestClient(app) as client:
        response = client.get(path)
    assert response.headers.get_list("content-type") == ["text/x-custom"]


@pytest.mark.parametrize("name", ["content-length", "Content-Length", "transfer-encoding"])
def test_framing_headers_in_response_headers_are_refused(name: str) -> None:
    # the framework frames the body itself: a second Content-Length would corrupt the response
    with pytest.raises(ImproperlyConfiguredException, match=f"`{name.lower()}`.*Remove it"):
        build_app("handler", {"response_headers": {name: "3"}})


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        pytest.param(
            lambda: {"response_cookies": [Cookie(key="k", samesite="none")]}, "secure=True", id="none-no-secure"
        ),
        pytest.param(
            lambda: {"response_cookies": [Cookie(key="k", partitioned=True)]}, "secure=True", id="partitioned"
        ),
        pytest.param(
            lambda: {"response_cookies": [Cookie(key="__Host-k", secure=True, path="/a")]}, "__Host-", id="host"
        ),
        pytest.param(lambda: {"response_cookies": [Cookie(key="__Secure-k")]}, "__Secure-", id="secure-prefix"),
        pytest.param(lambda: {"response_headers": {"x y": "v"}}, "not a valid RFC 9110 token", id="header-name-space"),
        pytest.param(lambda: {"response_headers": {"x": "\u20ac"}}, "latin-1", id="header-value-not-latin-1"),
    ],
)
def test_contradictory_or_invalid_static_values_are_refused(
    options: Callable[[], dict[str, Any]], fragment: str
) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        build_app("handler", options())


# -- dynamic injection: a logged 500, and nothing of the bad header sent ------------------------------------------------

Handler = Callable[[str], Any]


def own_header_name(c: str) -> Response[str]:
    return Response("x", headers={f"x{c}Injected": "yes"})


def own_header_value(c: str) -> Response[str]:
    return Response("x", headers={"x-a": f"ok{c}Injected: yes"})


def own_response_header(c: str) -> Response[str]:
    return Response("x", headers=[ResponseHeader(name="x-a", value=f"ok{c}Injected: yes")])


def set_header_value(c: str) -> Response[str]:
    response = Response("x")
    response.set_header("x-a", f"ok{c}Injected: yes")
    return response


def headers_dict_edited(c: str) -> Response[str]:
    response = Response("x")
    response.headers[f"x{c}Injected"] = "yes"
    return response


def own_cookie_value(c: str) -> Response[str]:
    return Response("x", cookies=[Cookie(key="k", value=f"ok{c}Injected: yes")])


def own_cookie_key(c: str) -> Response[str]:
    return Response("x", cookies=[Cookie(key=f"k{c}Injected", value="v")])


def own_cookie_path(c: str) -> Response[str]:
    return Response("x", cookies=[Cookie(key="k", path=f"/{c}Injected: yes")])


def own_cookie_domain(c: str) -> Response[str]:
    return Response("x", cookies=[Cookie(key="k", domain=f"a{c}Injected: yes")])


def own_cookie_mapping(c: str) -> Response[str]:
    return Response("x", cookies={"k": f"ok{c}Injected: yes"})


def set_cookie_value(c: str) -> Response[str]:
    response = Response("x")
    response.set_cookie("k", f"ok{c}Injected: yes")
    return response


def cookie_edited_after_it_was_built(c: str) -> Response[str]:
    cookie = Cookie(key="k", value="fine")
    cookie.value = f"ok{c}Injected: yes"
    return Response("x", cookies=[cookie])


def set_etag_value(c: str) -> Response[str]:
    response = Response("x")
    response.set_etag(f'"a{c}Injected: yes"')
    return response


DYNAMIC_HANDLERS = [
    pytest.param(fn, id=fn.__name__)
    for fn in (
        own_header_name,
        own_header_value,
        own_response_header,
        set_header_value,
        headers_dict_edited,
        own_cookie_value,
        own_cookie_key,
        own_cookie_path,
        own_cookie_domain,
        own_cookie_mapping,
        set_cookie_value,
        cookie_edited_after_it_was_built,
        set_etag_value,
    )
]


def assert_refused(response: Any, caplog: pytest.LogCaptureFixture) -> None:
    assert response.status_code == 500
    for name, value in response.headers.multi_items():
        assert "injected" not in name.lower()
        assert "injected" not in value.lower()
    assert any(record.levelno == logging.ERROR and record.name == "outpour" for record in caplog.records)
    # refused for the control character, not for anything else that would also be a 500
    assert "control character" in caplog.text or "CR, LF or NUL" in caplog.text


@pytest.mark.parametrize("char", CONTROL_CHARS)
@pytest.mark.parametrize("make", DYNAMIC_HANDLERS)
def test_dynamic_control_characters_in_a_returned_response(
    make: Handler, char: str, caplog: pytest.LogCaptureFixture
) -> None:
    @get("/")
    async def handler() -> Response[str]:
        return make(char)  # type: ignore[no-any-return]

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert_refused(response, caplog)


def hook_updates_headers(c: str) -> Callable[[Response[Any]], Response[Any]]:
    def hook(response: Response[Any]) -> Response[Any]:
        response.headers.update({"x-a": f"ok{c}Injected: yes"})
        return response

    return hook


def hook_sets_header_name(c: str) -> Callable[[Response[Any]], Response[Any]]:
    def hook(response: Response[Any]) -> Response[Any]:
        response.set_header(f"x{c}Injected", "yes")
        return response

    return hook


def hook_sets_cookie(c: str) -> Callable[[Response[Any]], Response[Any]]:
    def hook(response: Response[Any]) -> Response[Any]:
        response.set_cookie(key="k", value=f"ok{c}Injected: yes")
        return response

    return hook


def hook_replaces_response(c: str) -> Callable[[Response[Any]], Response[Any]]:
    def hook(response: Response[Any]) -> Response[Any]:
        return Response("replaced", headers={"x-a": f"ok{c}Injected: yes"})

    return hook


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("char", CONTROL_CHARS)
@pytest.mark.parametrize(
    "make_hook",
    [
        pytest.param(f, id=f.__name__)
        for f in (hook_updates_headers, hook_sets_header_name, hook_sets_cookie, hook_replaces_response)
    ],
)
def test_dynamic_control_characters_set_by_after_request(
    make_hook: Callable[[str], Any], char: str, layer: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = build_app(layer, {"after_request": make_hook(char)})
    path = {"handler": "/", "controller": "/things", "router": "/api/things", "app": "/things"}[layer]
    with TestClient(app) as client:
        response = client.get(path)
    assert_refused(response, caplog)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=8), st.text(max_size=20), st.text(max_size=12))
def test_any_dynamic_header_or_cookie_is_sent_exactly_or_refused(name: str, value: str, cookie_value: str) -> None:
    header_ok = is_token(f"x-{name}") and find_control_char(value) < 0 and all(ord(ch) < 256 for ch in value)
    cookie_ok = find_control_char(cookie_value, allow_htab=False) < 0 and all(ord(ch) < 256 for ch in cookie_value)

    @get("/")
    async def handler() -> Response[str]:
        return Response("x", headers={f"x-{name}": value}, cookies=[Cookie(key="k", value=cookie_value)])

    with create_test_client([handler]) as client:
        response = client.get("/")
    raw = response.headers.raw
    if header_ok and cookie_ok:
        assert response.status_code == 200
        assert (f"x-{name}".lower().encode(), value.encode("latin-1")) in raw
        assert Cookie(key="k", value=cookie_value).to_encoded_header() in raw
    else:
        assert response.status_code == 500
        assert all(not line.startswith(b"x-") and line != b"set-cookie" for line, _ in raw)
    assert all(_CONTROL_BYTES.search(line_value) is None for _, line_value in raw)


def test_non_latin_1_header_value_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    @get("/")
    async def handler() -> Response[str]:
        return Response("x", headers={"x-a": "\u20ac"})

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "x-a" not in response.headers
    assert "latin-1" in caplog.text


def test_set_header_refuses_at_the_call_site() -> None:
    response = Response("x")
    with pytest.raises(ValueError, match="control character"):
        response.set_header("x-a", "a\r\nb")
    with pytest.raises(ValueError, match="not a valid RFC 9110 token"):
        response.set_header("x a", "b")
    assert response.headers == {}


def test_set_header_replaces_a_header_of_any_case() -> None:
    response = Response(
        "x", headers=[ResponseHeader(name="X-A", value="1"), ResponseHeader(name="x-doc", documentation_only=True)]
    )
    assert response.headers == {"X-A": "1"}
    response.set_header("x-a", 2)
    assert response.headers == {"x-a": 2}
    asgi = response.to_asgi_response(None)
    assert [value for name, value in asgi.encode_headers() if name == b"x-a"] == [b"2"]


def test_asgi_response_refuses_an_edited_cookie() -> None:
    cookie = Cookie(key="k", value="v")
    cookie.path = "/\r\nx: y"
    with pytest.raises(ValueError, match="Build a new `Cookie`"):
        ASGIResponse(cookies=[cookie]).encode_headers()


# -- precedence: returned responses and hooks over layers ---------------------------------------------------------------


def test_values_set_on_a_response_win_over_layered_ones() -> None:
    @get(
        "/",
        response_headers={"x-a": "layer", "x-b": "layer"},
        response_cookies=[Cookie(key="c", value="layer"), Cookie(key="d", value="layer")],
        etag=ETag("layer"),
        cache_control=CacheControlHeader(max_age=60),
    )
    async def handler() -> Response[str]:
        response = Response("x", headers={"X-A": "own", "Cache-Control": "no-cache"}, cookies={"c": "own"})
        response.set_etag("own")
        return response

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.headers.get_list("x-a") == ["own"]
    assert response.headers.get_list("x-b") == ["layer"]
    assert response.headers.get_list("etag") == ['"own"']
    assert response.headers.get_list("cache-control") == ["no-cache"]
    assert sorted(response.headers.get_list("set-cookie")) == [
        "c=own; Path=/; SameSite=lax",
        "d=layer; Path=/; SameSite=lax",
    ]


def test_documentation_only_entries_are_not_sent() -> None:
    @get(
        "/",
        response_headers=[ResponseHeader(name="x-doc", description="documented", documentation_only=True)],
        response_cookies=[Cookie(key="doc", description="documented", documentation_only=True)],
        etag=ETag(documentation_only=True),
        cache_control=CacheControlHeader(max_age=5, documentation_only=True),
    )
    async def handler() -> str:
        return "x"

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 200
    for name in ("x-doc", "set-cookie", "etag", "cache-control"):
        assert name not in response.headers


def test_closest_after_request_hook_wins() -> None:
    def tag(label: str) -> Callable[[Response[Any]], Response[Any]]:
        def hook(response: Response[Any]) -> Response[Any]:
            response.set_header("x-hook", label)
            return response

        return hook

    @get("/own", after_request=tag("handler"))
    async def own() -> str:
        return "x"

    @get("/inherited")
    async def inherited() -> str:
        return "x"

    router = Router(path="/r", route_handlers=[own, inherited], after_request=tag("router"))
    with create_test_client([router], after_request=tag("app")) as client:
        assert client.get("/r/own").headers.get_list("x-hook") == ["handler"]
        assert client.get("/r/inherited").headers.get_list("x-hook") == ["router"]


# -- layering: every layer, closest layer first on the wire -------------------------------------------------------------


def four_layers(**per_layer: dict[str, Any]) -> Outpour:
    """``GET /r/c/h`` with options on app, router, controller and handler (keyword = layer name)."""

    async def h(self: Any) -> str:
        return "x"

    async def returned(self: Any) -> Response[str]:
        return Response("x")

    def passthrough(response: Response[Any]) -> Response[Any]:
        return response

    handler_options = per_layer.get("handler", {})
    handlers = {
        "h": get("/h", **handler_options)(h),
        "returned": get("/returned", **handler_options)(returned),
        "hooked": get("/hooked", **{"after_request": passthrough, **handler_options})(h),
    }
    controller = type("C", (Controller,), {"path": "/c", **handlers, **per_layer.get("controller", {})})
    router = Router(path="/r", route_handlers=[controller], **per_layer.get("router", {}))
    return Outpour(route_handlers=[router], **per_layer.get("app", {}))


def layer_options(layer: str) -> dict[str, Any]:
    return {
        "response_headers": {f"x-{layer}": layer, "x-shared": layer},
        "response_cookies": [Cookie(key=f"{layer}-cookie", value=layer), Cookie(key="shared", value=layer)],
    }


@pytest.mark.parametrize("path", ["/r/c/h", "/r/c/returned", "/r/c/hooked"])
def test_layered_headers_and_cookies_go_out_closest_layer_first(path: str) -> None:
    app = four_layers(**{layer: layer_options(layer) for layer in LAYERS})
    with TestClient(app) as client:
        response = client.get(path)
    assert response.status_code == 200
    assert [(n, v) for n, v in response.headers.multi_items() if n.startswith("x-")] == [
        ("x-handler", "handler"),
        ("x-shared", "handler"),
        ("x-controller", "controller"),
        ("x-router", "router"),
        ("x-app", "app"),
    ]
    assert response.headers.get_list("set-cookie") == [
        "handler-cookie=handler; Path=/; SameSite=lax",
        "shared=handler; Path=/; SameSite=lax",
        "controller-cookie=controller; Path=/; SameSite=lax",
        "router-cookie=router; Path=/; SameSite=lax",
        "app-cookie=app; Path=/; SameSite=lax",
    ]


@pytest.mark.parametrize("closest", LAYERS)
def test_a_lower_layer_overrides_by_name_and_key_wherever_it_is(closest: str) -> None:
    # the same header (any case) and cookie declared from the app down to `closest`: only the closest is sent
    per_layer = {
        layer: {
            "response_headers": {"X-Tier" if layer == "router" else "x-tier": layer},
            "response_cookies": {"tier": layer},
        }
        for layer in LAYERS[: LAYERS.index(closest) + 1]
    }
    with TestClient(four_layers(**per_layer)) as client:
        response = client.get("/r/c/h")
    assert response.headers.get_list("x-tier") == [closest]
    assert response.headers.get_list("set-cookie") == [f"tier={closest}; Path=/; SameSite=lax"]


def test_within_one_layer_the_last_entry_of_a_name_wins() -> None:
    options = {
        "response_headers": [
            ResponseHeader(name="x-a", value="1"),
            ResponseHeader(name="x-b", value="b"),
            ResponseHeader(name="X-A", value="2"),
        ],
        "response_cookies": [Cookie(key="k", value="1"), Cookie(key="j", value="j"), Cookie(key="k", value="2")],
    }
    with TestClient(build_app("handler", options)) as client:
        response = client.get("/")
    assert response.headers.get_list("x-a") == ["2"]
    assert response.headers.get_list("set-cookie") == ["k=2; Path=/; SameSite=lax", "j=j; Path=/; SameSite=lax"]


@pytest.mark.parametrize("closest", LAYERS)
def test_cache_control_and_etag_closest_layer_wins(closest: str) -> None:
    seconds = {"app": 1, "router": 2, "controller": 3, "handler": 4}
    per_layer = {
        layer: {"cache_control": CacheControlHeader(max_age=seconds[layer]), "etag": ETag(layer)}
        for layer in LAYERS[: LAYERS.index(closest) + 1]
    }
    with TestClient(four_layers(**per_layer)) as client:
        for path in ("/r/c/h", "/r/c/returned", "/r/c/hooked"):
            response = client.get(path)
            assert response.headers.get_list("cache-control") == [f"max-age={seconds[closest]}"]
            assert response.headers.get_list("etag") == [f'"{closest}"']


@pytest.mark.parametrize("hook", ["before_request", "after_request", "after_response"])
@pytest.mark.parametrize("closest", LAYERS)
def test_request_hooks_closest_layer_wins(hook: str, closest: str) -> None:
    ran: list[str] = []

    def make(label: str) -> Callable[[Any], Any]:
        def record(value: Any) -> Any:
            ran.append(label)
            return value if hook == "after_request" else None

        return record

    per_layer = {layer: {hook: make(layer)} for layer in LAYERS[: LAYERS.index(closest) + 1]}
    with TestClient(four_layers(**per_layer)) as client:
        response = client.get("/r/c/h")
    assert response.status_code == 200
    assert ran == [closest]


# -- cookies with `expires` are dated per response ----------------------------------------------------------------------


def dated(monkeypatch: pytest.MonkeyPatch, now: float) -> None:
    monkeypatch.setattr(cookie_module, "time", SimpleNamespace(time=lambda: now))


def expires_of(line: str) -> float:
    value = next(part.split("=", 1)[1] for part in line.split("; ") if part.lower().startswith("expires="))
    return parsedate_to_datetime(value).timestamp()


@pytest.mark.parametrize("path", ["/plain", "/returned", "/hooked"])
def test_layered_timed_cookie_is_dated_per_response(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    timed = [Cookie(key="timed", value="1", expires=60)]

    @get("/plain", response_cookies=timed)
    async def plain() -> str:
        return "x"

    @get("/returned", response_cookies=timed)
    async def returned() -> Response[str]:
        return Response("x")

    def hook(response: Response[Any]) -> Response[Any]:
        return response

    @get("/hooked", response_cookies=timed, after_request=hook)
    async def hooked() -> str:
        return "x"

    app = Outpour(route_handlers=[plain, returned, hooked])
    with TestClient(app) as client:
        dated(monkeypatch, 1_000_000_000.0)
        first = expires_of(client.get(path).headers["set-cookie"])
        dated(monkeypatch, 1_000_003_600.0)
        second = expires_of(client.get(path).headers["set-cookie"])
    assert first == 1_000_000_060.0
    assert second == 1_000_003_660.0


@pytest.mark.parametrize("path", ["/r/c/h", "/r/c/returned", "/r/c/hooked"])
def test_a_timed_cookie_keeps_its_layered_place(path: str) -> None:
    app = four_layers(
        handler={"response_cookies": [Cookie(key="first", value="1")], "etag": ETag("v1")},
        controller={"response_cookies": [Cookie(key="timed", value="2", expires=60)]},
        app={"response_cookies": [Cookie(key="last", value="3")]},
    )
    with TestClient(app) as client:
        for response in (client.get(path), client.get(path, headers={"if-none-match": '"v1"'})):
            lines = response.headers.get_list("set-cookie")
            assert [line.split("=", 1)[0] for line in lines] == ["first", "timed", "last"]
            assert "expires=" in lines[1]


# -- delete_cookie ------------------------------------------------------------------------------------------------------


def deletion_lines(response: Response[Any], layered: list[Cookie] | None = None) -> list[str]:
    asgi = response.to_asgi_response(None, cookies=layered)
    return [value.decode("latin-1") for name, value in asgi.encode_headers() if name == b"set-cookie"]


def attributes(line: str) -> set[str]:
    return {part for part in line.split("; ")[1:] if not part.lower().startswith("expires=")}


@pytest.mark.parametrize(
    ("prepare", "expected_attributes"),
    [
        pytest.param(lambda r: r.delete_cookie("k"), {"Max-Age=0", "Path=/", "SameSite=lax"}, id="plain"),
        pytest.param(
            lambda r: r.delete_cookie("k", path="/app", domain="example.com"),
            {"Max-Age=0", "Path=/app", "Domain=example.com", "SameSite=lax"},
            id="path-and-domain",
        ),
        pytest.param(
            lambda r: r.set_cookie(
                Cookie(key="k", value="", max_age=0, expires=0, secure=True, samesite="none", partitioned=True)
            ),
            {"Max-Age=0", "Path=/", "SameSite=none", "Secure", "Partitioned"},
            id="explicit-attributes-as-a-cookie",
        ),
        pytest.param(
            lambda r: (
                r.set_cookie(
                    Cookie(key="k", value="v", secure=True, httponly=True, samesite="strict", partitioned=True)
                ),
                r.delete_cookie("k"),
            ),
            {"Max-Age=0", "Path=/", "SameSite=strict", "Secure", "HttpOnly", "Partitioned"},
            id="as-set-on-this-response",
        ),
        pytest.param(
            lambda r: r.delete_cookie("__Host-id"), {"Max-Age=0", "Path=/", "SameSite=lax", "Secure"}, id="host-prefix"
        ),
        pytest.param(
            lambda r: r.delete_cookie("__Secure-id"),
            {"Max-Age=0", "Path=/", "SameSite=lax", "Secure"},
            id="secure-prefix",
        ),
    ],
)
def test_delete_cookie_repeats_attributes(
    prepare: Callable[[Response[Any]], Any], expected_attributes: set[str]
) -> None:
    response: Response[str] = Response("x")
    prepare(response)
    (line,) = deletion_lines(response)
    name_value = line.split("; ", 1)[0]
    assert name_value.endswith('=""')
    assert attributes(line) == expected_attributes
    assert "expires=" in line


def test_delete_cookie_takes_attributes_of_the_layered_cookie() -> None:
    stored = Cookie(key="sid", value="s", secure=True, httponly=True, samesite="none", partitioned=True)
    other_path = Cookie(key="sid", value="s", path="/admin")
    response: Response[str] = Response("x")
    response.delete_cookie("sid")
    lines = deletion_lines(response, [stored, other_path])
    assert len(lines) == 2
    deletion, kept = lines
    assert deletion.startswith('sid="";')
    assert attributes(deletion) == {"Max-Age=0", "Path=/", "SameSite=none", "Secure", "HttpOnly", "Partitioned"}
    assert kept == "sid=s; Path=/admin; SameSite=lax"


def test_delete_cookie_through_the_client_replaces_the_layered_cookie() -> None:
    @get("/logout", response_cookies=[Cookie(key="sid", value="s", secure=True, samesite="strict")])
    async def logout() -> Response[str]:
        response = Response("bye")
        response.delete_cookie("sid")
        return response

    with create_test_client([logout]) as client:
        (line,) = client.get("/logout").headers.get_list("set-cookie")
    assert line.startswith('sid="";')
    assert attributes(line) == {"Max-Age=0", "Path=/", "SameSite=strict", "Secure"}


def test_set_cookie_refuses_contradictions() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="secure=True"):
        Response("x").set_cookie("k", "v", samesite="none")


def test_merge_cookies_keeps_a_deletion_that_already_matches() -> None:
    deletion = Cookie(key="k", value="", max_age=0, secure=True)
    assert merge_cookies([deletion], [Cookie(key="k", value="v")])[0] is deletion
    assert merge_cookies([], [Cookie(key="k")]) == [Cookie(key="k")]
    assert merge_cookies([deletion], None) == [deletion]


# -- conditional requests: the 304/412 decision table -------------------------------------------------------------------

ETAG_VALUE = '"v1"'
MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT"
EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT"
LATER = "Sun, 06 Nov 1994 08:49:38 GMT"
EXTRA_HEADERS = {
    "last-modified": MODIFIED,
    "vary": "accept",
    "content-location": "/doc.json",
    "expires": "Thu, 01 Dec 2094 16:00:00 GMT",
    "date": "Sun, 06 Nov 1994 08:49:40 GMT",
    "x-custom": "kept",
}
calls: list[str] = []


def conditional_app(**app_options: Any) -> Outpour:
    """Three routes sending the same validators: layered (fast path), on a returned Response, set by a hook."""
    cookie = Cookie(key="seen", value="1")

    @get(
        "/layered",
        etag=ETag("v1"),
        cache_control=CacheControlHeader(max_age=60),
        response_headers=EXTRA_HEADERS,
        response_cookies=[cookie],
    )
    async def layered() -> str:
        return "body"

    @get("/returned")
    async def returned() -> Response[str]:
        response = Response(
            "body",
            media_type=MediaType.TEXT,
            headers={**EXTRA_HEADERS, "cache-control": "max-age=60"},
            cookies=[cookie],
            background=BackgroundTask(calls.append, "background"),
        )
        response.set_etag(ETag("v1"))
        return response

    def hook(response: Response[Any]) -> Response[Any]:
        response.headers.update({**EXTRA_HEADERS, "etag": ETAG_VALUE, "cache-control": "max-age=60"})
        response.set_cookie(cookie)
        return response

    @get("/hooked", media_type=MediaType.TEXT, after_request=hook)
    async def hooked() -> str:
        return "body"

    return Outpour(route_handlers=[layered, returned, hooked], **app_options)


KINDS = [
    pytest.param("/layered", id="layered"),
    pytest.param("/returned", id="returned"),
    pytest.param("/hooked", id="hook"),
]


def row(headers: dict[str, str], expected: int, *, id: str, method: str = "GET") -> Any:
    return pytest.param(method, headers, expected, id=id)


@pytest.mark.parametrize("path", KINDS)
@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        row({}, 200, id="unconditional"),
        row({"if-none-match": ETAG_VALUE}, 304, id="inm-match"),
        row({"if-none-match": 'W/"v1"'}, 304, id="inm-weak-comparison"),
        row({"if-none-match": '"v0", "v1"'}, 304, id="inm-list"),
        row({"if-none-match": "*"}, 304, id="inm-star"),
        row({"if-none-match": '"v2"'}, 200, id="inm-no-match"),
        row({"if-none-match": '"v2"', "if-modified-since": MODIFIED}, 200, id="inm-takes-precedence-over-ims"),
        row({"if-none-match": ETAG_VALUE, "if-modified-since": EARLIER}, 304, id="inm-match-ims-earlier"),
        row({"if-modified-since": MODIFIED}, 304, id="ims-same"),
        row({"if-modified-since": LATER}, 304, id="ims-later"),
        row({"if-modified-since": EARLIER}, 200, id="ims-earlier"),
        row({"if-match": ETAG_VALUE}, 200, id="im-match"),
        row({"if-match": '"v2"'}, 412, id="im-no-match"),
        row({"if-match": 'W/"v1"'}, 412, id="im-strong-comparison"),
        row({"if-match": "*"}, 200, id="im-star"),
        row({"if-unmodified-since": EARLIER}, 412, id="ius-earlier"),
        row({"if-unmodified-since": MODIFIED}, 200, id="ius-same"),
        row({"if-match": ETAG_VALUE, "if-unmodified-since": EARLIER}, 200, id="im-takes-precedence-over-ius"),
        row({"if-none-match": 'v1 "'}, 200, id="malformed-inm-ignored"),
        row({"if-none-match": "garbage", "if-modified-since": MODIFIED}, 304, id="malformed-inm-lets-ims-decide"),
        row({"if-modified-since": "yesterday"}, 200, id="malformed-ims-ignored"),
        row({"if-match": "garbage"}, 200, id="malformed-im-ignored"),
        row({"if-unmodified-since": "31 Feb"}, 200, id="malformed-ius-ignored"),
        row({"if-none-match": ETAG_VALUE}, 304, id="head-inm-match", method="HEAD"),
        row({"if-match": '"v2"'}, 412, id="head-im-no-match", method="HEAD"),
    ],
)
def test_decision_table(path: str, method: str, headers: dict[str, str], expected: int) -> None:
    with TestClient(conditional_app()) as client:
        response = client.request(method, path, headers=headers)
    assert response.status_code == expected
    if expected == 200:
        assert response.headers["etag"] == ETAG_VALUE
        assert response.content == (b"" if method == "HEAD" else b"body")
    elif expected == 412:
        assert "etag" not in response.headers
        if method == "GET":
            assert response.json()["status_code"] == 412


@pytest.mark.parametrize("path", KINDS)
def test_not_modified_keeps_the_validator_and_cache_headers_and_drops_the_body(path: str) -> None:
    with TestClient(conditional_app()) as client:
        full = client.get(path)
        response = client.get(path, headers={"if-none-match": ETAG_VALUE})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == ETAG_VALUE
    assert response.headers["cache-control"] == "max-age=60"
    for name in ("vary", "content-location", "expires", "date", "x-custom"):
        assert response.headers[name] == EXTRA_HEADERS[name]
    assert response.headers.get_list("set-cookie") == ["seen=1; Path=/; SameSite=lax"]
    for name in ("content-type", "content-length", "last-modified"):
        assert name in full.headers
        assert name not in response.headers


def test_not_modified_still_runs_background_tasks() -> None:
    calls.clear()
    with TestClient(conditional_app()) as client:
        response = client.get("/returned", headers={"if-none-match": ETAG_VALUE})
    assert response.status_code == 304
    assert calls == ["background"]


def test_last_modified_alone_is_a_validator_and_kept_on_304() -> None:
    @get("/")
    async def handler() -> Response[str]:
        return Response("x", headers={"Last-Modified": MODIFIED})

    with create_test_client([handler]) as client:
        response = client.get("/", headers={"if-modified-since": MODIFIED, "if-none-match": ""})
    assert response.status_code == 304
    assert response.headers["last-modified"] == MODIFIED


def test_unquoted_etag_set_as_a_plain_header_is_compared_as_a_strong_tag() -> None:
    @get("/")
    async def handler() -> Response[str]:
        return Response("123", media_type=MediaType.TEXT, headers={"etag": "123"})

    with create_test_client([handler]) as client:
        assert client.get("/", headers={"if-none-match": '"123"'}).status_code == 304
        assert client.get("/", headers={"if-none-match": '"124"'}).status_code == 200


def test_only_2xx_responses_are_evaluated() -> None:
    @get("/")
    async def handler() -> Response[str]:
        response = Response("gone", status_code=404)
        response.set_etag("v1")
        return response

    with create_test_client([handler]) as client:
        response = client.get("/", headers={"if-none-match": ETAG_VALUE})
    assert response.status_code == 404
    assert response.content == b"gone"


def test_412_goes_through_the_layered_exception_handlers() -> None:
    def on_412(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        return Response("custom 412", status_code=412, media_type=MediaType.TEXT)

    with TestClient(conditional_app(exception_handlers={412: on_412})) as client:
        response = client.get("/returned", headers={"if-match": '"v2"'})
    assert response.status_code == 412
    assert response.text == "custom 412"


def test_short_header_names_are_not_taken_for_preconditions() -> None:
    with TestClient(conditional_app()) as client:
        response = client.get("/returned", headers={"te": "trailers", "x": "1", "if-none-match": ETAG_VALUE})
    assert response.status_code == 304


def test_412_says_which_condition_failed() -> None:
    with TestClient(conditional_app()) as client:
        response = client.get("/returned", headers={"if-match": '"v2"'})
    assert response.json() == {
        "status_code": 412,
        "detail": "Precondition Failed: an If-Match, If-None-Match or If-Unmodified-Since condition of the request "
        "does not hold for the current representation.",
    }


# -- other methods: evaluated before the handler when the validators are static -----------------------------------------


def unsafe_app() -> Outpour:
    @put("/static", etag=ETag("v1"))
    async def put_static() -> str:
        calls.append("put_static")
        return "updated"

    @delete("/modified", response_headers={"last-modified": MODIFIED}, status_code=200)
    async def delete_modified() -> str:
        calls.append("delete_modified")
        return "deleted"

    @put("/dynamic")
    async def put_dynamic() -> Response[str]:
        calls.append("put_dynamic")
        response = Response("updated", media_type=MediaType.TEXT)
        response.set_etag("v2")  # the tag of the new state
        return response

    @post("/created")
    async def create() -> Response[str]:
        calls.append("create")
        response = Response("created", media_type=MediaType.TEXT)
        response.set_etag("v1")
        return response

    return Outpour(route_handlers=[put_static, delete_modified, put_dynamic, create])


@pytest.mark.parametrize(
    ("method", "path", "headers", "expected", "ran"),
    [
        pytest.param("PUT", "/static", {"if-match": ETAG_VALUE}, 200, True, id="im-match"),
        pytest.param("PUT", "/static", {"if-match": '"v0"'}, 412, False, id="im-no-match"),
        pytest.param("PUT", "/static", {"if-none-match": "*"}, 412, False, id="inm-star"),
        pytest.param("PUT", "/static", {"if-none-match": ETAG_VALUE}, 412, False, id="inm-match"),
        pytest.param("PUT", "/static", {"if-none-match": '"v0"'}, 200, True, id="inm-no-match"),
        pytest.param("PUT", "/static", {"if-match": "garbage"}, 200, True, id="malformed-ignored"),
        pytest.param("DELETE", "/modified", {"if-unmodified-since": EARLIER}, 412, False, id="ius-earlier"),
        pytest.param("DELETE", "/modified", {"if-unmodified-since": LATER}, 200, True, id="ius-later"),
        pytest.param("DELETE", "/modified", {"if-modified-since": LATER}, 200, True, id="ims-ignored"),
        # A response's own validators describe the state after the handler acted: never a 412 after the fact.
        pytest.param("PUT", "/dynamic", {"if-match": ETAG_VALUE}, 200, True, id="dynamic-not-evaluated"),
        pytest.param("POST", "/created", {"if-none-match": ETAG_VALUE}, 201, True, id="post-not-evaluated"),
    ],
)
def test_other_methods(method: str, path: str, headers: dict[str, str], expected: int, ran: bool) -> None:
    calls.clear()
    with TestClient(unsafe_app()) as client:
        response = client.request(method, path, headers=headers)
    assert response.status_code == expected
    assert bool(calls) is ran
    if expected == 412:
        assert response.json()["status_code"] == 412


# -- the helpers --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param([], None, id="none"),
        pytest.param([(b"x-etag", b'"a"')], None, id="other-names"),
        pytest.param([(b"ETag", b'"a"')], Validators('"a"', None), id="etag-any-case"),
        pytest.param([(b"Last-Modified", MODIFIED.encode())], Validators(None, 784111777), id="last-modified"),
        pytest.param([(b"last-modified", b"yesterday")], None, id="bad-date-only"),
        pytest.param(
            [(b"etag", b'W/"a"'), (b"last-modified", b"junk")], Validators('W/"a"', None), id="etag-and-bad-date"
        ),
        pytest.param([(b"content-range", b"x"), (b"etag", b'"a"')], Validators('"a"', None), id="same-length-name"),
    ],
)
def test_validators_from_encoded(headers: list[tuple[bytes, bytes]], expected: Validators | None) -> None:
    assert validators_from_encoded(headers) == expected


def test_validators_from_values() -> None:
    assert validators_from_values({}) is None
    assert validators_from_values({"etag": '"a"', "last-modified": MODIFIED}) == Validators('"a"', 784111777)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param([], None, id="no-headers"),
        pytest.param([(b"host", b"x"), (b"if-range", b'"a"'), (b"accept", b"*/*")], None, id="no-preconditions"),
        pytest.param([(b"If-None-Match", b'"a"')], 304, id="any-case"),
        pytest.param([(b"if-none-match", b'"b"'), (b"if-none-match", b'"a"')], 304, id="repeated-fields-combined"),
    ],
)
def test_precondition_status(headers: list[tuple[bytes, bytes]], expected: int | None) -> None:
    scope: Any = {"type": "http", "method": "GET", "headers": headers}
    assert precondition_status(scope, Validators('"a"', None)) == expected


def test_not_modified_headers() -> None:
    headers = [
        (b"Content-Type", b"text/plain"),
        (b"content-length", b"4"),
        (b"content-encoding", b"gzip"),
        (b"last-modified", MODIFIED.encode()),
        (b"vary", b"accept"),
    ]
    # without an ETag, Last-Modified is what a cache revalidates with: kept
    assert not_modified_headers(headers) == [(b"last-modified", MODIFIED.encode()), (b"vary", b"accept")]
    assert not_modified_headers([*headers, (b"ETag", b'"a"')]) == [(b"vary", b"accept"), (b"ETag", b'"a"')]


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_asgi_response_without_the_plan(anyio_backend: str) -> None:
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:  # pragma: no cover - never called
        return {"type": "http.request"}

    response = ASGIResponse(body=b"hello", headers={"etag": '"a"'}, media_type="text/plain")
    scope: Any = {"type": "http", "method": "GET", "headers": [(b"if-none-match", b'"a"')]}
    await response(scope, receive, send)
    assert sent[0]["status"] == 304
    assert sent[0]["headers"] == [(b"etag", b'"a"')]
    assert sent[1]["body"] == b""

    sent.clear()
    await response({**scope, "method": "POST"}, receive, send)
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"hello"
