"""``Cookie``: validation, the exact ``Set-Cookie`` rendering, quoting, equality, and round trips through parsers."""

from __future__ import annotations

import re
import string
import time
from http.cookies import Morsel, SimpleCookie
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.datastructures import Cookie
from outpour.exceptions import ImproperlyConfiguredException

_OCTAL_OR_CHAR = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))", re.DOTALL)


def parse_set_cookie(line: str) -> tuple[str, str]:
    """A tiny RFC 6265 section 5.2 reader: name, value (trimmed), then ``http.cookies``-style unquoting."""
    first = line.split(";", 1)[0] if not _starts_quoted(line) else _quoted_pair(line)
    name, _, value = first.partition("=")
    value = value.strip(" \t")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = _OCTAL_OR_CHAR.sub(lambda m: chr(int(m[1], 8)) if m[1] else m[2], value[1:-1])
    return name.strip(" \t"), value


def _starts_quoted(line: str) -> bool:
    return line.partition("=")[2].lstrip(" ").startswith('"')


def _quoted_pair(line: str) -> str:
    match = re.match(r'[^=]*=\s*"(?:[^"\\]|\\.)*"', line, re.DOTALL)
    assert match is not None
    return match.group(0)


def test_plain_cookie_renders_as_http_cookies_does() -> None:
    """A value with a space is quoted, as ``http.cookies`` (and so Litestar) renders it."""
    cookie = Cookie(key="local-cookie", value="local value")
    assert cookie.to_header() == 'Set-Cookie: local-cookie="local value"; Path=/; SameSite=lax'
    assert cookie.to_header(header="") == 'local-cookie="local value"; Path=/; SameSite=lax'
    assert cookie.to_header(header="Cookie-Line:") == 'Cookie-Line: local-cookie="local value"; Path=/; SameSite=lax'
    assert cookie.to_encoded_header() == (b"set-cookie", b'local-cookie="local value"; Path=/; SameSite=lax')
    assert Cookie(key="k", value="v").to_header() == "Set-Cookie: k=v; Path=/; SameSite=lax"


def test_none_value_renders_empty_quotes() -> None:
    assert Cookie(key="k").to_header() == 'Set-Cookie: k=""; Path=/; SameSite=lax'
    assert Cookie(key="k", value="").to_header(header="") == 'k=""; Path=/; SameSite=lax'


def test_every_attribute_in_fixed_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 0.0)
    cookie = Cookie(
        key="__Secure-id",
        value="v",
        max_age=100,
        expires=100,
        path="/app",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="none",
        partitioned=True,
    )
    assert cookie.to_header(header="") == (
        "__Secure-id=v; Domain=example.com; expires=Thu, 01 Jan 1970 00:01:40 GMT; HttpOnly; Max-Age=100; "
        "Partitioned; Path=/app; SameSite=none; Secure"
    )


def test_expires_is_computed_when_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    cookie = Cookie(key="k", value="v", expires=0, max_age=0)
    monkeypatch.setattr(time, "time", lambda: 86400.0)
    assert "expires=Fri, 02 Jan 1970 00:00:00 GMT; Max-Age=0;" in cookie.to_header()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({"path": ""}, "k=v; SameSite=lax", id="empty-path-omitted"),
        pytest.param({"secure": False, "httponly": False}, "k=v; Path=/; SameSite=lax", id="false-flags-omitted"),
        pytest.param({"samesite": "Strict"}, "k=v; Path=/; SameSite=strict", id="samesite-normalised"),
        pytest.param({"max_age": -1}, "k=v; Max-Age=-1; Path=/; SameSite=lax", id="negative-max-age"),
    ],
)
def test_optional_attributes(kwargs: dict[str, Any], expected: str) -> None:
    assert Cookie(key="k", value="v", **kwargs).to_header(header="") == expected


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        pytest.param("plain", "plain", id="plain"),
        pytest.param("", '""', id="empty"),
        pytest.param("with space", '"with space"', id="inner-space"),
        pytest.param("a=b&c", '"a=b&c"', id="equals"),
        pytest.param("a:b~!#$%&'*+-.^_`|", "a:b~!#$%&'*+-.^_`|", id="every-legal-character"),
        pytest.param("(x)/<y>?@[z]{w}", '"(x)/<y>?@[z]{w}"', id="quoted-not-escaped"),
        pytest.param("a,b", '"a\\054b"', id="comma"),
        pytest.param("a;b", '"a\\073b"', id="semicolon"),
        pytest.param('say "hi"', '"say \\"hi\\""', id="quote"),
        pytest.param("back\\slash", '"back\\\\slash"', id="backslash"),
        pytest.param("caf\xe9", '"caf\\351"', id="latin-1"),
        pytest.param(" lead", '" lead"', id="leading-space"),
        pytest.param("trail ", '"trail "', id="trailing-space"),
    ],
)
def test_value_quoting(value: str, rendered: str) -> None:
    header = Cookie(key="k", value=value).to_header(header="")
    assert header == f"k={rendered}; Path=/; SameSite=lax"
    assert parse_set_cookie(header) == ("k", value)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param({"key": ""}, "cookie key `''` is not a valid RFC 6265 token", id="empty-key"),
        pytest.param({"key": "a b"}, "not a valid RFC 6265 token", id="space-key"),
        pytest.param({"key": "a=b"}, "not a valid RFC 6265 token", id="equals-key"),
        pytest.param({"key": "a\r\n"}, "not a valid RFC 6265 token", id="crlf-key"),
        pytest.param({"key": 5}, "not a valid RFC 6265 token", id="non-str-key"),
        pytest.param(
            {"value": "a\r\nSet-Cookie: x=y"}, "value of cookie `k` contains the control character", id="crlf-value"
        ),
        pytest.param({"value": "a\x00"}, "control character `'\\x00'`", id="nul-value"),
        pytest.param({"value": "a\tb"}, "control character `'\\t'`", id="tab-value"),
        pytest.param({"value": "\u20ac"}, "latin-1 cannot encode", id="non-latin1-value"),
        pytest.param({"value": 5}, "must be a string or `None`", id="non-str-value"),
        pytest.param({"path": "/a\nb"}, "path of cookie", id="lf-path"),
        pytest.param({"path": "/a;Domain=evil"}, "contains `;`", id="semicolon-path"),
        pytest.param({"path": None}, "path of cookie `k` must be a string", id="none-path"),
        pytest.param({"domain": "a\x00.com"}, "domain of cookie", id="nul-domain"),
        pytest.param({"domain": "a.com; Secure"}, "contains `;`", id="semicolon-domain"),
        pytest.param(
            {"domain": "\u00e9\u4f8b.com"},
            "latin-1 cannot encode: `'\u00e9\u4f8b.com'`. Encode it first, for example with `urllib.parse.quote` (or the IDNA codec",
            id="non-latin1-domain",
        ),
        pytest.param({"domain": 5}, "domain of cookie `k` must be a string", id="non-str-domain"),
        pytest.param(
            {"path": "/\u20ac"},
            "path of cookie `k` contains `\u20ac`, which latin-1 cannot encode",
            id="non-latin1-path",
        ),
        pytest.param({"max_age": "10"}, "`max_age` of cookie `k` must be a whole number", id="str-max-age"),
        pytest.param({"expires": 1.5}, "`expires` of cookie `k` must be a whole number", id="float-expires"),
        pytest.param({"max_age": True}, "`max_age`", id="bool-max-age"),
        pytest.param(
            {"samesite": "sometimes"}, "must be `lax`, `strict` or `none`, got `'sometimes'`", id="bad-samesite"
        ),
        pytest.param({"samesite": None}, "must be `lax`, `strict` or `none`", id="none-samesite"),
        pytest.param(
            {"samesite": "None"},
            "`samesite='none'`, which browsers only accept with `secure=True`",
            id="none-needs-secure",
        ),
        pytest.param({"partitioned": True}, "`partitioned=True`", id="partitioned-needs-secure"),
        pytest.param({"key": "__Host-id"}, "`__Host-` prefix", id="host-needs-secure"),
        pytest.param({"key": "__Host-id", "secure": True, "path": "/app"}, "`__Host-` prefix", id="host-needs-root"),
        pytest.param({"key": "__host-id", "secure": True, "domain": "a.com"}, "`__Host-` prefix", id="host-no-domain"),
        pytest.param({"key": "__Secure-id"}, "`__Secure-` prefix", id="secure-prefix"),
    ],
)
def test_validation(kwargs: dict[str, Any], fragment: str) -> None:
    fields: dict[str, Any] = {"key": "k", **kwargs}
    with pytest.raises(ImproperlyConfiguredException, match=re.escape(fragment)):
        Cookie(**fields)


def test_prefixed_cookies_accepted_when_valid() -> None:
    assert Cookie(key="__Host-id", value="1", secure=True).to_header(header="") == (
        "__Host-id=1; Path=/; SameSite=lax; Secure"
    )
    assert Cookie(key="__Secure-id", value="1", secure=True, domain="a.com").domain == "a.com"


def test_dict_has_wire_fields_only_in_litestar_order() -> None:
    cookie = Cookie(key="k", value="v", description="doc", documentation_only=True, httponly=True)
    assert list(cookie.dict.items()) == [
        ("key", "k"),
        ("path", "/"),
        ("value", "v"),
        ("max_age", None),
        ("expires", None),
        ("domain", None),
        ("secure", None),
        ("httponly", True),
        ("samesite", "lax"),
        ("partitioned", None),
    ]


def test_simple_cookie_holds_the_cookie_and_its_attributes() -> None:
    cookie = Cookie(key="k", value="a b", max_age=10, domain="a.com", secure=True, httponly=True, samesite="strict")
    jar = cookie.simple_cookie
    assert isinstance(jar, SimpleCookie)
    assert list(jar) == ["k"]
    morsel = jar["k"]
    assert (morsel.value, morsel.coded_value) == ("a b", '"a b"')
    assert (morsel["path"], morsel["max-age"], morsel["domain"], morsel["samesite"]) == ("/", 10, "a.com", "strict")
    assert (morsel["secure"], morsel["httponly"], morsel["expires"]) == (True, True, "")
    assert Cookie(key="k").simple_cookie["k"].value == ""


def test_partitioned_is_in_simple_cookie_only_where_http_cookies_knows_it() -> None:
    morsel = Cookie(key="k", secure=True, partitioned=True).simple_cookie["k"]
    assert morsel.get("partitioned") is (True if "partitioned" in Morsel._reserved else None)  # type: ignore[attr-defined]


def test_equality_and_hash_by_key_path_domain() -> None:
    a = Cookie(key="k", value="1")
    b = Cookie(key="k", value="2", httponly=True)
    c = Cookie(key="k", value="1", path="/other")
    d = Cookie(key="k", value="1", domain="a.com")
    assert a == b
    assert hash(a) == hash(b)
    assert a != c
    assert a != d
    assert a != "k"
    assert len({a, b, c, d}) == 3


cookie_keys = st.text(alphabet=string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~", min_size=1, max_size=20)
cookie_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40
)


@given(cookie_keys.filter(lambda k: not k.lower().startswith(("__host-", "__secure-"))), cookie_values)
def test_round_trip_through_a_set_cookie_reader(key: str, value: str) -> None:
    header = Cookie(key=key, value=value).to_header(header="")
    assert header.isascii()
    assert "\r" not in header
    assert "\n" not in header
    assert parse_set_cookie(header) == (key, value)


@given(
    # a prefix keeps clear of the attribute names and ``$`` keys ``SimpleCookie`` reserves
    st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=10).map(lambda k: f"c_{k}"),
    cookie_values.map(lambda v: v + ";"),
)
def test_quoted_values_round_trip_through_simple_cookie(key: str, value: str) -> None:
    header = Cookie(key=key, value=value).to_header(header="")
    jar: SimpleCookie = SimpleCookie()
    jar.load(header.split("; Path=", 1)[0])
    assert jar[key].value == value


@given(
    st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=10).map(lambda k: f"c_{k}"),
    st.none() | cookie_values,
    st.none() | st.integers(min_value=-(2**31), max_value=2**31),
    st.sampled_from(["/", "", "/app"]),
    st.none() | st.sampled_from(["a.com", "example.org"]),
    st.none() | st.booleans(),
    st.none() | st.booleans(),
    st.sampled_from(["lax", "strict", "none"]),
)
def test_renders_exactly_as_http_cookies(
    key: str,
    value: str | None,
    max_age: int | None,
    path: str,
    domain: str | None,
    secure: bool | None,
    httponly: bool | None,
    samesite: Any,
) -> None:
    """``to_header`` is what ``simple_cookie.output`` renders (outpour renders it itself, faster)."""
    cookie = Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path=path,
        domain=domain,
        secure=True if samesite == "none" else secure,
        httponly=httponly,
        samesite=samesite,
    )
    assert cookie.to_header() == cookie.simple_cookie.output()
    assert cookie.to_header(header="") == cookie.simple_cookie.output(header="").strip()


def test_expires_renders_as_http_cookies_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1000.0)
    cookie = Cookie(key="k", value="v", expires=60)
    assert cookie.to_header() == cookie.simple_cookie.output()


@given(st.text(max_size=10), st.text(max_size=20), st.text(max_size=10))
def test_hostile_fields_only_raise_the_documented_exception(key: str, value: str, path: str) -> None:
    try:
        cookie = Cookie(key=key, value=value, path=path)
    except ImproperlyConfiguredException:
        return
    name, raw = cookie.to_encoded_header()
    assert name == b"set-cookie"
    assert b"\r" not in raw
    assert b"\n" not in raw
    assert b"\x00" not in raw
