"""Redirect responses: status codes, the handler's status code, Location encoding and query parameters."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour import MediaType, Outpour, get, post
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response import Redirect
from outpour.response.redirect import ASGIRedirectResponse, encode_location
from outpour.testing import TestClient


def client_for(*handlers: Any) -> TestClient[Any]:
    return TestClient(Outpour(list(handlers)))


@pytest.mark.parametrize(
    ("redirect_status", "handler_status", "expected"),
    [
        pytest.param(None, None, 302, id="default-302"),
        pytest.param(301, None, 301, id="own-301"),
        pytest.param(None, 301, 301, id="handler-301"),
        pytest.param(None, 308, 308, id="handler-308"),
        pytest.param(307, 301, 307, id="own-beats-handler"),
        pytest.param(None, 200, 302, id="handler-not-a-redirect"),
        pytest.param(303, None, 303, id="own-303"),
    ],
)
def test_status_code(redirect_status: Any, handler_status: int | None, expected: int) -> None:
    options: dict[str, Any] = {"status_code": handler_status} if handler_status else {}

    @get("/from", **options)
    def handler() -> Redirect:
        return Redirect(path="/to", status_code=redirect_status)

    with client_for(handler) as client:
        response = client.get("/from", follow_redirects=False)
    assert response.status_code == expected
    assert response.headers["location"] == "/to"
    assert response.content == b""
    assert response.headers["content-length"] == "0"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_post_handler_default_201_is_not_used() -> None:
    @post("/from")
    def handler() -> Redirect:
        return Redirect(path="/to")

    with client_for(handler) as client:
        assert client.post("/from", follow_redirects=False).status_code == 302


@pytest.mark.parametrize("status_code", [200, 300, 304, 305, 400, 500])
def test_non_redirect_status_refused_at_construction(status_code: int) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=f"`{status_code}` is not a redirect status code"):
        Redirect(path="/x", status_code=status_code)  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfiguredException, match="301, 302, 303, 307 or 308"):
        ASGIRedirectResponse(path="/x", status_code=status_code)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/a/b", "/a/b", id="plain"),
        pytest.param("/a b", "/a%20b", id="space"),
        pytest.param("/caf\u00e9", "/caf%C3%A9", id="non-ascii"),
        pytest.param("/x\r\nSet-Cookie: a=b", "/x%0D%0ASet-Cookie:%20a=b", id="crlf-injection"),
        pytest.param("/x\x00y", "/x%00y", id="nul"),
        pytest.param("/\\evil.example", "/%5Cevil.example", id="backslash"),
        pytest.param("/a%20b", "/a%20b", id="existing-escape-kept"),
        pytest.param("/100%", "/100%25", id="stray-percent"),
        pytest.param("/p?q=1&r=[x]#frag", "/p?q=1&r=[x]#frag", id="reserved-kept"),
        pytest.param("https://example.com/a?b=c", "https://example.com/a?b=c", id="absolute-url"),
        pytest.param('/"quoted"<tag>', "/%22quoted%22%3Ctag%3E", id="quotes-and-angles"),
        pytest.param(b"/bytes path", "/bytes%20path", id="bytes"),
    ],
)
def test_location_encoding(path: str | bytes, expected: str) -> None:
    assert encode_location(path) == expected


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        pytest.param("/r", {"q": "a b"}, "/r?q=a+b", id="mapping"),
        pytest.param("/r", {"tag": ["x", "y"]}, "/r?tag=x&tag=y", id="list-value"),
        pytest.param("/r", [("a", "1"), ("a", "2")], "/r?a=1&a=2", id="pairs"),
        pytest.param("/r?x=1", {"y": "2"}, "/r?x=1&y=2", id="existing-query"),
        pytest.param("/r?", {"y": "2"}, "/r?y=2", id="empty-query"),
        pytest.param("/r#top", {"y": "2"}, "/r?y=2#top", id="fragment-last"),
        pytest.param("/r", {"n": 5}, "/r?n=5", id="number"),
        pytest.param("/r", {}, "/r", id="empty"),
        pytest.param("/r", {"evil": "\r\n"}, "/r?evil=%0D%0A", id="crlf-in-value"),
    ],
)
def test_query_params(path: str, query: Any, expected: str) -> None:
    assert encode_location(path, query) == expected
    assert Redirect(path, query_params=query).url == expected


def test_query_params_from_multi_items() -> None:
    class Multi:
        def multi_items(self) -> list[tuple[str, str]]:
            return [("k", "1"), ("k", "2")]

    assert encode_location("/m", Multi()) == "/m?k=1&k=2"


def test_redirect_through_app_with_query_cookies_and_headers() -> None:
    @get("/from")
    def handler() -> Redirect:
        return Redirect(
            path="/search", query_params={"q": "caf\u00e9"}, headers={"x-why": "moved"}, cookies={"seen": "1"}
        )

    with client_for(handler) as client:
        response = client.get("/from", follow_redirects=False)
    assert response.headers["location"] == "/search?q=caf%C3%A9"
    assert response.headers["x-why"] == "moved"
    assert response.cookies["seen"] == "1"


def test_head_redirect() -> None:
    @get("/from")
    def handler() -> Redirect:
        return Redirect(path="/to")

    with client_for(handler) as client:
        response = client.head("/from", follow_redirects=False)
    assert (response.status_code, response.headers["location"], response.content) == (302, "/to", b"")


def test_media_type_of_handler_and_redirect() -> None:
    @get("/html", media_type="text/html")
    def html() -> Redirect:
        return Redirect(path="/to")

    @get("/own", media_type="text/html")
    def own() -> Redirect:
        return Redirect(path="/to", media_type=MediaType.TEXT)

    with client_for(html, own) as client:
        assert client.get("/html", follow_redirects=False).headers["content-type"] == "text/html; charset=utf-8"
        assert client.get("/own", follow_redirects=False).headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("media_type", ["application/json", MediaType.XML, "text/html; charset=utf-8"])
def test_only_text_and_html_media_types(media_type: str) -> None:
    """As in Litestar: a redirect's empty body is sent as ``text/plain`` or ``text/html``."""
    fragment = r"is not a media type a redirect can have: .* `text/plain` or `text/html`"
    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        ASGIRedirectResponse(path="/to", media_type=media_type)
    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        Redirect(path="/to", media_type=media_type)
    assert ASGIRedirectResponse(path="/to", media_type=MediaType.HTML).media_type == "text/html"


class _MyRedirect(Redirect):
    pass


@pytest.mark.parametrize(
    "annotation", [pytest.param(Redirect, id="Redirect"), pytest.param(_MyRedirect, id="subclass")]
)
@pytest.mark.parametrize("media_type", [pytest.param(MediaType.JSON, id="json"), pytest.param("image/png", id="png")])
def test_a_handler_media_type_a_redirect_cannot_have_is_refused_when_the_app_is_created(
    annotation: type[Redirect], media_type: MediaType | str
) -> None:
    def to() -> Any:
        return annotation(path="/to")

    to.__annotations__["return"] = annotation
    handler = get("/json", media_type=media_type)(to)
    shown = media_type.value if isinstance(media_type, MediaType) else media_type
    with pytest.raises(
        ImproperlyConfiguredException,
        match=(
            f"Handler `.*to` \\(GET /json\\) returns a `{annotation.__name__}` and sets `media_type='{shown}'`, but a "
            "redirect's \\(empty\\) body is sent as `text/plain` or `text/html` only"
        ),
    ):
        Outpour([handler])


def test_a_handler_returning_redirects_or_data_keeps_its_media_type_for_the_data() -> None:
    @get("/maybe/{go:int}", media_type=MediaType.JSON)
    def maybe(go: int) -> Redirect | dict[str, int]:
        return Redirect(path="/to") if go else {"a": 1}

    with client_for(maybe) as client:
        redirected = client.get("/maybe/1", follow_redirects=False)
        data = client.get("/maybe/0")
    assert (redirected.status_code, redirected.headers["location"]) == (302, "/to")
    assert redirected.headers["content-type"] == "text/plain; charset=utf-8"
    assert (data.headers["content-type"], data.json()) == ("application/json", {"a": 1})


def test_location_header_given_in_headers_is_replaced() -> None:
    response = ASGIRedirectResponse(path="/real", headers={"Location": "/fake"})
    assert [v for n, v in response.encode_headers() if n == b"location"] == [b"/real"]


_HOSTILE_TEXT = st.text(st.one_of(st.characters(), st.sampled_from(["\udcff", "\ud800", "\r", "\n", "%", "#", "?"])))


@given(_HOSTILE_TEXT, st.lists(st.tuples(_HOSTILE_TEXT, _HOSTILE_TEXT), max_size=4))
def test_location_is_always_a_safe_header_value(path: str, query: list[tuple[str, str]]) -> None:
    location = encode_location(path, query)
    location.encode("ascii")
    assert not any(ch in location for ch in '\r\n\x00 \\"<>')


@given(st.text(st.characters(codec="ascii", exclude_characters="%"), max_size=30))
def test_encoding_is_idempotent(path: str) -> None:
    once = encode_location(path)
    assert encode_location(once) == once


@given(st.lists(st.tuples(st.text(), st.text()), min_size=1, max_size=5))
def test_query_params_round_trip(query: list[tuple[str, str]]) -> None:
    location = encode_location("/r", query)
    assert parse_qsl(location.partition("?")[2], keep_blank_values=True) == query


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        pytest.param("/caf\udce9", None, "/caf%E9", id="undecodable-byte-kept"),
        pytest.param("/x\ud800", None, "/x%EF%BF%BD", id="lone-surrogate-replaced"),
        pytest.param("/r", {"q": "\udce9\ud800"}, "/r?q=%E9%EF%BF%BD", id="surrogates-in-query"),
    ],
)
def test_surrogates_never_raise(path: str, query: Any, expected: str) -> None:
    assert encode_location(path, query) == expected


def test_query_params_that_add_nothing() -> None:
    assert encode_location("/r", {"tag": []}) == "/r"


def test_to_asgi_response_without_a_request() -> None:
    response = Redirect("/to", status_code=308).to_asgi_response(None, headers={"x-layer": "1"})
    headers = dict(response.encode_headers())
    assert (response.status_code, headers[b"location"], headers[b"x-layer"]) == (308, b"/to", b"1")
    assert headers[b"content-type"] == b"text/plain; charset=utf-8"
