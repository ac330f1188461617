"""The JWT authentication middleware: read the token from a header (or a cookie), verify it, find its user."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from outpour.exceptions import NotAuthorizedException
from outpour.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from outpour.security.jwt.token import Token

if TYPE_CHECKING:
    from outpour.connection import ASGIConnection
    from outpour.types import ASGIApp, Method, Scopes, SyncOrAsyncUnion

__all__ = ["JWTAuthenticationMiddleware", "JWTCookieAuthenticationMiddleware"]


class JWTAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Authenticate a connection with the JWT in its ``auth_header`` (``Authorization: Bearer <token>``).

    ``JWTAuth.middleware`` builds it from the backend's configuration. The token is verified (signature, ``exp``,
    ``nbf``, accepted issuers and audiences, required claims), then ``retrieve_user_handler`` turns it into the user
    (``request.user``); the token is ``request.auth``. A connection without a valid token, whose token is revoked, or
    whose token gives no user is refused with a 401 saying why.

    Args:
        algorithm: The algorithm tokens must be signed with.
        app: The next ASGI app.
        auth_header: The request header holding ``<scheme> <token>``.
        exclude: Path patterns not authenticated.
        exclude_http_methods: HTTP methods not authenticated.
        exclude_opt_key: Routes whose ``opt`` holds this key with a true value are not authenticated.
        retrieve_user_handler: Called with the token and the connection; returns the user, or ``None`` (sync or
            async).
        scopes: The scope types authenticated.
        token_secret: The key tokens are signed with.
        token_cls: The ``Token`` class tokens are decoded into.
        token_audience: When given, a token's ``aud`` must name one of these.
        token_issuer: When given, a token's ``iss`` must be one of these.
        require_claims: Claims a token must carry.
        verify_expiry: Refuse tokens whose ``exp`` has passed.
        verify_not_before: Refuse tokens whose ``nbf`` has not come yet.
        strict_audience: A token's ``aud`` must be one string, equal to the single accepted audience.
        revoked_token_handler: Called with the token and the connection; returns ``True`` when the token is revoked
            (sync or async).
    """

    def __init__(
        self,
        algorithm: str,
        app: ASGIApp,
        auth_header: str,
        exclude: str | list[str] | None,
        exclude_http_methods: Sequence[Method] | None,
        exclude_opt_key: str,
        retrieve_user_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any]],
        scopes: Scopes | None,
        token_secret: str | bytes,
        token_cls: type[Token] = Token,
        token_audience: Sequence[str] | None = None,
        token_issuer: Sequence[str] | None = None,
        require_claims: Sequence[str] | None = None,
        verify_expiry: bool = True,
        verify_not_before: bool = True,
        strict_audience: bool = False,
        revoked_token_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any]] | None = None,
    ) -> None:
        super().__init__(
            app=app,
            exclude=exclude,
            exclude_from_auth_key=exclude_opt_key,
            exclude_http_methods=exclude_http_methods,
            scopes=scopes,
        )
        self.algorithm = algorithm
        self.auth_header = auth_header
        self.retrieve_user_handler = retrieve_user_handler
        self.revoked_token_handler = revoked_token_handler
        self.token_secret = token_secret
        self.token_cls = token_cls
        self.token_audience = token_audience
        self.token_issuer = token_issuer
        self.require_claims = require_claims
        self.verify_expiry = verify_expiry
        self.verify_not_before = verify_not_before
        self.strict_audience = strict_audience

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Authenticate the connection with the token of its ``auth_header``.

        Args:
            connection: The connection.

        Returns:
            The user, and the token as ``auth``.

        Raises:
            NotAuthorizedException: No token, an invalid or revoked one, or no user for it.
        """
        value = connection.headers.get(self.auth_header)
        if not value:
            raise NotAuthorizedException(f"No JWT token found in the `{self.auth_header}` header.")
        return await self.authenticate_token(encoded_token=self._token_of_header(value), connection=connection)

    def _token_of_header(self, value: str) -> str:
        """The token of a ``<scheme> <token>`` header value."""
        encoded_token = value.partition(" ")[2].strip()
        if not encoded_token:
            raise NotAuthorizedException(f"The `{self.auth_header}` header must hold `Bearer <token>`.")
        return encoded_token

    async def authenticate_token(
        self, encoded_token: str, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        """Verify an encoded token and find its user.

        Args:
            encoded_token: The encoded JWT.
            connection: The connection.

        Returns:
            The user, and the token as ``auth``.

        Raises:
            NotAuthorizedException: The token is invalid or revoked, or gives no user.
        """
        token = self.token_cls.decode(
            encoded_token=encoded_token,
            secret=self.token_secret,
            algorithm=self.algorithm,
            audience=self.token_audience,
            issuer=self.token_issuer,
            require_claims=self.require_claims,
            verify_exp=self.verify_expiry,
            verify_nbf=self.verify_not_before,
            strict_audience=self.strict_audience,
        )
        if self.revoked_token_handler is not None:
            revoked = self.revoked_token_handler(token, connection)
            if inspect.isawaitable(revoked):
                revoked = await revoked
            if revoked:
                raise NotAuthorizedException("The JWT token has been revoked.")
        user = self.retrieve_user_handler(token, connection)
        if inspect.isawaitable(user):
            user = await user
        if not user:
            raise NotAuthorizedException("No user found for the JWT token.")
        return AuthenticationResult(user=user, auth=token)


class JWTCookieAuthenticationMiddleware(JWTAuthenticationMiddleware):
    """Authenticate a connection with the JWT in its ``auth_header``, or else in its ``auth_cookie_key`` cookie.

    The cookie holds the token, alone or as ``Bearer <token>``. ``JWTCookieAuth.middleware`` and
    ``OAuth2PasswordBearerAuth.middleware`` build it.

    Args:
        algorithm: The algorithm tokens must be signed with.
        app: The next ASGI app.
        auth_cookie_key: The cookie holding the token.
        auth_header: The request header holding ``<scheme> <token>``; it wins over the cookie.
        exclude: Path patterns not authenticated.
        exclude_opt_key: Routes whose ``opt`` holds this key with a true value are not authenticated.
        exclude_http_methods: HTTP methods not authenticated.
        retrieve_user_handler: Called with the token and the connection; returns the user, or ``None`` (sync or
            async).
        scopes: The scope types authenticated.
        token_secret: The key tokens are signed with.
        token_cls: The ``Token`` class tokens are decoded into.
        token_audience: When given, a token's ``aud`` must name one of these.
        token_issuer: When given, a token's ``iss`` must be one of these.
        require_claims: Claims a token must carry.
        verify_expiry: Refuse tokens whose ``exp`` has passed.
        verify_not_before: Refuse tokens whose ``nbf`` has not come yet.
        strict_audience: A token's ``aud`` must be one string, equal to the single accepted audience.
        revoked_token_handler: Called with the token and the connection; returns ``True`` when the token is revoked
            (sync or async).
    """

    def __init__(
        self,
        algorithm: str,
        app: ASGIApp,
        auth_cookie_key: str,
        auth_header: str,
        exclude: str | list[str] | None,
        exclude_opt_key: str,
        exclude_http_methods: Sequence[Method] | None,
        retrieve_user_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any]],
        scopes: Scopes | None,
        token_secret: str | bytes,
        token_cls: type[Token] = Token,
        token_audience: Sequence[str] | None = None,
        token_issuer: Sequence[str] | None = None,
        require_claims: Sequence[str] | None = None,
        verify_expiry: bool = True,
        verify_not_before: bool = True,
        strict_audience: bool = False,
        revoked_token_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any]] | None = None,
    ) -> None:
        super().__init__(
            algorithm=algorithm,
            app=app,
            auth_header=auth_header,
            exclude=exclude,
            exclude_http_methods=exclude_http_methods,
            exclude_opt_key=exclude_opt_key,
            retrieve_user_handler=retrieve_user_handler,
            scopes=scopes,
            token_secret=token_secret,
            token_cls=token_cls,
            token_audience=token_audience,
            token_issuer=token_issuer,
            require_claims=require_claims,
            verify_expiry=verify_expiry,
            verify_not_before=verify_not_before,
            strict_audience=strict_audience,
            revoked_token_handler=revoked_token_handler,
        )
        self.auth_cookie_key = auth_cookie_key

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Authenticate the connection with the token of its ``auth_header``, or else of its cookie.

        Args:
            connection: The connection.

        Returns:
            The user, and the token as ``auth``.

        Raises:
            NotAuthorizedException: No token, an invalid or revoked one, or no user for it.
        """
        value = connection.headers.get(self.auth_header)
        if value:
            encoded_token = self._token_of_header(value)
        else:
            encoded_token = connection.cookies.get(self.auth_cookie_key, "").rpartition(" ")[2]
            if not encoded_token:
                raise NotAuthorizedException(
                    f"No JWT token found in the `{self.auth_header}` header or the `{self.auth_cookie_key}` cookie."
                )
        return await self.authenticate_token(encoded_token=encoded_token, connection=connection)
