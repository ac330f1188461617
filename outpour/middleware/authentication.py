"""``AbstractAuthenticationMiddleware``: authenticate each connection and put the user in the scope.

A subclass implements ``authenticate_request(connection)`` and returns an ``AuthenticationResult``; the middleware
stores its ``user`` and ``auth`` in ``scope["user"]`` and ``scope["auth"]``, where ``request.user`` and
``request.auth`` read them. Raising ``NotAuthorizedException`` refuses the connection: the app's exception handling
answers it with a 401, like any exception a middleware raises before the response starts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour.connection import ASGIConnection
from outpour.enums import HttpMethod, ScopeType
from outpour.middleware._exclusion import compile_exclude, is_excluded

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Method, Receive, Scope, Scopes, Send

__all__ = ["AbstractAuthenticationMiddleware", "AuthenticationResult"]


@dataclass(slots=True)
class AuthenticationResult:
    """What ``authenticate_request`` found.

    Args:
        user: The user, any value (``None`` included); handlers read it as ``request.user``.
        auth: The authentication data, such as a token; handlers read it as ``request.auth``.
    """

    user: Any
    auth: Any = None


class AbstractAuthenticationMiddleware(ABC):
    """A base for authentication middleware: subclasses implement :meth:`authenticate_request`.

    Give the subclass in ``middleware=[...]`` on any layer, or ``DefineMiddleware(Subclass, exclude=...)`` to
    configure it. Excluded connections reach the handler unauthenticated, without ``scope["user"]``.

    Args:
        app: The next ASGI app.
        exclude: A regular expression, or several, searched in the path (not anchored: start it with ``^`` to match
            a prefix); matching paths are not authenticated.
        exclude_from_auth_key: Routes whose ``opt`` holds this key with a true value are not authenticated
            (``@get("/health", exclude_from_auth=True)``).
        exclude_http_methods: HTTP methods that are not authenticated; ``OPTIONS`` (CORS preflight requests) by
            default. Pass ``[]`` to authenticate every method.
        scopes: The scope types to authenticate, ``{ScopeType.HTTP, ScopeType.WEBSOCKET}`` by default.
    """

    def __init__(
        self,
        app: ASGIApp,
        exclude: str | list[str] | None = None,
        exclude_from_auth_key: str = "exclude_from_auth",
        exclude_http_methods: Sequence[Method] | None = None,
        scopes: Scopes | None = None,
    ) -> None:
        self.app = app
        self.exclude = compile_exclude(exclude, type(self).__name__)
        """The compiled ``exclude`` patterns, or ``None``."""
        self.exclude_opt_key = exclude_from_auth_key
        self.exclude_http_methods: Sequence[Method] = (
            (HttpMethod.OPTIONS,) if exclude_http_methods is None else tuple(exclude_http_methods)
        )
        self.scopes: Scopes = scopes or {ScopeType.HTTP, ScopeType.WEBSOCKET}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate the connection unless it is excluded, store the result in the scope, call the next app.

        Args:
            scope: The ASGI connection scope.
            receive: The ASGI receive function.
            send: The ASGI send function.
        """
        if not is_excluded(scope, self.scopes, self.exclude, self.exclude_opt_key, self.exclude_http_methods):
            result = await self.authenticate_request(ASGIConnection(scope, receive, send))
            scope["user"] = result.user
            scope["auth"] = result.auth
        await self.app(scope, receive, send)

    @abstractmethod
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Authenticate the connection.

        Args:
            connection: The connection (its headers, cookies, query parameters, ...).

        Returns:
            The user and authentication data.

        Raises:
            NotAuthorizedException: Raise it (or another ``HTTPException``) to refuse the connection: the client gets
                a 401.
        """
