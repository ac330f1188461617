"""Which requests a middleware skips: by scope type, path pattern, route ``opt`` key or HTTP method."""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, cast

from outpour.exceptions import OutpourWarning

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["compile_exclude", "is_excluded"]


def compile_exclude(exclude: str | Sequence[str] | None, middleware: str | None = None) -> re.Pattern[str] | None:
    """Compile one pattern, or several as alternatives; ``None`` when there are none.

    Args:
        exclude: The patterns.
        middleware: The middleware's name, to warn when a pattern is ``/``: searched unanchored, it matches every
            path, so the middleware never runs.
    """
    if not exclude:
        return None
    patterns = [exclude] if isinstance(exclude, str) else list(exclude)
    if middleware is not None and "/" in patterns:
        warnings.warn(
            OutpourWarning(
                f"Middleware {middleware!r} exclude pattern `/` matches every path (a pattern is searched anywhere "
                "in the path), so the middleware never runs. Anchor it to exclude the root only (`^/$`), or remove "
                "the middleware."
            ),
            stacklevel=3,
        )
    return re.compile("|".join(patterns))


def _matched_path(scope: Scope) -> str:
    """The path an exclusion pattern is searched in: the whole request path, also for a mounted app.

    A mounted app (``@asgi(..., is_mount=True)``) sees the rest of the path in ``scope["path"]`` and its mount point
    added to ``root_path``; the patterns are written against the path the client requested, which the two make again
    (decoded, as ``path`` is for every other route).
    """
    path = cast("str", scope.get("path", ""))
    if getattr(scope.get("route_handler"), "is_mount", False):
        return cast("str", scope.get("root_path", "")) + path
    return path


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
        pattern: Searched in the path (not anchored: ``^`` anchors it); for a mounted app, the whole requested path.
        opt_key: Skip routes whose ``opt`` holds this key with a true value.
        http_methods: Skip HTTP requests with one of these methods.
    """
    if scope["type"] not in scopes:
        return True
    if pattern is not None and pattern.search(_matched_path(scope)) is not None:
        return True
    if opt_key is not None:
        opt = getattr(scope.get("route_handler"), "opt", None) or {}
        if opt.get(opt_key):
            return True
    return bool(http_methods) and scope.get("method") in http_methods
