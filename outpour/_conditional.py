"""Conditional requests (RFC 9110 section 13): evaluating If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since.

``evaluate_preconditions`` answers "send it, 304 or 412?" for any response that has an entity tag and/or a
modification time; it knows nothing of files. Malformed precondition headers are ignored, as RFC 9110 asks. The caller
evaluates only when the response would otherwise be a 2xx (RFC 9110 section 13.2.1).

Also here: entity-tag lists and HTTP dates (RFC 9110 sections 8.8.3 and 5.6.7), shared with Range handling.
"""

from __future__ import annotations

import calendar
import math
import re
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Final, Literal, NamedTuple, cast

__all__ = [
    "ANY",
    "EntityTag",
    "evaluate_preconditions",
    "format_http_date",
    "parse_entity_tag",
    "parse_etag_list",
    "parse_http_date",
]

ANY: Final = "*"
"""What ``parse_etag_list`` returns for the field value ``*``."""


class EntityTag(NamedTuple):
    """A parsed entity tag: its opaque value without quotes, and whether it is weak."""

    opaque: str
    weak: bool = False


def _valid_etagc(text: str) -> bool:
    # etagc = %x21 / %x23-7E / obs-text; obs-text arrives as latin-1 decoded characters 0x80-0xFF.
    return all(ch == "!" or "#" <= ch <= "~" or "\x80" <= ch <= "\xff" for ch in text)


def _parse_tag_at(text: str, index: int) -> tuple[EntityTag, int] | None:
    weak = text.startswith("W/", index)
    if weak:
        index += 2
    if index >= len(text) or text[index] != '"':
        return None
    close = text.find('"', index + 1)
    if close == -1:
        return None
    opaque = text[index + 1 : close]
    if not _valid_etagc(opaque):
        return None
    return EntityTag(opaque, weak), close + 1


def parse_entity_tag(value: str) -> EntityTag | None:
    """Parse one entity tag such as ``"v1"`` or ``W/"v1"``.

    Args:
        value: The text.

    Returns:
        The tag, or None when ``value`` is not one entity tag.
    """
    value = value.strip(" \t")
    found = _parse_tag_at(value, 0)
    if found is None or found[1] != len(value):
        return None
    return found[0]


def parse_etag_list(value: str) -> tuple[EntityTag, ...] | Literal["*"] | None:
    """Parse the value of If-Match or If-None-Match: ``*`` or a comma-separated list of entity tags.

    Empty list elements are skipped (RFC 9110 section 5.6.1). Never raises. Values up to 512 characters are cached.

    Args:
        value: The field value.

    Returns:
        ``ANY`` for ``*``, the tags, or None when the value is malformed (and so to be ignored).
    """
    # Caching only short values keeps a client from pinning 512 long header values in memory.
    return _parse_etag_list_cached(value) if len(value) <= _CACHED_LIST_LENGTH else _parse_etag_list(value)


def _parse_etag_list(value: str) -> tuple[EntityTag, ...] | Literal["*"] | None:
    text = value.strip(" \t")
    if text == "*":
        return ANY
    tags: list[EntityTag] = []
    index, length = 0, len(text)
    expect_tag = True
    while index < length:
        ch = text[index]
        if ch in " \t":
            index += 1
        elif ch == ",":
            expect_tag = True
            index += 1
        elif not expect_tag:
            return None
        else:
            found = _parse_tag_at(text, index)
            if found is None:
                return None
            tags.append(found[0])
            index = found[1]
            expect_tag = False
    return tuple(tags) if tags else None


_CACHED_LIST_LENGTH: Final = 512
_parse_etag_list_cached = lru_cache(maxsize=512)(_parse_etag_list)


def _tag_of(etag: str) -> EntityTag:
    """The current entity tag: a header value such as ``"v1"`` or ``W/"v1"``; an unquoted value counts as strong."""
    return parse_entity_tag(etag) or EntityTag(etag.strip())


def _list_matches(tags: tuple[EntityTag, ...] | Literal["*"], current: EntityTag | None, strong: bool) -> bool:
    if tags == ANY:
        return True  # the representation exists: the caller is about to send it
    if current is None:
        return False
    if strong:
        return not current.weak and any(not t.weak and t.opaque == current.opaque for t in tags)
    return any(t.opaque == current.opaque for t in tags)


# -- HTTP dates ---------------------------------------------------------------------------------------------------------

_DAYS = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_LONG_DAYS = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTHS = {
    m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)
}
_MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_TIME = r"(\d\d):(\d\d):(\d\d)"
# re.ASCII: `\d` is 0-9 only, as RFC 9110's DIGIT; other Unicode digits (U+0660 ARABIC-INDIC DIGIT ZERO, ...)
# make no HTTP date.
_IMF_FIXDATE = re.compile(rf"{_DAYS}, (\d\d) {_MONTH} (\d{{4}}) {_TIME} GMT", re.ASCII)
_RFC850 = re.compile(rf"{_LONG_DAYS}, (\d\d)-{_MONTH}-(\d\d) {_TIME} GMT", re.ASCII)
_ASCTIME = re.compile(rf"{_DAYS} {_MONTH} ([ \d]\d) {_TIME} (\d{{4}})", re.ASCII)
# The longest HTTP date, "Wednesday, 09-Nov-94 08:49:37 GMT", has 33 characters; longer values are not cached.
_LONGEST_DATE: Final = 40


def _timestamp(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int | None:
    # Year 0 is a valid four-digit year in the grammar, but no date: `calendar` (like `datetime`) starts at year 1.
    if not 1 <= year <= 9999:
        return None
    if not (1 <= day <= calendar.monthrange(year, month)[1] and hour < 24 and minute < 60 and second <= 60):
        return None
    return calendar.timegm((year, month, day, hour, minute, min(second, 59), 0, 0, 0))


def parse_http_date(value: str) -> int | None:
    """Parse an HTTP date in any of its three formats (RFC 9110 section 5.6.7).

    Never raises: a value that is not an HTTP date, or names a day that does not exist (year 0, 31 April), is None,
    so that a conditional header holding it is ignored (RFC 9110 section 13.1.3).

    Args:
        value: The text, such as ``Sun, 06 Nov 1994 08:49:37 GMT``.

    Returns:
        Seconds since the epoch, or None when ``value`` is not an HTTP date.
    """
    if len(value) > _LONGEST_DATE:
        value = value.strip(" \t")
        if len(value) > _LONGEST_DATE:
            return None
    return _parse_http_date(value)


@lru_cache(maxsize=256)
def _parse_http_date(value: str) -> int | None:
    value = value.strip(" \t")
    match = _IMF_FIXDATE.fullmatch(value)
    if match:
        day, month, year, hh, mm, ss = match.groups()
        return _timestamp(int(year), _MONTHS[month], int(day), int(hh), int(mm), int(ss))
    match = _RFC850.fullmatch(value)
    if match:
        day, month, yy, hh, mm, ss = match.groups()
        # A two-digit year more than 50 years in the future means the most recent past year ending so.
        this_year = time.gmtime().tm_year
        year = this_year - this_year % 100 + int(yy)
        if year > this_year + 50:
            year -= 100
        return _timestamp(year, _MONTHS[month], int(day), int(hh), int(mm), int(ss))
    match = _ASCTIME.fullmatch(value)
    if match:
        month, day, hh, mm, ss, year = match.groups()
        return _timestamp(int(year), _MONTHS[month], int(day.strip()), int(hh), int(mm), int(ss))
    return None


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = tuple(_MONTHS)


@lru_cache(maxsize=1024)
def _format_seconds(seconds: int) -> str:
    t = time.gmtime(seconds)
    return (
        f"{_WEEKDAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTH_NAMES[t.tm_mon - 1]} {t.tm_year:04d} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
    )


def format_http_date(timestamp: float) -> str:
    """Format seconds since the epoch as an IMF-fixdate, such as ``Sun, 06 Nov 1994 08:49:37 GMT``.

    Args:
        timestamp: The time; fractions of a second are dropped.

    Returns:
        The HTTP date.
    """
    return _format_seconds(math.floor(timestamp))


# -- evaluation ---------------------------------------------------------------------------------------------------------

_PRECONDITION_NAMES: Final = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since")
_PRECONDITION_BYTES: Final = frozenset(name.encode() for name in _PRECONDITION_NAMES)

HeadersLike = Mapping[str, str] | Iterable[tuple[bytes, bytes]]


def _collect(headers: HeadersLike) -> dict[str, str]:
    if isinstance(headers, Mapping):
        mapping = cast("Mapping[str, str]", headers)  # not a mapping keyed by pairs (type checkers can't exclude it)
        found: dict[str, str] = {}
        for name in _PRECONDITION_NAMES:
            value = mapping.get(name)
            if value is not None:
                found[name] = value
        return found
    out: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name_bytes = raw_name.lower()
        if name_bytes in _PRECONDITION_BYTES:
            name = name_bytes.decode("latin-1")
            value = raw_value.decode("latin-1")
            out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def evaluate_preconditions(
    method: str, request_headers: HeadersLike, etag: str | None, last_modified: float | None
) -> Literal[304, 412] | None:
    """Evaluate a request's preconditions against the current representation, in RFC 9110 section 13.2.2's order.

    1. If-Match (strong comparison) false -> 412.
    2. Else, without a valid If-Match: If-Unmodified-Since earlier than the modification time -> 412.
    3. If-None-Match (weak comparison) false -> 304 for GET and HEAD, 412 for other methods.
    4. Else, for GET and HEAD without a valid If-None-Match: If-Modified-Since not earlier than the modification
       time -> 304.

    A malformed header is ignored, as is If-Modified-Since on other methods. ``*`` matches, as the representation
    exists. Dates have a resolution of one second.

    Args:
        method: The request method.
        request_headers: The request headers: a mapping with lower-case names (or a case-insensitive one), or raw
            ASGI header pairs (repeated fields are combined).
        etag: The current entity tag as sent in ``ETag`` (``"v1"`` or ``W/"v1"``), or None when there is none.
        last_modified: The modification time in seconds since the epoch, or None when unknown.

    Returns:
        304 or 412 when a precondition fails, None to go on and send the response.
    """
    found = _collect(request_headers)
    if not found:
        return None
    method = method.upper()
    current = _tag_of(etag) if etag is not None else None
    modified = math.floor(last_modified) if last_modified is not None else None

    if_match = parse_etag_list(found["if-match"]) if "if-match" in found else None
    if if_match is not None:
        if not _list_matches(if_match, current, strong=True):
            return 412
    elif "if-unmodified-since" in found and modified is not None:
        date = parse_http_date(found["if-unmodified-since"])
        if date is not None and modified > date:
            return 412

    is_read = method in ("GET", "HEAD")
    if_none_match = parse_etag_list(found["if-none-match"]) if "if-none-match" in found else None
    if if_none_match is not None:
        if _list_matches(if_none_match, current, strong=False):
            return 304 if is_read else 412
    elif is_read and "if-modified-since" in found and modified is not None:
        date = parse_http_date(found["if-modified-since"])
        if date is not None and modified <= date:
            return 304
    return None
