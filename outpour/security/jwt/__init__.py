"""JWT security backends: a signed token (RFC 7519) identifies the user, in a header or a cookie.

Needs PyJWT: ``pip install 'outpour[jwt]'``; importing this module without it raises ``MissingDependencyException``
(an ``ImportError``) saying so. See :doc:`/usage/security-jwt`.
"""

from __future__ import annotations

from outpour.exceptions import MissingDependencyException

try:
    import jwt  # noqa: F401 - fail here, naming the extra, before a submodule's import does
except ImportError as error:  # pragma: no cover - the extra is installed in every test environment
    raise MissingDependencyException("jwt", install_package="pyjwt", extra="jwt") from error

from outpour.security.jwt.auth import BaseJWTAuth, JWTAuth, JWTCookieAuth, OAuth2Login, OAuth2PasswordBearerAuth
from outpour.security.jwt.middleware import JWTAuthenticationMiddleware, JWTCookieAuthenticationMiddleware
from outpour.security.jwt.token import Token

__all__ = [
    "BaseJWTAuth",
    "JWTAuth",
    "JWTAuthenticationMiddleware",
    "JWTCookieAuth",
    "JWTCookieAuthenticationMiddleware",
    "OAuth2Login",
    "OAuth2PasswordBearerAuth",
    "Token",
]
