"""``URL``, ``Address`` and ``parse_query_string``: parsing, building from scopes and components, replacements."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.datastructures import URL, Address, ImmutableMultiDict, MultiDict
from outpour.datastructures.url import MAX_QUERY_FIELDS, parse_query, parse_query_string
from outpour.exceptions import ClientException


def make_scope(**overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
        "path": "/",
        "query_string": b"",
        "headers": [],
    }
    scope.update(overrides)
    return scope


def test_parts_of_a_full_url() -> None:
    url = URL("https://user:pw@Example.COM:8443/a/b%20c?x=1&x=2&y=#frag")
    assert url.scheme == "https"
    assert url.netloc == "user:pw@Example.COM:8443"
    assert url.username == "user"
    assert url.password == "pw"
    assert url.hostname == "example.com"
    assert url.port == 8443
    assert url.path == "/a/b%20c"
    assert url.query == "x=1&x=2&y="
    assert url.fragment == "frag"
    assert url.query_params == ImmutableMultiDict([("x", "1"), ("x", "2"), ("y", "")])
    assert url.query_params is url.query_params
    assert str(url) == "https://user:pw@Example.COM:8443/a/b%20c?x=1&x=2&y=#frag"


def test_empty_and_relative_urls() -> None:
    assert str(URL()) == ""
    url = URL("/path?q=1")
    assert url.scheme == ""
    assert url.hostname is None
    assert url.port is None
    assert url.path == "/path"


def test_invalid_port_is_none() -> None:
    assert URL("http://host:notaport/").port is None


def test_unparseable_url_raises_value_error() -> None:
    with pytest.raises(ValueError, match="IPv6"):
        URL("http://[::1/")


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        pytest.param("http://a/b", True, id="same-string"),
        pytest.param(URL("http://a/b"), True, id="same-url"),
        pytest.param("http://a/c", False, id="other-string"),
        pytest.param(1, False, id="not-a-url"),
    ],
)
def test_equality(other: Any, expected: bool) -> None:
    assert (URL("http://a/b") == other) is expected


def test_hash_and_repr() -> None:
    assert hash(URL("http://a/b")) == hash("http://a/b")
    assert {URL("http://a/b"), URL.from_components(scheme="http", netloc="a", path="/b")} == {URL("http://a/b")}
    assert repr(URL("http://a/b")) == "URL('http://a/b')"


def test_from_components() -> None:
    url = URL.from_components(scheme="https", netloc="h", path="/p", query="a=1", fragment="f")
    assert str(url) == "https://h/p?a=1#f"
    assert url == "https://h/p?a=1#f"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, "http://h/p?a=1#f", id="nothing"),
        pytest.param({"scheme": "https"}, "https://h/p?a=1#f", id="scheme"),
        pytest.param({"netloc": "other:81"}, "http://other:81/p?a=1#f", id="netloc"),
        pytest.param({"path": "/q"}, "http://h/q?a=1#f", id="path"),
        pytest.param({"query": "b=2"}, "http://h/p?b=2#f", id="query-string"),
        pytest.param({"query": ""}, "http://h/p#f", id="query-cleared"),
        pytest.param({"query": None}, "http://h/p#f", id="query-none-cleared"),
        pytest.param({"path": None, "fragment": None}, "http://h/p?a=1#f", id="none-kept"),
        pytest.param({"query": MultiDict([("b", "1"), ("b", "x y")])}, "http://h/p?b=1&b=x+y#f", id="query-multidict"),
        pytest.param({"query": {"c": "é"}}, "http://h/p?c=%C3%A9#f", id="query-mapping"),
        pytest.param({"query": [("d", 1)]}, "http://h/p?d=1#f", id="query-pairs"),
        pytest.param({"fragment": ""}, "http://h/p?a=1", id="fragment-cleared"),
    ],
)
def test_with_replacements(kwargs: dict[str, Any], expected: str) -> None:
    original = URL("http://h/p?a=1#f")
    assert str(original.with_replacements(**kwargs)) == expected
    assert str(original) == "http://h/p?a=1#f"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({}, "http://testserver/", id="server-default-port"),
        pytest.param({"server": ("testserver", 8000)}, "http://testserver:8000/", id="server-port"),
        pytest.param({"scheme": "https", "server": ("h", 443)}, "https://h/", id="https-default-port"),
        pytest.param({"scheme": "wss", "server": ("h", 80)}, "wss://h:80/", id="wss-port-80"),
        pytest.param({"server": ("::1", 8000)}, "http://[::1]:8000/", id="ipv6-server"),
        pytest.param({"server": ("h", None)}, "http://h/", id="server-without-port"),
        pytest.param({"server": None}, "http:///", id="no-server"),
        pytest.param({"scheme": None}, "http://testserver/", id="no-scheme"),
        pytest.param({"headers": [(b"host", b"example.com:8080")]}, "http://example.com:8080/", id="host-header"),
        pytest.param(
            {"headers": [(b"accept", b"*/*"), (b"host", b"h:1")]}, "http://h:1/", id="host-header-after-others"
        ),
        pytest.param({"headers": [(b"host", b"[::1]:8080")]}, "http://[::1]:8080/", id="host-header-ipv6"),
        pytest.param({"headers": [(b"host", b"evil.com/path")]}, "http://testserver/", id="host-with-slash-refused"),
        pytest.param({"headers": [(b"host", b"a@b")]}, "http://testserver/", id="host-with-at-refused"),
        pytest.param({"headers": [(b"host", b"")]}, "http://testserver/", id="empty-host-refused"),
        pytest.param({"headers": [(b"host", b"a b")]}, "http://testserver/", id="host-with-space-refused"),
        pytest.param({"root_path": "/api", "path": "/items/1"}, "http://testserver/api/items/1", id="root-path"),
        pytest.param(
            {"root_path": "/api", "path": "/api/items/1"}, "http://testserver/api/items/1", id="root-path-in-path"
        ),
        pytest.param({"path": "/a b/é/%"}, "http://testserver/a%20b/%C3%A9/%25", id="path-quoted"),
        pytest.param({"path": "/a?b#c"}, "http://testserver/a%3Fb%23c", id="path-delimiters-quoted"),
        pytest.param({"query_string": b"a=1&b=%20"}, "http://testserver/?a=1&b=%20", id="query"),
        pytest.param({"query_string": "é=#".encode()}, "http://testserver/?%C3%A9=%23", id="query-quoted"),
        pytest.param({"headers": [(b"Host", b"example.com")]}, "http://example.com/", id="host-header-any-case"),
        pytest.param({"server": ("[::1]", 8000)}, "http://[::1]:8000/", id="ipv6-server-already-bracketed"),
        pytest.param(
            {"path": "/a b/:@!$&'()*+,;="}, "http://testserver/a%20b/:@!$&'()*+,;=", id="path-sub-delims-kept"
        ),
    ],
)
def test_from_scope(overrides: dict[str, Any], expected: str) -> None:
    assert str(URL.from_scope(make_scope(**overrides))) == expected


def test_from_scope_with_the_least_a_scope_may_hold() -> None:
    url = URL.from_scope({"type": "http", "server": ("h", 80)})
    assert (str(url), url.path, url.fragment) == ("http://h", "", "")


@pytest.mark.parametrize(
    "text", [pytest.param("http://h/p?", id="empty-query"), pytest.param("http://h/p#", id="empty-fragment")]
)
def test_a_url_is_its_string_as_given(text: str) -> None:
    assert str(URL(text)) == text


def test_from_components_defaults_to_empty_parts() -> None:
    assert str(URL.from_components()) == ""
    assert str(URL.from_components(path="/p")) == "/p"
    assert str(URL.from_components(netloc="h")) == "//h"


def test_from_scope_query_params_decode_raw_utf8() -> None:
    url = URL.from_scope(make_scope(query_string="q=é".encode()))
    assert url.query_params["q"] == "é"


def test_address() -> None:
    address = Address("1.2.3.4", 5678)
    assert address.host == "1.2.3.4"
    assert address.port == 5678
    assert address == ("1.2.3.4", 5678)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(b"", [], id="empty"),
        pytest.param("", [], id="empty-str"),
        pytest.param(b"a=1&b=2", [("a", "1"), ("b", "2")], id="simple"),
        pytest.param(b"a=1&a=2", [("a", "1"), ("a", "2")], id="repeated"),
        pytest.param(b"a&b=", [("a", ""), ("b", "")], id="blank-values"),
        pytest.param(b"&&a=1&&", [("a", "1")], id="empty-fields-skipped"),
        pytest.param(b"=1", [("", "1")], id="empty-name"),
        pytest.param(b"a=1=2", [("a", "1=2")], id="equals-in-value"),
        pytest.param(b"a=x+y%2B", [("a", "x y+")], id="plus-and-escape"),
        pytest.param(b"a=%C3%A9", [("a", "é")], id="utf8-escape"),
        pytest.param("a=é".encode(), [("a", "é")], id="raw-utf8"),
        pytest.param("a=é", [("a", "é")], id="str-input"),
        pytest.param(b"a=%ZZ%4", [("a", "%ZZ%4")], id="bad-escape-kept"),
        pytest.param(b"a=%FF", [("a", "\ufffd")], id="invalid-utf8-replaced"),
        pytest.param(b"a=\xff", [("a", "\ufffd")], id="invalid-raw-byte-replaced"),
        pytest.param(b"a=1;b=2", [("a", "1;b=2")], id="semicolon-not-a-separator"),
        pytest.param(b"x=" + b"y" * 300, [("x", "y" * 300)], id="long-uncached"),
    ],
)
def test_parse_query_string(query: bytes | str, expected: list[tuple[str, str]]) -> None:
    assert parse_query_string(query) == expected


def test_parse_query_string_returns_new_lists() -> None:
    first = parse_query_string(b"a=1")
    first.append(("b", "2"))
    assert parse_query_string(b"a=1") == [("a", "1")]


@given(st.binary(max_size=300))
def test_parse_query_string_never_raises(query: bytes) -> None:
    pairs = parse_query_string(query)
    assert all(isinstance(name, str) and isinstance(value, str) for name, value in pairs)
    assert len(pairs) <= query.count(b"&") + 1


@given(st.text(max_size=100))
def test_parse_query_string_str_never_raises(query: str) -> None:
    assert isinstance(parse_query_string(query), list)


@given(st.lists(st.tuples(st.text(min_size=1), st.text()), max_size=10))
def test_parse_query_string_round_trip(pairs: list[tuple[str, str]]) -> None:
    rendered = urlencode([(name.encode("utf-8", "replace"), value.encode("utf-8", "replace")) for name, value in pairs])
    expected = [
        (name.encode("utf-8", "replace").decode(), value.encode("utf-8", "replace").decode()) for name, value in pairs
    ]
    assert parse_query_string(rendered) == expected


@given(
    st.sampled_from(["http", "https", "ws", "wss"]),
    st.text(max_size=30),
    st.text(max_size=30),
    st.binary(max_size=50),
    st.binary(max_size=40),
)
def test_from_scope_never_raises_and_round_trips_the_path(
    scheme: str, root_path: str, path: str, query: bytes, host: bytes
) -> None:
    scope = make_scope(scheme=scheme, root_path=root_path, path=path, query_string=query, headers=[(b"host", host)])
    url = URL.from_scope(scope)
    reparsed = urlsplit(str(url))
    assert reparsed.query == url.query
    assert isinstance(url.query_params, ImmutableMultiDict)
    assert url.scheme == scheme


@given(st.binary(max_size=80))
def test_strict_and_tolerant_query_parsers_agree_whenever_the_strict_one_accepts(raw: bytes) -> None:
    try:
        strict = parse_query(raw)
    except ClientException:
        assert "\ufffd" in "".join(k + v for k, v in parse_query_string(raw)) or raw.count(b"&") >= MAX_QUERY_FIELDS
        return
    grouped: dict[str, list[str]] = {}
    for key, value in parse_query_string(raw):
        grouped.setdefault(key, []).append(value)
    assert strict == grouped


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(b"a=%ff", "not valid UTF-8", id="escaped-invalid-byte"),
        pytest.param(b"a=\xff", "not valid UTF-8", id="raw-invalid-byte"),
        pytest.param(b"a=%c3", "not valid UTF-8", id="truncated-sequence"),
        pytest.param(b"&".join([b"a=1"] * (MAX_QUERY_FIELDS + 1)), "more than 1000 fields", id="too-many-fields"),
    ],
)
def test_strict_query_parser_refuses_what_the_tolerant_one_repairs(raw: bytes, message: str) -> None:
    with pytest.raises(ClientException, match=message):
        parse_query(raw)
    assert len(parse_query_string(raw)) >= 1


def test_tolerant_parser_joins_a_raw_byte_and_a_following_escape_into_one_character() -> None:
    assert parse_query_string(b"a=\xc3%a9\xff") == [("a", "\u00e9\ufffd")]


def test_long_query_strings_are_parsed_with_the_same_policies() -> None:
    """Past the cached length both parsers take the uncached path, with the same rules."""
    long_value = "x" * 300
    assert parse_query(f"a={long_value}&b=1+2".encode()) == {"a": [long_value], "b": ["1 2"]}
    with pytest.raises(ClientException, match="not valid UTF-8"):
        parse_query(b"a=" + b"x" * 300 + b"%ff")
    assert parse_query_string(b"a=%ff&b=" + b"x" * 300) == [("a", "\ufffd"), ("b", long_value)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"a+b=c+d&\xff=1", [("a b", "c d"), ("\ufffd", "1")], id="plus-is-space"),
        pytest.param(b"%41+%42=%43\xff", [("A B", "C\ufffd")], id="escapes"),
        pytest.param(b"a=b=c&\xff", [("a", "b=c"), ("\ufffd", "")], id="first-equals-splits"),
        pytest.param(b"k&&\xff", [("k", ""), ("\ufffd", "")], id="empty-fields-skipped"),
    ],
)
def test_tolerant_parser_on_bytes_that_are_not_utf8(raw: bytes, expected: list[tuple[str, str]]) -> None:
    assert parse_query_string(raw) == expected


def test_a_str_query_with_a_lone_surrogate_is_repaired() -> None:
    assert parse_query_string("a=\ud800") == [("a", "?")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"a+b=1", {"a b": ["1"]}, id="plus-in-name"),
        pytest.param(b"%61=1", {"a": ["1"]}, id="escape-in-name"),
        pytest.param(b"a=1+2", {"a": ["1 2"]}, id="plus-in-value"),
    ],
)
def test_strict_parser_decodes_names_and_values(raw: bytes, expected: dict[str, list[str]]) -> None:
    assert parse_query(raw) == expected


def test_strict_parser_refuses_a_name_that_is_not_utf8() -> None:
    with pytest.raises(ClientException) as refused:
        parse_query(b"%ff=1")
    assert refused.value.detail == "The query string is not valid UTF-8 (after percent-decoding)."
