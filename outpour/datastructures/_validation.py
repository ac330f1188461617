"""Checks shared by headers, cookies and response headers: RFC 9110 tokens and safe, single-line field values.

All patterns are compiled once at import; every check is a single regular-expression call on the fast path.
"""

from __future__ import annotations

import re

__all__ = ["check_header_name", "check_header_value", "find_control_char", "is_token"]

TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
"""The characters of an RFC 9110 ``token`` (section 5.6.2)."""

_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CTL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""Control characters other than HTAB: CR, LF and NUL, and every other one no field value may hold."""
_CTL_OR_HTAB_RE = re.compile(r"[\x00-\x1f\x7f]")
QUOTED_PAIR_RE = re.compile(r"\\(.)", re.DOTALL)
"""An RFC 9110 ``quoted-pair`` (section 5.6.4): ``QUOTED_PAIR_RE.sub(r"\\1", text)`` unescapes a quoted string."""


def is_token(value: str) -> bool:
    """Tell whether ``value`` is a non-empty RFC 9110 ``token`` (the syntax of header names and cookie names).

    Args:
        value: The string to check.

    Returns:
        ``True`` when every character is a ``tchar`` and there is at least one.
    """
    return _TOKEN_RE.fullmatch(value) is not None


def find_control_char(value: str, *, allow_htab: bool = True) -> int:
    """Find the first control character in ``value``.

    Args:
        value: The string to search.
        allow_htab: Whether a horizontal tab is allowed (it is inside header values, but not inside cookie values).

    Returns:
        The index of the first forbidden control character, or ``-1`` when there is none.
    """
    match = (_CTL_RE if allow_htab else _CTL_OR_HTAB_RE).search(value)
    return -1 if match is None else match.start()


def check_header_name(name: str, *, error: type[Exception] = ValueError) -> None:
    """Check that ``name`` is a valid header name: a non-empty RFC 9110 token.

    Args:
        name: The header name.
        error: The exception class to raise.

    Raises:
        ValueError: (or ``error``) When the name is not a token; CR, LF and NUL are called out by name.
    """
    if _TOKEN_RE.fullmatch(name) is not None:
        return
    if find_control_char(name, allow_htab=False) >= 0:
        raise error(
            f"The header name `{name!r}` contains a control character (such as CR, LF or NUL), which would let it "
            "inject other headers. Use a name made of letters, digits and `!#$%&'*+-.^_`|~` only."
        )
    raise error(
        f"The header name `{name!r}` is not a valid RFC 9110 token. Use a non-empty name made of letters, digits "
        "and `!#$%&'*+-.^_`|~` only (no spaces, colons or separators)."
    )


def check_header_value(value: str, *, name: str, error: type[Exception] = ValueError) -> None:
    """Check that ``value`` can be sent as the value of header ``name``: one line, latin-1 encodable.

    Args:
        value: The header value.
        name: The header's name, for the error message.
        error: The exception class to raise.

    Raises:
        ValueError: (or ``error``) When the value contains a control character other than a tab (CR, LF, NUL, ...),
            or a character that latin-1 cannot encode.
    """
    position = find_control_char(value)
    if position >= 0:
        raise error(
            f"The value of header `{name}` contains the control character `{value[position]!r}` at position "
            f"{position}: `{value!r}`. CR, LF, NUL and other control characters are refused as they could split or "
            "inject headers; send a single-line value."
        )
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise error(
                f"The value of header `{name}` contains the character `{value[exc.start]}` that latin-1 cannot "
                f"encode: `{value!r}`. Encode it first (for example with `urllib.parse.quote`)."
            ) from None
