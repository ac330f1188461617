"""ASGI route handlers: mount any ASGI app at a path with ``@asgi``."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from typing_extensions import Unpack

from outpour._options import Layer, LayerOptions
from outpour.exceptions import ImproperlyConfiguredException
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

    def _check_app(self, path: str) -> None:
        """Check the handler's app: an async callable taking ``(scope, receive, send)`` and returning ``None``.

        Args:
            path: The path it is registered at, for messages.

        Raises:
            ImproperlyConfiguredException: The handler has no app, the app is not async, cannot be called with the
                three ASGI arguments, or is annotated to return something.
        """
        label = f"ASGI handler `{self.handler_name}` ({path})"
        fn = self.fn
        if fn is None:
            raise ImproperlyConfiguredException(f"{label} has no app: decorate an ASGI callable with `@asgi(...)`.")
        if self.has_sync_callable:
            raise ImproperlyConfiguredException(
                f"{label} is not async: an ASGI app is `async def app(scope, receive, send) -> None` (or an object "
                "with such an `async def __call__`)."
            )
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):  # pragma: no cover - a callable without a signature: nothing to check
            return
        try:
            signature.bind(None, None, None)
        except TypeError:
            raise ImproperlyConfiguredException(
                f"{label} takes `{signature}`, so it cannot be called with `(scope, receive, send)`: an ASGI app takes "
                "these three arguments (`async def app(scope: Scope, receive: Receive, send: Send) -> None`)."
            ) from None
        returns = signature.return_annotation
        if returns not in (inspect.Signature.empty, None, type(None), "None"):
            shown = returns if isinstance(returns, str) else getattr(returns, "__name__", repr(returns))
            raise ImproperlyConfiguredException(
                f"{label} is annotated to return `{shown}`, but an ASGI app sends its response through `send` and "
                "returns `None`: annotate it `-> None`."
            )


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
