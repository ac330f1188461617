"""Per-route plans: everything a route needs, resolved once at start-up, composed from compiled stages.

A plan is built for each handler, method and path template when the app is created. It resolves what the layers
give the route (``outpour._route_settings``), then composes the stages:

- parameters (``outpour._extractors``): the handler's fields and its providers (``outpour._dependencies``);
- the body (``outpour._body``): the decoder of the ``data`` parameter;
- sending (``outpour._sender``): the layered headers and cookies encoded once, and the way each kind of returned
  value reaches the wire, through its response class;
- the runner (``outpour._runners``): the coroutine that takes a request through them, the smallest one that does
  what the route needs.

A handler returning a plain value (no hooks, no custom response class) goes straight to bytes and two ASGI messages;
nothing is inspected and no ``Request`` is built unless the handler, a hook, a guard or a dependency asks for one.
"""

from __future__ import annotations

import collections.abc
import os
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, AnyStr, TypeVar, Union, get_args, get_origin

from outpour import _runners
from outpour._body import BodyDecoder, app_part_limit
from outpour._dependencies import is_async_callable
from outpour._extractors import Extractors
from outpour._sender import Sender
from outpour._signature import get_hints
from outpour.datastructures.url import parse_query
from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response._render import body_forbidden, media_type_str
from outpour.response.base import Response
from outpour.response.file import ASGIFileResponse, File
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._route_settings import RouteSettings
    from outpour._routing import PathTemplate
    from outpour.app import Outpour
    from outpour.connection import Request
    from outpour.handlers import HTTPRouteHandler
    from outpour.types import ASGIApp

__all__ = ["HTTPPlan", "compile_http_handler", "general_path_only", "parse_query"]


def general_path_only() -> bool:
    """Whether ``OUTPOUR_GENERAL_PATH=1`` turns every specialisation off (read once per plan, see ``docs/dev/``)."""
    return os.environ.get("OUTPOUR_GENERAL_PATH") == "1"


class HTTPPlan:
    """The compiled plan of one HTTP handler for one method on one path template."""

    def __init__(
        self, app: Outpour, handler: HTTPRouteHandler, settings: RouteSettings, template: PathTemplate, method: str
    ) -> None:
        self.app = app
        self.handler = handler
        self.settings = settings
        self.template = template
        self.method = method
        label = f"Handler `{handler.handler_name}` ({method} {handler.paths[0]})"
        self.label = label
        fn = handler.fn
        if fn is None:
            raise ImproperlyConfiguredException(f"{label} has no function: decorate one with it.")
        self.fn = fn
        hints = get_hints(fn, handler._localns, settings.signature_namespace, label)
        if "return" not in hints:
            raise ImproperlyConfiguredException(
                f"Missing return type annotation on {label}: a handler with no return annotation cannot be checked "
                "or documented. Annotate what it returns, or `-> None` if it returns nothing."
            )
        self.return_annotation = hints["return"]
        if method == "HEAD" and "HEAD" in handler.http_methods and not _is_head_annotation(self.return_annotation):
            raise ImproperlyConfiguredException(
                f"{label} answers HEAD but is annotated to return `{self.return_annotation}`: a HEAD response has no "
                "body. Annotate it `-> None` (or `Response[None]`, `File`, `ASGIFileResponse` for a file's headers)."
            )
        self.general = general_path_only()
        """Whether every request takes the general runner, and a response object's ``to_asgi_response``."""
        self.status_code = handler.status_code
        if body_forbidden(self.status_code) and not _is_none_annotation(self.return_annotation):
            raise ImproperlyConfiguredException(
                f"{label} has status code {self.status_code}, which forbids a response body, but its return annotation "
                f"is `{self.return_annotation}`. A status code 204, 304 or in the range below 200 does not support a "
                "response body (RFC 9110): annotate it `-> None`, or choose another `status_code`."
            )
        # As Litestar: `str`/`bytes` handlers default to text, responses keep their own default, the rest is JSON.
        # `media_type` renders plain values; `response_media_type` (the handler's resolved `media_type`, which
        # `File`, `Redirect` and `Template` read) is None where a returned response's own default applies.
        media_type = handler.media_type
        if media_type is None and _is_text_annotation(self.return_annotation):
            media_type = MediaType.TEXT
        elif media_type is None and not _may_be_response(self.return_annotation):
            media_type = MediaType.JSON
        self.response_media_type = media_type_str(media_type) if media_type is not None else None
        self.media_type = self.response_media_type or MediaType.JSON.value
        self.response_class: type[Response[Any]] = settings.response_class
        self.exception_handlers = settings.exception_handlers
        self.guards = settings.guards
        self.before_request = settings.before_request
        self.after_response = settings.after_response
        self.sync_to_thread = bool(handler.sync_to_thread) if handler.sync_to_thread is not None else True
        self.is_async = is_async_callable(fn)
        self.sender = Sender(
            app,
            handler,
            settings,
            label=label,
            method=method,
            status_code=self.status_code,
            media_type=self.media_type,
            handler_media_type=self.response_media_type,
            return_annotation=self.return_annotation,
            general=self.general,
        )
        self.extractors = Extractors.of_route(app, handler, settings, template, hints, label)
        if method in ("GET", "HEAD") and any(f.source == "data" for f in self.extractors.fields):
            raise ImproperlyConfiguredException(
                f"{label} declares a `data` parameter, but {method} requests carry no body: the 'data' kwarg is "
                f"unsupported for '{method}' requests. Use `@post` instead, or remove `data`."
            )
        if any(f.source == "special" and f.key == "socket" for f in self.extractors.fields):
            raise ImproperlyConfiguredException(
                f"{label} takes `socket`: The 'socket' kwarg is not supported with HTTP handlers, only with WebSocket "
                "ones. Take `request` (the `Request`) instead."
            )
        data_field = self.extractors.data_field
        dtos = _route_dtos(handler, settings, data_field, self.return_annotation, label)
        self.body = (
            BodyDecoder(
                dtos.body_field(data_field) if dtos is not None else data_field,
                settings.type_decoders,
                app_part_limit=app_part_limit(app),
                label=label,
            )
            if data_field is not None
            else None
        )
        self.dto_body_type: Any = None
        """With a ``dto``: the type the body is decoded into (its transferred fields), which OpenAPI documents."""
        self.dto_return_type: Any = None
        """With a ``return_dto``: the type the return value is sent as, which OpenAPI documents."""
        if dtos is not None:  # compiled DTOs (outpour.dto): the body and the return value go through them
            self.dto_body_type, self.dto_return_type = dtos.documented_types()
            self.fn = dtos.wrap_handler(fn, self.is_async)
            if self.body is not None and dtos.data is not None:
                self.body = _dto_body(self.body, dtos.data)
        self.extractors.body = self.body
        self.needs_request = (
            self.extractors.reads_request
            or bool(self.guards or self.before_request or settings.after_request or self.after_response)
            or self.response_class is not Response
        )
        """Whether a ``Request`` is built before the handler runs (a parameter, a guard or a hook reads it)."""

    @property
    def fields(self) -> list[Any]:
        """The handler's own parameters (as ``outpour._signature.Field`` objects)."""
        return self.extractors.fields

    @property
    def providers(self) -> list[Any]:
        """The route's dependencies, each after the ones it needs."""
        return self.extractors.providers

    @property
    def layer_fields(self) -> list[Any]:
        """Layered ``parameters`` no signature reads: extracted and validated, then dropped."""
        return self.extractors.layer_fields

    def build(self) -> ASGIApp:
        """Return the ASGI coroutine of this route, specialised for what it needs."""
        app = self._build()
        validators = self.sender.unsafe_validators
        return app if validators is None else _runners.with_preconditions(app, validators, self)

    def _build(self) -> ASGIApp:
        return _runners.choose(self)

    async def to_response(self, value: Any, request: Request[Any, Any, Any]) -> ASGIApp:
        """The ASGI app sending ``value`` as the route sends a handler's return value (``handler.to_response``)."""
        return await self.sender.to_response(value, request)


def _is_none_annotation(annotation: Any) -> bool:
    if annotation in (None, type(None)):
        return True
    origin = get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, Response):
        args = get_args(annotation)
        return bool(args) and args[0] in (None, type(None))
    return False


def _is_head_annotation(annotation: Any) -> bool:
    """Whether a HEAD handler may be so annotated: nothing, or a response sending headers only (a file's)."""
    if _is_none_annotation(annotation):
        return True
    return isinstance(annotation, type) and issubclass(annotation, (File, ASGIFileResponse))


def _is_text_annotation(annotation: Any) -> bool:
    return annotation is AnyStr or (isinstance(annotation, type) and issubclass(annotation, (str, bytes)))


def _may_be_response(annotation: Any) -> bool:
    """Whether a handler so annotated may return a ``Response`` (or an ASGI app), whose own media type then applies."""
    if annotation is Any or annotation is object or isinstance(annotation, TypeVar):
        return True
    origin = get_origin(annotation)
    if origin is collections.abc.Callable or annotation is collections.abc.Callable:
        return True
    if origin is Annotated:
        return _may_be_response(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_may_be_response(arg) for arg in get_args(annotation))
    target = origin or annotation
    return isinstance(target, type) and issubclass(target, Response)


def _route_dtos(
    handler: HTTPRouteHandler, settings: RouteSettings, data_field: Any, return_annotation: Any, label: str
) -> Any:
    """The route's compiled DTOs, or ``None`` when no layer sets one (the DTO machinery is not even imported)."""
    if settings.dto in (Empty, None) and settings.return_dto in (Empty, None):
        return None
    from outpour.dto._binding import RouteDTOs

    return RouteDTOs(handler, settings, data_field, return_annotation, label)


def _dto_body(body: BodyDecoder, backend: Any) -> Any:
    from outpour.dto._binding import DTOBodyDecoder

    return DTOBodyDecoder(body, backend)


def compile_http_handler(
    app: Outpour, handler: HTTPRouteHandler, settings: RouteSettings, template: PathTemplate, method: str
) -> tuple[HTTPPlan, ASGIApp]:
    """Compile ``handler`` for ``method`` at ``template``: its plan and the ASGI coroutine that runs it."""
    plan = HTTPPlan(app, handler, settings, template, method)
    return plan, plan.build()
