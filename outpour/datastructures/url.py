"""``URL``: an immutable, lazily parsed URL, built from a string, from components or from an ASGI scope.

Also ``Address``, a connection's ``(host, port)``, and the two query string parsers, which share one splitter and
differ only in their error policy: ``parse_query_string`` (tolerant, used by ``URL.query_params``,
``Request.query_params`` and form bodies) and ``parse_query`` (strict, used for typed query parameters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from urllib.parse import (
    SplitResult,
    quote,
    quote_from_bytes,
    unquote_plus,
    unquote_to_bytes,
    urlencode,
    urlsplit,
    urlunsplit,
)

from outpour.datastructures.multi_dicts import ImmutableMultiDict, _MultiBase
from outpour.exceptions import ClientException
from outpour.types.empty import Empty, EmptyType

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["MAX_QUERY_FIELDS", "URL", "Address", "parse_query", "parse_query_string"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_PATH_OK_RE = re.compile(r"[A-Za-z0-9/!$&'()*+,;=:@\-._~]*")
_QUERY_SAFE = "!$%&'()*+,-./:;=?@[]_~"
_QUERY_OK_RE = re.compile(rb"[A-Za-z0-9!$%&'()*+,\-./:;=?@\[\]_~]*")
_HOST_RE = re.compile(
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+(?::[0-9]*)?|\[[0-9A-Za-z:.%\-]+\](?::[0-9]*)?",
)
"""A valid ``Host`` header (RFC 9110 section 7.2): a registered name, IPv4 address or bracketed IPv6 address, and port."""
_QUERY_CACHE_MAX_LENGTH = 256


class Address(NamedTuple):
    """The host and port of one end of a connection."""

    host: str
    port: int


MAX_QUERY_FIELDS = 1000
"""The most ``&``-separated fields :func:`parse_query` accepts before answering 400."""


def _unquote_plus(raw: bytes) -> str:
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        raw = unquote_to_bytes(raw)
    return raw.decode("utf-8", "replace")


def _split_query(query: bytes, strict: bool) -> list[tuple[str, str]]:
    """Split ``query`` into decoded ``(name, value)`` pairs: the one splitter behind both public parsers.

    The common case (the raw bytes are UTF-8) decodes once and percent-decodes only the fields that need it. With
    ``strict``, bytes that are not UTF-8 (raw or percent-encoded) raise ``UnicodeDecodeError``; without it they become
    U+FFFD, decoding field by field as bytes so that a raw byte and a following escape still form one character.
    """
    try:
        text = query.decode("utf-8")
    except UnicodeDecodeError:
        if strict:
            raise
        repaired: list[tuple[str, str]] = []
        for raw in query.split(b"&"):
            if raw:
                raw_name, _, raw_value = raw.partition(b"=")
                repaired.append((_unquote_plus(raw_name), _unquote_plus(raw_value)))
        return repaired
    errors = "strict" if strict else "replace"
    pairs: list[tuple[str, str]] = []
    for field in text.split("&"):
        if field:
            key, _, value = field.partition("=")
            if "%" in key or "+" in key:
                key = unquote_plus(key, errors=errors)
            if "%" in value or "+" in value:
                value = unquote_plus(value, errors=errors)
            pairs.append((key, value))
    return pairs


@lru_cache(maxsize=1024)
def _parse_query_cached(query: bytes) -> tuple[tuple[str, str], ...]:
    return tuple(_split_query(query, False))


@lru_cache(maxsize=1024)
def _parse_query_strict_cached(query: bytes) -> tuple[tuple[str, str], ...]:
    return tuple(_split_query(query, True))


def parse_query(query: bytes) -> dict[str, list[str]]:
    """Parse a raw query string strictly into lists of values by name, as typed query parameters need it.

    The splitting and decoding rules are those of :func:`parse_query_string`, except that malformed input is refused
    rather than repaired: a client sending it gets a 400 that says what was wrong.

    Args:
        query: The raw query string, without the leading ``?``.

    Returns:
        A new dict mapping each name to its values, in order.

    Raises:
        ClientException: The query string is not UTF-8 (raw or after percent-decoding), or has more than
            :data:`MAX_QUERY_FIELDS` fields.
    """
    if not query:
        return {}
    if query.count(b"&") >= MAX_QUERY_FIELDS:
        raise ClientException(f"The query string has more than {MAX_QUERY_FIELDS} fields.")
    try:
        pairs = (
            _parse_query_strict_cached(query) if len(query) <= _QUERY_CACHE_MAX_LENGTH else _split_query(query, True)
        )
    except UnicodeDecodeError as exc:
        raise ClientException("The query string is not valid UTF-8 (after percent-decoding).") from exc
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        found = out.get(key)
        if found is None:
            out[key] = [value]
        else:
            found.append(value)
    return out


def parse_query_string(query: bytes | str) -> list[tuple[str, str]]:
    """Parse a query string (or an ``application/x-www-form-urlencoded`` body) into ``(name, value)`` pairs.

    Fields are separated by ``&``; a field without ``=`` has an empty value and empty fields are skipped. ``+`` means a
    space and ``%XX`` a byte; the bytes are decoded as UTF-8. Parsing never raises: malformed percent escapes are kept
    as they are and bytes that are not UTF-8 become U+FFFD (the replacement character).

    Args:
        query: The query string, without the leading ``?``; a ``str`` is encoded as UTF-8 first.

    Returns:
        A new list of the pairs, in order.
    """
    if isinstance(query, str):
        query = query.encode("utf-8", "replace")
    if not query:
        return []
    if len(query) <= _QUERY_CACHE_MAX_LENGTH:
        return list(_parse_query_cached(query))
    return _split_query(query, False)


@lru_cache(maxsize=1024)
def _split(url: str) -> SplitResult:
    return urlsplit(url)


def _host_header(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == b"host" or name.lower() == b"host":
            host: str = value.decode("latin-1")
            return host if _HOST_RE.fullmatch(host) else None
    return None


def _server_netloc(scheme: str, server: Any) -> str:
    if not server:
        return ""
    host, port = server[0], server[1]
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return str(host)
    return f"{host}:{port}"


class URL:
    """An immutable URL.

    Parsing a string is cached, and each part is computed only when first read. Two URLs are equal when their strings
    are, and a URL equals its string.

    Args:
        url: The URL as a string, or already split by ``urllib.parse.urlsplit``.

    Raises:
        ValueError: When ``url`` cannot be parsed (for example a bracketed host that is not an IPv6 address).
    """

    __slots__ = ("_parts", "_query_params", "_url")

    def __init__(self, url: str | SplitResult = "") -> None:
        if isinstance(url, str):
            self._url: str | None = url
            self._parts = _split(url)
        else:
            self._url = None
            self._parts = url
        self._query_params: ImmutableMultiDict[str] | None = None

    @classmethod
    def from_components(
        cls, scheme: str = "", netloc: str = "", path: str = "", fragment: str = "", query: str = ""
    ) -> URL:
        """Build a URL from its parts.

        Args:
            scheme: The scheme, such as ``https``.
            netloc: The authority: ``[user[:password]@]host[:port]``.
            path: The path, percent-encoded.
            fragment: The fragment, without ``#``.
            query: The query string, percent-encoded, without ``?``.

        Returns:
            The URL.
        """
        return cls(SplitResult(scheme, netloc, path, query, fragment))

    @classmethod
    def from_scope(cls, scope: Scope) -> URL:
        """Rebuild the URL a request was sent to from its ASGI scope.

        The scheme is ``scope["scheme"]``; the authority is the ``Host`` header when it is a valid host (RFC 9110
        section 7.2), else the server address ``scope["server"]`` (default ports left out); the path is
        ``scope["root_path"] + scope["path"]``, percent-encoded; the query is ``scope["query_string"]``, with bytes that
        may not appear in a URL percent-encoded.

        Args:
            scope: An ASGI ``http`` or ``websocket`` scope.

        Returns:
            The URL.
        """
        scheme: str = scope.get("scheme") or "http"
        netloc = _host_header(scope)
        if netloc is None:
            netloc = _server_netloc(scheme, scope.get("server"))
        root_path: str = scope.get("root_path", "")
        path: str = scope.get("path", "")
        # ASGI servers (uvicorn, granian) send the full path, root_path included; older ones sent only the rest.
        if root_path and not path.startswith(root_path):
            path = root_path + path
        if not path.isascii() or _PATH_OK_RE.fullmatch(path) is None:
            path = quote(path, safe=_PATH_SAFE)
        raw_query: bytes = scope.get("query_string") or b""
        if _QUERY_OK_RE.fullmatch(raw_query) is not None:
            query = raw_query.decode("ascii")
        else:
            query = quote_from_bytes(raw_query, safe=_QUERY_SAFE)
        return cls(SplitResult(scheme, netloc, path, query, ""))

    @property
    def scheme(self) -> str:
        """The scheme, such as ``https``; empty for a relative URL."""
        return self._parts.scheme

    @property
    def netloc(self) -> str:
        """The authority: ``[user[:password]@]host[:port]``."""
        return self._parts.netloc

    @property
    def path(self) -> str:
        """The path, percent-encoded as in the URL."""
        return self._parts.path

    @property
    def query(self) -> str:
        """The query string, without ``?``."""
        return self._parts.query

    @property
    def fragment(self) -> str:
        """The fragment, without ``#``."""
        return self._parts.fragment

    @property
    def username(self) -> str | None:
        """The user name of the authority, if any."""
        return self._parts.username

    @property
    def password(self) -> str | None:
        """The password of the authority, if any."""
        return self._parts.password

    @property
    def hostname(self) -> str | None:
        """The host, lowercased, without brackets around an IPv6 address; ``None`` when there is none."""
        return self._parts.hostname

    @property
    def port(self) -> int | None:
        """The explicit port; ``None`` when there is none or it is not a valid port number."""
        try:
            return self._parts.port
        except ValueError:
            return None

    @property
    def query_params(self) -> ImmutableMultiDict[str]:
        """The query parameters, parsed by ``parse_query_string`` on first access."""
        params = self._query_params
        if params is None:
            params = self._query_params = ImmutableMultiDict._from_pairs(parse_query_string(self._parts.query))
        return params

    def with_replacements(
        self,
        scheme: str | None = None,
        netloc: str | None = None,
        path: str | None = None,
        query: str | _MultiBase[Any] | Mapping[str, Any] | Iterable[tuple[str, Any]] | EmptyType | None = Empty,
        fragment: str | None = None,
    ) -> URL:
        """Return a copy with some parts replaced.

        A ``scheme``, ``netloc``, ``path`` or ``fragment`` given as ``None`` keeps the URL's own (``""`` removes it).
        ``query`` replaces the query whenever it is given: ``None`` or ``""`` removes it, as in Litestar.

        Args:
            scheme: The new scheme.
            netloc: The new authority.
            path: The new path, percent-encoded.
            query: The new query: a percent-encoded string, or a multi-dict, mapping or iterable of pairs to encode.
            fragment: The new fragment.

        Returns:
            The new URL.
        """
        parts = self._parts
        if query is Empty:
            query = parts.query
        elif query is None:
            query = ""
        elif not isinstance(query, str):
            if isinstance(query, _MultiBase):
                pairs: Iterable[tuple[str, Any]] = query.multi_items()
            elif isinstance(query, Mapping):
                pairs = cast("Mapping[str, Any]", query).items()
            else:
                pairs = query
            query = urlencode(list(pairs))
        return URL(
            SplitResult(
                parts.scheme if scheme is None else scheme,
                parts.netloc if netloc is None else netloc,
                parts.path if path is None else path,
                query,
                parts.fragment if fragment is None else fragment,
            )
        )

    def __str__(self) -> str:
        url = self._url
        if url is None:
            url = self._url = urlunsplit(self._parts)
        return url

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (str, URL)):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))
