"""``SessionAuth``: the session authentication backend's configuration."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from outpour.middleware._define import DefineMiddleware
from outpour.openapi.spec import Components, SecurityRequirement, SecurityScheme
from outpour.security.base import AbstractSecurityConfig, UserType
from outpour.security.session_auth.middleware import MiddlewareWrapper, SessionAuthMiddleware

if TYPE_CHECKING:
    from outpour.connection import ASGIConnection
    from outpour.di import Provide
    from outpour.middleware.session.base import BaseBackendConfig, BaseSessionBackend
    from outpour.types import ControllerRouterHandler, Guard, Method, Scopes, SyncOrAsyncUnion, TypeEncodersMap

__all__ = ["SessionAuth"]

BaseSessionBackendT = TypeVar("BaseSessionBackendT", bound="BaseSessionBackend[Any]")


def _default_excluded_methods() -> Sequence[Method]:
    return cast("Sequence[Method]", ["OPTIONS", "HEAD"])


@dataclass
class SessionAuth(Generic[UserType, BaseSessionBackendT], AbstractSecurityConfig[UserType, dict[str, Any]]):
    """Authenticate connections with their session; install it with ``on_app_init=[session_auth.on_app_init]``.

    A login handler puts what identifies the user in the session (``request.set_session({"user_id": ...})``); on
    every other request ``retrieve_user_handler`` turns the session back into the user (``request.user``), and a
    connection without one is refused with a 401.

    Args:
        retrieve_user_handler: Called with the session data and the connection; returns the user, or ``None``
            (sync or async).
        session_backend_config: The session backend's configuration (client-side or server-side); its middleware is
            installed with the authentication.
        authentication_middleware_class: The authentication middleware.
        guards: Guards added to the app.
        exclude: Path patterns (regular expressions, searched unanchored: ``^/login``) not authenticated.
        exclude_opt_key: Routes whose ``opt`` holds this key with a true value are not authenticated.
        exclude_http_methods: HTTP methods not authenticated (``OPTIONS`` and ``HEAD`` by default).
        scopes: The scope types authenticated (HTTP and WebSocket by default).
        route_handlers: Route handlers added to the app.
        dependencies: Dependencies added to the app.
        type_encoders: Type encoders added to the app's.
    """

    retrieve_user_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any | None]]
    session_backend_config: BaseBackendConfig[BaseSessionBackendT]
    authentication_middleware_class: type[SessionAuthMiddleware] = field(  # pyright: ignore[reportIncompatibleVariableOverride]
        default=SessionAuthMiddleware
    )
    guards: Iterable[Guard] | None = field(default=None)
    exclude: str | list[str] | None = field(default=None)
    exclude_opt_key: str = field(default="exclude_from_auth")
    exclude_http_methods: Sequence[Method] | None = field(default_factory=_default_excluded_methods)
    scopes: Scopes | None = field(default=None)
    route_handlers: Iterable[ControllerRouterHandler] | None = field(default=None)
    dependencies: dict[str, Provide] | None = field(default=None)
    type_encoders: TypeEncodersMap | None = field(default=None)

    @property
    def middleware(self) -> DefineMiddleware:
        """The session middleware and, inside it, the authentication middleware."""
        return DefineMiddleware(MiddlewareWrapper, config=self)

    @property
    def session_backend_class(self) -> type[BaseSessionBackendT]:
        """The session backend class of ``session_backend_config``."""
        return self.session_backend_config._backend_class

    @property
    def session_backend(self) -> BaseSessionBackendT:
        """A session backend built from ``session_backend_config``."""
        return self.session_backend_class(config=self.session_backend_config)

    @property
    def openapi_components(self) -> Components:
        """The ``sessionCookie`` security scheme: an API key in the session cookie."""
        return Components(
            security_schemes={
                "sessionCookie": SecurityScheme(
                    type="apiKey",
                    name=self.session_backend_config.key,
                    security_scheme_in="cookie",
                    description="Session cookie authentication.",
                )
            }
        )

    @property
    def security_requirement(self) -> SecurityRequirement:
        """``{"sessionCookie": []}``."""
        return {"sessionCookie": []}
