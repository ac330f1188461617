"""ASGI route handlers: mount any ASGI app at a path with ``@asgi``."""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import Unpack

from outpour._options import Layer, LayerOptions
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

    layer = Layer.ASGI_HANDLER
    is_mount: bool
    copy_scope: bool | None

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        is_mount: bool = False,
        copy_scope: bool | None = None,
        name: str | None = None,
        **options: Unpack[LayerOptions],
    ) -> None:
        super().__init__(path, name=name, is_mount=is_mount, copy_scope=copy_scope, **options)

    @property
    def decorator_name(self) -> str:
        """``asgi``, for messages."""
        return "asgi"


def asgi(
    path: str | Sequence[str] | None = None,
    *,
    is_mount: bool = False,
    copy_scope: bool | None = None,
    name: str | None = None,
    handler_class: type[ASGIRouteHandler] = ASGIRouteHandler,
    **options: Unpack[LayerOptions],
) -> ASGIRouteHandler:
    """Declare an ASGI app as a route handler.

    Args:
        path: A path or a list of paths.
        is_mount: Answer every path below ``path`` too.
        copy_scope: Give the app a copy of the scope.
        name: A unique name for reverse routing.
        handler_class: The class of the handler, ``ASGIRouteHandler`` or a subclass.
        **options: Layered options.

    Returns:
        The handler; call it with (decorate) the ASGI callable.
    """
    return handler_class(path, is_mount=is_mount, copy_scope=copy_scope, name=name, **options)
