"""``SessionAuthMiddleware``: authenticates a connection with its session; and the wrapper that installs both."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from outpour.exceptions import NotAuthorizedException
from outpour.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from outpour.middleware.session.base import SessionMiddleware
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.connection import ASGIConnection
    from outpour.security.session_auth.auth import SessionAuth
    from outpour.types import ASGIApp, Method, Receive, Scope, Scopes, Send, SyncOrAsyncUnion

__all__ = ["MiddlewareWrapper", "SessionAuthMiddleware"]


class MiddlewareWrapper:
    """The session middleware around ``SessionAuthMiddleware``: what ``SessionAuth.middleware`` installs.

    Args:
        app: The next ASGI app.
        config: The session authentication configuration.
    """

    def __init__(self, app: ASGIApp, config: SessionAuth[Any, Any]) -> None:
        self.app = app
        self.config = config
        auth = config.authentication_middleware_class(
            app=app,
            exclude=config.exclude,
            exclude_http_methods=config.exclude_http_methods,
            exclude_opt_key=config.exclude_opt_key,
            retrieve_user_handler=config.retrieve_user_handler,
            scopes=config.scopes,
        )
        self._stack: ASGIApp = SessionMiddleware(app=auth, backend=config.session_backend)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Load the session, authenticate the connection with it, call the next app."""
        await self._stack(scope, receive, send)


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Authenticate a connection with its session: ``retrieve_user_handler`` turns the session into the user.

    A connection without a session, or whose session gives no user, is refused (401) and its session cleared.

    Args:
        app: The next ASGI app.
        exclude: Path patterns not authenticated.
        exclude_http_methods: HTTP methods not authenticated.
        exclude_opt_key: Routes whose ``opt`` holds this key with a true value are not authenticated.
        retrieve_user_handler: Called with the session data and the connection; returns the user, or ``None``. Sync
            or async.
        scopes: The scope types authenticated.
    """

    def __init__(
        self,
        app: ASGIApp,
        exclude: str | list[str] | None,
        exclude_http_methods: Sequence[Method] | None,
        exclude_opt_key: str,
        retrieve_user_handler: Callable[[dict[str, Any], ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any]],
        scopes: Scopes | None,
    ) -> None:
        super().__init__(
            app=app,
            exclude=exclude,
            exclude_from_auth_key=exclude_opt_key,
            exclude_http_methods=exclude_http_methods,
            scopes=scopes,
        )
        self.retrieve_user_handler = retrieve_user_handler

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Give the user of the connection's session.

        Args:
            connection: The connection.

        Returns:
            The user, and the session data as ``auth``.

        Raises:
            NotAuthorizedException: The connection has no session, or its session gives no user.
        """
        session = connection.session
        if not session:
            connection.scope["session"] = Empty  # the session middleware deletes the cookie
            raise NotAuthorizedException("no session data found")
        user = self.retrieve_user_handler(session, connection)
        if inspect.isawaitable(user):
            user = await user
        if not user:
            connection.scope["session"] = Empty
            raise NotAuthorizedException("no user correlating to session found")
        return AuthenticationResult(user=user, auth=session)
