"""``Router``: a layer of route handlers, controllers and other routers under a path prefix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typing_extensions import Unpack

from outpour._layers import LAYERED_OPTIONS, LayerOptions, option_default
from outpour.handlers._base import normalize_path

__all__ = ["Router"]


class Router:
    """A group of route handlers under ``path``, with its own layer of options.

    Args:
        path: The path prefix of everything registered on the router.
        route_handlers: Handlers, controller classes and routers.
        **options: Layered options; see ``LayerOptions``.
    """

    def __init__(self, path: str, route_handlers: Sequence[Any] | None = None, **options: Unpack[LayerOptions]) -> None:
        unknown = set(options) - LAYERED_OPTIONS
        if unknown:
            raise TypeError(
                f"Router() got unexpected keyword argument(s) {', '.join(f'`{u}`' for u in sorted(unknown))}. "
                f"Allowed: path, route_handlers, {', '.join(sorted(LAYERED_OPTIONS))}."
            )
        self.path = normalize_path(path)
        self.route_handlers: list[Any] = list(route_handlers or [])
        for option in LAYERED_OPTIONS:
            setattr(self, option, options.get(option, option_default(option)))
        self.owner: Any = None

    def register(self, value: Any) -> None:
        """Add a handler, controller class or router; takes effect for apps created afterwards."""
        self.route_handlers.append(value)

    def __repr__(self) -> str:
        return f"<Router {self.path}>"
