"""HTTP route handlers and their decorators: ``get``, ``post``, ``put``, ``patch``, ``delete``, ``head``, ``route``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from inspect import isawaitable
from typing import TYPE_CHECKING, Any, TypeVar

from typing_extensions import Unpack

from outpour._options import Layer, LayerOptions
from outpour._route_settings import layered_cookies, layered_headers
from outpour.connection.request import DEFAULT_MAX_BODY_SIZE, Request
from outpour.datastructures.response_header import ResponseHeader
from outpour.enums import HttpMethod
from outpour.exceptions import ImproperlyConfiguredException, ValidationException
from outpour.handlers._base import BaseRouteHandler, _deprecated
from outpour.response._render import media_type_str
from outpour.response.base import Response
from outpour.response.redirect import REDIRECT_ALLOWED_MEDIA_TYPES, Redirect
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._plan import HTTPPlan
    from outpour._route_settings import RouteSettings
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.config.response_cache import CACHE_FOREVER
    from outpour.datastructures import Cookie
    from outpour.dto.base_dto import AbstractDTO
    from outpour.enums import MediaType
    from outpour.types import AfterResponseHookHandler, ASGIApp, BeforeRequestHookHandler, CacheKeyBuilder, EmptyType

__all__ = ["HTTPRouteHandler", "HandlerOptions", "delete", "get", "head", "patch", "post", "put", "route"]

F = TypeVar("F", bound=Callable[..., Any])


class HandlerOptions(LayerOptions, total=False):
    """Options of route decorators: every layered option plus those of a single handler (``outpour._options``).

    ``dto`` and ``return_dto`` set the handler's DTOs (``outpour.dto``; ``None`` switches an outer layer's off).
    ``cache`` (``True``, seconds or ``CACHE_FOREVER``) and
    ``cache_key_builder`` turn on response caching (``outpour.config.response_cache``).
    """

    background: BackgroundTask[Any] | BackgroundTasks | None
    content_encoding: str | None
    content_media_type: str | None
    deprecated: bool | None
    description: str | None
    media_type: MediaType | str | None
    name: str | None
    operation_class: type[Any] | None
    operation_id: str | Callable[..., str] | None
    raises: Sequence[type[Exception]] | None
    response_description: str | None
    responses: Mapping[int, Any] | None
    status_code: int | None
    summary: str | None
    sync_to_thread: bool | None
    cache: bool | int | type[CACHE_FOREVER]
    cache_key_builder: CacheKeyBuilder | None
    dto: type[AbstractDTO[Any]] | EmptyType | None
    return_dto: type[AbstractDTO[Any]] | EmptyType | None


class _UnknownHTTPMethod(ValidationException, ImproperlyConfiguredException):
    """An ``http_method`` that names no HTTP method (400, as Litestar's ``ValidationException``).

    It is a ``ValidationException``, what Litestar raises for it, and an ``ImproperlyConfiguredException``, as every
    other mistake in a handler's declaration.
    """

    status_code = 400


def _methods(http_method: HttpMethod | str | Sequence[HttpMethod | str]) -> list[str]:
    raw = [http_method] if isinstance(http_method, str) else list(http_method)
    if not raw:
        raise ImproperlyConfiguredException("A route needs at least one HTTP method in `http_method`.")
    out: list[str] = []
    for method in raw:
        name = (method.value if isinstance(method, HttpMethod) else str(method)).upper()
        if name not in HttpMethod.__members__:
            raise _UnknownHTTPMethod(
                f"Unknown HTTP method `{method}` in `http_method`; use one of {', '.join(HttpMethod.__members__)}."
            )
        out.append(name)
    return list(dict.fromkeys(out))


class HTTPRouteHandler(BaseRouteHandler):
    """A handler of HTTP requests for one or more methods on one or more paths.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The handler function (also set by calling the handler as a decorator).
        http_method: The method(s) it answers.
        **options: Layered and handler options; see ``HandlerOptions``.
    """

    layer = Layer.HTTP_HANDLER

    status_code: int
    """The status code of responses built from returned values: as given, else 201 for ``@post``, 204 for
    ``@delete`` and 200 otherwise (200 too for a ``route`` taking several methods, as Litestar documents)."""
    media_type: MediaType | str | None
    """As given; once an app registered the handler, the media type its returned values are sent as: the given one,
    else ``text/plain`` for ``str`` and ``bytes`` return annotations, ``None`` for ``Response`` annotations (the
    response's own), JSON otherwise."""

    if TYPE_CHECKING:
        name: str | None
        background: BackgroundTask[Any] | BackgroundTasks | None
        sync_to_thread: bool | None
        cache: bool | int | type[CACHE_FOREVER]
        cache_key_builder: CacheKeyBuilder | None
        dto: type[AbstractDTO[Any]] | EmptyType | None
        return_dto: type[AbstractDTO[Any]] | EmptyType | None

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        fn: Callable[..., Any] | None = None,
        http_method: HttpMethod | str | Sequence[HttpMethod | str],
        **options: Unpack[HandlerOptions],
    ) -> None:
        self.http_methods = _methods(http_method)
        super().__init__(path, fn=fn, **options)
        given = options.get("status_code")
        self.status_code = given if given is not None else _default_status_code(self.http_methods)
        self._plans: dict[str, HTTPPlan] = {}

    @property
    def http_method(self) -> set[str]:
        """The methods this handler answers."""
        return set(self.http_methods)

    @property
    def decorator_name(self) -> str:
        """``get``, ``post``, … for a handler of one method, else ``route``; for messages."""
        return self.http_methods[0].lower() if len(self.http_methods) == 1 else "route"

    def _take_settings(self, settings: RouteSettings) -> None:
        super()._take_settings(settings)
        self._plans = {}

    def _add_plan(self, plan: HTTPPlan) -> None:
        """Keep the compiled plan of one method (its first path's); ``media_type`` becomes the resolved one.

        Raises:
            ImproperlyConfiguredException: The handler returns a ``Redirect`` and sets a ``media_type`` a redirect
                cannot have (only ``text/plain`` and ``text/html``).
        """
        _check_redirect_media_type(plan)
        self._plans.setdefault(plan.method, plan)
        self.media_type = plan.response_media_type

    async def to_response(self, data: Any, request: Request[Any, Any, Any], app: Any = None) -> ASGIApp:
        """Turn a value the handler returned into the ASGI response its route sends for it.

        The route's resolved defaults apply: media type, status code, layered headers and cookies, type encoders,
        response class and ``after_request`` hook, exactly as for a value the handler returns.

        A handler the app does not hold (the one declared, where the app registered its own copy) is compiled
        against ``app`` (or ``request.app``) once, as the app would register it at its first path.

        Args:
            data: Plain data, a ``Response`` (``Redirect``, ``File``, ...) or an ASGI app; or what calling an
                ``async def`` handler gives (an awaitable), which is awaited first.
            request: The request being answered.
            app: The app whose settings apply to a handler it does not hold; ``request.app`` when not given. A
                registered handler (the app's copy) uses its route's settings.

        Returns:
            The ASGI app sending the response.

        Raises:
            ImproperlyConfiguredException: The handler breaks a rule checked on registration.
        """
        plans = self._plans
        if not plans:
            owner = app if app is not None else request.app
            plans = self._plans = {plan.method: plan for plan in owner._check_handler(self, self.paths[0])}
        plan = plans.get(request.method) or next(iter(plans.values()))
        if isawaitable(data):  # `handler.fn(...)` of an `async def` handler, as Litestar takes it
            data = await data
        return await plan.to_response(data, request)

    # -- Litestar 2's resolve_*() methods, deprecated in Litestar 3.0 ------------------------------------------------

    def resolve_after_response(self) -> AfterResponseHookHandler | None:
        """Deprecated: read ``after_response``, which holds it once an app registered the handler.

        Returns:
            The closest layer's ``after_response`` hook.
        """
        _deprecated("resolve_after_response", "after_response")
        return self.after_response

    def resolve_before_request(self) -> BeforeRequestHookHandler | None:
        """Deprecated: read ``before_request``, which holds it once an app registered the handler.

        Returns:
            The closest layer's ``before_request`` hook.
        """
        _deprecated("resolve_before_request", "before_request")
        return self.before_request

    def resolve_include_in_schema(self) -> bool:
        """Deprecated: read ``include_in_schema``, which holds it once an app registered the handler.

        Returns:
            Whether the route is documented in the OpenAPI schema.
        """
        _deprecated("resolve_include_in_schema", "include_in_schema")
        return self.include_in_schema is not False

    def resolve_request_class(self) -> type[Request[Any, Any, Any]]:
        """Deprecated: read ``request_class``, which holds it once an app registered the handler.

        Returns:
            The closest layer's request class, ``Request`` by default.
        """
        _deprecated("resolve_request_class", "request_class")
        return self.request_class or Request

    def resolve_request_max_body_size(self) -> int | None:
        """Deprecated: read ``request_max_body_size``, which holds it once an app registered the handler.

        Returns:
            The most bytes a request body may have; ``None``: no limit.
        """
        _deprecated("resolve_request_max_body_size", "request_max_body_size")
        size = self.request_max_body_size
        return DEFAULT_MAX_BODY_SIZE if size is Empty else size

    def resolve_response_class(self) -> type[Response[Any]]:
        """Deprecated: read ``response_class``, which holds it once an app registered the handler.

        Returns:
            The closest layer's response class, ``Response`` by default.
        """
        _deprecated("resolve_response_class", "response_class")
        return self.response_class or Response

    def resolve_response_cookies(self) -> frozenset[Cookie]:
        """Deprecated: read ``response_cookies``, which holds them once an app registered the handler.

        Returns:
            The cookies set on the route's responses, one per key.
        """
        _deprecated("resolve_response_cookies", "response_cookies")
        return frozenset(layered_cookies([self]).values())

    def resolve_response_headers(self) -> frozenset[ResponseHeader]:
        """Deprecated: read ``response_headers``, ``cache_control`` and ``etag``, which hold them once registered.

        Returns:
            The headers set on the route's responses, one per name, ``Cache-Control`` and ``ETag`` included (as
            Litestar 2 returned them).
        """
        _deprecated("resolve_response_headers", "response_headers")
        headers = dict(layered_headers([self]))
        for header in (self.cache_control, self.etag):
            if header is not None:
                headers[header.HEADER_NAME] = ResponseHeader(
                    name=header.HEADER_NAME, value=header.to_header(), documentation_only=header.documentation_only
                )
        return frozenset(headers.values())

    def resolve_security(self) -> list[Mapping[str, Sequence[str]]]:
        """Deprecated: read ``security``, which holds it once an app registered the handler.

        Returns:
            The OpenAPI security requirements in scope, outermost layer first.
        """
        _deprecated("resolve_security", "security")
        return list(self.security or ())

    def resolve_tags(self) -> list[str]:
        """Deprecated: read ``tags``, which holds them once an app registered the handler.

        Returns:
            The OpenAPI tags in scope, outermost layer first.
        """
        _deprecated("resolve_tags", "tags")
        return list(self.tags or ())


def _check_redirect_media_type(plan: HTTPPlan) -> None:
    annotation = plan.return_annotation
    media_type = plan.response_media_type
    if (
        media_type is not None
        and isinstance(annotation, type)
        and issubclass(annotation, Redirect)
        and media_type_str(media_type).lower() not in REDIRECT_ALLOWED_MEDIA_TYPES
    ):
        raise ImproperlyConfiguredException(
            f"{plan.label} returns a `{annotation.__name__}` and sets `media_type={media_type_str(media_type)!r}`, "
            "but a redirect's (empty) body is sent as `text/plain` or `text/html` only. Give one of these as "
            "`media_type`, or leave it out for `text/plain`."
        )


def _default_status_code(methods: Sequence[str]) -> int:
    """Litestar's documented default: 201 for POST, 204 for DELETE, 200 otherwise and for several methods."""
    if len(methods) == 1:
        return {"POST": 201, "DELETE": 204}.get(methods[0], 200)
    return 200


def get(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a GET handler (answers HEAD too).

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["GET"], options, handler_class)


def post(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a POST handler; its default status code is 201.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["POST"], options, handler_class)


def put(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a PUT handler.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["PUT"], options, handler_class)


def patch(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a PATCH handler.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["PATCH"], options, handler_class)


def delete(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a DELETE handler; its default status code is 204, which forbids a body.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["DELETE"], options, handler_class)


def head(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare an explicit HEAD handler.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["HEAD"], options, handler_class)


def route(
    path: str | Sequence[str] | None = None,
    *,
    http_method: HttpMethod | str | Sequence[HttpMethod | str],
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a handler for the given method(s); with several, the default status code is 200.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        http_method: The method(s).
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, http_method, options, handler_class)


def _make(
    path: Any, methods: Any, options: Mapping[str, Any], handler_class: type[HTTPRouteHandler]
) -> HTTPRouteHandler:
    if callable(path) and not isinstance(path, str):
        # Bare use: `@get` without parentheses.
        handler = handler_class(None, http_method=methods, **options)
        handler._set_fn(path, depth=2)
        return handler
    return handler_class(path, http_method=methods, **options)
