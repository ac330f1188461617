"""``Router``: a layer of route handlers, controllers and other routers under a path prefix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from outpour._options import Layer, reject_unsupported
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers._base import normalize_path
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.dto.base_dto import AbstractDTO
    from outpour.types import (
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        BeforeRequestHookHandler,
        ControllerRouterHandler,
        Dependencies,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        Middleware,
        ParametersMap,
        ResponseCookies,
        ResponseHeaders,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["Router"]


class Router:
    """A group of route handlers under ``path``, with its own layer of options.

    The layered options (``guards``, ``dependencies``, ``response_headers``, …) combine with those of the app, the
    controllers and the handlers as ``outpour._options`` declares: the closest layer wins, or mappings merge, or
    sequences join.

    Args:
        path: The path prefix of everything registered on the router.
        after_request: A hook called with the response before it is sent.
        after_response: A hook called with the request after the response was sent.
        before_request: A hook called with the request before the handler; a value it returns is the response.
        cache_control: The ``Cache-Control`` header of responses.
        dependencies: Dependencies, by the name handlers take them as.
        dto: The DTO of the handlers' ``data`` (and of their return values unless ``return_dto`` is given); ``None``
            switches an outer layer's off.
        etag: The ``ETag`` header of responses.
        exception_handlers: Handlers of exceptions, by status code or exception class.
        guards: Callables called with the connection and the handler before the handler; they raise to refuse.
        include_in_schema: Whether the routes appear in the OpenAPI document.
        middleware: Middleware wrapping the routes.
        opt: Arbitrary values handlers, guards and middleware may read.
        parameters: Parameters every route takes, by name.
        request_class: The ``Request`` class handlers receive.
        response_class: The ``Response`` class return values are wrapped in.
        response_cookies: Cookies set on responses.
        response_headers: Headers set on responses.
        return_dto: The DTO of the handlers' return values; ``None`` switches an outer layer's off.
        route_handlers: Handlers, controller classes and routers.
        security: OpenAPI security requirements.
        signature_namespace: Names used to resolve the handlers' annotations.
        signature_types: Types added to ``signature_namespace`` under their ``__name__``.
        tags: OpenAPI tags.
        type_decoders: Decoders of types msgspec cannot build, as ``(predicate, decoder)`` pairs.
        type_encoders: Encoders of types msgspec cannot serialize, by type.
        websocket_class: The ``WebSocket`` class the WebSocket handlers below receive (the closest layer's applies).
        request_max_body_size: The most bytes a request body may have; ``None``: no limit.

    Raises:
        ImproperlyConfiguredException: ``dto`` or ``return_dto`` was given a value.
    """

    def __init__(
        self,
        path: str,
        *,
        after_request: AfterRequestHookHandler | None = None,
        after_response: AfterResponseHookHandler | None = None,
        before_request: BeforeRequestHookHandler | None = None,
        cache_control: CacheControlHeader | None = None,
        dependencies: Dependencies | None = None,
        dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
        etag: ETag | None = None,
        exception_handlers: ExceptionHandlersMap | None = None,
        guards: Sequence[Guard] | None = None,
        include_in_schema: bool | EmptyType = Empty,
        middleware: Sequence[Middleware] | None = None,
        opt: Mapping[str, Any] | None = None,
        parameters: ParametersMap | None = None,
        request_class: type[Any] | None = None,
        response_class: type[Any] | None = None,
        response_cookies: ResponseCookies | None = None,
        response_headers: ResponseHeaders | None = None,
        return_dto: type[AbstractDTO[Any]] | EmptyType | None = Empty,
        route_handlers: Sequence[ControllerRouterHandler],
        security: Sequence[Mapping[str, Sequence[str]]] | None = None,
        signature_namespace: Mapping[str, Any] | None = None,
        signature_types: Sequence[Any] | None = None,
        tags: Sequence[str] | None = None,
        type_decoders: TypeDecodersSequence | None = None,
        type_encoders: TypeEncodersMap | None = None,
        websocket_class: type[Any] | None = None,
        request_max_body_size: int | EmptyType | None = Empty,
    ) -> None:
        reject_unsupported(
            Layer.ROUTER,
            {"dto": dto, "return_dto": return_dto},
            f"`Router({path!r})`",
        )
        self.path = normalize_path(path)
        self.dto = dto
        self.return_dto = return_dto
        self.route_handlers: list[Any] = list(route_handlers)
        self.after_request = after_request
        self.after_response = after_response
        self.before_request = before_request
        self.cache_control = cache_control
        self.dependencies = dependencies
        self.etag = etag
        self.exception_handlers = exception_handlers
        self.guards = guards
        self.include_in_schema = include_in_schema
        self.middleware = middleware
        self.opt = opt
        self.parameters = parameters
        self.request_class = request_class
        self.response_class = response_class
        self.response_cookies = response_cookies
        self.response_headers = response_headers
        self.security = security
        self.signature_namespace = signature_namespace
        self.signature_types = signature_types
        self.tags = tags
        self.type_decoders = type_decoders
        self.type_encoders = type_encoders
        self.websocket_class = websocket_class
        self.request_max_body_size = request_max_body_size
        self.owner: Any = None

    def register(self, value: Any) -> None:
        """Add a handler, controller class or router; takes effect for apps created afterwards.

        Raises:
            ImproperlyConfiguredException: ``value`` is this router itself.
        """
        if value is self:
            raise ImproperlyConfiguredException(
                f"Router `{self.path}` cannot be registered on itself: register it on another router or on the app."
            )
        self.route_handlers.append(value)

    def __repr__(self) -> str:
        return f"<Router {self.path}>"
