"""``AllowedHostsMiddleware``: refuses requests addressed to a host the app does not serve (a 400)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from outpour.middleware._exclusion import compile_exclude
from outpour.middleware._headers import first_header
from outpour.middleware.base import AbstractMiddleware

if TYPE_CHECKING:
    from outpour.config.allowed_hosts import AllowedHostsConfig
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["AllowedHostsMiddleware", "parse_host"]


def parse_host(value: str) -> str | None:
    """The host name of a ``Host`` header value without its port, lower case; ``None`` when it is malformed.

    ``[::1]:8000`` gives ``[::1]``; ``example.com:443`` gives ``example.com`` (RFC 9110, section 7.2).
    """
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        if end == -1:
            return None
        host, rest = value[: end + 1], value[end + 1 :]
    else:
        host, _, port = value.partition(":")
        rest = ":" + port if _ else ""
    if rest and not (rest.startswith(":") and rest[1:].isdigit() and len(rest) <= 6):
        return None
    host = host.lower().rstrip(".")
    if not host or any(char in host for char in " /\\@?#\t"):
        return None
    return host


def _host_pattern(host: str) -> str:
    """An allowed host as a regular expression: ``*.example.com`` matches the subdomains of ``example.com``."""
    return rf".*\.{re.escape(host[2:])}$" if host.startswith("*.") else re.escape(host)


class AllowedHostsMiddleware(AbstractMiddleware):
    """Answer 400 to requests whose ``Host`` is not allowed, or redirect ``example.com`` to ``www.example.com``.

    Attributes:
        allowed_hosts_regex: The allowed hosts as one regular expression (``None`` when ``*`` allows all).
        redirect_domains: The domains redirected to their ``www.`` host, as one regular expression (``None`` without
            ``www_redirect`` or ``www.`` hosts).

    Args:
        app: The next ASGI app.
        config: The allowed hosts.
    """

    def __init__(self, app: ASGIApp, config: AllowedHostsConfig) -> None:
        super().__init__(
            app, exclude=config.exclude, exclude_opt_key=config.exclude_opt_key, scopes=set(config.scopes or ()) or None
        )
        self.config = config
        hosts = [host.lower().rstrip(".") for host in config.allowed_hosts]
        self._allow_all = "*" in hosts
        self._exact = frozenset(host for host in hosts if not host.startswith("*."))
        self._suffixes = tuple(host[1:] for host in hosts if host.startswith("*."))
        self._exclude = compile_exclude(config.exclude)
        # The checks as regular expressions, for introspection (Litestar's attributes); requests use the sets above.
        self.allowed_hosts_regex: re.Pattern[str] | None = (
            None if self._allow_all else re.compile("|".join(_host_pattern(host) for host in config.allowed_hosts))
        )
        www = [host[4:] for host in config.allowed_hosts if host.startswith("www.")]
        self.redirect_domains: re.Pattern[str] | None = (
            re.compile("|".join(www)) if config.www_redirect and www else None
        )

    def is_allowed(self, host: str) -> bool:
        """Whether ``host`` (without port, lower case) is an allowed host."""
        return self._allow_all or host in self._exact or (bool(self._suffixes) and host.endswith(self._suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the next app when the request's host is allowed; answer 400 (or redirect to ``www.``) otherwise."""
        headers = scope["headers"]
        raw = first_header(headers, b"host") or first_header(headers, b"x-forwarded-host")
        host = parse_host(raw.decode("latin-1")) if raw is not None else None
        if host is not None and self.is_allowed(host):
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})
            return
        if (
            host is not None
            and self.config.www_redirect
            and not host.startswith("www.")
            and self.is_allowed("www." + host)
        ):
            await self._redirect(scope, send, raw or b"")
            return
        shown = "no `Host` header" if raw is None else f"the host `{raw.decode('latin-1')[:200]}`"
        body = f"Invalid host header: the app does not serve {shown}; address the request to an allowed host.".encode()
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _redirect(scope: Scope, send: Send, host: bytes) -> None:
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope.get("root_path", "") + scope["path"])
        query = scope.get("query_string", b"")
        location = f"{scope.get('scheme', 'http')}://www.{host.decode('latin-1').strip()}{path}"
        if query:
            location += "?" + query.decode("latin-1")
        await send(
            {
                "type": "http.response.start",
                "status": 301,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"content-length", b"0")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
