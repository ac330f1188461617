"""``ASGIConnection`` and the non-body parts of ``Request``: lazy, cached views of the scope."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from outpour.connection import ASGIConnection, Request
from outpour.connection.base import empty_receive, empty_send, parse_cookie_header
from outpour.connection.request import parse_content_header
from outpour.datastructures import URL, Accept, Address, Cookie, Headers, MultiDict, State
from outpour.datastructures._validation import TCHARS
from outpour.exceptions import ImproperlyConfiguredException


def make_scope(headers: list[tuple[bytes, bytes]] | None = None, **overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("10.0.0.1", 5555),
        "root_path": "",
        "path": "/items",
        "query_string": b"",
        "headers": headers or [],
    }
    scope.update(overrides)
    return scope


def test_construction_parses_nothing() -> None:
    request = Request({"type": "http"})
    assert request.scope == {"type": "http"}
    assert request.receive is empty_receive
    assert request.send is empty_send


def test_slots_only() -> None:
    request = Request(make_scope())
    assert not hasattr(request, "__dict__")
    with pytest.raises(AttributeError):
        request.anything = 1  # type: ignore[attr-defined]


def test_generic_subscription() -> None:
    request = Request[int, str, State](make_scope())
    assert request.method == "GET"
    assert ASGIConnection[Any, Any, Any, State](make_scope()).headers == {}


def test_receive_and_send_are_kept() -> None:
    async def receive() -> dict[str, Any]:
        return {}

    async def send(message: dict[str, Any]) -> None:
        return None

    request = Request(make_scope(), receive, send)
    assert request.receive is receive
    assert request.send is send


@pytest.mark.anyio
async def test_default_receive_and_send() -> None:
    assert await empty_receive() == {"type": "http.disconnect"}
    message = {"type": "http.response.start"}
    await empty_send(message)
    assert message == {"type": "http.response.start"}


def test_app_route_handler_method_path_params() -> None:
    app = object()
    handler = SimpleNamespace(name="h")
    request = Request(make_scope(app=app, route_handler=handler, path_params={"id": 1}, method="POST"))
    assert request.app is app
    assert request.route_handler is handler
    assert request.method == "POST"
    assert request.path_params == {"id": 1}
    assert Request(make_scope()).path_params == {}


def test_headers_are_cached() -> None:
    request = Request(make_scope([(b"x-a", b"1"), (b"x-a", b"2")]))
    assert isinstance(request.headers, Headers)
    assert request.headers is request.headers
    assert request.headers.getall("X-A") == ["1", "2"]


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        pytest.param(("1.2.3.4", 80), Address("1.2.3.4", 80), id="tuple"),
        pytest.param(["::1", 8000], Address("::1", 8000), id="list"),
        pytest.param(("/tmp/socket", None), Address("/tmp/socket", 0), id="no-port"),
        pytest.param(None, None, id="none"),
    ],
)
def test_client(client: Any, expected: Address | None) -> None:
    request = Request(make_scope(client=client))
    assert request.client == expected
    assert request.client == expected


def test_client_missing_from_scope() -> None:
    assert Request({"type": "http"}).client is None


def test_state_wraps_scope_state() -> None:
    scope = make_scope()
    request: Request[Any, Any, State] = Request(scope)
    request.state.value = 1
    assert scope["state"] == {"value": 1}
    assert Request(scope).state.value == 1
    assert isinstance(request.state, State)


@pytest.mark.parametrize("key", ["user", "auth", "session"])
def test_scope_values_set_by_middleware(key: str) -> None:
    value = {"id": 1}
    scope = make_scope()
    scope[key] = value
    assert getattr(Request(scope), key) is value
    scope[key] = None
    assert getattr(Request(scope), key) is None


@pytest.mark.parametrize(
    ("key", "middleware"),
    [
        pytest.param("user", "an authentication", id="user"),
        pytest.param("auth", "an authentication", id="auth"),
        pytest.param("session", "a session", id="session"),
    ],
)
def test_scope_values_missing_raise(key: str, middleware: str) -> None:
    with pytest.raises(
        ImproperlyConfiguredException, match=f"`{key}` is not set in scope; install {middleware} middleware"
    ):
        getattr(Request(make_scope()), key)


def test_query_params() -> None:
    request = Request(make_scope(query_string=b"a=1&a=2&b=x+y&c=%ZZ&d=%FF&e=\xc3\xa9"))
    params = request.query_params
    assert isinstance(params, MultiDict)  # Litestar's type: a handler's `query: MultiDict` receives it
    assert params is request.query_params
    assert params.getall("a") == ["1", "2"]
    assert params["b"] == "x y"
    assert params["c"] == "%ZZ"
    assert params["d"] == "\ufffd"
    assert params["e"] == "é"
    assert Request({"type": "http"}).query_params == {}


@given(st.binary(max_size=200))
def test_query_params_never_raise(query: bytes) -> None:
    params = Request(make_scope(query_string=query)).query_params
    assert all(isinstance(value, str) for value in params.values())


def test_url_and_base_url() -> None:
    scope = make_scope(
        [(b"host", b"example.com")],
        scheme="https",
        root_path="/api",
        path="/items/1",
        query_string=b"q=1",
    )
    request = Request(scope)
    assert request.url == "https://example.com/api/items/1?q=1"
    assert isinstance(request.url, URL)
    assert request.url is request.url
    assert request.base_url == "https://example.com/api/"
    assert request.base_url is request.base_url


@pytest.mark.parametrize(
    ("root_path", "expected"),
    [
        pytest.param("", "http://testserver/", id="no-root"),
        pytest.param("/api", "http://testserver/api/", id="root"),
        pytest.param("/api/", "http://testserver/api/", id="root-with-slash"),
        pytest.param("/a b", "http://testserver/a%20b/", id="root-quoted"),
    ],
)
def test_base_url(root_path: str, expected: str) -> None:
    assert str(Request(make_scope(root_path=root_path)).base_url) == expected


@pytest.mark.parametrize(
    ("root_path", "reversed_path", "expected"),
    [
        pytest.param("", "/items/1", "http://testserver/items/1", id="no-root"),
        pytest.param("/api", "/items/1", "http://testserver/api/items/1", id="root"),
        pytest.param("/api", "/", "http://testserver/api/", id="root-path-slash"),
    ],
)
def test_url_for(root_path: str, reversed_path: str, expected: str) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    def route_reverse(name: str, **params: Any) -> str:
        calls.append((name, params))
        return reversed_path

    app = SimpleNamespace(route_reverse=route_reverse)
    request = Request(make_scope(app=app, root_path=root_path, query_string=b"x=1"))
    assert request.url_for("item", item_id=1) == expected
    assert calls == [("item", {"item_id": 1})]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param([], {}, id="none"),
        pytest.param([(b"cookie", b"a=1; b=2")], {"a": "1", "b": "2"}, id="simple"),
        pytest.param([(b"cookie", b"a=1"), (b"cookie", b"b=2")], {"a": "1", "b": "2"}, id="several-headers"),
        pytest.param([(b"cookie", b"a=1; a=2")], {"a": "1"}, id="first-wins"),
        pytest.param([(b"cookie", b"  a = 1 ;\tb=2\t")], {"a": "1", "b": "2"}, id="whitespace"),
        pytest.param([(b"cookie", b"a=x y")], {"a": "x y"}, id="inner-space-kept"),
        pytest.param([(b"cookie", b"a=1=2")], {"a": "1=2"}, id="equals-in-value"),
        pytest.param([(b"cookie", b"a=")], {"a": ""}, id="empty-value"),
        pytest.param([(b"cookie", b"flag; a=1")], {"a": "1"}, id="no-equals-skipped"),
        pytest.param([(b"cookie", b"=1; a=2")], {"a": "2"}, id="empty-name-skipped"),
        pytest.param([(b"cookie", b";;; a=1;;")], {"a": "1"}, id="empty-chunks"),
        pytest.param([(b"cookie", b'a="quoted value"')], {"a": "quoted value"}, id="quoted"),
        pytest.param([(b"cookie", b'a="x\\073y\\"z\\\\"')], {"a": 'x;y"z\\'}, id="escapes"),
        pytest.param([(b"cookie", b'a="\\351"')], {"a": "é"}, id="octal-escape"),
        pytest.param([(b"cookie", b'a="')], {"a": '"'}, id="lone-quote"),
        pytest.param([(b"cookie", b"a=%20")], {"a": "%20"}, id="no-percent-decoding"),
        pytest.param([(b"cookie", "a=é".encode())], {"a": "é"}, id="utf8"),
        pytest.param([(b"cookie", b"a=\xe9")], {"a": "é"}, id="latin-1-fallback"),
        pytest.param([(b"x-cookie", b"a=1")], {}, id="other-header"),
    ],
)
def test_cookies(headers: list[tuple[bytes, bytes]], expected: dict[str, str]) -> None:
    request = Request(make_scope(headers))
    assert request.cookies == expected
    assert request.cookies is request.cookies


def test_parse_cookie_header_new_dict() -> None:
    assert parse_cookie_header("a=1") == {"a": "1"}


def test_parse_cookie_header_adds_to_dict() -> None:
    cookies = {"a": "0"}
    assert parse_cookie_header("a=1; b=2", cookies) is cookies
    assert cookies == {"a": "0", "b": "2"}


@given(st.lists(st.binary(max_size=60), max_size=3))
def test_cookies_never_raise(values: list[bytes]) -> None:
    cookies = Request(make_scope([(b"cookie", value) for value in values])).cookies
    assert all(isinstance(key, str) and key and isinstance(value, str) for key, value in cookies.items())


@given(
    st.text(alphabet=TCHARS, min_size=1, max_size=10),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=20),
)
def test_cookie_round_trip(key: str, value: str) -> None:
    try:
        cookie = Cookie(key=key, value=value)
    except ImproperlyConfiguredException:
        assume(False)
        raise
    _, rendered = cookie.to_encoded_header()
    pair = rendered.split(b"; ")[0]
    assert Request(make_scope([(b"cookie", pair)])).cookies == {key: value}


def test_accept() -> None:
    request = Request(make_scope([(b"accept", b"text/html, application/json;q=0.5")]))
    assert isinstance(request.accept, Accept)
    assert request.accept is request.accept
    assert request.accept.best_match(["application/json", "text/html"]) == "text/html"
    assert Request(make_scope()).accept.accepts("image/png")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("", ("", {}), id="empty"),
        pytest.param("application/JSON", ("application/json", {}), id="lowercased"),
        pytest.param("text/plain; charset=UTF-8", ("text/plain", {"charset": "UTF-8"}), id="param"),
        pytest.param(
            'multipart/form-data; Boundary="a;b\\"c"', ("multipart/form-data", {"boundary": 'a;b"c'}), id="quoted"
        ),
        pytest.param("a/b ;x=1;x=2; y = 3 ", ("a/b", {"x": "1", "y": "3"}), id="first-wins-and-spaces"),
        pytest.param("a/b; junk; x=1", ("a/b", {"x": "1"}), id="junk-skipped"),
        pytest.param('a/b; x="unterminated', ("a/b", {"x": '"unterminated'}), id="unterminated-quote"),
        pytest.param('a/b; x=""', ("a/b", {"x": ""}), id="empty-quoted"),
    ],
)
def test_content_type(value: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_content_header(value) == expected
    request = Request(make_scope([(b"content-type", value.encode())]))
    assert request.content_type == expected
    assert request.content_type is request.content_type


def test_content_type_missing() -> None:
    assert Request(make_scope()).content_type == ("", {})


@given(st.text(max_size=100))
def test_parse_content_header_never_raises(value: str) -> None:
    media_type, params = parse_content_header(value)
    assert media_type == media_type.lower()
    assert all(name == name.lower() for name in params)


@given(
    st.text(alphabet=TCHARS, min_size=1, max_size=10),
    st.dictionaries(
        st.text(alphabet=TCHARS, min_size=1, max_size=8).map(str.lower),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10),
        max_size=4,
    ),
)
def test_parse_content_header_round_trip(media_type: str, params: dict[str, str]) -> None:
    quoted = {name: '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for name, value in params.items()}
    rendered = media_type + "".join(f"; {name}={value}" for name, value in quoted.items())
    assert parse_content_header(rendered) == (media_type.lower(), params)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param([(b"last-event-id", b"42")], "42", id="present"),
        pytest.param([], None, id="absent"),
    ],
)
def test_last_event_id(headers: list[tuple[bytes, bytes]], expected: str | None) -> None:
    assert Request(make_scope(headers)).last_event_id == expected
