"""Range requests (RFC 9110 section 14): parsing ``Range``, judging ``If-Range``, laying out ``multipart/byteranges``.

Policy, where the RFC leaves a choice to the server:

- A ``Range`` header that is malformed, uses another unit than ``bytes``, holds an inverted range (``5-2``) or more
  than ``MAX_RANGES`` ranges is ignored: the whole representation is sent with 200.
- Unsatisfiable ranges (starting at or past the end, ``-0``) are dropped; when none is left the answer is 416 with
  ``Content-Range: bytes */N``.
- Overlapping ranges are coalesced (sorted and merged), so that no byte is sent twice; ranges that do not overlap keep
  the order the client asked for.
- On an empty representation a suffix range (``-5``) is satisfiable but selects nothing, so the Range header is
  ignored (200, empty body); any other range is unsatisfiable (416).
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Sequence
from typing import Final, NamedTuple

from outpour._conditional import parse_entity_tag, parse_http_date

__all__ = [
    "MAX_RANGES",
    "ByteRange",
    "MultipartByteranges",
    "RangeSpec",
    "content_range",
    "if_range_allows",
    "multipart_byteranges",
    "parse_range_header",
    "parse_range_specs",
    "render_range_specs",
    "resolve_ranges",
    "unsatisfied_range",
]

MAX_RANGES: Final = 100
"""The most ranges one ``Range`` header may hold; one with more is ignored."""

RangeSpec = tuple[int | None, int | None]
"""A range as written: ``(first, last)``; ``(5, None)`` is ``5-``, ``(None, 10)`` is the suffix ``-10``."""


class ByteRange(NamedTuple):
    """A satisfiable byte range: offsets of its first and last byte (inclusive)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """The number of bytes in the range."""
        return self.end - self.start + 1


_INT_RANGE = re.compile(r"([0-9]+)-([0-9]*)")
_SUFFIX_RANGE = re.compile(r"-([0-9]+)")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def parse_range_specs(value: str, max_ranges: int = MAX_RANGES) -> list[RangeSpec] | None:
    """Parse the syntax of a ``Range`` value such as ``bytes=0-99, 200-, -50``.

    Args:
        value: The field value.
        max_ranges: The most ranges accepted.

    Returns:
        The ranges as written, or None when the header is to be ignored: malformed, not in ``bytes``, holding an
        inverted range or more than ``max_ranges`` ranges.
    """
    unit, sep, range_set = value.strip(" \t").partition("=")
    if not sep or not _TOKEN.fullmatch(unit) or unit.lower() != "bytes":
        return None
    specs: list[RangeSpec] = []
    for element in range_set.split(","):
        element = element.strip(" \t")
        if not element:
            continue  # empty list elements are allowed (RFC 9110 section 5.6.1)
        if len(specs) == max_ranges:
            return None
        try:
            match = _INT_RANGE.fullmatch(element)
            if match:
                first = int(match[1])
                last = int(match[2]) if match[2] else None
                if last is not None and last < first:
                    return None
                specs.append((first, last))
                continue
            match = _SUFFIX_RANGE.fullmatch(element)
            if match:
                specs.append((None, int(match[1])))
                continue
        except ValueError:  # more digits than int() accepts
            return None
        return None
    return specs or None


def render_range_specs(specs: Sequence[RangeSpec]) -> str:
    """Write ranges as a ``Range`` value: the inverse of ``parse_range_specs``.

    Args:
        specs: The ranges; each has a first offset, a last offset, or both.

    Returns:
        The field value, such as ``bytes=0-99,-50``.
    """
    parts = []
    for first, last in specs:
        if first is None:
            parts.append(f"-{last}")
        else:
            parts.append(f"{first}-{'' if last is None else last}")
    return "bytes=" + ",".join(parts)


def resolve_ranges(specs: Sequence[RangeSpec], size: int) -> list[ByteRange]:
    """Turn ranges as written into the byte ranges to send from a representation of ``size`` bytes.

    Unsatisfiable ranges are dropped, last offsets past the end are clamped, and overlapping ranges are coalesced.

    Args:
        specs: The ranges as written.
        size: The length of the representation.

    Returns:
        The ranges to send; empty when none is satisfiable.
    """
    ranges: list[ByteRange] = []
    for first, last in specs:
        if first is None:
            if not last or not size:
                continue
            ranges.append(ByteRange(max(0, size - last), size - 1))
        elif first < size:
            ranges.append(ByteRange(first, size - 1 if last is None else min(last, size - 1)))
    if len(ranges) < 2:
        return ranges
    ordered = sorted(ranges)
    if all(prev.end < nxt.start for prev, nxt in itertools.pairwise(ordered)):
        return ranges
    merged = [ordered[0]]
    for item in ordered[1:]:
        last_range = merged[-1]
        if item.start <= last_range.end:
            merged[-1] = ByteRange(last_range.start, max(last_range.end, item.end))
        else:
            merged.append(item)
    return merged


def parse_range_header(value: str, size: int, max_ranges: int = MAX_RANGES) -> list[ByteRange] | None:
    """Decide what a ``Range`` header asks of a representation of ``size`` bytes.

    Args:
        value: The field value.
        size: The length of the representation.
        max_ranges: The most ranges accepted.

    Returns:
        None to ignore the header and send everything (200); an empty list when nothing is satisfiable (416);
        otherwise the ranges to send (206).
    """
    specs = parse_range_specs(value, max_ranges)
    if specs is None:
        return None
    if size == 0:
        return None if any(first is None and last for first, last in specs) else []
    return resolve_ranges(specs, size)


def if_range_allows(value: str, etag: str | None, last_modified: float | None) -> bool:
    """Whether an ``If-Range`` condition holds, so that ``Range`` applies (RFC 9110 section 13.1.5).

    An entity tag must match the current one by strong comparison; a date must equal the modification time (to
    the second). A malformed value does not hold.

    Args:
        value: The ``If-Range`` field value.
        etag: The current entity tag as sent in ``ETag``, or None.
        last_modified: The modification time in seconds since the epoch, or None.

    Returns:
        True to honour ``Range``, False to send the whole representation.
    """
    value = value.strip(" \t")
    if value.startswith(('"', "W/")):
        tag = parse_entity_tag(value)
        current = parse_entity_tag(etag) if etag is not None else None
        if current is None and etag is not None:
            current = parse_entity_tag(f'"{etag.strip()}"')
        return tag is not None and current is not None and not tag.weak and not current.weak and tag == current
    date = parse_http_date(value)
    return date is not None and last_modified is not None and int(last_modified // 1) == date


def content_range(byte_range: ByteRange, size: int) -> str:
    """The ``Content-Range`` value of a range: ``bytes 0-99/1000``."""
    return f"bytes {byte_range.start}-{byte_range.end}/{size}"


def unsatisfied_range(size: int) -> str:
    """The ``Content-Range`` value of a 416 response: ``bytes */1000``."""
    return f"bytes */{size}"


class MultipartByteranges(NamedTuple):
    """The layout of a ``multipart/byteranges`` body.

    Attributes:
        content_type: The response's ``Content-Type`` value, with the boundary.
        parts: Each part's header bytes (delimiter included) and the range whose bytes follow it.
        closing: The bytes after the last part.
        content_length: The length of the whole body.
    """

    content_type: str
    parts: list[tuple[bytes, ByteRange]]
    closing: bytes
    content_length: int


def multipart_byteranges(
    ranges: Sequence[ByteRange], size: int, part_content_type: str, boundary: str | None = None
) -> MultipartByteranges:
    """Lay out a ``multipart/byteranges`` body (RFC 9110 section 14.6) for several ranges.

    Args:
        ranges: The ranges, in the order to send them.
        size: The length of the representation.
        part_content_type: The ``Content-Type`` of each part: the representation's.
        boundary: The boundary; a random one when not given.

    Returns:
        The layout.
    """
    boundary = boundary or secrets.token_hex(16)
    parts: list[tuple[bytes, ByteRange]] = []
    total = 0
    for index, byte_range in enumerate(ranges):
        head = (b"" if index == 0 else b"\r\n") + (
            f"--{boundary}\r\nContent-Type: {part_content_type}\r\n"
            f"Content-Range: {content_range(byte_range, size)}\r\n\r\n"
        ).encode("latin-1")
        parts.append((head, byte_range))
        total += len(head) + byte_range.length
    closing = f"\r\n--{boundary}--\r\n".encode("latin-1")
    return MultipartByteranges(f"multipart/byteranges; boundary={boundary}", parts, closing, total + len(closing))
