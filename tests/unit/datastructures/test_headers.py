"""Headers, MutableScopeHeaders, and the typed headers: Cache-Control, ETag (with conditional helpers) and Accept."""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour import Request, get
from outpour.datastructures.headers import (
    Accept,
    CacheControlHeader,
    ETag,
    Header,
    Headers,
    MutableScopeHeaders,
    _quality,
    etag_matches,
    parse_etag_list,
)
from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException, InvalidHeaderException, ValidationException
from outpour.testing import create_test_client

token_text = st.text(alphabet=string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~", min_size=1, max_size=20)
latin1_value = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30
)


# --------------------------------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------------------------------

RAW: list[tuple[bytes, bytes]] = [(b"Host", b"example.com"), (b"accept", b"*/*"), (b"X-Tag", b"a"), (b"x-tag", b"b")]


def _pairs() -> Iterator[tuple[str, str]]:
    yield from [("Host", "example.com"), ("accept", "*/*"), ("X-Tag", "a"), ("x-tag", "b")]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(RAW, id="raw-list"),
        pytest.param([(k.decode(), v.decode()) for k, v in RAW], id="str-list"),
        pytest.param(_pairs, id="str-generator"),
        pytest.param(tuple(RAW), id="raw-tuple"),
    ],
)
def test_headers_from_each_source(source: Any) -> None:
    headers = Headers(source() if callable(source) else source)
    assert headers["host"] == "example.com"
    assert headers["X-TAG"] == "a"
    assert headers.getall("x-tag") == ["a", "b"]
    assert list(headers) == ["host", "accept", "x-tag", "x-tag"]
    assert len(headers) == 4


def test_headers_from_mapping_lowercases_names() -> None:
    headers = Headers({"Content-Type": "text/plain", "X-A": "1"})
    assert list(headers.items()) == [("content-type", "text/plain"), ("x-a", "1")]
    assert headers["CONTENT-TYPE"] == "text/plain"


def test_headers_empty() -> None:
    for headers in (Headers(), Headers(None), Headers([]), Headers({})):
        assert len(headers) == 0
        assert list(headers) == []
        assert headers.get("x") is None
        assert "x" not in headers


def test_headers_copy_shares_decoded_state() -> None:
    original = Headers(RAW)
    assert original["x-tag"] == "a"
    copy = Headers(original)
    assert copy == original
    assert copy.getall("x-tag") == ["a", "b"]


def test_headers_missing_key_raises_key_error() -> None:
    headers = Headers(RAW)
    with pytest.raises(KeyError):
        headers["missing"]


def test_headers_get_returns_first_or_default() -> None:
    headers = Headers(RAW)
    assert headers.get("X-Tag") == "a"
    assert headers.get("missing") is None
    assert headers.get("missing", "fallback") == "fallback"


def test_headers_getone_returns_first_or_raises() -> None:
    headers = Headers(RAW)
    assert headers.getone("X-TAG") == "a"
    assert headers.getone("missing", "fallback") == "fallback"
    assert headers.getone("missing", None) is None
    with pytest.raises(KeyError):
        headers.getone("missing")
    with pytest.raises(KeyError):
        headers.getone("\u20ac")


def test_headers_getall_missing() -> None:
    headers = Headers(RAW)
    with pytest.raises(KeyError):
        headers.getall("missing")
    assert headers.getall("missing", []) == []
    assert headers.getall("missing", ["d"]) == ["d"]


def test_headers_contains() -> None:
    headers = Headers(RAW)
    assert "HOST" in headers
    assert "x-tag" in headers
    assert "nope" not in headers
    not_a_name: Any = 1
    assert not_a_name not in headers


def test_headers_lookups_with_names_latin1_cannot_encode() -> None:
    headers = Headers(RAW)
    with pytest.raises(KeyError):
        headers["\u20ac"]
    assert headers.get("\u20ac", "d") == "d"
    assert "\u20ac" not in headers
    assert headers.getall("\u20ac", []) == []


def test_headers_refuse_strings_latin1_cannot_encode() -> None:
    with pytest.raises(UnicodeEncodeError):
        Headers({"x": "\u20ac"})
    with pytest.raises(UnicodeEncodeError):
        Headers([("x", "\u20ac")])


def test_headers_views_cover_every_pair() -> None:
    headers = Headers(RAW)
    assert list(headers.keys()) == ["host", "accept", "x-tag", "x-tag"]
    assert list(headers.values()) == ["example.com", "*/*", "a", "b"]
    assert list(headers.items()) == [("host", "example.com"), ("accept", "*/*"), ("x-tag", "a"), ("x-tag", "b")]
    assert ("x-tag", "b") in headers.items()
    assert ("X-Tag", "b") in headers.items()
    assert ("x-tag", "c") not in headers.items()
    items: Any = headers.items()
    assert "x-tag" not in items
    assert (1, "a") not in items
    assert ("a", "b", "c") not in items
    assert "b" in headers.values()
    assert "c" not in headers.values()
    assert len(headers.items()) == 4
    assert headers.multi_items() == list(headers.items())


def test_headers_decodes_latin1() -> None:
    headers = Headers([(b"x-name", "caf\xe9".encode("latin-1"))])
    assert headers["x-name"] == "caf\xe9"


def test_headers_to_header_list() -> None:
    assert Headers(RAW).to_header_list() == [(k.lower(), v) for k, v in RAW]
    decoded = Headers(RAW)
    assert decoded["host"] == "example.com"
    assert decoded.to_header_list() == [(k.lower(), v) for k, v in RAW]
    assert Headers({"X-A": "caf\xe9"}).to_header_list() == [(b"x-a", b"caf\xe9")]


def test_headers_from_scope_is_lazy() -> None:
    raw: list[tuple[bytes, bytes]] = [(b"a", b"1")]
    headers = Headers.from_scope({"type": "http", "headers": raw})
    assert len(headers) == 1
    raw.append((b"b", b"2"))  # read on first access, not copied at construction
    assert headers["b"] == "2"
    assert headers.getall("a") == ["1"]
    assert len(headers) == 2


def test_headers_from_scope_without_headers() -> None:
    headers = Headers.from_scope({"type": "http"})
    assert len(headers) == 0
    assert headers.get("a") is None
    assert headers.to_header_list() == []


def test_headers_first_lookup_then_iteration() -> None:
    headers = Headers.from_scope({"headers": list(RAW)})
    assert headers.get("x-tag") == "a"  # builds only the first-value index
    assert headers.getall("x-tag") == ["a", "b"]  # then the pair list
    assert Headers.from_scope({"headers": list(RAW)}).getall("x-tag") == ["a", "b"]


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        pytest.param(
            Headers([(b"x-tag", b"a"), (b"host", b"example.com"), (b"accept", b"*/*"), (b"x-tag", b"b")]),
            True,
            id="reordered",
        ),
        pytest.param(Headers([(b"host", b"example.com")]), False, id="fewer"),
        pytest.param({"host": "example.com", "accept": "*/*", "x-tag": "a"}, False, id="dict-missing-dup"),
    ],
)
def test_headers_equality(other: Any, expected: bool) -> None:
    assert (Headers(RAW) == other) is expected


def test_headers_equality_with_mapping_and_other_types() -> None:
    assert Headers({"A": "1"}) == {"a": "1"}
    assert Headers({"A": "1"}) != [("a", "1")]
    assert Headers({"A": "1"}) != "a"


def test_headers_is_unhashable_and_has_repr() -> None:
    headers = Headers({"a": "1"})
    with pytest.raises(TypeError):
        hash(headers)
    assert repr(headers) == "Headers([('a', '1')])"


@given(st.lists(st.tuples(token_text, latin1_value), max_size=10))
def test_headers_raw_round_trip(pairs: list[tuple[str, str]]) -> None:
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in pairs]
    headers = Headers(raw)
    assert headers.to_header_list() == [(name.lower(), value) for name, value in raw]
    assert Headers(list(headers.items())).to_header_list() == headers.to_header_list()
    for name, value in pairs:
        assert value in headers.getall(name)
        assert headers[name] == next(v for n, v in pairs if n.lower() == name.lower())


# --------------------------------------------------------------------------------------------------------------------
# MutableScopeHeaders
# --------------------------------------------------------------------------------------------------------------------


def _message(*headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"type": "http.response.start", "status": 200, "headers": list(headers)}


def test_mutable_from_message_edits_in_place() -> None:
    message = _message((b"content-type", b"text/plain"))
    headers = MutableScopeHeaders.from_message(message)
    headers.add("X-Order", "one")
    headers.add("x-order", "two")
    assert message["headers"] is headers.headers
    assert message["headers"] == [(b"content-type", b"text/plain"), (b"x-order", b"one"), (b"x-order", b"two")]


def test_mutable_from_message_refuses_a_message_without_headers() -> None:
    message = {"type": "http.response.body", "body": b""}
    with pytest.raises(ValueError, match=r"ASGI `http\.response\.body` message: it has no `headers`"):
        MutableScopeHeaders.from_message(message)
    assert "headers" not in message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param({"type": "http.response.start"}, [], id="missing"),
        pytest.param({"headers": ((b"a", b"1"),)}, [(b"a", b"1")], id="tuple"),
        pytest.param({"headers": None}, [], id="none"),
    ],
)
def test_mutable_creates_or_replaces_non_list(message: dict[str, Any], expected: list[tuple[bytes, bytes]]) -> None:
    headers = MutableScopeHeaders(message)
    headers.add("b", "2")
    assert message["headers"] == [*expected, (b"b", b"2")]
    assert message["headers"] is headers.headers


def test_mutable_unattached() -> None:
    headers = MutableScopeHeaders()
    headers["a"] = "1"
    assert headers.headers == [(b"a", b"1")]


def test_mutable_getitem_getall_contains() -> None:
    headers = MutableScopeHeaders(_message((b"Vary", b"Accept"), (b"vary", b"Origin"), (b"x", b"caf\xe9")))
    assert headers["VARY"] == "Accept"
    assert headers.getall("vary") == ["Accept", "Origin"]
    assert headers["x"] == "caf\xe9"
    assert "vary" in headers
    assert "nope" not in headers
    not_a_name: Any = 3
    assert not_a_name not in headers
    assert "\u20ac" not in headers
    with pytest.raises(KeyError):
        headers["nope"]
    with pytest.raises(KeyError):
        headers["\u20ac"]
    with pytest.raises(KeyError):
        headers.getall("nope")
    assert headers.getall("nope", ["d"]) == ["d"]
    assert headers.get("nope") is None


def test_mutable_setitem_replaces_all_in_place() -> None:
    message = _message((b"a", b"1"), (b"x-dup", b"1"), (b"b", b"2"), (b"X-Dup", b"2"))
    headers = MutableScopeHeaders.from_message(message)
    headers["X-DUP"] = "3"
    assert message["headers"] == [(b"a", b"1"), (b"x-dup", b"3"), (b"b", b"2")]
    headers["new"] = "4"
    assert message["headers"][-1] == (b"new", b"4")


def test_mutable_delitem_removes_all_and_ignores_absent() -> None:
    message = _message((b"a", b"1"), (b"x", b"1"), (b"X", b"2"))
    headers = MutableScopeHeaders.from_message(message)
    del headers["x"]
    assert message["headers"] == [(b"a", b"1")]
    del headers["absent"]
    del headers["\u20ac"]
    assert message["headers"] == [(b"a", b"1")]


def test_mutable_iter_len_repr() -> None:
    headers = MutableScopeHeaders(_message((b"A", b"1"), (b"b", b"2"), (b"a", b"3")))
    assert list(headers) == ["a", "b", "a"]
    assert len(headers) == 3
    assert repr(headers) == "MutableScopeHeaders([(b'A', b'1'), (b'b', b'2'), (b'a', b'3')])"


def test_mutable_mapping_mixins() -> None:
    headers = MutableScopeHeaders(_message((b"a", b"1")))
    assert headers.pop("a") == "1"
    assert headers.pop("a", None) is None
    assert headers.setdefault("b", "2") == "2"
    headers.update({"c": "3"})
    assert headers.headers == [(b"b", b"2"), (b"c", b"3")]
    headers.clear()
    assert headers.headers == []


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        pytest.param([], [(b"vary", b"Origin")], id="absent"),
        pytest.param([(b"Vary", b"Accept")], [(b"vary", b"Accept, Origin")], id="one"),
        pytest.param(
            [(b"vary", b"Accept"), (b"x", b"1"), (b"vary", b"Cookie")],
            [(b"vary", b"Accept, Cookie, Origin"), (b"x", b"1")],
            id="folds-repeated",
        ),
    ],
)
def test_mutable_extend_header_value(existing: list[tuple[bytes, bytes]], expected: list[tuple[bytes, bytes]]) -> None:
    headers = MutableScopeHeaders(_message(*existing))
    headers.extend_header_value("Vary", "Origin")
    assert headers.headers == expected


@pytest.mark.parametrize(
    ("operation", "fragment"),
    [
        pytest.param(lambda h: h.add("x-a", "1\r\nset-cookie: a=b"), "`x-a`", id="add-crlf-value"),
        pytest.param(lambda h: h.add("x-a\r\n", "1"), "control character", id="add-crlf-name"),
        pytest.param(lambda h: h.add("x a", "1"), "not a valid RFC 9110 token", id="add-space-name"),
        pytest.param(lambda h: h.__setitem__("x-b", "a\x00"), "`x-b`", id="set-nul"),
        pytest.param(lambda h: h.__setitem__("x-b", "\u20ac"), "latin-1", id="set-non-latin1"),
        pytest.param(lambda h: h.extend_header_value("x-c", "\n"), "`x-c`", id="extend-lf"),
    ],
)
def test_mutable_refuses_injection(operation: Any, fragment: str) -> None:
    message = _message((b"x-b", b"keep"))
    headers = MutableScopeHeaders(message)
    with pytest.raises(ValueError, match=fragment):
        operation(headers)
    assert message["headers"] == [(b"x-b", b"keep")]


@given(token_text, st.text(max_size=30))
def test_mutable_add_round_trips_or_refuses(name: str, value: str) -> None:
    headers = MutableScopeHeaders()
    try:
        headers.add(name, value)
    except ValueError:
        assert headers.headers == []
    else:
        assert headers[name.upper()] == value
        assert headers.headers == [(name.lower().encode(), value.encode("latin-1"))]


# --------------------------------------------------------------------------------------------------------------------
# Header base
# --------------------------------------------------------------------------------------------------------------------


def test_header_is_abstract() -> None:
    with pytest.raises(TypeError):
        Header()  # type: ignore[abstract]


def test_header_without_a_name_refuses_to_render() -> None:
    @dataclass
    class Nameless(Header):
        def _get_header_value(self) -> str:
            return "x"

        @classmethod
        def from_header(cls, header_value: str) -> Nameless:
            return cls()

    with pytest.raises(ImproperlyConfiguredException, match="`Nameless` has no `HEADER_NAME`"):
        Nameless().to_header()
    with pytest.raises(ImproperlyConfiguredException, match="`Nameless` has no `HEADER_NAME`"):
        Nameless().to_header(include_header_name=True)


def test_header_documentation_only_is_keyword_only() -> None:
    assert ETag("abc").value == "abc"
    assert CacheControlHeader(60).max_age == 60
    assert ETag(documentation_only=True).documentation_only is True


# --------------------------------------------------------------------------------------------------------------------
# CacheControlHeader
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param(CacheControlHeader(), "", id="empty"),
        pytest.param(CacheControlHeader(max_age=86400, no_store=True), "max-age=86400, no-store", id="guide"),
        pytest.param(CacheControlHeader(no_store=True, max_age=0), "max-age=0, no-store", id="stable-order"),
        pytest.param(
            CacheControlHeader(public=True, max_age=60, immutable=True), "max-age=60, public, immutable", id="immutable"
        ),
        pytest.param(CacheControlHeader(no_cache=True, public=False), "no-cache", id="false-omitted"),
        pytest.param(
            CacheControlHeader(no_cache=["Set-Cookie", "x-a"]), 'no-cache="Set-Cookie, x-a"', id="no-cache-fields"
        ),
        pytest.param(CacheControlHeader(private=["x-a"]), 'private="x-a"', id="private-fields"),
        pytest.param(CacheControlHeader(no_cache=[]), "no-cache", id="empty-field-list"),
        pytest.param(CacheControlHeader(max_stale=True), "max-stale", id="max-stale-any"),
        pytest.param(CacheControlHeader(max_stale=30), "max-stale=30", id="max-stale-seconds"),
        pytest.param(
            CacheControlHeader(
                max_age=1,
                s_maxage=2,
                no_cache=True,
                no_store=True,
                private=True,
                public=True,
                no_transform=True,
                must_revalidate=True,
                proxy_revalidate=True,
                must_understand=True,
                immutable=True,
                stale_while_revalidate=3,
                stale_if_error=4,
                max_stale=5,
                min_fresh=6,
                only_if_cached=True,
            ),
            "max-age=1, s-maxage=2, no-cache, no-store, private, public, no-transform, must-revalidate, "
            "proxy-revalidate, must-understand, immutable, stale-while-revalidate=3, stale-if-error=4, max-stale=5, "
            "min-fresh=6, only-if-cached",
            id="every-directive",
        ),
    ],
)
def test_cache_control_renders(header: CacheControlHeader, expected: str) -> None:
    assert header.to_header() == expected
    assert header.to_header(include_header_name=True) == f"cache-control: {expected}"


def test_cache_control_prevent_storing() -> None:
    header = CacheControlHeader.prevent_storing()
    assert header == CacheControlHeader(no_store=True)
    assert header.to_header() == "no-store"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("max-age=60", CacheControlHeader(max_age=60), id="simple"),
        pytest.param("  MAX-AGE = 60 ,No-Store ", CacheControlHeader(max_age=60, no_store=True), id="case-and-spaces"),
        pytest.param('max-age="60"', CacheControlHeader(max_age=60), id="quoted-number"),
        pytest.param(",, public,,", CacheControlHeader(public=True), id="empty-elements"),
        pytest.param("", CacheControlHeader(), id="empty"),
        pytest.param('no-cache="Set-Cookie, x-a"', CacheControlHeader(no_cache=["Set-Cookie", "x-a"]), id="field-list"),
        pytest.param("private=x-a", CacheControlHeader(private=["x-a"]), id="field-token"),
        pytest.param('no-cache=""', CacheControlHeader(no_cache=True), id="empty-field-list"),
        pytest.param("max-stale", CacheControlHeader(max_stale=True), id="max-stale-any"),
        pytest.param("max-stale=5", CacheControlHeader(max_stale=5), id="max-stale-seconds"),
        pytest.param("max-age=99999999999999", CacheControlHeader(max_age=2**31), id="clamped-long"),
        pytest.param("max-age=4294967296", CacheControlHeader(max_age=2**31), id="clamped"),
        pytest.param('community="UCI", max-age=5, ext', CacheControlHeader(max_age=5), id="extensions-ignored"),
        pytest.param("max-age=1, max-age=2", CacheControlHeader(max_age=2), id="last-wins"),
        pytest.param(
            "no-transform, must-understand, only-if-cached, min-fresh=3, s-maxage=9",
            CacheControlHeader(no_transform=True, must_understand=True, only_if_cached=True, min_fresh=3, s_maxage=9),
            id="more",
        ),
    ],
)
def test_cache_control_parses(value: str, expected: CacheControlHeader) -> None:
    assert CacheControlHeader.from_header(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param("max-age=abc", "`max-age` needs a number of seconds", id="not-a-number"),
        pytest.param("max-age=", "`max-age` needs a number of seconds", id="empty-number"),
        pytest.param("max-age", "`max-age` needs a number of seconds", id="missing-number"),
        pytest.param("max-age=-1", "`max-age` needs a number of seconds, got `'-1'`", id="negative"),
        pytest.param("max-age=\u0661", "Invalid Cache-Control header value", id="non-ascii-digit"),
        pytest.param('max-age="\u0661"', "`max-age` needs a number of seconds", id="quoted-non-ascii-digit"),
        pytest.param("max-age=5 x", "Invalid Cache-Control header value", id="trailing-garbage"),
        pytest.param("=5", "Invalid Cache-Control header value", id="no-name"),
        pytest.param('no-cache="x', "Invalid Cache-Control header value", id="unterminated-quote"),
        pytest.param("no-store=1", "`no-store` takes no argument", id="argument-on-flag"),
        pytest.param('private="a b"', "is not a header field name", id="bad-field-name"),
        pytest.param("max-age=5\n", "Invalid Cache-Control header value", id="newline"),
    ],
)
def test_cache_control_refuses_garbage(value: str, fragment: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        CacheControlHeader.from_header(value)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param({"max_age": -1}, "`CacheControlHeader.max_age` must be a non-negative", id="negative"),
        pytest.param({"s_maxage": True}, "`CacheControlHeader.s_maxage`", id="bool"),
        pytest.param({"min_fresh": "5"}, "`CacheControlHeader.min_fresh`", id="string"),
        pytest.param({"max_stale": -3}, "`CacheControlHeader.max_stale`", id="max-stale-negative"),
        pytest.param({"no_cache": ["a b"]}, "`CacheControlHeader.no_cache` lists", id="bad-field"),
        pytest.param({"private": [1]}, "`CacheControlHeader.private` lists", id="non-str-field"),
    ],
)
def test_cache_control_validates_fields(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=fragment):
        CacheControlHeader(**kwargs)


seconds = st.integers(min_value=0, max_value=2**31)
flags = st.one_of(st.none(), st.booleans())
field_lists = st.lists(token_text, min_size=1, max_size=3)


@given(
    st.builds(
        CacheControlHeader,
        max_age=st.none() | seconds,
        s_maxage=st.none() | seconds,
        no_cache=flags | field_lists,
        no_store=flags,
        private=flags | field_lists,
        public=flags,
        no_transform=flags,
        must_revalidate=flags,
        proxy_revalidate=flags,
        must_understand=flags,
        immutable=flags,
        stale_while_revalidate=st.none() | seconds,
        stale_if_error=st.none() | seconds,
        max_stale=st.none() | st.just(True) | seconds,
        min_fresh=st.none() | seconds,
        only_if_cached=flags,
    )
)
def test_cache_control_round_trip(header: CacheControlHeader) -> None:
    parsed = CacheControlHeader.from_header(header.to_header())
    assert parsed.to_header() == header.to_header()
    for name in ("max_age", "s_maxage", "stale_while_revalidate", "stale_if_error", "min_fresh", "max_stale"):
        assert getattr(parsed, name) == getattr(header, name)
    for name in ("no_cache", "private", "no_store", "public", "immutable", "only_if_cached"):
        assert getattr(parsed, name) == (getattr(header, name) or None)


@given(st.text())
def test_cache_control_hostile_input_only_raises_documented_exception(value: str) -> None:
    try:
        header = CacheControlHeader.from_header(value)
    except ImproperlyConfiguredException:
        return
    assert isinstance(header.to_header(), str)


# --------------------------------------------------------------------------------------------------------------------
# ETag
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("etag", "expected"),
    [
        pytest.param(ETag(value="abc"), '"abc"', id="strong"),
        pytest.param(ETag(value="abc", weak=True), 'W/"abc"', id="weak"),
        pytest.param(ETag(value=""), '""', id="empty"),
        pytest.param(ETag(value="a,b!#~/"), '"a,b!#~/"', id="odd-chars"),
    ],
)
def test_etag_renders(etag: ETag, expected: str) -> None:
    assert etag.to_header() == expected
    assert etag.to_header(include_header_name=True) == f"etag: {expected}"


def test_etag_documentation_only_needs_no_value() -> None:
    etag = ETag(documentation_only=True)
    assert etag.value is None
    with pytest.raises(ImproperlyConfiguredException, match="no `value` to render"):
        etag.to_header()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param({}, "`ETag` needs a `value`, or set `documentation_only=True`", id="missing"),
        pytest.param({"value": '"abc"'}, "without surrounding quotes", id="quoted"),
        pytest.param({"value": "a b"}, "is not valid", id="space"),
        pytest.param({"value": "a\r\nb"}, "is not valid", id="crlf"),
        pytest.param({"value": "a\x00"}, "is not valid", id="nul"),
        pytest.param({"value": "\u20ac"}, "is not valid", id="non-latin1"),
        pytest.param({"value": "caf\xe9"}, "only hold visible ASCII characters", id="non-ascii"),
        pytest.param({"value": 5}, "is not valid", id="not-a-string"),
        pytest.param({"value": "a\x7f"}, "is not valid", id="del"),
    ],
)
def test_etag_validation(kwargs: dict[str, Any], fragment: str) -> None:
    """As in Litestar, a ``ValidationException``; outpour's is an ``ImproperlyConfiguredException`` too."""
    with pytest.raises(ValidationException, match=fragment) as info:
        ETag(**kwargs)
    assert isinstance(info.value, ImproperlyConfiguredException)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param('"abc"', ETag(value="abc"), id="strong"),
        pytest.param('W/"abc"', ETag(value="abc", weak=True), id="weak"),
        pytest.param('w/"abc"', ETag(value="abc", weak=True), id="weak-lowercase"),
        pytest.param('  "a,b"\t', ETag(value="a,b"), id="padded"),
        pytest.param('""', ETag(value=""), id="empty-tag"),
    ],
)
def test_etag_from_header(value: str, expected: ETag) -> None:
    assert ETag.from_header(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param('"abc', id="unterminated"),
        pytest.param('abc"', id="stray-quote"),
        pytest.param('"a" "b"', id="two-tags"),
        pytest.param("a b", id="space"),
        pytest.param('"a\x01"', id="control"),
        pytest.param('"\u20ac"', id="non-latin1"),
        pytest.param('"caf\xe9"', id="non-ascii"),
        pytest.param("abc", id="bare"),
        pytest.param("W/abc", id="bare-weak"),
    ],
)
def test_etag_from_header_refuses_garbage(value: str) -> None:
    """The quotes are required and the tag is ASCII, as in Litestar."""
    with pytest.raises(InvalidHeaderException, match="the tag in double quotes"):
        ETag.from_header(value)


etag_values = st.text(alphabet=st.characters(codec="ascii").filter(lambda c: c == "!" or "#" <= c <= "~"))


@given(etag_values, st.booleans())
def test_etag_round_trip(value: str, weak: bool) -> None:
    etag = ETag(value=value, weak=weak)
    assert ETag.from_header(etag.to_header()) == etag
    assert parse_etag_list(f"{etag.to_header()}, {etag.to_header()}") == [etag, etag]


@given(st.text())
def test_etag_from_header_hostile_input(value: str) -> None:
    try:
        etag = ETag.from_header(value)
    except ImproperlyConfiguredException:
        return
    assert ETag.from_header(etag.to_header()) == etag


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("*", "*", id="star"),
        pytest.param("  * ", "*", id="star-padded"),
        pytest.param('"a"', [ETag("a")], id="one"),
        pytest.param('"a", W/"b",  "c"', [ETag("a"), ETag("b", weak=True), ETag("c")], id="several"),
        pytest.param('"a,b", "c"', [ETag("a,b"), ETag("c")], id="comma-inside"),
        pytest.param('"a" junk, "b"', [ETag("b")], id="junk-after-tag"),
        pytest.param('x y, "b"', [ETag("b")], id="bad-bare"),
        pytest.param('ab"c, "d"', [ETag("d")], id="quote-in-bare"),
        pytest.param('"a", "unterminated', [ETag("a")], id="unterminated"),
        pytest.param("bare, W/also", [ETag("bare"), ETag("also", weak=True)], id="bare-tags"),
        pytest.param('"\u20ac", "ok"', [ETag("ok")], id="non-latin1-skipped"),
        pytest.param("W/, ,", [], id="empty-entries"),
        pytest.param("", [], id="empty"),
        pytest.param('"a" "b", "c"', [ETag("c")], id="missing-comma"),
    ],
)
def test_parse_etag_list(value: str, expected: Any) -> None:
    assert parse_etag_list(value) == expected


@given(st.text())
def test_parse_etag_list_never_raises(value: str) -> None:
    result = parse_etag_list(value)
    assert result == "*" or all(isinstance(tag, ETag) and tag.value is not None for tag in result)


@pytest.mark.parametrize(
    ("a", "b", "strong", "weak"),
    [
        # RFC 9110 section 8.8.3.2's table
        pytest.param(ETag("1", weak=True), ETag("1", weak=True), False, True, id="weak-weak-same"),
        pytest.param(ETag("1", weak=True), ETag("2", weak=True), False, False, id="weak-weak-different"),
        pytest.param(ETag("1", weak=True), ETag("1"), False, True, id="weak-strong-same"),
        pytest.param(ETag("1"), ETag("1"), True, True, id="strong-strong-same"),
        pytest.param('"1"', 'W/"1"', False, True, id="strings"),
        pytest.param('"1"', ETag("1"), True, True, id="string-and-etag"),
        pytest.param("garbage here", ETag("1"), False, False, id="garbage-string"),
        pytest.param(ETag(documentation_only=True), ETag("1"), False, False, id="no-value"),
    ],
)
def test_etag_matches(a: ETag | str, b: ETag | str, strong: bool, weak: bool) -> None:
    assert etag_matches(a, b, weak=False) is strong
    assert etag_matches(a, b, weak=True) is weak
    assert etag_matches(b, a, weak=True) is weak


# --------------------------------------------------------------------------------------------------------------------
# Accept
# --------------------------------------------------------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "provided", "expected"),
    [
        pytest.param(None, ["application/json", "text/html"], "application/json", id="missing-first-provided"),
        pytest.param("", ["text/html", "application/json"], "text/html", id="empty-first-provided"),
        pytest.param("application/json", ["text/html", "application/json"], "application/json", id="exact"),
        pytest.param("text/*", ["application/json", "text/plain"], "text/plain", id="type-wildcard"),
        pytest.param("*/*", ["text/csv", "text/html"], "text/csv", id="any"),
        pytest.param(BROWSER, ["application/json", "text/html"], "text/html", id="browser-html"),
        pytest.param(BROWSER, ["application/json", "application/xml"], "application/xml", id="browser-xml-q09"),
        pytest.param(BROWSER, ["application/json", "text/csv"], "application/json", id="browser-fallback-star"),
        pytest.param(
            "text/html;q=0.5, application/json", ["text/html", "application/json"], "application/json", id="q-wins"
        ),
        pytest.param(
            "application/json;q=0.5, text/*", ["application/json", "text/csv"], "text/csv", id="q-beats-order"
        ),
        pytest.param(
            "text/*, application/json",
            ["text/html", "application/json"],
            "application/json",
            id="specificity-breaks-tie",
        ),
        pytest.param(
            "application/json, text/html",
            ["text/html", "application/json"],
            "text/html",
            id="provided-order-breaks-tie",
        ),
        pytest.param("text/*, text/html;q=0", ["text/html", "text/plain"], "text/plain", id="q0-specific-excludes"),
        pytest.param("text/html;q=0, */*", ["text/html"], None, id="q0-only-option"),
        pytest.param("*/*;q=0, application/json", ["text/html", "application/json"], "application/json", id="star-q0"),
        pytest.param("text/html;q=0.2, text/*;q=0.9", ["text/html", "text/plain"], "text/plain", id="specific-lower-q"),
        pytest.param(
            "text/html;level=1, text/html;q=0.1",
            ["text/html", "text/html;level=1"],
            "text/html;level=1",
            id="params-more-specific",
        ),
        pytest.param("text/html;level=1", ["text/html"], None, id="range-params-must-match"),
        pytest.param(
            "text/html;charset=UTF-8", ["text/html; charset=utf-8"], "text/html; charset=utf-8", id="param-case"
        ),
        pytest.param("image/png", ["application/json"], None, id="nothing-acceptable"),
        pytest.param("TEXT/HTML", ["text/html"], "text/html", id="case-insensitive"),
        pytest.param("text/html;q=0.5, text/html;q=0.8", ["text/html"], "text/html", id="duplicate-ranges"),
        pytest.param("garbage, text/plain", ["text/html", "text/plain"], "text/plain", id="malformed-skipped"),
        pytest.param("text/plain;q=abc, text/html", ["text/plain", "text/html"], "text/html", id="bad-q-skipped"),
        pytest.param("text/plain;q=1.5, text/html", ["text/plain", "text/html"], "text/html", id="q-above-1-skipped"),
        pytest.param("*/html, text/csv", ["text/html", "text/csv"], "text/csv", id="star-type-skipped"),
        pytest.param("garbage", ["text/html"], "text/html", id="all-malformed-means-any"),
        pytest.param("text/html", ["not a type", "text/html"], "text/html", id="malformed-provided-skipped"),
        pytest.param("application/json", ["*/*"], "application/json", id="provided-wildcard-gets-the-accepted-type"),
        pytest.param("text/html, application/json;q=0.5", ["text/*"], "text/html", id="provided-subtype-wildcard"),
        pytest.param("text/html;q=0.5, application/json", ["*/*"], "application/json", id="wildcard-takes-preferred"),
        pytest.param("text/html;q=0, text/plain;q=0.5", ["text/*"], "text/plain", id="wildcard-skips-q0"),
        pytest.param("application/json", ["text/*"], None, id="wildcard-not-acceptable"),
        pytest.param("*/*", ["text/*"], "text/*", id="wildcard-for-any"),
        pytest.param(
            "text/html;charset=utf-8", ["text/*;charset=utf-8"], "text/html;charset=utf-8", id="wildcard-keeps-params"
        ),
        pytest.param("text/html", ["text/html;level=1"], None, id="param-the-client-did-not-send"),
        pytest.param("*/*", ["text/html;level=1", "text/plain"], "text/plain", id="param-not-sent-to-any"),
        pytest.param("text/*", ["text/*;level=1"], None, id="wildcard-with-param-not-sent"),
        pytest.param("text/html;level=1", ["*/*"], "text/html;level=1", id="wildcard-takes-the-range-params"),
        pytest.param(
            'text/html;foo="a,b";q=0.5, text/plain',
            ['text/html;foo="a,b"', "text/plain"],
            "text/plain",
            id="quoted-comma",
        ),
        pytest.param("text/html;q=.5, text/plain;q=0.4", ["text/plain", "text/html"], "text/html", id="q-leading-dot"),
        pytest.param(
            "text/html ; q = 0.5 , text/plain ; q=0.6", ["text/html", "text/plain"], "text/plain", id="whitespace"
        ),
        pytest.param(
            "text/html;q=0.5;level=1, text/plain;q=0.4",
            ["text/html", "text/plain"],
            "text/html",
            id="accept-ext-ignored",
        ),
        pytest.param("text/html;level", ["text/html"], "text/html", id="param-without-value-ignored"),
        pytest.param(
            "text/html;a=1;a=2, text/plain;q=0.5", ["text/html;a=1", "text/plain"], "text/plain", id="repeated-param"
        ),
    ],
)
def test_accept_best_match(accept: str | None, provided: list[str], expected: str | None) -> None:
    assert Accept(accept).best_match(provided) == expected


def test_accept_best_match_default_and_enum_members() -> None:
    accept = Accept("text/html")
    result = accept.best_match([MediaType.TEXT, MediaType.HTML, MediaType.XML], default=MediaType.TEXT)
    assert result is MediaType.HTML
    assert Accept("image/png").best_match([MediaType.TEXT, MediaType.HTML], default=MediaType.TEXT) is MediaType.TEXT
    assert Accept("image/png").best_match([], default="x/y") == "x/y"


@pytest.mark.parametrize(
    ("accept", "media_type", "expected"),
    [
        pytest.param(None, "application/json", True, id="missing"),
        pytest.param("text/*", "text/csv", True, id="wildcard"),
        pytest.param("text/*", "application/json", False, id="other-type"),
        pytest.param("text/*;q=0", "text/csv", False, id="q0"),
        pytest.param("application/json", "not-a-type", False, id="malformed"),
    ],
)
def test_accept_accepts(accept: str | None, media_type: str, expected: bool) -> None:
    assert Accept(accept).accepts(media_type) is expected


def test_accept_sequence_in_preference_order() -> None:
    accept = Accept("text/*;q=0.5, */*;q=0.1, text/html;level=1, text/html, image/png;q=0, application/json")
    assert list(accept) == [
        "text/html;level=1",
        "text/html",
        "application/json",
        "text/*;q=0.5",
        "*/*;q=0.1",
        "image/png;q=0",
    ]
    assert len(accept) == 6
    assert accept[0] == "text/html;level=1"
    assert accept[-1] == "image/png;q=0"
    assert repr(Accept("text/html;q=0.5")) == "Accept('text/html;q=0.5')"
    assert repr(Accept("text/html")) == "Accept('text/html;q=1')"


def test_request_accept_through_the_client() -> None:
    @get("/negotiate")
    async def negotiate(request: Request[Any, Any, Any]) -> dict[str, Any]:
        return {
            "ranges": list(request.accept),
            "text": request.accept.best_match(["text/*"]),
            "any": request.accept.best_match(["*/*"]),
            "level": request.accept.best_match(["text/html;level=1"], default="none"),
        }

    with create_test_client([negotiate]) as client:
        body = client.get("/negotiate", headers={"accept": "text/plain;q=0.5, application/json, text/html;q=0.8"})
    assert body.json() == {
        "ranges": ["application/json", "text/html;q=0.8", "text/plain;q=0.5"],
        "text": "text/html",
        "any": "application/json",
        "level": "none",
    }


def test_accept_iteration_keeps_the_weight_as_sent() -> None:
    """Each entry keeps the ``q=`` the client sent, as written; accept-extensions after it are dropped."""
    assert list(Accept("text/plain ; q = .50 ; ext=1, TEXT/HTML;Level=1")) == ["text/html;level=1", "text/plain;q=.50"]


def test_accept_renders_params_needing_quotes() -> None:
    assert list(Accept('text/html;foo="a b";bar=baz')) == ['text/html;foo="a b";bar=baz']
    assert list(Accept('text/html;foo="a\\"b"')) == ['text/html;foo="a\\"b"']


@pytest.mark.parametrize(
    "accept",
    [pytest.param(None, id="none"), pytest.param("", id="empty"), pytest.param(" , ;, garbage", id="garbage")],
)
def test_accept_defaults_to_any(accept: str | None) -> None:
    assert list(Accept(accept)) == ["*/*"]
    assert len(Accept(accept)) == 1


def test_accept_long_header_is_parsed_without_cache() -> None:
    value = ", ".join(f"application/x-{index}" for index in range(100)) + ", text/html;q=0.5"
    assert len(value) > 512
    accept = Accept(value)
    assert len(accept) == 101
    assert accept.best_match(["text/html", "application/x-42"]) == "application/x-42"


media_ranges = st.builds(
    lambda t, s, q: f"{t}/{s}" + ("" if q is None else f";q={q}"),
    st.sampled_from(["*", "text", "application", "image"]),
    st.sampled_from(["*", "html", "plain", "json", "xml"]),
    st.none() | st.sampled_from(["0", "0.1", "0.5", "0.999", "1", "1.0"]),
)
provided_lists = st.lists(st.sampled_from([*MediaType, "text/html;level=1", "image/png"]), max_size=6)


@given(st.lists(media_ranges, max_size=6).map(", ".join), provided_lists)
def test_accept_chooses_a_maximal_quality(header: str, provided: list[str]) -> None:
    accept = Accept(header)
    chosen = accept.best_match(provided, default="none/none")
    if chosen == "none/none":
        assert not any(accept.accepts(p) for p in provided)
    else:
        assert chosen in provided
        assert accept.accepts(chosen)
        assert _quality(accept._ranges, chosen)[0] == max(_quality(accept._ranges, p)[0] for p in provided)


@given(st.text(), provided_lists)
def test_accept_never_raises(header: str, provided: list[str]) -> None:
    accept = Accept(header)
    assert accept.best_match(provided, default="x/default") in [*provided, "x/default"]
    assert len(list(accept)) == len(accept) >= 1
