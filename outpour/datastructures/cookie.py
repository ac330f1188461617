"""``Cookie``: a cookie a response sets, validated when built and rendered as a ``Set-Cookie`` header."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.cookies import CookieError, SimpleCookie
from typing import Any, Literal

from outpour.datastructures._validation import find_control_char, is_token
from outpour.exceptions import ImproperlyConfiguredException

__all__ = ["Cookie"]

_SAMESITE_VALUES: dict[str, Literal["lax", "strict", "none"]] = {"lax": "lax", "strict": "strict", "none": "none"}
_LEGAL_VALUE_RE = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~:]+")
"""A value sent as it is: one or more of the characters ``http.cookies`` leaves unquoted."""
_UNESCAPED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~: ()/<=>?@[]{}")
# Control characters are left as they are (`http.cookies` would escape them): a value cannot hold one when the cookie
# is built, so one there was set afterwards, and the checks made when the header is encoded refuse it by name.
_ESCAPES = {code: f"\\{code:03o}" for code in range(0x20, 0x100) if code != 0x7F and chr(code) not in _UNESCAPED}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\"})


def _quote_value(value: str) -> str:
    r"""Quote a cookie value as ``http.cookies`` does: empty or with any other character, it goes in double quotes.

    Inside the quotes ``"`` and ``\`` are backslash-escaped, and ``,``, ``;`` and non-ASCII characters are written as
    octal escapes (``\054``). A browser sends the value back as it got it, and ``http.cookies`` and outpour's request
    parser decode it.
    """
    if _LEGAL_VALUE_RE.fullmatch(value) is not None:
        return value
    return f'"{value.translate(_ESCAPES)}"'


def _check_text(what: str, value: str, key: str, *, allow_semicolon: bool = False) -> None:
    position = find_control_char(value, allow_htab=False)
    if position >= 0:
        raise ImproperlyConfiguredException(
            f"The {what} of cookie `{key}` contains the control character `{value[position]!r}` at position "
            f"{position}: `{value!r}`. CR, LF, NUL and other control characters are refused as they could inject "
            "headers; remove it."
        )
    if not allow_semicolon and ";" in value:
        raise ImproperlyConfiguredException(
            f"The {what} of cookie `{key}` contains `;`, which would start another cookie attribute: `{value!r}`."
        )
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise ImproperlyConfiguredException(
                f"The {what} of cookie `{key}` contains `{value[exc.start]}`, which latin-1 cannot encode: "
                f"`{value!r}`. Encode it first, for example with `urllib.parse.quote`"
                + (" (or the IDNA codec for a domain)." if what == "domain" else ".")
            ) from None


@dataclass(eq=False)
class Cookie:
    r"""A cookie to set on a response.

    Rendered as ``http.cookies`` renders it: ``key=value; Domain=...; expires=...; HttpOnly; Max-Age=...; Partitioned;
    Path=/; SameSite=lax; Secure`` (only the attributes that are set). A value made only of letters, digits and
    ``!#$%&'*+-.^_`|~:`` is sent as it is; any other value, the empty one included, is double-quoted, with ``"`` and
    ``\`` escaped and ``,``, ``;`` and non-ASCII characters as octal escapes: ``k=""``, ``k="a b"``, ``k="a\054b"``.
    Two cookies are equal, and hash alike, when their key, path and domain are: a browser stores one cookie per such
    triple.

    Attributes:
        key: The cookie's name: an RFC 6265 token.
        value: The value; ``None`` sends an empty value.
        max_age: Seconds until it expires (``Max-Age``); 0 or less deletes it.
        expires: Seconds from now until it expires, sent as an HTTP date (``expires``), computed when rendered.
        path: The path it applies to.
        domain: The domain it applies to; ``None`` for the host that set it only.
        secure: Send it over HTTPS only.
        httponly: Hide it from scripts.
        samesite: When it is sent on cross-site requests: ``"lax"``, ``"strict"`` or ``"none"`` (needs ``secure``).
        description: A description for the OpenAPI document.
        documentation_only: Only document the cookie in OpenAPI; do not set it.
        partitioned: Store it partitioned by top-level site (CHIPS); needs ``secure``.

    Raises:
        ImproperlyConfiguredException: When a field is invalid or the attributes contradict each other.
    """

    key: str
    value: str | None = None
    max_age: int | None = None
    expires: int | None = None
    path: str = "/"
    domain: str | None = None
    secure: bool | None = None
    httponly: bool | None = None
    samesite: Literal["lax", "strict", "none"] = "lax"
    description: str | None = None
    documentation_only: bool = False
    partitioned: bool | None = None

    def __post_init__(self) -> None:
        key = self.key
        if not isinstance(key, str) or not is_token(key):
            raise ImproperlyConfiguredException(
                f"The cookie key `{key!r}` is not a valid RFC 6265 token: use a non-empty name made of letters, "
                "digits and `!#$%&'*+-.^_`|~` only (no spaces, `=`, `;`, `,`, quotes or control characters)."
            )
        if self.value is not None:
            if not isinstance(self.value, str):
                raise ImproperlyConfiguredException(
                    f"The value of cookie `{key}` must be a string or `None`, got `{self.value!r}`."
                )
            _check_text("value", self.value, key, allow_semicolon=True)
        if not isinstance(self.path, str):
            raise ImproperlyConfiguredException(f"The path of cookie `{key}` must be a string, got `{self.path!r}`.")
        _check_text("path", self.path, key)
        if self.domain is not None:
            if not isinstance(self.domain, str):
                raise ImproperlyConfiguredException(
                    f"The domain of cookie `{key}` must be a string or `None`, got `{self.domain!r}`."
                )
            _check_text("domain", self.domain, key)
        for name in ("max_age", "expires"):
            number = getattr(self, name)
            if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
                raise ImproperlyConfiguredException(
                    f"`{name}` of cookie `{key}` must be a whole number of seconds or `None`, got `{number!r}`."
                )
        samesite = _SAMESITE_VALUES.get(self.samesite.lower()) if isinstance(self.samesite, str) else None
        if samesite is None:
            raise ImproperlyConfiguredException(
                f"`samesite` of cookie `{key}` must be `lax`, `strict` or `none`, got `{self.samesite!r}`."
            )
        self.samesite = samesite
        if samesite == "none" and not self.secure:
            raise ImproperlyConfiguredException(
                f"Cookie `{key}` has `samesite='none'`, which browsers only accept with `secure=True`; set it."
            )
        if self.partitioned and not self.secure:
            raise ImproperlyConfiguredException(
                f"Cookie `{key}` has `partitioned=True`, which browsers only accept with `secure=True`; set it."
            )
        lowered = key.lower()
        if lowered.startswith("__host-") and (not self.secure or self.path != "/" or self.domain is not None):
            raise ImproperlyConfiguredException(
                f"Cookie `{key}` has the `__Host-` prefix, so browsers only accept it with `secure=True`, "
                f"`path='/'` and no `domain` (got secure={self.secure!r}, path={self.path!r}, domain={self.domain!r})."
            )
        if lowered.startswith("__secure-") and not self.secure:
            raise ImproperlyConfiguredException(
                f"Cookie `{key}` has the `__Secure-` prefix, so browsers only accept it with `secure=True`; set it."
            )

    def _render(self) -> str:
        parts = [f"{self.key}={_quote_value(self.value or '')}"]
        if self.domain is not None:
            parts.append(f"Domain={self.domain}")
        if self.expires is not None:
            parts.append(f"expires={formatdate(time.time() + self.expires, usegmt=True)}")
        if self.httponly:
            parts.append("HttpOnly")
        if self.max_age is not None:
            parts.append(f"Max-Age={self.max_age}")
        if self.partitioned:
            parts.append("Partitioned")
        if self.path:
            parts.append(f"Path={self.path}")
        parts.append(f"SameSite={self.samesite}")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)

    def to_header(self, *, header: str = "Set-Cookie:") -> str:
        """Render the cookie as a header line, as ``self.simple_cookie.output(header=header)`` would.

        Args:
            header: The prefix; ``""`` gives only the value.

        Returns:
            E.g. ``"Set-Cookie: key=value; Path=/; SameSite=lax"``.
        """
        return f"{header} {self._render()}".strip()

    def to_encoded_header(self) -> tuple[bytes, bytes]:
        """Render the cookie as a raw ASGI header.

        Returns:
            ``(b"set-cookie", b"key=value; Path=/; SameSite=lax")``.
        """
        return b"set-cookie", self._render().encode("latin-1")

    @property
    def simple_cookie(self) -> SimpleCookie:
        """The cookie as a new ``http.cookies.SimpleCookie`` holding one morsel, with every attribute that is set.

        ``partitioned`` is included on Pythons whose ``http.cookies`` knows it (3.14 and later).
        """
        jar: SimpleCookie = SimpleCookie()
        jar[self.key] = self.value or ""
        morsel = jar[self.key]
        for name, value in self.dict.items():
            if name in ("key", "value") or value is None:
                continue
            try:
                morsel["max-age" if name == "max_age" else name] = value
            except CookieError:  # `partitioned` on a Python whose `http.cookies` does not know it
                continue
        return jar

    def __hash__(self) -> int:
        return hash(("cookie", self.key, self.path, self.domain))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cookie):
            return NotImplemented
        return (self.key, self.path, self.domain) == (other.key, other.path, other.domain)

    # Last in the class body: a `dict` attribute would hide the built-in from annotations written after it.
    @property
    def dict(self) -> dict[str, Any]:
        """The cookie's fields, in Litestar's order, but for ``description`` and ``documentation_only``."""
        return {
            "key": self.key,
            "path": self.path,
            "value": self.value,
            "max_age": self.max_age,
            "expires": self.expires,
            "domain": self.domain,
            "secure": self.secure,
            "httponly": self.httponly,
            "samesite": self.samesite,
            "partitioned": self.partitioned,
        }
