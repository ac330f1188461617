"""Which requests a middleware skips: by scope type, path pattern, route ``opt`` key or HTTP method."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["compile_exclude", "is_excluded"]


def compile_exclude(exclude: str | Sequence[str] | None) -> re.Pattern[str] | None:
    """Compile one pattern, or several as alternatives; ``None`` when there are none."""
    if not exclude:
        return None
    patterns = [exclude] if isinstance(exclude, str) else list(exclude)
    return re.compile("|".join(patterns))


def is_excluded(
    scope: Scope,
    scopes: Collection[str],
    pattern: re.Pattern[str] | None,
    opt_key: str | None,
    http_methods: Collection[str] = (),
) -> bool:
    """Whether a middleware configured with these exclusions lets ``scope`` pass untouched.

    Args:
        scope: The connection's scope (``route_handler`` is set: middleware run once the route is known).
        scopes: The scope types the middleware acts on.
        pattern: Searched in the path (not anchored: ``^`` anchors it).
        opt_key: Skip routes whose ``opt`` holds this key with a true value.
        http_methods: Skip HTTP requests with one of these methods.
    """
    if scope["type"] not in scopes:
        return True
    if pattern is not None and pattern.search(scope.get("path", "")) is not None:
        return True
    if opt_key is not None:
        opt = getattr(scope.get("route_handler"), "opt", None) or {}
        if opt.get(opt_key):
            return True
    return bool(http_methods) and scope.get("method") in http_methods
