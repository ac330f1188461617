"""``CSRFMiddleware``: the double-submit-cookie check against cross-site request forgery.

A token is 64 random hex digits followed by their HMAC-SHA256 under the configured secret (64 hex digits more). The
cookie holds it; an unsafe request must send the same token in the header or the ``_csrf_token`` form field (never
the query string). Tokens are compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

from outpour.connection import Request
from outpour.datastructures import Cookie
from outpour.enums import ScopeType
from outpour.exceptions import PermissionDeniedException
from outpour.middleware._exclusion import compile_exclude, is_excluded
from outpour.middleware._headers import first_header
from outpour.middleware.base import MiddlewareProtocol

if TYPE_CHECKING:
    from outpour.config.csrf import CSRFConfig
    from outpour.types import ASGIApp, Message, Receive, Scope, Scopes, Send

__all__ = ["CSRF_FORM_FIELD", "CSRFMiddleware", "generate_csrf_hash", "generate_csrf_token"]

CSRF_FORM_FIELD = "_csrf_token"
"""The form field a token may be sent in (as in Litestar, not configurable)."""
_SCOPE_KEY = "_csrf_token"  # read by `Template` (`csrf_input`) and the `csrf_token()` template callable
_TOKEN_LENGTH = 128
_HEX = frozenset("0123456789abcdef")
_FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")


def generate_csrf_hash(token: str, secret: str) -> str:
    """The HMAC-SHA256 of ``token`` under ``secret``, in hex.

    Args:
        token: The random part of a token.
        secret: The ``CSRFConfig.secret``.

    Returns:
        64 hex digits.
    """
    return hmac.new(secret.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def generate_csrf_token(secret: str) -> str:
    """A new token: 64 random hex digits and their signature (``generate_csrf_hash``).

    Args:
        secret: The ``CSRFConfig.secret``.

    Returns:
        128 hex digits.
    """
    token = secrets.token_hex(32)
    return token + generate_csrf_hash(token, secret)


def _is_signed(value: str, secret: str) -> bool:
    """Whether ``value`` is a well-formed token signed with ``secret``."""
    if len(value) != _TOKEN_LENGTH or not _HEX.issuperset(value):
        return False
    token, signature = value[:64], value[64:]
    return hmac.compare_digest(signature, generate_csrf_hash(token, secret))


def _refuse(reason: str) -> PermissionDeniedException:
    return PermissionDeniedException(detail=f"CSRF token verification failed: {reason}")


class CSRFMiddleware(MiddlewareProtocol):
    """Give safe requests a token cookie; refuse (403) unsafe requests that do not send its value back.

    Args:
        app: The next ASGI app.
        config: The CSRF configuration.
    """

    scopes: Scopes = {ScopeType.HTTP}  # noqa: RUF012

    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        self.app = app
        self.config = config
        self._exclude = compile_exclude(config.exclude, type(self).__name__)
        self._safe = frozenset(str(method).upper() for method in config.safe_methods)
        self._cookie_name = config.cookie_name
        self._header_name = config.header_name.lower().encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request's token (unsafe methods) or hand out one (safe methods), then call the next app.

        Raises:
            PermissionDeniedException: The token is missing, malformed or does not match the cookie (403).
        """
        if is_excluded(scope, self.scopes, self._exclude, self.config.exclude_from_csrf_key):
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope, receive)
        cookie = request.cookies.get(self._cookie_name)
        secret = self.config.secret
        valid_cookie = cookie if cookie is not None and _is_signed(cookie, secret) else None
        if scope["method"] in self._safe:
            token = valid_cookie or generate_csrf_token(secret)
            scope[_SCOPE_KEY] = token
            await self.app(scope, receive, self.create_send_wrapper(send, token, valid_cookie))
            return
        if cookie is None:
            raise _refuse(
                f"the request has no `{self._cookie_name}` cookie. Make a safe request (such as `GET`) first to "
                "receive it, and keep it for the next requests."
            )
        sent = await self._sent_token(request)
        if sent is None:
            raise _refuse(
                f"send the value of the `{self._cookie_name}` cookie in the `{self.config.header_name}` header or "
                f"the `{CSRF_FORM_FIELD}` form field."
            )
        if valid_cookie is None or not hmac.compare_digest(sent.encode("utf-8"), valid_cookie.encode("utf-8")):
            raise _refuse(f"the token sent does not match the `{self._cookie_name}` cookie.")
        scope[_SCOPE_KEY] = valid_cookie
        await self.app(scope, receive, send)

    async def _sent_token(self, request: Request[Any, Any, Any]) -> str | None:
        """The token the request sends back: its header, else its form field (a form body is read and kept)."""
        header = first_header(request.scope["headers"], self._header_name)
        if header is not None:
            return header.decode("latin-1")
        content_type = first_header(request.scope["headers"], b"content-type") or b""
        if not content_type.lower().lstrip().startswith(_FORM_TYPES):
            return None
        await request.body()  # kept in the scope: the handler reads the same body
        value = (await request.form()).get(CSRF_FORM_FIELD)
        return value if isinstance(value, str) else None

    def create_send_wrapper(self, send: Send, token: str, csrf_cookie: str | None) -> Send:
        """Wrap ``send`` to set the token cookie on the response when the request had none (or another).

        Args:
            send: The ASGI ``send`` callable.
            token: The token to set.
            csrf_cookie: The cookie the request sent; the cookie is set when it differs from ``token``.

        Returns:
            The wrapped ``send``.
        """
        if csrf_cookie == token:
            return send
        config = self.config
        header = Cookie(
            key=config.cookie_name,
            value=token,
            path=config.cookie_path,
            domain=config.cookie_domain,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
        ).to_encoded_header()

        async def csrf_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        return csrf_send
