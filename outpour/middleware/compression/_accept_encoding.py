"""Choosing a response's content coding from the request's ``Accept-Encoding`` (RFC 9110, section 12.5.3)."""

from __future__ import annotations

__all__ = ["MAX_CODINGS", "MAX_LENGTH", "choose_encoding", "parse_accept_encoding"]

MAX_CODINGS = 32
"""Codings read from one ``Accept-Encoding`` value; the rest is ignored, however long the header."""
MAX_LENGTH = 1024
"""Characters of an ``Accept-Encoding`` value read; the rest is ignored."""


def _quality(params: list[str]) -> float | None:
    """The ``q`` of a coding's parameters (1 without one); ``None`` when it is not a valid qvalue."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() != "q":
            continue
        value = value.strip()
        # qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
        if not value or len(value) > 5 or value[0] not in "01" or (len(value) > 1 and value[1] != "."):
            return None
        if not value[2:].isdigit() and value[2:]:
            return None
        quality = float(value)
        return quality if quality <= 1 else None
    return 1.0


def parse_accept_encoding(value: str) -> dict[str, float]:
    """The codings of an ``Accept-Encoding`` value and their weights, lower case; malformed items are skipped.

    Only the first ``MAX_CODINGS`` items of the first 1 KiB count: a longer header costs no more to read.

    Args:
        value: The header's value.

    Returns:
        Each coding (``*`` included) with its weight; a coding given twice keeps its first weight.
    """
    codings: dict[str, float] = {}
    for item in value[:MAX_LENGTH].split(",")[:MAX_CODINGS]:
        coding, *params = item.split(";")
        coding = coding.strip().lower()
        if not coding or not all(char.isalnum() or char in "-_.*+" for char in coding):
            continue
        quality = _quality(params)
        if quality is not None and coding not in codings:
            codings[coding] = quality
    return codings


def choose_encoding(accepted: dict[str, float], preferred: str, fallback: str | None) -> str | None:
    """The coding to send: ``preferred`` if acceptable, else ``fallback`` if acceptable, else ``None`` (identity).

    A coding is acceptable when its weight, or that of ``*`` when it is not listed, is above 0; ``q=0`` refuses it.

    Args:
        accepted: What ``parse_accept_encoding`` returned.
        preferred: The configured backend's coding.
        fallback: The fallback coding (``gzip``), or ``None``.

    Returns:
        The coding, or ``None``.
    """
    wildcard = accepted.get("*", 0.0)
    for coding in (preferred, fallback):
        if coding is not None and accepted.get(coding, wildcard) > 0:
            return coding
    return None
