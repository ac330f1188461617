"""ASGI route handlers: mount any ASGI app at a path with ``@asgi``."""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import Unpack

from outpour._layers import LayerOptions
from outpour.handlers._base import BaseRouteHandler

__all__ = ["ASGIRouteHandler", "asgi"]


class ASGIRouteHandler(BaseRouteHandler):
    """A handler that is itself an ASGI app ``(scope, receive, send)``.

    Args:
        path: A path or a list of paths.
        is_mount: Answer every path below ``path`` too; the app sees the rest of the path in ``scope["path"]`` and
            the mount point added to ``scope["root_path"]``.
        copy_scope: Give the app a copy of the scope.
        name: A unique name for reverse routing.
        **options: Layered options.
    """

    handler_options = frozenset({"name", "is_mount", "copy_scope"})

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        is_mount: bool = False,
        copy_scope: bool | None = None,
        name: str | None = None,
        **options: Unpack[LayerOptions],
    ) -> None:
        super().__init__(path, name=name, **options)
        self.is_mount = is_mount
        self.copy_scope = copy_scope


def asgi(
    path: str | Sequence[str] | None = None,
    *,
    is_mount: bool = False,
    copy_scope: bool | None = None,
    name: str | None = None,
    **options: Unpack[LayerOptions],
) -> ASGIRouteHandler:
    """Declare an ASGI app as a route handler.

    Args:
        path: A path or a list of paths.
        is_mount: Answer every path below ``path`` too.
        copy_scope: Give the app a copy of the scope.
        name: A unique name for reverse routing.
        **options: Layered options.

    Returns:
        The handler; call it with (decorate) the ASGI callable.
    """
    return ASGIRouteHandler(path, is_mount=is_mount, copy_scope=copy_scope, name=name, **options)
