"""``CacheControlHeader``: the ``Cache-Control`` header (RFC 9111 section 5.2), parsed and rendered."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal, Self

from outpour.datastructures._typed_header import Header
from outpour.datastructures._validation import QUOTED_PAIR_RE, is_token
from outpour.exceptions import ImproperlyConfiguredException, InvalidHeaderException

__all__ = ["CacheControlHeader"]

_DELTA_SECONDS_MAX = 2**31
_INT_DIRECTIVES = frozenset({"max_age", "s_maxage", "stale_while_revalidate", "stale_if_error", "min_fresh"})
_FIELD_LIST_DIRECTIVES = frozenset({"no_cache", "private"})
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_CC_DIRECTIVE_RE = re.compile(
    rf"""({_TOKEN})[ \t]*(?:(=)[ \t]*(?:"((?:[^"\\]|\\.)*)"|({_TOKEN})?))?[ \t]*(?:,|\Z)""", re.DOTALL
)


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
            value = QUOTED_PAIR_RE.sub(r"\1", quoted) if quoted is not None else (token or "")
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
    def prevent_storing(cls) -> Self:
        """Build ``Cache-Control: no-store``, which forbids any cache to store the response.

        Returns:
            ``CacheControlHeader(no_store=True)``.
        """
        return cls(no_store=True)


_CC_FIELDS = tuple(f.name for f in fields(CacheControlHeader) if f.name != "documentation_only")
_CC_DIRECTIVE_NAMES = {name: name.replace("_", "-") for name in _CC_FIELDS}
