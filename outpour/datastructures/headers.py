"""HTTP headers: the immutable request ``Headers``, ``MutableScopeHeaders`` for ASGI messages, and typed headers.

``Headers`` is built per request, so it is lean: slotted and decoded lazily on first access. The typed headers live in
their own modules and are re-exported here: ``Header`` (``_typed_header``), ``CacheControlHeader``
(``_cache_control``), ``ETag`` with ``parse_etag_list`` and ``etag_matches`` (``_etag``) and ``Accept`` (``_accept``).
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping, MutableMapping, ValuesView
from typing import TYPE_CHECKING, Any, cast

from outpour.datastructures._accept import Accept
from outpour.datastructures._accept import _quality as _quality  # tests read the weight of a media type
from outpour.datastructures._cache_control import CacheControlHeader
from outpour.datastructures._etag import ETag, etag_matches, parse_etag_list
from outpour.datastructures._typed_header import Header
from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.datastructures.multi_dicts import MultiMixin

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
