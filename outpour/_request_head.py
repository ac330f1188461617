"""Request heads the app refuses before routing: too many header bytes (431) and unknown transfer codings (501).

``Outpour.__call__`` sums the header bytes and looks for ``transfer-encoding`` in one pass over ``scope["headers"]``
(the cheap part, inlined there); only when that pass flags a request does ``check_request_head`` work out what is
wrong, here, off the hot path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from outpour.exceptions import HTTPException, ImproperlyConfiguredException

__all__ = ["DEFAULT_MAX_HEADER_SIZE", "check_request_head", "validate_max_header_size"]

DEFAULT_MAX_HEADER_SIZE = 65_536
"""The default ``request_max_header_size``: 64 KiB of header names and values."""

_SHOWN = 200  # characters of a client's value echoed in an error message


def validate_max_header_size(value: Any) -> int | None:
    """Return ``value`` if it is a valid ``request_max_header_size``: a number of bytes (``int`` >= 0) or ``None``.

    Raises:
        ImproperlyConfiguredException: Any other value.
    """
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise ImproperlyConfiguredException(
        f"`request_max_header_size` must be a number of bytes (an `int` >= 0) or `None` for no limit, got "
        f"`{value!r}`. Pass, for example, `request_max_header_size={DEFAULT_MAX_HEADER_SIZE}` (the default, 64 KiB)."
    )


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def check_request_head(headers: Iterable[tuple[bytes, bytes]], limit: int | None) -> HTTPException | None:
    """Return the error a request with these headers gets, or ``None`` when it may go on.

    Args:
        headers: The request's ``scope["headers"]``.
        limit: The most bytes of header names and values accepted, or ``None`` for no limit.

    Returns:
        A 431 when the headers total more than ``limit`` bytes; a 501 when ``Transfer-Encoding`` names a coding
        other than ``chunked``; a 400 when ``chunked`` is not there exactly once; otherwise ``None``.
    """
    size = 0
    codings: list[str] = []
    for name, value in headers:
        size += len(name) + len(value)
        if name.lower() == b"transfer-encoding":
            codings.append(value.decode("latin-1"))
    if limit is not None and size > limit:
        # RFC 6585, section 5.
        return HTTPException(
            status_code=431,
            detail=f"The request's header fields total {size} bytes (names and values), more than the {limit} "
            "bytes this server accepts. Send fewer or smaller headers (large cookies are the usual cause).",
        )
    if not codings:
        return None
    given = ", ".join(codings)
    # Empty list elements are allowed and ignored (RFC 9110, section 5.6.1).
    parts = [part.strip().lower() for part in given.split(",")]
    parts = [part for part in parts if part]
    if parts == ["chunked"]:  # the server has decoded it already
        return None
    unknown = [part for part in parts if part != "chunked"]
    if unknown:
        # RFC 9112, section 6.1: a server that receives a transfer coding it does not understand SHOULD respond
        # with 501. The body is left unread; ``Connection: close`` stops the connection being reused after it.
        return HTTPException(
            status_code=501,
            detail=f"The request's `Transfer-Encoding` is `{_shown(given)}`: the transfer coding"
            f"{'s' if len(unknown) > 1 else ''} {', '.join(f'`{_shown(part)}`' for part in unknown[:5])}"
            f"{', …' if len(unknown) > 5 else ''} {'are' if len(unknown) > 1 else 'is'} not implemented here. Send "
            "the body with `Transfer-Encoding: chunked` alone, or with `Content-Length`.",
            headers={"Connection": "close"},
        )
    # RFC 9112, section 6.1: chunked is applied exactly once, and last.
    return HTTPException(
        status_code=400,
        detail=f"The request's `Transfer-Encoding` is `{_shown(given)}`: it must be `chunked`, exactly once. Send "
        "the body with `Transfer-Encoding: chunked` alone, or with `Content-Length`.",
        headers={"Connection": "close"},
    )
