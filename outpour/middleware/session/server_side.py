"""Server-side sessions: the data in a store (``sessions`` in the app's ``stores``), its random id in a cookie.

The id is ``session_id_bytes`` random bytes from ``secrets``, hex-encoded. An id the store does not know (made up by
the client, expired, deleted) is never adopted: the request starts with an empty session, and saving it creates a new
id (no session fixation). ``request.clear_session()`` deletes the stored data and the cookie. With a ``RedisStore``,
every worker and host sees the same sessions.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.session.base import (
    _SESSION_ID,
    _SESSION_ID_MAKER,
    ONE_DAY_IN_SECONDS,
    BaseBackendConfig,
    BaseSessionBackend,
    add_cookies,
    default_scopes,
    is_empty,
)

if TYPE_CHECKING:
    from outpour.connection.base import ASGIConnection
    from outpour.stores.base import Store
    from outpour.types import Message, Scopes, ScopeSession

__all__ = ["ServerSideSessionBackend", "ServerSideSessionConfig"]

_LOADED = "_outpour_session_loaded"


class ServerSideSessionBackend(BaseSessionBackend["ServerSideSessionConfig"]):
    """Keep sessions in a store, identified by a random id in the cookie (see the module docstring).

    A response writes the session to the store only when its data changed; the cookie is set on every response.

    Args:
        config: The configuration.
    """

    def __init__(self, config: ServerSideSessionConfig) -> None:
        super().__init__(config)
        self._id_pattern = re.compile(rf"[0-9a-f]{{{config.session_id_bytes * 2}}}")

    async def get(self, session_id: str, store: Store) -> bytes | None:
        """Read a session's data (renewing its expiry when ``renew_on_access``).

        Args:
            session_id: The id.
            store: The store.

        Returns:
            The data, or ``None``.
        """
        renew = self.config.max_age if self.config.renew_on_access else None
        return await store.get(session_id, renew_for=renew)

    async def set(self, session_id: str, data: bytes, store: Store) -> None:
        """Write a session's data, expiring after ``max_age``.

        Args:
            session_id: The id.
            data: The data.
            store: The store.
        """
        await store.set(session_id, data, expires_in=self.config.max_age)

    async def delete(self, session_id: str, store: Store) -> None:
        """Delete a session's data.

        Args:
            session_id: The id.
            store: The store.
        """
        await store.delete(session_id)

    def generate_session_id(self) -> str:
        """A new random id: ``session_id_bytes`` bytes from ``secrets``, hex-encoded."""
        return secrets.token_hex(self.config.session_id_bytes)

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """The id of the connection's session, or a new one when it has none the store knows.

        Args:
            connection: The connection.
        """
        session_id = connection.scope.get(_SESSION_ID)
        if session_id is None:
            session_id = connection.scope[_SESSION_ID] = self.generate_session_id()
        return str(session_id)

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """Load the session whose id the cookie holds; ``{}`` when the store does not know the id.

        Args:
            connection: The connection.

        Returns:
            The session data.
        """
        # A new session gets its id when asked (`request.get_session_id()`) or when it is saved: the same one.
        connection.scope[_SESSION_ID_MAKER] = self.get_session_id
        session_id = connection.cookies.get(self.config.key)
        if session_id is None or not self._id_pattern.fullmatch(session_id):
            return {}
        raw = await self.get(session_id, self.config.get_store_from_app(connection.app))
        if raw is None:
            return {}
        try:
            data = self.deserialize_data(raw)
        except msgspec.DecodeError:  # not a session: ignored, and replaced under a new id when saved
            return {}
        connection.scope[_SESSION_ID] = session_id
        connection.scope[_LOADED] = raw
        return data

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Save the session in the store and set its cookie; delete both when the session is empty.

        Args:
            scope_session: The session data.
            message: The ``http.response.start`` message.
            connection: The connection.
        """
        config = self.config
        store = config.get_store_from_app(connection.app)
        scope = connection.scope
        if is_empty(scope_session):
            if scope.get(_LOADED):
                await self.delete(str(scope[_SESSION_ID]), store)
            if config.key in connection.cookies:
                add_cookies(message, [config._cookie(config.key, None, 0)])
            return
        session_id = self.get_session_id(connection)
        data = self.serialize_data(scope_session)
        if data != scope.get(_LOADED):  # unchanged data is not written again (`renew_on_access` renews it)
            await self.set(session_id, data, store)
        add_cookies(message, [config._cookie(config.key, session_id, config.max_age)])


@dataclass
class ServerSideSessionConfig(BaseBackendConfig[ServerSideSessionBackend]):
    """Configuration of server-side sessions; add ``config.middleware`` to the app's ``middleware``.

    Args:
        session_id_bytes: Random bytes in a session id (at least 16).
        renew_on_access: Move the stored data's expiry to ``max_age`` from now on each request.
        key: The cookie's name.
        max_age: Seconds a session lasts.
        scopes: The scope types the middleware serves.
        path: The cookie's ``Path``.
        domain: The cookie's ``Domain``.
        secure: Send the cookie over HTTPS only.
        httponly: Hide the cookie from scripts.
        samesite: The cookie's ``SameSite``.
        exclude: Path patterns the middleware skips.
        exclude_opt_key: Routes whose ``opt`` has this key set are skipped.
        store: The name of the store in the app's ``stores``.

    Raises:
        ImproperlyConfiguredException: ``session_id_bytes`` is below 16, ``key`` is not a cookie name of at most 256
            characters, or ``max_age`` is below one second.
    """

    session_id_bytes: int = 32
    renew_on_access: bool = False
    key: str = "session"
    max_age: int = ONE_DAY_IN_SECONDS * 14
    scopes: Scopes = field(default_factory=default_scopes)
    path: str = "/"
    domain: str | None = None
    secure: bool = False
    httponly: bool = True
    samesite: Literal["lax", "strict", "none"] = "lax"
    exclude: str | list[str] | None = None
    exclude_opt_key: str = "skip_session"
    store: str = "sessions"
    _backend_class: type[ServerSideSessionBackend] = field(default=ServerSideSessionBackend, init=False, repr=False)

    def __post_init__(self) -> None:
        self._check_cookie_options()
        if not isinstance(self.session_id_bytes, int) or self.session_id_bytes < 16:
            raise ImproperlyConfiguredException(
                f"`ServerSideSessionConfig(session_id_bytes={self.session_id_bytes!r})`: a session id needs at least "
                "16 random bytes to be unguessable; leave the default (32)."
            )

    def get_store_from_app(self, app: Any) -> Store:
        """Return the store named ``store`` from ``app.stores``.

        Args:
            app: The application.

        Returns:
            The store.
        """
        store: Store = app.stores.get(self.store)
        return store
