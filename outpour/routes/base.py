"""``BaseRoute``: a parsed path and the handlers registered at it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from outpour._routing import PathParam, parse_template
from outpour.handlers._base import BaseRouteHandler, normalize_path
from outpour.types.internal_types import PathParameterDefinition

if TYPE_CHECKING:
    from outpour.enums import ScopeType
    from outpour.types import Receive, Scope, Send

__all__ = ["BaseRoute"]

HandlerT = TypeVar("HandlerT", bound=BaseRouteHandler)


def _definition(param: PathParam) -> PathParameterDefinition:
    """Litestar's description of a path parameter: ``parser`` is ``None`` where the segment is kept as a string."""
    keeps_string = param.type_name in ("str", "path")
    return PathParameterDefinition(
        name=param.name,
        full=f"{param.name}:{param.type_name}",
        type=param.type,
        parser=None if keeps_string else param.converter,
    )


class BaseRoute(ABC, Generic[HandlerT]):
    """A path of the app and the handlers registered at it.

    Args:
        path: The path, such as ``/items/{item_id:int}``; it is normalized (one leading slash, no trailing one).

    Raises:
        ImproperlyConfiguredException: The path has a malformed parameter.
    """

    __slots__ = ("methods", "path", "path_components", "path_format", "path_parameters", "route_handlers")

    scope_type: ClassVar[ScopeType]
    """The kind of ASGI connection the route serves."""

    def __init__(self, *, path: str) -> None:
        template = parse_template(normalize_path(path))
        components = [_definition(s) if isinstance(s, PathParam) else s for s in template.segments]
        self.path: str = template.path
        """The path as registered, parameters with their type: ``/items/{item_id:int}``."""
        self.path_format: str = "/" + "/".join(
            f"{{{s.name}}}" if isinstance(s, PathParameterDefinition) else s for s in components
        )
        """The path with bare parameter names, as OpenAPI writes it: ``/items/{item_id}``."""
        self.path_components: list[str | PathParameterDefinition] = components
        """The path's segments: literal strings and parameter definitions."""
        self.path_parameters: dict[str, PathParameterDefinition] = {
            s.name: s for s in components if isinstance(s, PathParameterDefinition)
        }
        """The path's parameters by name."""
        self.methods: tuple[str, ...] = ()
        """The HTTP methods the route answers."""
        self.route_handlers: tuple[HandlerT, ...] = ()
        """The handlers registered at the path, in registration order."""

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a connection routed to this path (``scope["path_params"]`` holds the converted path parameters).

        Args:
            scope: The ASGI scope.
            receive: The ASGI receive callable.
            send: The ASGI send callable.
        """

    def __repr__(self) -> str:
        names = ", ".join(getattr(h, "handler_name", repr(h)) for h in self.route_handlers)
        return f"<{type(self).__name__} {self.path} {list(self.methods)} -> {names}>"


def unregistered(route: BaseRoute[Any]) -> str:
    """The message of a route served before an app compiled it."""
    return (
        f"`{type(route).__name__}` `{route.path}` has nothing to serve yet: routes serve through the plans an app "
        "compiles. Use the routes of `app.routes` instead of building them."
    )
