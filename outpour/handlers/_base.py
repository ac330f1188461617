"""What every route handler shares: its paths, its function and its layered options."""

from __future__ import annotations

import copy
import inspect
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Self

from outpour._options import Layer, split_handler_options
from outpour._parsed_signature import ParsedSignature, signature_model
from outpour.datastructures.cookie import Cookie
from outpour.datastructures.response_header import ResponseHeader
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    import msgspec

    from outpour._route_settings import RouteSettings
    from outpour.app import Outpour
    from outpour.connection import Request
    from outpour.datastructures import CacheControlHeader, ETag
    from outpour.params import ParameterKwarg
    from outpour.response import Response
    from outpour.routes import BaseRoute
    from outpour.types import (
        AfterRequestHookHandler,
        AfterResponseHookHandler,
        AnyCallable,
        BeforeRequestHookHandler,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        Middleware,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["BaseRouteHandler", "normalize_path"]


def normalize_path(path: str) -> str:
    """Return ``path`` with one leading slash and no trailing one (the root stays ``/``)."""
    if not isinstance(path, str):
        raise ImproperlyConfiguredException(f"A route path must be a string, got `{path!r}`.")
    path = "/" + path.strip("/")
    while "//" in path:
        path = path.replace("//", "/")
    return path


def join_paths(*parts: str) -> str:
    """Join path fragments into one normalized path."""
    return normalize_path("/".join(p.strip("/") for p in parts if p and p != "/"))


class BaseRouteHandler:
    """A route handler: a function with the paths it answers and its own layer of options.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The handler function (also set by calling the handler as a decorator).
        options: The options of ``layer`` in ``outpour._options.OPTIONS``; any other keyword goes into ``opt``.

    Raises:
        ImproperlyConfiguredException: An option Litestar takes but outpour does not implement yet was given.
    """

    layer: ClassVar[Layer]
    """The row of ``outpour._options.OPTIONS`` this kind of handler takes its options from."""

    # Set from the options in __init__. Once an app registers the handler (its own copy of it), the layered ones hold
    # the route's values resolved over the app, routers and controller above it (`_take_settings`), as in Litestar.
    name: str | None
    opt: dict[str, Any]
    after_request: AfterRequestHookHandler | None
    after_response: AfterResponseHookHandler | None
    before_request: BeforeRequestHookHandler | None
    cache_control: CacheControlHeader | None
    dependencies: Mapping[str, Any] | None
    etag: ETag | None
    exception_handlers: ExceptionHandlersMap | None
    guards: Sequence[Guard] | None
    include_in_schema: bool | EmptyType
    middleware: Sequence[Middleware] | None
    parameters: Mapping[str, ParameterKwarg] | None
    request_class: type[Request[Any, Any, Any]] | None
    request_max_body_size: int | EmptyType | None
    response_class: type[Response[Any]] | None
    response_cookies: Sequence[Cookie] | None
    response_headers: Sequence[ResponseHeader] | None
    security: Sequence[Mapping[str, Sequence[str]]] | None
    signature_namespace: Mapping[str, Any] | None
    tags: Sequence[str] | None
    type_decoders: TypeDecodersSequence | None
    type_encoders: TypeEncodersMap | None

    def __init__(
        self, path: str | Sequence[str] | None = None, *, fn: AnyCallable | None = None, **options: Any
    ) -> None:
        if path is None:
            paths = ["/"]
        elif isinstance(path, str):
            paths = [path]
        else:
            paths = list(path)
        where = f"`@{self.decorator_name}({'' if path is None else repr(path)})`"
        if fn is not None:
            where += f" on `{getattr(fn, '__qualname__', fn)}`"
        known, extra = split_handler_options(self.layer, options, where)
        self.paths = list(dict.fromkeys(normalize_path(p) for p in paths))
        for option, value in known.items():  # the options of `self.layer`, as declared in outpour._options
            setattr(self, option, value)
        # As in Litestar, any other keyword is an `opt` entry (`@get("/", no_timeout=True)`). `opt` is a dict even
        # before the app merges the layers' `opt` into it (guards read it directly).
        self.opt = {**(self.opt or {}), **extra}
        # As in Litestar, a mapping of names to values is read as the `ResponseHeader`s / `Cookie`s it stands for.
        headers, cookies = known.get("response_headers"), known.get("response_cookies")
        if isinstance(headers, Mapping):
            self.response_headers = [ResponseHeader(name=name, value=value) for name, value in headers.items()]
        if isinstance(cookies, Mapping):
            self.response_cookies = [Cookie(key=key, value=value) for key, value in cookies.items()]
        self.fn: Any = None
        self.owner: Any = None
        self._localns: Mapping[str, Any] = {}
        self._settings: RouteSettings | None = None
        if fn is not None:
            self._set_fn(fn, depth=2)

    def __call__(self, fn: AnyCallable) -> Self:
        """Attach the handler function: used as a decorator."""
        self._set_fn(fn, depth=1)
        return self

    def _set_fn(self, fn: AnyCallable, depth: int) -> None:
        if not callable(fn):
            raise ImproperlyConfiguredException(f"A route handler must decorate a callable, got `{fn!r}`.")
        self.fn = fn
        # Handlers declared inside functions (tests, factories) may annotate with local names under
        # `from __future__ import annotations`; keep the declaring frame's locals to resolve them at app creation.
        try:
            frame = sys._getframe(depth + 1)
        except ValueError:  # pragma: no cover - no such frame
            return
        if frame.f_code.co_name != "<module>":
            self._localns = dict(frame.f_locals)

    @property
    def decorator_name(self) -> str:
        """The decorator declaring this kind of handler, for messages."""
        return "route"

    @property
    def handler_name(self) -> str:
        """The function's qualified name, for messages."""
        return getattr(self.fn, "__qualname__", repr(self.fn))

    @property
    def route_name(self) -> str:
        """The name used for reverse routing: ``name`` or the function's qualified name."""
        return self.name or str(self)

    @property
    def parsed_fn_signature(self) -> ParsedSignature:
        """The function's signature, each parameter and the return annotation parsed into a ``FieldDefinition``.

        Names in the annotations are looked up in the function's module, the scope that declared it and the
        ``signature_namespace`` (the layers' once an app registered the handler).

        Raises:
            ImproperlyConfiguredException: The handler has no function, or an annotation cannot be resolved.
        """
        fn = self.fn
        cached: tuple[Any, ParsedSignature] | None = self.__dict__.get("_parsed_fn_signature")
        if cached is not None and cached[0] is fn:
            return cached[1]
        if fn is None:
            raise ImproperlyConfiguredException(f"{self!r} has no function: decorate one with it.")
        namespace = {**self._localns, **(self.signature_namespace or {})}
        parsed = ParsedSignature.from_fn(fn, namespace)
        self.__dict__["_parsed_fn_signature"] = (fn, parsed)
        return parsed

    @property
    def signature_model(self) -> type[msgspec.Struct]:
        """A msgspec ``Struct`` type of the function's parameters (see ``parsed_fn_signature``)."""
        return signature_model(getattr(self.fn, "__name__", "handler"), self.parsed_fn_signature)

    @property
    def has_sync_callable(self) -> bool:
        """Whether the function is synchronous (run in a thread with ``sync_to_thread=True``)."""
        fn = self.fn
        while isinstance(fn, partial):
            fn = fn.func
        if not inspect.isroutine(fn) and not inspect.isclass(fn) and callable(fn):
            fn = type(fn).__call__  # a callable instance: its `__call__` says
        return not inspect.iscoroutinefunction(fn)

    def bound_copy(self, owner: Any, instance: Any | None = None) -> BaseRouteHandler:
        """Return a copy owned by ``owner``, with the function bound to ``instance`` (a controller) if given."""
        clone = copy.copy(self)
        clone.owner = owner
        clone._settings = None
        if instance is not None and self.fn is not None and hasattr(self.fn, "__get__"):
            clone.fn = self.fn.__get__(instance, type(instance))
        return clone

    def on_registration(self, route: BaseRoute[Any], app: Outpour) -> None:
        """Check the handler as ``app`` checks it when registering it at ``route``'s path, without registering it.

        An app runs these checks on its own copy of each handler when it is created (a handler breaking a rule
        fails the app's creation); this runs them for a handler the app does not hold, with the app's layered
        settings: the function is there, its annotations resolve, its parameters and return annotation suit its
        kind (for HTTP handlers, each method it answers).

        Args:
            route: The route the handler would serve; its ``path`` is checked against the handler's parameters.
            app: The app whose layered settings apply.

        Raises:
            ImproperlyConfiguredException: The handler breaks a rule of its kind; the message says which.
        """
        app._check_handler(self, route.path)

    def _take_settings(self, settings: RouteSettings) -> None:
        """Answer Litestar's attribute names with the route's resolved values; the app calls it on registration."""
        self._settings = settings
        self.after_request = settings.after_request
        self.after_response = settings.after_response
        self.before_request = settings.before_request
        self.cache_control = settings.cache_control
        self.dependencies = settings.dependencies
        self.etag = settings.etag
        self.exception_handlers = settings.exception_handlers
        self.guards = settings.guards
        self.include_in_schema = settings.include_in_schema
        self.middleware = settings.middleware
        self.opt = settings.opt
        self.parameters = settings.parameters
        self.request_class = settings.request_class
        self.request_max_body_size = settings.request_max_body_size
        self.response_class = settings.response_class
        self.response_cookies = settings.response_cookies
        self.response_headers = settings.response_headers
        self.security = settings.security
        self.signature_namespace = settings.signature_namespace
        self.tags = settings.tags
        self.type_decoders = settings.type_decoders
        self.type_encoders = settings.type_encoders

    # -- Litestar 2's resolve_*() methods, deprecated in Litestar 3.0 ------------------------------------------------

    def resolve_dependencies(self) -> dict[str, Provide]:
        """Deprecated: read ``dependencies``, which holds them once an app registered the handler.

        Returns:
            The dependencies in scope, each a ``Provide``.
        """
        _deprecated("resolve_dependencies", "dependencies")
        dependencies = self.dependencies
        cached: tuple[Any, dict[str, Provide]] | None = self.__dict__.get("_resolved_dependencies")
        if cached is not None and cached[0] is dependencies:  # the same dict each call, as Litestar's cached one
            return cached[1]
        resolved = {k: v if isinstance(v, Provide) else Provide(v) for k, v in (dependencies or {}).items()}
        self.__dict__["_resolved_dependencies"] = (dependencies, resolved)
        return resolved

    def resolve_exception_handlers(self) -> dict[int | type[Exception], Callable[..., Any]]:
        """Deprecated: read ``exception_handlers``, which holds them once an app registered the handler.

        Returns:
            The exception handlers in scope.
        """
        _deprecated("resolve_exception_handlers", "exception_handlers")
        return dict(self.exception_handlers or {})

    def resolve_guards(self) -> list[Guard]:
        """Deprecated: read ``guards``, which holds them once an app registered the handler.

        Returns:
            The guards in scope, outermost layer first.
        """
        _deprecated("resolve_guards", "guards")
        return list(self.guards or ())

    def resolve_layered_parameters(self) -> dict[str, ParameterKwarg]:
        """Deprecated: read ``parameters``, which holds them once an app registered the handler.

        Returns:
            The layered parameters in scope, by name.
        """
        _deprecated("resolve_layered_parameters", "parameters")
        return dict(self.parameters or {})

    def resolve_middleware(self) -> list[Middleware]:
        """Deprecated: read ``middleware``, which holds them once an app registered the handler.

        Returns:
            The middleware in scope, outermost layer first.
        """
        _deprecated("resolve_middleware", "middleware")
        return list(self.middleware or ())

    def resolve_opts(self) -> None:
        """Deprecated: ``opt`` holds every layer's entries once an app registered the handler."""
        _deprecated("resolve_opts", "opt")

    def resolve_signature_namespace(self) -> dict[str, Any]:
        """Deprecated: read ``signature_namespace``, which holds it once an app registered the handler.

        Returns:
            The names in scope for the handler's annotations.
        """
        _deprecated("resolve_signature_namespace", "signature_namespace")
        return dict(self.signature_namespace or {})

    def resolve_type_decoders(self) -> list[tuple[Callable[[Any], bool], Callable[[type, Any], Any]]]:
        """Deprecated: read ``type_decoders``, which holds them once an app registered the handler.

        Returns:
            The type decoders in scope, outermost layer first.
        """
        _deprecated("resolve_type_decoders", "type_decoders")
        return list(self.type_decoders or ())

    def resolve_type_encoders(self) -> dict[Any, Callable[[Any], Any]]:
        """Deprecated: read ``type_encoders``, which holds them once an app registered the handler.

        Returns:
            The type encoders in scope.
        """
        _deprecated("resolve_type_encoders", "type_encoders")
        return dict(self.type_encoders or {})

    def __str__(self) -> str:
        """The dotted path of the function (``app.controllers.projects.list``): the default ``name``."""
        return f"{getattr(self.fn, '__module__', '')}.{self.handler_name}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.handler_name} {self.paths}>"


def _deprecated(method: str, attribute: str) -> None:
    """Warn about a call of a ``resolve_*`` method Litestar 3.0 deprecates, at the caller's line."""
    warnings.warn(
        f"`{method}()` is deprecated (as in Litestar 3.0) and goes away in 4.0: read the handler's `{attribute}` "
        "attribute instead, which holds the resolved value once an app registered the handler.",
        DeprecationWarning,
        stacklevel=3,
    )


def as_callable(value: Any) -> Callable[..., Any] | None:
    """Return ``value`` if it is callable, else None."""
    return value if callable(value) else None
