"""HTTP headers: the immutable request ``Headers``, ``MutableScopeHeaders`` for ASGI messages, and typed headers.

``Headers`` and ``Accept`` are built per request, so they are lean: slotted, decoded lazily on first access, and every
pattern is compiled at import. ``CacheControlHeader`` and ``ETag`` are mostly built at start-up and render once.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import ItemsView, Iterable, Iterator, Mapping, MutableMapping, ValuesView
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, cast

from outpour.datastructures._validation import check_header_name, check_header_value, is_token
from outpour.datastructures.multi_dicts import MultiMixin
from outpour.exceptions import ImproperlyConfiguredException, InvalidHeaderException

if TYPE_CHECKING:
    from outpour.types import Message, Scope

__all__ = [
    "Accept",
    "CacheControlHeader",
    "ETag",
    "Header",
    "Headers",
    "MutableScopeHeaders",
    "etag_matches",
    "parse_etag_list",
]

RawHeaders = list[tuple[bytes, bytes]]
_Pairs = list[tuple[str, str]]


# --------------------------------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------------------------------


class Headers(MultiMixin[str]):
    """Immutable, case-insensitive, multi-valued request headers.

    ``headers["name"]`` and ``headers.get("name")`` give the first value of that name; ``getall`` gives every one.
    Like a multi-dict, iteration, ``len``, ``keys()``, ``values()`` and ``items()`` cover every (name, value) pair,
    repeated names included. Names are lowercased (ASCII letters only, as header names are ASCII tokens).

    Raw ASGI headers (a list of ``(bytes, bytes)`` pairs) are kept as given and only decoded, as latin-1, when read:
    a lookup decodes just the value it returns, and the full list of pairs is decoded on first iteration. Such a list
    is read on first access, not copied at construction. Names and values given as strings are encoded as latin-1.

    Args:
        headers: A mapping of names to values, an iterable of ``(str, str)`` pairs, or raw ASGI headers
            (``(bytes, bytes)`` pairs); ``None`` for no headers.

    Raises:
        UnicodeEncodeError: When a name or value given as a string cannot be encoded as latin-1.
    """

    __slots__ = ("_index", "_pairs", "_raw")

    def __init__(
        self, headers: Mapping[str, str] | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]] | None = None
    ) -> None:
        self._pairs: _Pairs | None = None
        self._index: dict[bytes, bytes] | None = None
        if headers is None:
            self._raw: RawHeaders = []
        elif isinstance(headers, Headers):
            self._raw, self._pairs, self._index = headers._raw, headers._pairs, headers._index
        elif isinstance(headers, Mapping):
            mapping = cast(
                "Mapping[str, str]", headers
            )  # not a mapping keyed by pairs (type checkers can't exclude it)
            self._raw = [(name.encode("latin-1").lower(), value.encode("latin-1")) for name, value in mapping.items()]
        else:
            items: list[Any] = headers if isinstance(headers, list) else list(headers)
            if items and isinstance(items[0][0], str):
                items = [(name.encode("latin-1").lower(), value.encode("latin-1")) for name, value in items]
            self._raw = items

    @classmethod
    def from_scope(cls, scope: Scope) -> Headers:
        """Wrap the raw headers of an ASGI scope; they are decoded when read.

        Args:
            scope: An ASGI ``http`` or ``websocket`` scope.

        Returns:
            The scope's headers.
        """
        headers = object.__new__(cls)
        headers._raw = scope.get("headers") or []
        headers._pairs = None
        headers._index = None
        return headers

    def _get_pairs(self) -> _Pairs:
        pairs = self._pairs
        if pairs is None:
            pairs = self._pairs = [
                (name.lower().decode("latin-1"), value.decode("latin-1")) for name, value in self._raw
            ]
        return pairs

    def _get_index(self) -> dict[bytes, bytes]:
        index = self._index
        if index is None:
            # Reversed, so that the first of repeated names is the one kept.
            index = self._index = {name.lower(): value for name, value in reversed(self._raw)}
        return index

    def __getitem__(self, key: str) -> str:
        try:
            return self._get_index()[key.encode("latin-1").lower()].decode("latin-1")
        except UnicodeEncodeError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        """Return the first value of header ``key``, or ``default`` when it is absent.

        Args:
            key: The header name, in any case.
            default: What to return when the header is absent.

        Returns:
            The first value, or ``default``.
        """
        try:
            value = self._get_index().get(key.encode("latin-1").lower())
        except UnicodeEncodeError:
            return default
        return default if value is None else value.decode("latin-1")

    def getall(self, key: str, default: list[str] | None = None) -> list[str]:
        """Return every value of header ``key``, in the order received.

        Args:
            key: The header name, in any case.
            default: What to return when the header is absent.

        Returns:
            The values, or ``default`` when there are none.

        Raises:
            KeyError: When the header is absent and no ``default`` was given.
        """
        try:
            name = key.encode("latin-1").lower()
        except UnicodeEncodeError:
            name = b""
        values = [value.decode("latin-1") for header_name, value in self._raw if header_name.lower() == name]
        if values:
            return values
        if default is None:
            raise KeyError(key)
        return default

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            return key.encode("latin-1").lower() in self._get_index()
        except UnicodeEncodeError:
            return False

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._get_pairs())

    def __len__(self) -> int:
        return len(self._raw)

    def items(self) -> ItemsView[str, str]:
        """Return every (name, value) pair, repeated names included."""
        return _HeaderItemsView(self)

    def values(self) -> ValuesView[str]:
        """Return every value, repeated names included."""
        return _HeaderValuesView(self)

    def multi_items(self) -> list[tuple[str, str]]:
        """Return every (name, value) pair as a new list, repeated names included.

        Returns:
            The pairs, names lowercased, in the order received.
        """
        return list(self._get_pairs())

    def to_header_list(self) -> RawHeaders:
        """Return the headers as raw ASGI headers: lowercased names, latin-1.

        Returns:
            A new list of ``(name, value)`` byte pairs.
        """
        return [(name.lower(), value) for name, value in self._raw]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return sorted(self.to_header_list()) == sorted(other.to_header_list())
        if isinstance(other, Mapping):
            return self == Headers(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._get_pairs()!r})"


class _HeaderItemsView(ItemsView[str, str]):
    __slots__ = ()
    _mapping: Headers

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._mapping._get_pairs())

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2 or not isinstance(item[0], str):
            return False
        return (item[0].lower(), item[1]) in self._mapping._get_pairs()


class _HeaderValuesView(ValuesView[str]):
    __slots__ = ()
    _mapping: Headers

    def __iter__(self) -> Iterator[str]:
        return (value for _, value in self._mapping._get_pairs())

    def __contains__(self, value: object) -> bool:
        return any(v == value for _, v in self._mapping._get_pairs())


# --------------------------------------------------------------------------------------------------------------------
# MutableScopeHeaders
# --------------------------------------------------------------------------------------------------------------------


def _encode_name(key: str) -> bytes:
    check_header_name(key)
    return key.lower().encode("ascii")


def _encode_value(key: str, value: str) -> bytes:
    check_header_value(value, name=key)
    return value.encode("latin-1")


def _lookup_name(key: str) -> bytes | None:
    try:
        return key.lower().encode("latin-1")
    except UnicodeEncodeError:
        return None


class MutableScopeHeaders(MutableMapping[str, str]):
    """Edit the ``headers`` list of an ASGI scope or ``http.response.start`` message in place.

    Names are matched case-insensitively and written lowercased; values are latin-1. ``headers["name"]`` gives the
    first value; setting it replaces every header of that name. Iteration and ``len`` cover every raw header, repeated
    names included. A name that is not an RFC 9110 token, or a value with CR, LF, NUL or another control character, is
    refused with ``ValueError``.

    Args:
        scope: The scope or message whose ``headers`` to edit (a missing list is created, a tuple replaced by a list);
            ``None`` for a new, unattached list.

    Attributes:
        headers: The raw list of ``(name, value)`` byte pairs, shared with the scope or message.
    """

    __slots__ = ("headers",)

    def __init__(self, scope: MutableMapping[str, Any] | None = None) -> None:
        if scope is None:
            self.headers: RawHeaders = []
            return
        headers = scope.get("headers")
        if not isinstance(headers, list):
            headers = list(headers) if headers else []
            scope["headers"] = headers
        self.headers = headers

    @classmethod
    def from_message(cls, message: Message) -> MutableScopeHeaders:
        """Wrap the ``headers`` of an ASGI message, such as ``http.response.start``, in place.

        Args:
            message: The message.

        Returns:
            The headers, editing ``message["headers"]``.

        Raises:
            ValueError: When the message has no ``headers`` (an ``http.response.body`` message, say).
        """
        if "headers" not in message:
            raise ValueError(
                f"Cannot edit the headers of an ASGI `{message.get('type')}` message: it has no `headers`. Pass the "
                "message that carries them, such as `http.response.start`."
            )
        return cls(message)

    def add(self, key: str, value: str) -> None:
        """Add a header, keeping any others of the same name.

        Args:
            key: The header name.
            value: The header value.

        Raises:
            ValueError: When the name or value is not valid.
        """
        self.headers.append((_encode_name(key), _encode_value(key, value)))

    def getall(self, key: str, default: list[str] | None = None) -> list[str]:
        """Return every value of header ``key``.

        Args:
            key: The header name, in any case.
            default: What to return when the header is absent.

        Returns:
            The values, in order, or ``default`` when there are none.

        Raises:
            KeyError: When the header is absent and no ``default`` was given.
        """
        name = _lookup_name(key)
        values = [value.decode("latin-1") for header_name, value in self.headers if header_name.lower() == name]
        if values:
            return values
        if default is None:
            raise KeyError(key)
        return default

    def extend_header_value(self, key: str, value: str) -> None:
        """Append ``value`` to a comma-separated header, such as ``Vary``, or set it when absent.

        Every existing header of that name is folded into one: ``existing, value``.

        Args:
            key: The header name.
            value: The value to append.

        Raises:
            ValueError: When the name or value is not valid.
        """
        existing = self.getall(key, [])
        self[key] = ", ".join([*existing, value]) if existing else value

    def __getitem__(self, key: str) -> str:
        name = _lookup_name(key)
        for header_name, value in self.headers:
            if header_name.lower() == name:
                return value.decode("latin-1")
        raise KeyError(key)

    def __setitem__(self, key: str, value: str) -> None:
        name = _encode_name(key)
        encoded = _encode_value(key, value)
        headers = self.headers
        indices = [index for index, (header_name, _) in enumerate(headers) if header_name.lower() == name]
        if not indices:
            headers.append((name, encoded))
            return
        headers[indices[0]] = (name, encoded)
        for index in reversed(indices[1:]):
            del headers[index]

    def __delitem__(self, key: str) -> None:
        """Remove every header named ``key``; removing an absent header does nothing."""
        name = _lookup_name(key)
        self.headers[:] = [header for header in self.headers if header[0].lower() != name]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        name = _lookup_name(key)
        return any(header_name.lower() == name for header_name, _ in self.headers)

    def __iter__(self) -> Iterator[str]:
        return (name.decode("latin-1").lower() for name, _ in self.headers)

    def __len__(self) -> int:
        return len(self.headers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.headers!r})"


# --------------------------------------------------------------------------------------------------------------------
# Typed headers
# --------------------------------------------------------------------------------------------------------------------


@dataclass
class Header(ABC):
    """Base of typed headers such as ``CacheControlHeader`` and ``ETag``.

    Attributes:
        HEADER_NAME: The header's name.
        documentation_only: Only document the header in OpenAPI; do not send it.
    """

    HEADER_NAME: ClassVar[str] = ""

    documentation_only: bool = field(default=False, kw_only=True)

    @abstractmethod
    def _get_header_value(self) -> str:
        """Render the header's value."""

    @classmethod
    @abstractmethod
    def from_header(cls, header_value: str) -> Self:
        """Parse a header value.

        Args:
            header_value: The value, without the header name.

        Returns:
            The typed header.

        Raises:
            ImproperlyConfiguredException: When the value is malformed.
        """

    def to_header(self, include_header_name: bool = False) -> str:
        """Render the header.

        Args:
            include_header_name: Prefix the value with ``"<name>: "``.

        Returns:
            The value, or ``"<name>: <value>"``.

        Raises:
            ImproperlyConfiguredException: When the class sets no ``HEADER_NAME``.
        """
        if not self.HEADER_NAME:
            raise ImproperlyConfiguredException(
                f"`{type(self).__name__}` has no `HEADER_NAME`: set the class attribute to the name of the header it "
                'renders, such as `HEADER_NAME = "x-my-header"`.'
            )
        value = self._get_header_value()
        return f"{self.HEADER_NAME}: {value}" if include_header_name else value


# -- Cache-Control ---------------------------------------------------------------------------------------------------

_DELTA_SECONDS_MAX = 2**31
_INT_DIRECTIVES = frozenset({"max_age", "s_maxage", "stale_while_revalidate", "stale_if_error", "min_fresh"})
_FIELD_LIST_DIRECTIVES = frozenset({"no_cache", "private"})
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_CC_DIRECTIVE_RE = re.compile(
    rf"""({_TOKEN})[ \t]*(?:(=)[ \t]*(?:"((?:[^"\\]|\\.)*)"|({_TOKEN})?))?[ \t]*(?:,|\Z)""", re.DOTALL
)
_QUOTED_PAIR_RE = re.compile(r"\\(.)", re.DOTALL)


def _parse_delta_seconds(name: str, value: str) -> int:
    if not value or not value.isascii() or not value.isdigit():
        raise InvalidHeaderException(
            f"The Cache-Control directive `{name}` needs a number of seconds, got `{value!r}`; use e.g. `{name}=60`."
        )
    # RFC 9111 section 1.2.2: a delta-seconds too large to represent is taken as 2**31.
    return _DELTA_SECONDS_MAX if len(value) > 10 else min(int(value), _DELTA_SECONDS_MAX)


def _parse_field_names(name: str, value: str) -> list[str] | Literal[True]:
    names = [part.strip(" \t") for part in value.split(",")]
    names = [part for part in names if part]
    for part in names:
        if not is_token(part):
            raise InvalidHeaderException(
                f"The Cache-Control directive `{name}` lists `{part}`, which is not a header field name; list header "
                'names separated by commas, such as `no-cache="Set-Cookie"`.'
            )
    return names or True


@dataclass
class CacheControlHeader(Header):
    """The ``Cache-Control`` header (RFC 9111 section 5.2): every response and request directive.

    Boolean directives are sent when ``True``. ``no_cache`` and ``private`` may instead list the header fields they
    apply to. ``max_stale`` is ``True`` for "any staleness" or a number of seconds. The directives render in the order
    of the fields below, e.g. ``max-age=86400, no-store``.

    Attributes:
        max_age: ``max-age``: seconds the response stays fresh.
        s_maxage: ``s-maxage``: ``max_age`` for shared caches.
        no_cache: ``no-cache``: revalidate before every reuse; or the fields not to reuse without revalidation.
        no_store: ``no-store``: do not store at all.
        private: ``private``: only a private cache may store it; or the fields a shared cache must not store.
        public: ``public``: any cache may store it.
        no_transform: ``no-transform``: intermediaries must not transform the content.
        must_revalidate: ``must-revalidate``: never reuse it stale without revalidation.
        proxy_revalidate: ``proxy-revalidate``: ``must_revalidate`` for shared caches.
        must_understand: ``must-understand``: store only when the status code's caching rules are understood.
        immutable: ``immutable`` (RFC 8246): it will not change while fresh.
        stale_while_revalidate: ``stale-while-revalidate`` (RFC 5861): seconds it may be served stale while revalidated.
        stale_if_error: ``stale-if-error`` (RFC 5861): seconds it may be served stale when revalidation fails.
        max_stale: ``max-stale`` (request): accept a stale response, at most this many seconds stale, or any if ``True``.
        min_fresh: ``min-fresh`` (request): want a response fresh for at least this many more seconds.
        only_if_cached: ``only-if-cached`` (request): only a stored response is wanted.
        documentation_only: Only document the header in OpenAPI; do not send it.
    """

    HEADER_NAME: ClassVar[str] = "cache-control"

    max_age: int | None = None
    s_maxage: int | None = None
    no_cache: bool | list[str] | None = None
    no_store: bool | None = None
    private: bool | list[str] | None = None
    public: bool | None = None
    no_transform: bool | None = None
    must_revalidate: bool | None = None
    proxy_revalidate: bool | None = None
    must_understand: bool | None = None
    immutable: bool | None = None
    stale_while_revalidate: int | None = None
    stale_if_error: int | None = None
    max_stale: int | bool | None = None
    min_fresh: int | None = None
    only_if_cached: bool | None = None

    def __post_init__(self) -> None:
        for name in (*_INT_DIRECTIVES, "max_stale"):
            value = getattr(self, name)
            if value is None or (name == "max_stale" and isinstance(value, bool)):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ImproperlyConfiguredException(
                    f"`CacheControlHeader.{name}` must be a non-negative number of seconds, got `{value!r}`."
                )
        for name in _FIELD_LIST_DIRECTIVES:
            value = getattr(self, name)
            if isinstance(value, (list, tuple)):
                for part in value:
                    if not isinstance(part, str) or not is_token(part):
                        raise ImproperlyConfiguredException(
                            f"`CacheControlHeader.{name}` lists `{part!r}`, which is not a header field name; "
                            "give `True` or a list of header names."
                        )

    def _get_header_value(self) -> str:
        parts: list[str] = []
        for cc_field in _CC_FIELDS:
            value = getattr(self, cc_field)
            if value is None or value is False:
                continue
            directive = _CC_DIRECTIVE_NAMES[cc_field]
            if value is True:
                parts.append(directive)
            elif isinstance(value, (list, tuple)):
                parts.append(f'{directive}="{", ".join(value)}"' if value else directive)
            else:
                parts.append(f"{directive}={value}")
        return ", ".join(parts)

    @classmethod
    def from_header(cls, header_value: str) -> Self:
        """Parse a ``Cache-Control`` value; directive names are case-insensitive, values may be quoted.

        Unknown (extension) directives are ignored, as RFC 9111 section 5.2.3 requires of caches.

        Args:
            header_value: The value, such as ``"max-age=60, must-revalidate"``.

        Returns:
            The parsed header.

        Raises:
            InvalidHeaderException: When the value is malformed, or a known directive has a bad argument: a 400 when
                the value came with a request, and an ``ImproperlyConfiguredException`` too.
        """
        kwargs: dict[str, Any] = {}
        position, end = 0, len(header_value)
        while True:
            while position < end and header_value[position] in " \t,":
                position += 1
            if position >= end:
                break
            match = _CC_DIRECTIVE_RE.match(header_value, position)
            if match is None:
                raise InvalidHeaderException(
                    f"Invalid Cache-Control header value `{header_value!r}` at position {position}; expected "
                    "comma-separated directives such as `max-age=60, no-cache`."
                )
            position = match.end()
            directive, equals, quoted, token = match.groups()
            name = directive.lower().replace("-", "_")
            if name not in _CC_DIRECTIVE_NAMES:
                continue
            has_value = equals is not None
            value = _QUOTED_PAIR_RE.sub(r"\1", quoted) if quoted is not None else (token or "")
            if name in _INT_DIRECTIVES:
                kwargs[name] = _parse_delta_seconds(directive, value)
            elif name == "max_stale":
                kwargs[name] = _parse_delta_seconds(directive, value) if has_value else True
            elif name in _FIELD_LIST_DIRECTIVES:
                kwargs[name] = _parse_field_names(directive, value) if has_value else True
            elif has_value:
                raise InvalidHeaderException(
                    f"The Cache-Control directive `{directive}` takes no argument, got `{value!r}`; "
                    f"write `{directive}` alone."
                )
            else:
                kwargs[name] = True
        return cls(**kwargs)

    @classmethod
    def prevent_storage(cls) -> Self:
        """Build ``Cache-Control: no-store``, which forbids any cache to store the response.

        Returns:
            ``CacheControlHeader(no_store=True)``.
        """
        return cls(no_store=True)


_CC_FIELDS = tuple(f.name for f in fields(CacheControlHeader) if f.name != "documentation_only")
_CC_DIRECTIVE_NAMES = {name: name.replace("_", "-") for name in _CC_FIELDS}


# -- ETag ------------------------------------------------------------------------------------------------------------

_ASCII_ETAGC_RE = re.compile(r"[\x21\x23-\x7e]*")
"""The tags ``ETag`` builds: visible ASCII other than ``"``, as Litestar requires."""
_ETAG_RE = re.compile(r'[ \t]*(W/|w/)?"([^"]*)"[ \t]*')


@dataclass
class ETag(Header):
    """The ``ETag`` header (RFC 9110 section 8.8.3): an entity tag, strong or weak.

    Attributes:
        value: The opaque tag, without quotes: visible ASCII characters other than ``"``, no spaces.
        weak: A weak validator (``W/"..."``): equal content, maybe not byte-for-byte.
        documentation_only: Only document the header in OpenAPI; do not send it (then ``value`` may be omitted).

    Raises:
        InvalidHeaderException: When ``value`` is missing (and the header is not ``documentation_only``) or holds
            something else than visible ASCII other than ``"``; a ``ValidationException``, as in Litestar, and an
            ``ImproperlyConfiguredException`` too.
    """

    HEADER_NAME: ClassVar[str] = "etag"

    value: str | None = None
    weak: bool = False

    def __post_init__(self) -> None:
        if self.value is None:
            if not self.documentation_only:
                raise InvalidHeaderException(
                    "`ETag` needs a `value`, or set `documentation_only=True` to only document the header."
                )
            return
        if not isinstance(self.value, str) or _ASCII_ETAGC_RE.fullmatch(self.value) is None:
            raise InvalidHeaderException(
                f'The ETag value `{self.value!r}` is not valid: it may only hold visible ASCII characters other than `"` '
                "(no spaces, no control characters, nothing outside ASCII: RFC 9110 section 8.8.3). Give the tag "
                "without surrounding quotes and without `W/`; set `weak=True` for a weak tag."
            )

    def _get_header_value(self) -> str:
        if self.value is None:
            raise ImproperlyConfiguredException("This documentation-only `ETag` has no `value` to render.")
        return f'W/"{self.value}"' if self.weak else f'"{self.value}"'

    @classmethod
    def from_header(cls, header_value: str) -> Self:
        """Parse an entity tag: ``"abc"`` or ``W/"abc"``, the quotes required.

        Args:
            header_value: The value.

        Returns:
            The parsed tag.

        Raises:
            InvalidHeaderException: When the value is not a quoted entity tag of visible ASCII characters: a 400 when
                the value came with a request, and an ``ImproperlyConfiguredException`` too.
        """
        match = _ETAG_RE.fullmatch(header_value)
        if match is None or _ASCII_ETAGC_RE.fullmatch(match[2]) is None:
            raise InvalidHeaderException(
                f'Invalid ETag header value `{header_value!r}`; expected `"tag"` or `W/"tag"`, the tag in double quotes '
                'and made of visible ASCII characters other than `"` (no spaces, no control characters: RFC 9110 '
                "section 8.8.3)."
            )
        return cls(value=match[2], weak=match[1] is not None)


def parse_etag_list(header_value: str) -> list[ETag] | Literal["*"]:
    """Parse an ``If-Match`` or ``If-None-Match`` value: ``*`` or comma-separated entity tags.

    Never raises: malformed entries, and tags holding non-ASCII characters (which an ``ETag`` cannot hold), are
    skipped; tags may themselves hold commas, so quotes are honoured.

    Args:
        header_value: The header value.

    Returns:
        ``"*"``, or the entity tags in order (possibly none).
    """
    text = header_value.strip(" \t")
    if text == "*":
        return "*"
    tags: list[ETag] = []
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char in " \t,":
            position += 1
            continue
        weak = text.startswith(("W/", "w/"), position)
        if weak:
            position += 2
        if position < end and text[position] == '"':
            close = text.find('"', position + 1)
            if close < 0:
                break
            value = text[position + 1 : close]
            position = close + 1
            while position < end and text[position] in " \t":
                position += 1
            if position < end and text[position] != ",":
                comma = text.find(",", position)
                position = end if comma < 0 else comma
                continue
        else:
            comma = text.find(",", position)
            stop = end if comma < 0 else comma
            value = text[position:stop].strip(" \t")
            position = stop
            if not value or '"' in value:
                continue
        if _ASCII_ETAGC_RE.fullmatch(value) is not None:
            tags.append(ETag(value=value, weak=weak))
    return tags


def _as_etag(tag: ETag | str) -> ETag | None:
    if isinstance(tag, ETag):
        return tag
    try:
        return ETag.from_header(tag)
    except ImproperlyConfiguredException:
        return None


def etag_matches(a: ETag | str, b: ETag | str, weak: bool) -> bool:
    """Compare two entity tags (RFC 9110 section 8.8.3.2).

    Strong comparison (``weak=False``, for ``If-Match`` and ``Range``) matches when neither tag is weak and the values
    are equal; weak comparison (for ``If-None-Match``) matches when the values are equal. Strings are parsed as header
    values (``'W/"x"'``); one that is not an entity tag matches nothing.

    Args:
        a: An entity tag.
        b: Another entity tag.
        weak: Use weak comparison.

    Returns:
        Whether they match.
    """
    first, second = _as_etag(a), _as_etag(b)
    if first is None or second is None or first.value is None or first.value != second.value:
        return False
    return weak or not (first.weak or second.weak)


# -- Accept ----------------------------------------------------------------------------------------------------------

_QVALUE_RE = re.compile(r"(?:0(?:\.[0-9]*)?|1(?:\.0*)?|\.[0-9]+)")
_PARSE_CACHE_MAX_LENGTH = 512


def _split_quoted(text: str, separator: str) -> list[str]:
    """Split ``text`` on ``separator`` outside double-quoted strings."""
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    start, in_quotes, escaped = 0, False, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif in_quotes:
            if char == "\\":
                escaped = True
            elif char == '"':
                in_quotes = False
        elif char == '"':
            in_quotes = True
        elif char == separator:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _QUOTED_PAIR_RE.sub(r"\1", value[1:-1])
    return value


def _parse_media_type(
    text: str, *, is_range: bool
) -> tuple[str, str, tuple[tuple[str, str], ...], float, str | None] | None:
    """Parse ``type/subtype;params``; return ``(type, subtype, params, q, q as sent)`` or ``None`` when malformed.

    Malformed: no ``/``, a type or subtype that is not a token, ``*/subtype``, a weight that is not a qvalue, or a
    parameter given twice.
    """
    pieces = _split_quoted(text, ";")
    main_type, slash, subtype = pieces[0].strip(" \t").lower().partition("/")
    if not slash or not is_token(main_type) or not is_token(subtype) or (main_type == "*" and subtype != "*"):
        return None
    params: list[tuple[str, str]] = []
    quality, q_text = 1.0, None
    for piece in pieces[1:]:
        name, equals, value = piece.partition("=")
        name = name.strip(" \t").lower()
        value = _unquote(value.strip(" \t"))
        if not equals or not is_token(name):
            continue
        if is_range and name == "q":
            if _QVALUE_RE.fullmatch(value) is None:
                return None
            quality, q_text = float(value), value
            break  # what follows the weight are accept-extensions, not media type parameters
        if any(name == seen for seen, _ in params):
            return None  # a parameter given twice, an error (RFC 6838 section 4.3): which value would count?
        params.append((name, value.lower()))
    return main_type, subtype, tuple(params), quality, q_text


class _MediaRange:
    __slots__ = ("main_type", "params", "quality", "specificity", "subtype", "text")

    def __init__(
        self, main_type: str, subtype: str, params: tuple[tuple[str, str], ...], quality: float, text: str
    ) -> None:
        self.main_type = main_type
        self.subtype = subtype
        self.params = params
        self.quality = quality
        base = 0 if main_type == "*" else 1 if subtype == "*" else 2
        self.specificity = base * 1024 + min(len(params), 1023)
        self.text = text


_ANY = _MediaRange("*", "*", (), 1.0, "*/*")


def _render_media_range(main_type: str, subtype: str, params: tuple[tuple[str, str], ...]) -> str:
    rendered = f"{main_type}/{subtype}"
    for name, value in params:
        rendered += f";{name}={value}" if is_token(value) else f';{name}="{_escape_quoted(value)}"'
    return rendered


def _escape_quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _parse_accept(header_value: str) -> tuple[_MediaRange, ...]:
    ranges: list[tuple[float, int, int, _MediaRange]] = []
    for index, element in enumerate(_split_quoted(header_value, ",")):
        if not element.strip(" \t"):
            continue
        parsed = _parse_media_type(element, is_range=True)
        if parsed is None:
            continue
        main_type, subtype, params, quality, q_text = parsed
        text = _render_media_range(main_type, subtype, params) + ("" if q_text is None else f";q={q_text}")
        media_range = _MediaRange(main_type, subtype, params, quality, text)
        ranges.append((-quality, -media_range.specificity, index, media_range))
    if not ranges:
        return (_ANY,)
    ranges.sort(key=lambda entry: entry[:3])
    return tuple(entry[3] for entry in ranges)


_parse_accept_cached = lru_cache(maxsize=256)(_parse_accept)


@lru_cache(maxsize=512)
def _parse_provided(media_type: str) -> tuple[str, str, dict[str, str]] | None:
    parsed = _parse_media_type(media_type, is_range=False)
    if parsed is None:
        return None
    return parsed[0], parsed[1], dict(parsed[2])


def _match(ranges: tuple[_MediaRange, ...], media_type: str) -> tuple[float, int, _MediaRange | None]:
    """Find the range that decides how acceptable ``media_type`` is: ``(its weight, its specificity, the range)``.

    A range matches when its type and subtype do (``*`` on either side matches anything) and the parameters agree:
    the provided type's parameters must all have been sent by the client, and a concrete provided type must carry
    every parameter of the range. For a concrete type the most specific matching range decides (the highest weight
    if several, RFC 9110 section 12.5.1); for a type with wildcards, the client's preferred matching range, since it
    stands for the concrete type sent instead.
    """
    provided = _parse_provided(media_type)
    if provided is None:
        return 0.0, -1, None
    main_type, subtype, params = provided
    concrete = main_type != "*" and subtype != "*"
    best_quality, best_specificity, best = 0.0, -1, None
    for media_range in ranges:
        specificity = media_range.specificity
        if concrete and specificity < best_specificity:
            continue
        range_type = media_range.main_type
        if range_type != main_type and range_type != "*" and main_type != "*":
            continue
        range_subtype = media_range.subtype
        if range_subtype != subtype and range_subtype != "*" and subtype != "*":
            continue
        range_params = media_range.params
        if params and (not range_params or not all((name, value) in range_params for name, value in params.items())):
            continue
        if concrete and range_params and not all(params.get(name) == value for name, value in range_params):
            continue
        if not concrete:  # ranges come in the client's order of preference: the first acceptable one is it
            if media_range.quality > 0.0:
                return media_range.quality, specificity, media_range
            continue
        if specificity > best_specificity or media_range.quality > best_quality:
            best_quality, best_specificity, best = media_range.quality, specificity, media_range
    return best_quality, best_specificity, best


def _quality(ranges: tuple[_MediaRange, ...], media_type: str) -> tuple[float, int]:
    """The weight of ``media_type`` for the client, and the specificity of the range that gave it (see ``_match``)."""
    quality, specificity, _ = _match(ranges, media_type)
    return quality, specificity


def _best(ranges: tuple[_MediaRange, ...], provided_types: tuple[str, ...]) -> tuple[int, _MediaRange | None]:
    """The index of the provided type to send, and the range that matched it; ``(-1, None)`` when none is acceptable."""
    best, best_key, best_range = -1, (0.0, -1), None
    for index, provided in enumerate(provided_types):
        quality, specificity, media_range = _match(ranges, provided)
        if quality > 0.0 and (quality, specificity) > best_key:
            best, best_key, best_range = index, (quality, specificity), media_range
    return best, best_range


@lru_cache(maxsize=1024)
def _best_cached(accept_value: str, provided_types: tuple[str, ...]) -> tuple[int, _MediaRange | None]:
    return _best(_parse_accept_cached(accept_value), provided_types)


def _concrete(provided: str, media_range: _MediaRange) -> str:
    """``provided`` with its ``*`` type or subtype filled in from the accepted range, and the range's parameters.

    The range carries every parameter of ``provided`` (or it would not match), so its parameters are the answer's.
    """
    main_type, _, subtype = provided.partition(";")[0].strip(" \t").lower().partition("/")
    if main_type == "*":
        main_type = media_range.main_type
    if subtype == "*":
        subtype = media_range.subtype
    return _render_media_range(main_type, subtype, media_range.params)


class Accept:
    """The parsed ``Accept`` request header (RFC 9110 section 12.5.1), for content negotiation.

    Media ranges are ordered by preference: weight (``q``) first, then specificity (``text/html`` before ``text/*``
    before ``*/*``; more parameters are more specific), then the client's order. A weight of 0 means "not acceptable".
    A missing or empty header, or one without any valid media range, means ``*/*``. Malformed entries are skipped;
    parsing never raises. Iterating gives each range as ``type/subtype;params``, with the ``;q=`` the client sent.
    Parses and negotiation results of headers up to 512 characters are cached.

    Args:
        accept_value: The header's value, or ``None`` when the request had none.
    """

    __slots__ = ("_ranges", "_value")

    def __init__(self, accept_value: str | None) -> None:
        value = accept_value or ""
        if len(value) <= _PARSE_CACHE_MAX_LENGTH:
            self._value: str | None = value
            self._ranges = _parse_accept_cached(value)
        else:
            self._value = None
            self._ranges = _parse_accept(value)

    def best_match(self, provided_types: Iterable[str], default: str | None = None) -> str | None:
        """Choose the provided media type the client prefers.

        The type with the highest weight wins; ties go to the one matched by the more specific media range, then to
        the earlier one in ``provided_types``. Types the client does not accept (no matching range, or weight 0) are
        never chosen, nor are types with parameters the client did not send (``text/html;level=1`` for
        ``Accept: text/html``). A provided type with wildcards (``text/*``, ``*/*``) stands for whatever the client
        prefers among what it matches: the answer is that concrete type (``text/html`` for ``text/*`` and
        ``Accept: text/html``).

        Args:
            provided_types: The media types the server can produce (strings or ``MediaType`` members), wildcards
                allowed.
            default: What to return when none is acceptable.

        Returns:
            The chosen element of ``provided_types`` as given (a type with wildcards: the accepted range's type, with
            its parameters), or ``default``.
        """
        provided = tuple(provided_types)
        value = self._value
        index, media_range = _best(self._ranges, provided) if value is None else _best_cached(value, provided)
        if index < 0:
            return default
        chosen = provided[index]
        if media_range is not None and "*" in chosen.partition(";")[0]:
            return _concrete(chosen, media_range)
        return chosen

    def accepts(self, media_type: str) -> bool:
        """Tell whether the client accepts ``media_type`` (a matching range with a weight above 0).

        Args:
            media_type: A media type, such as ``"application/json"``.

        Returns:
            Whether it is acceptable.
        """
        return _quality(self._ranges, media_type)[0] > 0.0

    def __iter__(self) -> Iterator[str]:
        return (media_range.text for media_range in self._ranges)

    def __len__(self) -> int:
        return len(self._ranges)

    def __getitem__(self, index: int) -> str:
        return self._ranges[index].text

    def __repr__(self) -> str:
        ranges = ", ".join(
            f"{_render_media_range(r.main_type, r.subtype, r.params)};q={r.quality:g}" for r in self._ranges
        )
        return f"{type(self).__name__}({ranges!r})"
