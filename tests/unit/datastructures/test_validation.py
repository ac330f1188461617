"""Shared header and cookie checks: RFC 9110 tokens, header names and single-line latin-1 values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.datastructures._validation import (
    TCHARS,
    check_header_name,
    check_header_value,
    find_control_char,
    is_token,
)
from outpour.exceptions import ImproperlyConfiguredException


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("content-type", True, id="plain"),
        pytest.param("X-Custom_Header.1", True, id="mixed"),
        pytest.param("!#$%&'*+-.^_`|~", True, id="all-symbols"),
        pytest.param("", False, id="empty"),
        pytest.param("a b", False, id="space"),
        pytest.param("a:b", False, id="colon"),
        pytest.param("a\r\nb", False, id="crlf"),
        pytest.param('a"b', False, id="quote"),
        pytest.param("a(b)", False, id="parens"),
        pytest.param("é", False, id="non-ascii"),
        pytest.param("a\x00", False, id="nul"),
    ],
)
def test_is_token(value: str, expected: bool) -> None:
    assert is_token(value) is expected


@given(st.text())
def test_is_token_agrees_with_tchar_definition(value: str) -> None:
    assert is_token(value) == (bool(value) and all(char in TCHARS for char in value))


@pytest.mark.parametrize(
    ("value", "allow_htab", "expected"),
    [
        pytest.param("plain", True, -1, id="none"),
        pytest.param("a\tb", True, -1, id="htab-allowed"),
        pytest.param("a\tb", False, 1, id="htab-refused"),
        pytest.param("ab\r", True, 2, id="cr"),
        pytest.param("\nab", True, 0, id="lf"),
        pytest.param("a\x00", True, 1, id="nul"),
        pytest.param("a\x7f", True, 1, id="del"),
        pytest.param("a\x1b", True, 1, id="esc"),
        pytest.param("é\x85", True, -1, id="latin1-not-c0"),
    ],
)
def test_find_control_char(value: str, allow_htab: bool, expected: int) -> None:
    assert find_control_char(value, allow_htab=allow_htab) == expected


def test_check_header_name_accepts_token() -> None:
    check_header_name("X-Request-ID")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        pytest.param("x-a\r\nset-cookie", "control character", id="crlf"),
        pytest.param("x\x00", "control character", id="nul"),
        pytest.param("x a", "not a valid RFC 9110 token", id="space"),
        pytest.param("", "not a valid RFC 9110 token", id="empty"),
        pytest.param("x:", "not a valid RFC 9110 token", id="colon"),
    ],
)
def test_check_header_name_refuses(name: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment) as info:
        check_header_name(name)
    assert repr(name) in str(info.value)


def test_check_header_name_uses_given_error_class() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="not a valid RFC 9110 token"):
        check_header_name("a b", error=ImproperlyConfiguredException)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("text/html; charset=utf-8", id="plain"),
        pytest.param("a\tb", id="tab"),
        pytest.param("caf\xe9", id="latin-1"),
    ],
)
def test_check_header_value_accepts(value: str) -> None:
    check_header_value(value, name="x-test")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param("a\r\nset-cookie: x=1", "control character `'\\\\r'` at position 1", id="crlf"),
        pytest.param("a\nb", "control character `'\\\\n'`", id="lf"),
        pytest.param("a\x00", "control character `'\\\\x00'`", id="nul"),
        pytest.param("a\x7f", "control character", id="del"),
        pytest.param("\u20ac", "latin-1 cannot encode", id="euro"),
    ],
)
def test_check_header_value_refuses(value: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment) as info:
        check_header_value(value, name="x-test")
    assert "`x-test`" in str(info.value)


def test_check_header_value_uses_given_error_class() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="x-test"):
        check_header_value("a\rb", name="x-test", error=ImproperlyConfiguredException)


@given(st.text())
def test_check_header_value_accepts_exactly_safe_latin1(value: str) -> None:
    try:
        check_header_value(value, name="x")
    except ValueError:
        assert any(ord(c) > 0xFF or (ord(c) < 0x20 and c != "\t") or c == "\x7f" for c in value)
    else:
        value.encode("latin-1")
        assert "\r" not in value
        assert "\n" not in value
        assert "\x00" not in value
