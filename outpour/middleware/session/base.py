"""The session middleware and the base classes of its backends and their configurations.

``SessionMiddleware`` loads the session into ``scope["session"]`` (``request.session``) before the route runs, and
saves it when the response starts: a backend (client-side cookies or a server-side store) decides how. The cookie
options are shared by both kinds and live on ``BaseBackendConfig``.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import msgspec

from outpour.connection.base import ASGIConnection
from outpour.datastructures.cookie import Cookie
from outpour.enums import ScopeType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware._define import DefineMiddleware
from outpour.middleware.base import AbstractMiddleware
from outpour.serialization import default_serializer
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Message, Receive, Scope, Scopes, ScopeSession, Send

__all__ = ["ONE_DAY_IN_SECONDS", "BaseBackendConfig", "BaseSessionBackend", "SessionMiddleware"]

ONE_DAY_IN_SECONDS = 60 * 60 * 24
"""Seconds in a day; sessions last 14 of them by default."""

ConfigT = TypeVar("ConfigT", bound="BaseBackendConfig[Any]")
BaseSessionBackendT = TypeVar("BaseSessionBackendT", bound="BaseSessionBackend[Any]")

_COOKIE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token, as RFC 6265 asks of cookie names
_MAX_KEY_LENGTH = 256
_SESSION_ID = "_outpour_session_id"
_SESSION_ID_MAKER = "_outpour_session_id_maker"  # how `request.get_session_id()` gets an id for a new session
_SESSION_CHECK = "_outpour_session_check"


class BaseBackendConfig(ABC, Generic[BaseSessionBackendT]):
    """The cookie options of both session kinds; each subclass is a dataclass declaring them, and its backend class.

    Attributes:
        key: The cookie's name (client-side sessions add ``-0``, ``-1``, ... when the data needs several).
        max_age: Seconds the session lasts (``Max-Age`` of the cookie, and the expiry of the stored data).
        scopes: The scope types the middleware serves.
        path: The cookie's ``Path``.
        domain: The cookie's ``Domain``.
        secure: Send the cookie over HTTPS only.
        httponly: Hide the cookie from scripts.
        samesite: The cookie's ``SameSite``.
        exclude: Path patterns the middleware skips.
        exclude_opt_key: Routes whose ``opt`` has this key set are skipped.
    """

    _backend_class: type[BaseSessionBackendT]
    key: str
    max_age: int
    scopes: Scopes
    path: str
    domain: str | None
    secure: bool
    httponly: bool
    samesite: Literal["lax", "strict", "none"]
    exclude: str | list[str] | None
    exclude_opt_key: str

    @property
    def middleware(self) -> DefineMiddleware:
        """The session middleware, with this configuration's backend, to add to a layer's ``middleware``."""
        return DefineMiddleware(SessionMiddleware, backend=self._backend_class(config=self))

    def _check_cookie_options(self) -> None:
        """Refuse a ``key`` that is not a cookie name of 1 to 256 characters, or a ``max_age`` below one second.

        Raises:
            ImproperlyConfiguredException: When ``key`` or ``max_age`` is invalid.
        """
        name = type(self).__name__
        if not isinstance(self.key, str) or not _COOKIE_NAME.fullmatch(self.key) or len(self.key) > _MAX_KEY_LENGTH:
            raise ImproperlyConfiguredException(
                f"`{name}(key={self.key!r})` is not a cookie name: use 1 to {_MAX_KEY_LENGTH} letters, digits or `-_.`."
            )
        if isinstance(self.max_age, bool) or not isinstance(self.max_age, int) or self.max_age < 1:
            raise ImproperlyConfiguredException(
                f"`{name}(max_age={self.max_age!r})` must be a whole number of seconds of at least 1; the default is "
                f"{ONE_DAY_IN_SECONDS * 14} (14 days)."
            )

    def _cookie(self, key: str, value: str | None, max_age: int | None) -> Cookie:
        return Cookie(
            key=key,
            value=value,
            max_age=max_age,
            path=self.path,
            domain=self.domain,
            secure=self.secure,
            httponly=self.httponly,
            samesite=self.samesite,
        )


class BaseSessionBackend(ABC, Generic[ConfigT]):
    """How sessions are loaded from a request and saved into a response.

    Args:
        config: The backend's configuration.
    """

    def __init__(self, config: ConfigT) -> None:
        self.config = config

    @staticmethod
    def serialize_data(data: ScopeSession, scope: Scope | None = None) -> bytes:
        """Encode session data as JSON (objects with fields as their fields).

        Args:
            data: The session data.
            scope: The connection's scope (unused; kept for Litestar's signature).

        Returns:
            The JSON bytes.
        """
        return msgspec.json.encode(data, enc_hook=default_serializer)

    @staticmethod
    def deserialize_data(data: Any) -> dict[str, Any]:
        """Decode what ``serialize_data`` encoded.

        Args:
            data: The JSON bytes.

        Returns:
            The session data.

        Raises:
            msgspec.DecodeError: ``data`` is not a JSON object.
        """
        return msgspec.json.decode(data, type=dict[str, Any])

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
        """The session id of the connection (``None`` for backends without ids).

        Args:
            connection: The connection.
        """
        return connection.get_session_id()

    def check_session(self, data: dict[str, Any]) -> None:
        """Refuse data this backend cannot save, when the handler sets it (nothing is refused by default).

        Args:
            data: The session data about to be set.
        """
        return

    @abstractmethod
    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Save the session when the response starts: add its ``Set-Cookie`` headers to ``message``.

        Args:
            scope_session: The session data (``Empty`` or an empty dict: no session, its cookie is deleted).
            message: The ``http.response.start`` message.
            connection: The connection.
        """

    @abstractmethod
    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """Load the session of a request; an absent, expired or tampered session is an empty dict.

        Args:
            connection: The connection.

        Returns:
            The session data.
        """


def default_scopes() -> Scopes:
    """The scope types a session middleware serves by default: HTTP and WebSocket."""
    return {ScopeType.HTTP, ScopeType.WEBSOCKET}


def is_empty(scope_session: ScopeSession) -> bool:
    """Whether ``scope_session`` holds no session (cleared, ``None`` or an empty dict)."""
    return scope_session is Empty or scope_session is None or scope_session == {}


def add_cookies(message: Message, cookies: list[Cookie]) -> None:
    """Append ``Set-Cookie`` headers for ``cookies`` to a start message."""
    if cookies:
        message["headers"] = [*message.get("headers", ()), *(cookie.to_encoded_header() for cookie in cookies)]


class SessionMiddleware(AbstractMiddleware, Generic[BaseSessionBackendT]):
    """Load the session before the route runs and save it when the response starts.

    Args:
        app: The next ASGI app.
        backend: The session backend.
    """

    def __init__(self, app: ASGIApp, backend: BaseSessionBackendT) -> None:
        config = backend.config
        super().__init__(app, exclude=config.exclude, exclude_opt_key=config.exclude_opt_key, scopes=set(config.scopes))
        self.backend = backend

    def create_send_wrapper(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
        """Wrap the connection's ``send`` to save the session into the response's start message.

        Args:
            connection: The connection.

        Returns:
            The wrapped ``send``.
        """
        send = connection.send
        backend = self.backend

        async def wrapped_send(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                await backend.store_in_message(connection.scope.get("session"), message, connection)
            await send(message)

        return wrapped_send

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Load the session, call the next app, save the session with the response."""
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope, receive, send)
        scope["session"] = await self.backend.load_from_connection(connection)
        scope[_SESSION_CHECK] = self.backend.check_session
        await self.app(scope, receive, self.create_send_wrapper(connection))
