"""``CORSConfig``: which cross-origin requests the app lets browsers make (``Outpour(cors_config=...)``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.types import Method

__all__ = ["CORSConfig"]

# An origin is `scheme "://" host [ ":" port ]` (RFC 6454, section 6.2); anything else is not one.
_ORIGIN = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:[0-9]{1,5})?")


@dataclass
class CORSConfig:
    """Cross-Origin Resource Sharing: the origins, methods and headers the app accepts from other origins.

    With a ``cors_config`` the app answers preflight (``OPTIONS`` with ``Access-Control-Request-Method``) requests
    before routing, and adds the CORS headers to every response to a request with an allowed ``Origin``, error
    responses included.

    Args:
        allow_origins: The origins allowed, as ``scheme://host[:port]``; ``["*"]`` allows any origin. A ``*`` inside
            an origin stands for any characters: ``https://*.example.com`` allows every subdomain of
            ``example.com`` (not ``example.com`` itself), ``https://example.*`` any of its top-level domains.
        allow_methods: The methods allowed in cross-origin requests; ``["*"]`` allows any.
        allow_headers: The request headers allowed; ``["*"]`` allows any.
        allow_credentials: Let browsers send cookies and credentials (``Access-Control-Allow-Credentials``); the
            allowed origin is then echoed, never ``*``.
        allow_origin_regex: A regular expression an origin must match in full to be allowed (besides
            ``allow_origins``).
        expose_headers: The response headers scripts may read (``Access-Control-Expose-Headers``).
        max_age: How many seconds browsers may cache a preflight answer (``Access-Control-Max-Age``).

    Raises:
        ImproperlyConfiguredException: ``allow_origin_regex`` is not a valid regular expression, or ``max_age`` is
            negative.
    """

    allow_origins: list[str] = field(default_factory=lambda: ["*"])
    allow_methods: list[Literal["*"] | Method] = field(default_factory=lambda: ["*"])
    allow_headers: list[str] = field(default_factory=lambda: ["*"])
    allow_credentials: bool = False
    allow_origin_regex: str | None = None
    expose_headers: list[str] = field(default_factory=list)
    max_age: int = 600

    def __post_init__(self) -> None:
        if self.allow_origin_regex is not None:
            try:
                re.compile(self.allow_origin_regex)
            except re.error as exc:
                raise ImproperlyConfiguredException(
                    f"`CORSConfig(allow_origin_regex={self.allow_origin_regex!r})` is not a valid regular expression "
                    f"({exc}): give a pattern matching whole origins, such as `r'https://.*\\.example\\.com'`."
                ) from exc
        if self.max_age < 0:
            raise ImproperlyConfiguredException(
                f"`CORSConfig(max_age={self.max_age})` is negative: give the seconds a preflight answer may be cached."
            )

    @cached_property
    def allowed_origins_regex(self) -> re.Pattern[str] | None:
        """The pattern an allowed origin matches in full, besides the exact origins of ``allow_origins``.

        It joins the origins of ``allow_origins`` holding a ``*`` (any characters there, the rest compared
        case-insensitively) and ``allow_origin_regex``; ``None`` when there are neither.
        """
        alternatives = [
            "(?i:" + ".*".join(re.escape(part) for part in origin.rstrip("/").split("*")) + ")"
            for origin in self.allow_origins
            if "*" in origin and origin != "*"
        ]
        if self.allow_origin_regex is not None:
            alternatives.append(f"(?:{self.allow_origin_regex})")
        return re.compile("|".join(alternatives)) if alternatives else None

    @cached_property
    def is_allow_all_origins(self) -> bool:
        """Whether any origin is allowed (``"*"`` in ``allow_origins``)."""
        return "*" in self.allow_origins

    @cached_property
    def is_allow_all_methods(self) -> bool:
        """Whether any method is allowed (``"*"`` in ``allow_methods``)."""
        return "*" in self.allow_methods

    @cached_property
    def is_allow_all_headers(self) -> bool:
        """Whether any request header is allowed (``"*"`` in ``allow_headers``)."""
        return "*" in self.allow_headers

    @cached_property
    def _origins(self) -> frozenset[str]:
        return frozenset(origin.lower().rstrip("/") for origin in self.allow_origins if "*" not in origin)

    @cached_property
    def _methods(self) -> frozenset[str]:
        return frozenset(str(method).upper() for method in self.allow_methods)

    @cached_property
    def _headers(self) -> frozenset[str]:
        return frozenset(header.lower() for header in self.allow_headers)

    def is_origin_allowed(self, origin: str) -> bool:
        """Whether a request from ``origin`` may read the response.

        ``null`` (RFC 6454, section 7.3: sandboxed documents, ``file:`` pages, redirects) and any value that is not
        an origin are never allowed; patterns (an origin with ``*``, ``allow_origin_regex``) match the whole origin.

        Args:
            origin: The request's ``Origin`` header.

        Returns:
            Whether it is allowed.
        """
        if len(origin) > 2048 or _ORIGIN.fullmatch(origin) is None:
            return False
        if self.is_allow_all_origins or origin.lower() in self._origins:
            return True
        pattern = self.allowed_origins_regex
        return pattern is not None and pattern.fullmatch(origin) is not None

    def is_method_allowed(self, method: str) -> bool:
        """Whether cross-origin requests may use ``method``."""
        return self.is_allow_all_methods or method.upper() in self._methods

    def are_headers_allowed(self, headers: str) -> bool:
        """Whether every header of an ``Access-Control-Request-Headers`` value is allowed."""
        if self.is_allow_all_headers:
            return True
        return all(not name.strip() or name.strip().lower() in self._headers for name in headers.split(","))

    @cached_property
    def simple_headers(self) -> dict[str, str]:
        """The CORS headers of an answer to an allowed cross-origin request, but its ``Access-Control-Allow-Origin``."""
        headers: dict[str, str] = {}
        if self.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        if self.expose_headers:
            headers["Access-Control-Expose-Headers"] = ", ".join(sorted(set(self.expose_headers)))
        return headers

    @cached_property
    def preflight_headers(self) -> dict[str, str]:
        """The CORS headers of an answer to an allowed preflight request, but those echoing the request."""
        headers: dict[str, str] = {"Access-Control-Max-Age": str(self.max_age)}
        if self.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        if not self.is_allow_all_methods:
            headers["Access-Control-Allow-Methods"] = ", ".join(sorted(self._methods))
        if not self.is_allow_all_headers:
            headers["Access-Control-Allow-Headers"] = ", ".join(sorted(self._headers))
        return headers
