"""The JWT security backends: ``JWTAuth``, ``JWTCookieAuth`` and ``OAuth2PasswordBearerAuth``.

``JWTAuth`` reads the token from a header, ``JWTCookieAuth`` from a header or a cookie, ``OAuth2PasswordBearerAuth``
too, documenting the OAuth2 password flow. Each is a dataclass configuration: give ``backend.on_app_init`` to the app's ``on_app_init`` (or
``backend.middleware`` to a layer's ``middleware``), and return ``backend.login(...)`` from a login handler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, Literal, cast

from jwt.algorithms import get_default_algorithms
from typing_extensions import TypeVar

from outpour.datastructures import Cookie
from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware._define import DefineMiddleware
from outpour.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityRequirement, SecurityScheme
from outpour.security.base import AbstractSecurityConfig
from outpour.security.jwt.middleware import JWTAuthenticationMiddleware, JWTCookieAuthenticationMiddleware
from outpour.security.jwt.token import Token
from outpour.status_codes import HTTP_201_CREATED
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.connection import ASGIConnection
    from outpour.di import Provide
    from outpour.response import Response
    from outpour.types import ControllerRouterHandler, Guard, Method, Scopes, SyncOrAsyncUnion, TypeEncodersMap

__all__ = ["BaseJWTAuth", "JWTAuth", "JWTCookieAuth", "OAuth2Login", "OAuth2PasswordBearerAuth"]

UserType = TypeVar("UserType")
TokenT = TypeVar("TokenT", bound=Token, default=Token)


def _default_excluded_methods() -> Sequence[Method]:
    return cast("Sequence[Method]", ["OPTIONS", "HEAD"])


def _one_day() -> timedelta:
    return timedelta(days=1)


@dataclass
class BaseJWTAuth(Generic[UserType, TokenT], AbstractSecurityConfig[UserType, TokenT]):
    """The options the JWT backends share, their middleware, OpenAPI security and ``login``.

    Args:
        token_secret: The key tokens are signed with: a shared secret for the ``HS*`` algorithms (keep it out of the
            code, in the environment), or a private key (PEM) for the asymmetric ones (``RS256``, ``ES256``, ...;
            tokens are verified with its public half).
        retrieve_user_handler: Called with the verified token and the connection; returns the user
            (``request.user``), or ``None`` to refuse the connection. Sync or async.
        revoked_token_handler: Called with the verified token and the connection; returns ``True`` to refuse a
            revoked token. Sync or async.
        guards: Guards added to the app.
        exclude: Path patterns (regular expressions, searched unanchored: ``^/login``) not authenticated.
        exclude_opt_key: Routes whose ``opt`` holds this key with a true value are not authenticated.
        exclude_http_methods: HTTP methods not authenticated (``OPTIONS`` and ``HEAD`` by default).
        scopes: The scope types authenticated (HTTP and WebSocket by default).
        route_handlers: Route handlers added to the app.
        dependencies: Dependencies added to the app.
        type_encoders: Type encoders added to the app's, and used by ``login``'s response.
        algorithm: The signing algorithm: ``HS256`` by default.
        auth_header: The request header holding ``Bearer <token>``, and the response header ``login`` sets.
        default_token_expiration: How long a token from ``login`` stays valid: one day by default.
        openapi_security_scheme_name: The name of the OpenAPI security scheme.
        description: The description of the OpenAPI security scheme.
        authentication_middleware_class: The authentication middleware.
        token_cls: The ``Token`` class (or subclass) tokens are decoded into.
        accepted_audiences: When given, a token's ``aud`` must name one of these.
        accepted_issuers: When given, a token's ``iss`` must be one of these.
        require_claims: Claims a token must carry (``["jti"]``, for instance).
        verify_expiry: Refuse tokens whose ``exp`` has passed.
        verify_not_before: Refuse tokens whose ``nbf`` has not come yet.
        strict_audience: A token's ``aud`` must be one string, equal to the single entry of ``accepted_audiences``.

    Raises:
        ImproperlyConfiguredException: An unknown ``algorithm``, a ``token_secret`` that does not suit it, or
            ``strict_audience`` without exactly one accepted audience.
    """

    token_secret: str | bytes
    retrieve_user_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[Any | None]]
    revoked_token_handler: Callable[[Any, ASGIConnection[Any, Any, Any, Any]], SyncOrAsyncUnion[bool]] | None = field(
        default=None
    )
    guards: Iterable[Guard] | None = field(default=None)
    exclude: str | list[str] | None = field(default=None)
    exclude_opt_key: str = field(default="exclude_from_auth")
    exclude_http_methods: Sequence[Method] | None = field(default_factory=_default_excluded_methods)
    scopes: Scopes | None = field(default=None)
    route_handlers: Iterable[ControllerRouterHandler] | None = field(default=None)
    dependencies: dict[str, Provide] | None = field(default=None)
    type_encoders: TypeEncodersMap | None = field(default=None)
    algorithm: str = field(default="HS256")
    auth_header: str = field(default="Authorization")
    default_token_expiration: timedelta = field(default_factory=_one_day)
    openapi_security_scheme_name: str = field(default="BearerToken")
    description: str = field(default="JWT api-key authentication and authorization.")
    authentication_middleware_class: type[JWTAuthenticationMiddleware] = field(  # pyright: ignore[reportIncompatibleVariableOverride]
        default=JWTAuthenticationMiddleware
    )
    token_cls: type[Token] = field(default=Token)
    accepted_audiences: Sequence[str] | None = field(default=None)
    accepted_issuers: Sequence[str] | None = field(default=None)
    require_claims: Sequence[str] | None = field(default=None)
    verify_expiry: bool = field(default=True)
    verify_not_before: bool = field(default=True)
    strict_audience: bool = field(default=False)

    def __post_init__(self) -> None:
        name = type(self).__name__
        algorithms = get_default_algorithms()
        if self.algorithm not in algorithms:
            raise ImproperlyConfiguredException(
                f"`{name}(algorithm={self.algorithm!r})` is not a JWT algorithm PyJWT knows. Use one of "
                f"{', '.join(sorted(algorithms))} (the asymmetric ones need `pip install 'outpour[jwt]'`)."
            )
        try:
            algorithms[self.algorithm].prepare_key(self.token_secret)
        except Exception as error:
            raise ImproperlyConfiguredException(
                f"`{name}.token_secret` is not a valid key for `{self.algorithm}`: {error}"
            ) from error
        if self.strict_audience and (
            self.accepted_audiences is None
            or (not isinstance(self.accepted_audiences, str) and len(self.accepted_audiences) != 1)
        ):
            raise ImproperlyConfiguredException(
                f"`{name}(strict_audience=True)` needs exactly one accepted audience, got "
                f"`accepted_audiences={self.accepted_audiences!r}`: give one, such as `accepted_audiences=['api']`."
            )

    def _middleware_options(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "auth_header": self.auth_header,
            "exclude": self.exclude,
            "exclude_opt_key": self.exclude_opt_key,
            "exclude_http_methods": self.exclude_http_methods,
            "retrieve_user_handler": self.retrieve_user_handler,
            "revoked_token_handler": self.revoked_token_handler,
            "scopes": self.scopes,
            "token_secret": self.token_secret,
            "token_cls": self.token_cls,
            "token_issuer": self.accepted_issuers,
            "token_audience": self.accepted_audiences,
            "require_claims": self.require_claims,
            "verify_expiry": self.verify_expiry,
            "verify_not_before": self.verify_not_before,
            "strict_audience": self.strict_audience,
        }

    @property
    def middleware(self) -> DefineMiddleware:
        """The authentication middleware, configured from the backend."""
        return DefineMiddleware(self.authentication_middleware_class, **self._middleware_options())

    @property
    def openapi_components(self) -> Components:
        """The security scheme: HTTP ``Bearer`` (JWT) in ``Authorization``, or an API key in another header."""
        if self.auth_header.lower() == "authorization":
            scheme = SecurityScheme(type="http", scheme="Bearer", bearer_format="JWT", description=self.description)
        else:
            scheme = SecurityScheme(
                type="apiKey", name=self.auth_header, security_scheme_in="header", description=self.description
            )
        return Components(security_schemes={self.openapi_security_scheme_name: scheme})

    @property
    def security_requirement(self) -> SecurityRequirement:
        """``{openapi_security_scheme_name: []}``."""
        return {self.openapi_security_scheme_name: []}

    def create_token(
        self,
        identifier: str,
        token_expiration: timedelta | None = None,
        token_issuer: str | None = None,
        token_audience: str | None = None,
        token_unique_jwt_id: str | None = None,
        token_extras: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> str:
        """Create and encode a token for ``identifier``.

        Args:
            identifier: The token's subject (``sub``): usually the user's id.
            token_expiration: How long the token stays valid; ``default_token_expiration`` by default.
            token_issuer: The token's ``iss``.
            token_audience: The token's ``aud``.
            token_unique_jwt_id: The token's ``jti`` (to revoke it later).
            token_extras: The token's ``extras``.
            **kwargs: Other fields of ``token_cls``.

        Returns:
            The encoded token.
        """
        token = self.token_cls(
            sub=identifier,
            exp=datetime.now(UTC) + (token_expiration or self.default_token_expiration),
            iss=token_issuer,
            aud=token_audience,
            jti=token_unique_jwt_id,
            extras=token_extras or {},
            **kwargs,
        )
        return token.encode(secret=self.token_secret, algorithm=self.algorithm)

    def format_auth_header(self, encoded_token: str) -> str:
        """The ``auth_header`` value carrying ``encoded_token``: ``Bearer <token>``.

        Args:
            encoded_token: The encoded token.

        Returns:
            The header value.
        """
        return f"Bearer {encoded_token}"

    def login(
        self,
        identifier: str,
        *,
        response_body: Any = Empty,
        response_media_type: str | MediaType = MediaType.JSON,
        response_status_code: int = HTTP_201_CREATED,
        token_expiration: timedelta | None = None,
        token_issuer: str | None = None,
        token_audience: str | None = None,
        token_unique_jwt_id: str | None = None,
        token_extras: dict[str, Any] | None = None,
        send_token_as_response_body: bool = False,
    ) -> Response[Any]:
        """A response carrying a new token for ``identifier`` in ``auth_header``: return it from a login handler.

        Args:
            identifier: The token's subject (``sub``): usually the user's id.
            response_body: The response body; when given, ``send_token_as_response_body`` is ignored.
            response_media_type: The response's ``Content-Type``.
            response_status_code: The response's status code: 201 by default.
            token_expiration: How long the token stays valid; ``default_token_expiration`` by default.
            token_issuer: The token's ``iss``.
            token_audience: The token's ``aud``.
            token_unique_jwt_id: The token's ``jti``.
            token_extras: The token's ``extras``.
            send_token_as_response_body: Without ``response_body``, send ``{"token": <token>}`` as the body.

        Returns:
            The response.
        """
        encoded_token = self.create_token(
            identifier=identifier,
            token_expiration=token_expiration,
            token_issuer=token_issuer,
            token_audience=token_audience,
            token_unique_jwt_id=token_unique_jwt_id,
            token_extras=token_extras,
        )
        if response_body is not Empty:
            body = response_body
        elif send_token_as_response_body:
            body = {"token": encoded_token}
        else:
            body = None
        return self.create_response(
            content=body,
            headers={self.auth_header: self.format_auth_header(encoded_token)},
            cookies=self._login_cookies(encoded_token, token_expiration or self.default_token_expiration),
            media_type=response_media_type,
            status_code=response_status_code,
        )

    def _login_cookies(self, encoded_token: str, expiration: timedelta) -> list[Cookie]:
        """The cookies ``login`` sets: none, the token travelling in ``auth_header`` only."""
        return []


@dataclass
class JWTAuth(Generic[UserType, TokenT], BaseJWTAuth[UserType, TokenT]):
    """JWT authentication: the token travels in a header (``Authorization: Bearer <token>``).

    ``login`` sets the header on its response; clients send it back on every request. See ``BaseJWTAuth`` for the
    options.
    """


@dataclass
class _CookieOptions:
    """The cookie options of the backends that send the token in a cookie too."""

    key: str = field(default="token")
    path: str = field(default="/")
    domain: str | None = field(default=None)
    secure: bool | None = field(default=None)
    samesite: Literal["lax", "strict", "none"] = field(default="lax")

    def _login_cookies(self, encoded_token: str, expiration: timedelta) -> list[Cookie]:
        """The ``HttpOnly`` cookie holding the token, expiring with it."""
        return [
            Cookie(
                key=self.key,
                value=encoded_token,
                path=self.path,
                domain=self.domain,
                secure=self.secure,
                httponly=True,
                samesite=self.samesite,
                max_age=int(expiration.total_seconds()),
            )
        ]


@dataclass
class JWTCookieAuth(Generic[UserType, TokenT], _CookieOptions, BaseJWTAuth[UserType, TokenT]):
    """JWT authentication with the token in a header or an ``HttpOnly`` cookie.

    ``login`` sets both the header and the cookie (``HttpOnly``, expiring with the token); a request is authenticated
    by the header when it has one, else by the cookie. See ``BaseJWTAuth`` for the shared options.

    Args:
        key: The cookie's name: ``token`` by default.
        path: The cookie's path: ``/`` by default.
        domain: The cookie's domain; the host that set it by default.
        secure: Send the cookie over HTTPS only.
        samesite: The cookie's ``SameSite``: ``lax`` by default.
    """

    description: str = field(default="JWT cookie-based authentication and authorization.")
    authentication_middleware_class: type[JWTCookieAuthenticationMiddleware] = field(  # pyright: ignore[reportIncompatibleVariableOverride]
        default=JWTCookieAuthenticationMiddleware
    )

    @property
    def middleware(self) -> DefineMiddleware:
        """The authentication middleware, reading the header or else the cookie."""
        return DefineMiddleware(
            self.authentication_middleware_class, auth_cookie_key=self.key, **self._middleware_options()
        )


@dataclass
class OAuth2Login:
    """The body of an OAuth2 token response (RFC 6749, section 5.1).

    Attributes:
        access_token: The access token (a JWT).
        token_type: The token's type: ``bearer``.
        refresh_token: A refresh token, if any.
        expires_in: Seconds until the access token expires.
    """

    access_token: str
    token_type: str
    refresh_token: str | None = field(default=None)
    expires_in: int | None = field(default=None)


@dataclass
class OAuth2PasswordBearerAuth(Generic[UserType, TokenT], _CookieOptions, BaseJWTAuth[UserType, TokenT]):
    """The OAuth2 password flow with bearer JWTs, sent in a header or an ``HttpOnly`` cookie.

    ``login`` answers with an OAuth2 token response (``{"access_token": ..., "token_type": "bearer",
    "expires_in": ...}``) and sets the header and the cookie, as ``JWTCookieAuth`` does; OpenAPI documents the
    password flow at ``token_url``. See ``BaseJWTAuth`` and ``JWTCookieAuth`` for the other options.

    Args:
        token_url: The URL of the login route that issues tokens (keyword-only).
        oauth_scopes: The OAuth2 scopes, name to description, documented in OpenAPI.
    """

    token_url: str = field(kw_only=True)
    oauth_scopes: dict[str, str] | None = field(default=None)
    description: str = field(default="OAUTH2 password bearer authentication and authorization.")
    authentication_middleware_class: type[JWTCookieAuthenticationMiddleware] = field(  # pyright: ignore[reportIncompatibleVariableOverride]
        default=JWTCookieAuthenticationMiddleware
    )

    @property
    def middleware(self) -> DefineMiddleware:
        """The authentication middleware, reading the header or else the cookie."""
        return DefineMiddleware(
            self.authentication_middleware_class, auth_cookie_key=self.key, **self._middleware_options()
        )

    @property
    def oauth_flow(self) -> OAuthFlow:
        """The OpenAPI password flow: ``token_url`` and the scopes."""
        return OAuthFlow(token_url=self.token_url, scopes=self.oauth_scopes or {})

    @property
    def openapi_components(self) -> Components:
        """The ``oauth2`` security scheme with the password flow."""
        return Components(
            security_schemes={
                self.openapi_security_scheme_name: SecurityScheme(
                    type="oauth2", description=self.description, flows=OAuthFlows(password=self.oauth_flow)
                )
            }
        )

    def login(
        self,
        identifier: str,
        *,
        response_body: Any = Empty,
        response_media_type: str | MediaType = MediaType.JSON,
        response_status_code: int = HTTP_201_CREATED,
        token_expiration: timedelta | None = None,
        token_issuer: str | None = None,
        token_audience: str | None = None,
        token_unique_jwt_id: str | None = None,
        token_extras: dict[str, Any] | None = None,
        send_token_as_response_body: bool = True,
    ) -> Response[Any]:
        """A response carrying a new token: an OAuth2 token response body, the header and the cookie.

        Args:
            identifier: The token's subject (``sub``): usually the user's id.
            response_body: The response body, instead of the OAuth2 token response.
            response_media_type: The response's ``Content-Type``.
            response_status_code: The response's status code: 201 by default.
            token_expiration: How long the token (and the cookie) stays valid.
            token_issuer: The token's ``iss``.
            token_audience: The token's ``aud``.
            token_unique_jwt_id: The token's ``jti``.
            token_extras: The token's ``extras``.
            send_token_as_response_body: Without ``response_body``, send the OAuth2 token response (the default);
                ``False`` sends no body.

        Returns:
            The response.
        """
        expiration = token_expiration or self.default_token_expiration
        encoded_token = self.create_token(
            identifier=identifier,
            token_expiration=expiration,
            token_issuer=token_issuer,
            token_audience=token_audience,
            token_unique_jwt_id=token_unique_jwt_id,
            token_extras=token_extras,
        )
        expires_in = int(expiration.total_seconds())
        if response_body is not Empty:
            body = response_body
        elif send_token_as_response_body:
            login = OAuth2Login(access_token=encoded_token, token_type="bearer", expires_in=expires_in)
            body = {name: value for name, value in vars(login).items() if value is not None}
        else:
            body = None
        return self.create_response(
            content=body,
            headers={self.auth_header: self.format_auth_header(encoded_token)},
            cookies=self._login_cookies(encoded_token, expiration),
            media_type=response_media_type,
            status_code=response_status_code,
        )
