"""``Controller``: a class grouping handler methods under a path, with class attributes as its layer of options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from outpour._options import Layer, reject_unsupported
from outpour.handlers._base import BaseRouteHandler
from outpour.types import Empty, EmptyType

if TYPE_CHECKING:
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.params import ParameterKwarg
    from outpour.types import ResponseCookies, ResponseHeaders, TypeDecodersSequence, TypeEncodersMap

__all__ = ["Controller"]


class Controller:
    """A group of handler methods under ``path``: subclass it and decorate methods with ``@get()``, ``@post()``, ….

    Class attributes (``response_headers``, ``dependencies``, ``guards``, …) form the controller's layer of options,
    the same as ``Router``'s keywords. ``dto``, ``return_dto`` and ``websocket_class`` are Litestar's: outpour does not
    implement them yet, and a subclass setting one raises ``ImproperlyConfiguredException`` when it is defined.

    The app creates one instance per registration and sets its ``owner`` to the router or app it is registered on.
    """

    path: ClassVar[str] = "/"
    after_request: ClassVar[Any] = None
    after_response: ClassVar[Any] = None
    before_request: ClassVar[Any] = None
    cache_control: ClassVar[CacheControlHeader | None] = None
    dependencies: ClassVar[Mapping[str, Any] | None] = None
    dto: ClassVar[EmptyType | None] = Empty
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
    return_dto: ClassVar[EmptyType | None] = Empty
    security: ClassVar[Sequence[Any] | None] = None
    signature_namespace: ClassVar[Mapping[str, Any] | None] = None
    signature_types: ClassVar[Sequence[Any] | None] = None
    tags: ClassVar[Sequence[str] | None] = None
    type_decoders: ClassVar[TypeDecodersSequence | None] = None
    type_encoders: ClassVar[TypeEncodersMap | None] = None
    websocket_class: ClassVar[None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        reject_unsupported(Layer.CONTROLLER, cls, f"controller `{cls.__qualname__}`", attribute=True)

    def __init__(self) -> None:
        self.owner: Any = None

    def get_route_handlers(self) -> list[BaseRouteHandler]:
        """Return the controller's handlers, bound to this instance."""
        handlers: list[BaseRouteHandler] = []
        seen: set[str] = set()
        for klass in type(self).__mro__:
            for name, value in vars(klass).items():
                if name in seen or not isinstance(value, BaseRouteHandler):
                    continue
                seen.add(name)
                handlers.append(value.bound_copy(self, self))
        return handlers
