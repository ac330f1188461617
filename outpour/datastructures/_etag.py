"""``ETag`` (RFC 9110 section 8.8.3); parsing and matching the tag lists of ``If-Match`` and ``If-None-Match``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal, Self

from outpour.datastructures._typed_header import Header
from outpour.exceptions import ImproperlyConfiguredException, InvalidHeaderException

__all__ = ["ETag", "etag_matches", "parse_etag_list"]

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
