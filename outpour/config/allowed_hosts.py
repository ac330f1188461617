"""``AllowedHostsConfig``: the host names the app answers to (``Outpour(allowed_hosts=...)``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.types import Scopes

__all__ = ["AllowedHostsConfig"]

# A host name pattern: `*`, or labels, the first of which may be `*` (a wildcard prefix).
_PATTERN = re.compile(r"\*|(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")


@dataclass
class AllowedHostsConfig:
    """The host names requests may be addressed to, checked in their ``Host`` (or ``X-Forwarded-Host``) header.

    A request to another host is answered 400, before routing.

    Args:
        allowed_hosts: Host names, without port; ``*.example.com`` matches any subdomain of ``example.com`` (not
            ``example.com`` itself), and ``*`` any host.
        exclude: Regular expressions of paths not checked.
        exclude_opt_key: Not checked either: the host is checked before routing, where no route ``opt`` is known, so
            only ``exclude`` applies.
        scopes: The scope types checked (``{"http", "websocket"}`` by default).
        www_redirect: Redirect a request for ``example.com`` to ``www.example.com`` when only the latter is
            allowed (a 301).

    Raises:
        ImproperlyConfiguredException: A host name has a wildcard elsewhere than as its first label, or is empty.
    """

    allowed_hosts: list[str] = field(default_factory=lambda: ["*"])
    exclude: str | list[str] | None = None
    exclude_opt_key: str | None = None
    scopes: Scopes | None = None
    www_redirect: bool = True

    def __post_init__(self) -> None:
        for host in self.allowed_hosts:
            if not isinstance(host, str) or _PATTERN.fullmatch(host) is None:
                raise ImproperlyConfiguredException(
                    f"`{host!r}` in `AllowedHostsConfig(allowed_hosts=...)` is not a host name pattern: give a name "
                    "such as `example.com`, a subdomain wildcard such as `*.example.com` (`*` only as the first "
                    "label), or `*` for any host."
                )
