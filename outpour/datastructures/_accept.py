"""``Accept``: the parsed ``Accept`` request header (RFC 9110 section 12.5.1) and content negotiation.

``Accept`` is built per request, so it is lean: slotted, its patterns compiled at import, and parses and negotiation
results of headers up to 512 characters cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from outpour.datastructures._validation import QUOTED_PAIR_RE, is_token

__all__ = ["Accept"]

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
        return QUOTED_PAIR_RE.sub(r"\1", value[1:-1])
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
