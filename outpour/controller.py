"""``Controller``: a class grouping handler methods under a path, with class attributes as its layer of options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from outpour._options import Layer, options_of, reject_unsupported
from outpour._routing import parse_template
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers._base import BaseRouteHandler, join_paths
from outpour.handlers._http import HTTPRouteHandler
from outpour.router import Router
from outpour.types import Empty, EmptyType

if TYPE_CHECKING:
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.dto.base_dto import AbstractDTO
    from outpour.params import ParameterKwarg
    from outpour.types import ResponseCookies, ResponseHeaders, TypeDecodersSequence, TypeEncodersMap

__all__ = ["Controller"]


class Controller:
    """A group of handler methods under ``path``: subclass it and decorate methods with ``@get()``, ``@post()``, ….

    Class attributes (``response_headers``, ``dependencies``, ``guards``, …) form the controller's layer of options,
    the same as ``Router``'s keywords.

    The app creates one instance per registration and sets its ``owner`` to the router or app it is registered on.
    """

    path: ClassVar[str] = "/"
    after_request: ClassVar[Any] = None
    after_response: ClassVar[Any] = None
    before_request: ClassVar[Any] = None
    cache_control: ClassVar[CacheControlHeader | None] = None
    dependencies: ClassVar[Mapping[str, Any] | None] = None
    dto: ClassVar[type[AbstractDTO[Any]] | EmptyType | None] = Empty
    etag: ClassVar[ETag | None] = None
    exception_handlers: ClassVar[Mapping[Any, Any] | None] = None
    guards: ClassVar[Sequence[Any] | None] = None
    include_in_schema: ClassVar[bool | EmptyType] = Empty
    middleware: ClassVar[Sequence[Any] | None] = None
    opt: ClassVar[Mapping[str, Any] | None] = None
    parameters: ClassVar[Mapping[str, ParameterKwarg] | None] = None
    request_class: ClassVar[type[Any] | None] = None
    request_max_body_size: ClassVar[int | EmptyType | None] = Empty
    response_class: ClassVar[type[Any] | None] = None
    response_cookies: ClassVar[ResponseCookies | None] = None
    response_headers: ClassVar[ResponseHeaders | None] = None
    return_dto: ClassVar[type[AbstractDTO[Any]] | EmptyType | None] = Empty
    security: ClassVar[Sequence[Any] | None] = None
    signature_namespace: ClassVar[Mapping[str, Any] | None] = None
    signature_types: ClassVar[Sequence[Any] | None] = None
    tags: ClassVar[Sequence[str] | None] = None
    type_decoders: ClassVar[TypeDecodersSequence | None] = None
    type_encoders: ClassVar[TypeEncodersMap | None] = None
    websocket_class: ClassVar[type[Any] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        reject_unsupported(Layer.CONTROLLER, cls, f"controller `{cls.__qualname__}`", attribute=True)

    def __init__(self) -> None:
        self.owner: Any = None

    def get_route_handlers(self) -> list[BaseRouteHandler]:
        """Return the controller's handlers, bound to this instance.

        Returns:
            The handlers, checked with ``validate_route_handlers``.

        Raises:
            ImproperlyConfiguredException: Two handlers take the same method on the same path.
        """
        handlers: list[BaseRouteHandler] = []
        seen: set[str] = set()
        for klass in type(self).__mro__:
            for name, value in vars(klass).items():
                if name in seen or not isinstance(value, BaseRouteHandler):
                    continue
                seen.add(name)
                handlers.append(value.bound_copy(self, self))
        self.validate_route_handlers(handlers)
        return handlers

    def validate_route_handlers(self, route_handlers: list[BaseRouteHandler]) -> None:
        """Check that no two of the controller's handlers take the same method on the same path.

        Paths are compared as routes: ``/{id:int}`` and ``/{key:str}`` are the same path. An ASGI handler takes every
        method.

        Args:
            route_handlers: The controller's handlers.

        Raises:
            ImproperlyConfiguredException: Two handlers take the same method on the same path.
        """
        taken: dict[tuple[str, str], BaseRouteHandler] = {}
        for handler in route_handlers:
            methods = sorted(handler.http_methods) if isinstance(handler, HTTPRouteHandler) else ["*"]
            for path in handler.paths:
                shape = parse_template(join_paths(self.path, path)).shape
                for method in methods:
                    other = taken.setdefault((shape, method), handler)
                    if other is not handler:
                        shown = "every method" if method == "*" else method
                        raise ImproperlyConfiguredException(
                            f"Controller `{type(self).__qualname__}` has two handlers for {shown} at "
                            f"`{join_paths(self.path, path)}`: `{other.handler_name}` and `{handler.handler_name}`. "
                            "Give one of them another path or method."
                        )

    def as_router(self) -> Router:
        """Return a ``Router`` at the controller's ``path``, with its options and its handlers.

        Registering the router serves the same routes, with the same layered options, as registering the controller.

        Returns:
            The router.

        Raises:
            ImproperlyConfiguredException: Two handlers take the same method on the same path.
        """
        options = {
            option.name: getattr(self, option.name)
            for option in options_of(Layer.CONTROLLER, supported=True)
            if option.name != "path"
        }
        return Router(self.path, route_handlers=self.get_route_handlers(), **options)
