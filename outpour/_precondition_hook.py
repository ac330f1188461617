"""Conditional requests for any response carrying a validator (``ETag`` and/or ``Last-Modified``): 304 and 412.

The glue between ``outpour._conditional.evaluate_preconditions`` (RFC 9110 section 13) and the response paths:

- ``validators_from_values`` (start-up, from a route's layered header values) and ``validators_from_encoded`` (per
  response, from its encoded headers) find the validators;
- ``precondition_status`` asks the evaluator only when the request carries a precondition header, so a request
  without one costs a single scan of its header names;
- ``not_modified_headers`` / ``send_not_modified`` answer 304 with the header fields RFC 9110 section 15.4.5 keeps
  and without the body's; ``precondition_failed`` is the 412 error, rendered like every other client error.

Responses built after the handler ran are only evaluated for GET and HEAD: for other methods the handler has already
acted, and the validators it returns describe the new state. A route whose validators are static (layered ``etag``
or ``Last-Modified``) evaluates other methods before the handler runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from outpour._conditional import evaluate_preconditions, parse_http_date
from outpour.exceptions import ClientException

if TYPE_CHECKING:
    from outpour.types import Scope, Send

__all__ = [
    "SAFE_METHODS",
    "Validators",
    "not_modified_headers",
    "precondition_failed",
    "precondition_status",
    "send_not_modified",
    "validators_from_encoded",
    "validators_from_values",
]

SAFE_METHODS: Final = frozenset({"GET", "HEAD"})
"""The methods whose response may be evaluated after the handler ran, and answered 304."""

_CONDITIONAL_NAMES: Final = frozenset({b"if-match", b"if-none-match", b"if-modified-since", b"if-unmodified-since"})
_HYPHEN: Final = ord("-")

_BODY_FIELDS: Final = frozenset(
    {
        b"content-type",
        b"content-length",
        b"content-encoding",
        b"content-language",
        b"content-range",
        b"transfer-encoding",
    }
)
"""Header fields that describe the body a 304 does not carry (RFC 9110 section 15.4.5: do not send them)."""


class Validators(NamedTuple):
    """A representation's validators, as a response sends them.

    Attributes:
        etag: The ``ETag`` header value (``"v1"``, ``W/"v1"``; an unquoted value counts as a strong tag), or None.
        last_modified: The ``Last-Modified`` time in seconds since the epoch, or None.
    """

    etag: str | None
    last_modified: int | None


def _validators(etag: str | None, last_modified: str | None) -> Validators | None:
    modified = parse_http_date(last_modified) if last_modified is not None else None
    if etag is None and modified is None:
        return None
    return Validators(etag, modified)


def validators_from_values(header_values: Mapping[str, str]) -> Validators | None:
    """Find the validators among header values with lower-case names, such as a route's layered headers.

    Args:
        header_values: Header names (lower case) to values.

    Returns:
        The validators, or None when there is neither an ``ETag`` nor a valid ``Last-Modified``.
    """
    return _validators(header_values.get("etag"), header_values.get("last-modified"))


def validators_from_encoded(headers: Iterable[tuple[bytes, bytes]]) -> Validators | None:
    """Find the validators among encoded response headers.

    Args:
        headers: ``(name, value)`` byte pairs; names in any case.

    Returns:
        The validators, or None when there is neither an ``ETag`` nor a valid ``Last-Modified``.
    """
    etag: str | None = None
    last_modified: str | None = None
    for name, value in headers:
        if len(name) == 4 or len(name) == 13:
            lowered = name.lower()
            if lowered == b"etag":
                etag = value.decode("latin-1")
            elif lowered == b"last-modified":
                last_modified = value.decode("latin-1")
    if etag is None and last_modified is None:
        return None
    return _validators(etag, last_modified)


def precondition_status(scope: Scope, validators: Validators) -> Literal[304, 412] | None:
    """Evaluate the request's preconditions against ``validators``, if it has any.

    The caller decides which methods to evaluate (see the module docstring) and calls this only when the response
    would otherwise be a 2xx. Malformed precondition headers are ignored.

    Args:
        scope: The request's ASGI scope.
        validators: The current representation's validators.

    Returns:
        304 (GET and HEAD only) or 412 when a precondition fails, None to send the response.
    """
    pairs: list[tuple[bytes, bytes]] | None = None
    for name, value in scope.get("headers") or ():
        # All four names are at least 8 long and have a hyphen at index 2: most headers are skipped without a copy.
        if len(name) >= 8 and name[2] == _HYPHEN and name.lower() in _CONDITIONAL_NAMES:
            if pairs is None:
                pairs = []
            pairs.append((name, value))
    if pairs is None:
        return None
    return evaluate_preconditions(scope.get("method", "GET"), pairs, validators.etag, validators.last_modified)


def not_modified_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Keep the header fields a 304 response sends (RFC 9110 section 15.4.5).

    ``ETag``, ``Cache-Control``, ``Vary``, ``Content-Location``, ``Date``, ``Expires``, ``Set-Cookie`` and other
    fields that do not describe the body are kept; ``Content-Type``, ``Content-Length`` and the other body fields are
    dropped, and so is ``Last-Modified`` when there is an ``ETag`` (it is only useful to caches without one).

    Args:
        headers: The headers the 2xx response would have sent.

    Returns:
        The headers of the 304 response.
    """
    kept = [(name, value) for name, value in headers if name.lower() not in _BODY_FIELDS]
    if any(name.lower() == b"etag" for name, _ in kept):
        kept = [(name, value) for name, value in kept if name.lower() != b"last-modified"]
    return kept


async def send_not_modified(send: Send, headers: Iterable[tuple[bytes, bytes]]) -> None:
    """Send a 304 Not Modified response: the kept headers and no body.

    Args:
        send: The ASGI send callable.
        headers: The headers the 2xx response would have sent; filtered with ``not_modified_headers``.
    """
    await send({"type": "http.response.start", "status": 304, "headers": not_modified_headers(headers)})
    await send({"type": "http.response.body", "body": b""})


def precondition_failed() -> ClientException:
    """Build the 412 Precondition Failed error, answered by the layered exception handlers like any client error.

    Returns:
        A ``ClientException`` with status code 412.
    """
    return ClientException(
        status_code=412,
        detail="Precondition Failed: an If-Match, If-None-Match or If-Unmodified-Since condition of the request does "
        "not hold for the current representation.",
    )
