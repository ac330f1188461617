"""Client-side sessions: the session data, encrypted with AES-GCM, in the client's cookies.

The data (JSON) and its expiry time are encrypted and authenticated with AES-GCM (the ``cryptography`` extra) under
``secret``; the cookie's name is bound as associated data, so a value moved to another cookie does not decrypt. The
token goes in the ``session`` cookie; one longer than a cookie can hold is split over ``session-0``, ``session-1``, ...
and joined in index order (and the cookies of the other form are deleted). A cookie that does not decrypt under
``secret`` or one of ``old_secrets`` (tampered, forged, truncated, from another app), has expired, or is missing a part
is ignored: the request starts with an empty session, never an error.

Rotating the key: put the new key in ``secret`` and the previous one in ``old_secrets``. Sessions encrypted with an
old key are still read, and saved under the new key with the response; drop the old key after ``max_age``.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

import msgspec

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException
from outpour.middleware.session.base import (
    ONE_DAY_IN_SECONDS,
    BaseBackendConfig,
    BaseSessionBackend,
    add_cookies,
    default_scopes,
    is_empty,
)

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError as error:  # pragma: no cover - the extra is installed in every test environment
    raise MissingDependencyException("cryptography") from error

if TYPE_CHECKING:
    from outpour.connection.base import ASGIConnection
    from outpour.datastructures.cookie import Cookie
    from outpour.types import Message, Scopes, ScopeSession

__all__ = ["ClientSideSessionBackend", "CookieBackendConfig"]

NONCE_SIZE: Final = 12
CHUNK_SIZE: Final = 3800
"""Characters of the token in each cookie: with the name and attributes, under the 4096 bytes browsers keep."""
MAX_CHUNKS: Final = 9
"""The most cookies one session may take (RFC 6265 section 6.1 asks browsers for at least 50 per domain)."""


class _Payload(msgspec.Struct, array_like=True):
    expires_at: int
    data: bytes


class ClientSideSessionBackend(BaseSessionBackend["CookieBackendConfig"]):
    """Keep sessions in encrypted cookies (see the module docstring).

    Args:
        config: The configuration.
    """

    def __init__(self, config: CookieBackendConfig) -> None:
        super().__init__(config)
        self.aesgcm = AESGCM(config.secret)
        self._old = [AESGCM(secret) for secret in config.old_secrets]
        self.cookie_re = re.compile(rf"{re.escape(config.key)}(?:-(\d+))?")

    def dump_data(self, data: Any, scope: Any = None) -> list[bytes]:
        """Encrypt session data into the values of its cookies, in order.

        Args:
            data: The session data.
            scope: The connection's scope (unused).

        Returns:
            One value per cookie.

        Raises:
            ValueError: The encrypted data needs more than ``MAX_CHUNKS`` cookies.
        """
        payload = msgspec.msgpack.encode(_Payload(int(time.time()) + self.config.max_age, self.serialize_data(data)))
        nonce = os.urandom(NONCE_SIZE)
        sealed = nonce + self.aesgcm.encrypt(nonce, payload, self.config.key.encode())
        token = base64.urlsafe_b64encode(sealed).rstrip(b"=")  # no padding: `=` would make browsers quote the value
        chunks = [token[at : at + CHUNK_SIZE] for at in range(0, len(token), CHUNK_SIZE)]
        if len(chunks) > MAX_CHUNKS:
            raise ValueError(
                f"The session data is too large for cookies: {len(token):,} bytes once encrypted, more than the "
                f"{MAX_CHUNKS} cookies of {CHUNK_SIZE:,} bytes a client-side session may use. Keep less in the "
                "session (an id, and the data in a database), or use `ServerSideSessionConfig`."
            )
        return chunks

    def check_session(self, data: dict[str, Any]) -> None:
        """Refuse, when the handler sets it, session data too large for the cookies.

        Raises:
            ValueError: The data needs more than ``MAX_CHUNKS`` cookies.
        """
        self.dump_data(data)

    def load_data(self, data: list[bytes]) -> dict[str, Any]:
        """Decrypt a session from the values of its cookies, in order; ``{}`` when it is not a valid, live session.

        Args:
            data: The cookies' values.

        Returns:
            The session data.
        """
        try:
            token = b"".join(data)
            raw = base64.urlsafe_b64decode(token + b"=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return {}
        nonce, sealed = raw[:NONCE_SIZE], raw[NONCE_SIZE:]
        if len(nonce) < NONCE_SIZE:
            return {}
        for aesgcm in (self.aesgcm, *self._old):
            try:
                payload = aesgcm.decrypt(nonce, sealed, self.config.key.encode())
            except InvalidTag:
                continue
            try:
                decoded = msgspec.msgpack.decode(payload, type=_Payload)
                if decoded.expires_at <= time.time():
                    return {}
                return self.deserialize_data(decoded.data)
            except msgspec.DecodeError:  # authentic but not ours: an older format
                return {}
        return {}

    def _cookie_names(self, count: int) -> list[str]:
        """The names of a session's ``count`` cookies: ``session`` alone, else ``session-0`` .. ``session-N``."""
        key = self.config.key
        return [key] if count == 1 else [f"{key}-{index}" for index in range(count)]

    def get_cookie_keys(self, connection: ASGIConnection[Any, Any, Any, Any]) -> list[str]:
        """The names of the request's session cookies, in index order (``session``, ``session-0``, ``session-1``, ...).

        Args:
            connection: The connection.

        Returns:
            The names.
        """
        indexed: list[tuple[int, str]] = []
        for name in connection.cookies:
            match = self.cookie_re.fullmatch(name)
            if match is not None:
                indexed.append((int(match.group(1)) if match.group(1) is not None else -1, name))
        return [name for _, name in sorted(indexed)]

    def get_cookie_key_set(self, connection: ASGIConnection[Any, Any, Any, Any]) -> set[str]:
        """The names of the request's session cookies, as a set.

        Args:
            connection: The connection.
        """
        return set(self.get_cookie_keys(connection))

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
        """Client-side sessions have no id: ``None``.

        Args:
            connection: The connection.
        """
        return None

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """Decrypt the request's session; ``{}`` without one, or when it is tampered, expired or incomplete.

        Args:
            connection: The connection.

        Returns:
            The session data.
        """
        names = self.get_cookie_keys(connection)
        # Exactly `session` alone, or `session-0` .. `session-N` with no gap: a missing part is an incomplete session.
        # More parts than a session may have were not written here: not even decoded.
        if not names or len(names) > MAX_CHUNKS or names != self._cookie_names(len(names)):
            return {}
        cookies = connection.cookies
        return self.load_data([cookies[name].encode("latin-1", "replace") for name in names])

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Set the session's cookies on the response, and delete the request's cookies it no longer uses.

        Args:
            scope_session: The session data.
            message: The ``http.response.start`` message.
            connection: The connection.

        Raises:
            ValueError: The data is too large for the cookies.
        """
        config = self.config
        present = self.get_cookie_keys(connection)
        cookies: list[Cookie] = []
        if not is_empty(scope_session):
            values = self.dump_data(scope_session)
            names = self._cookie_names(len(values))
            cookies = [
                config._cookie(name, value.decode(), config.max_age) for name, value in zip(names, values, strict=True)
            ]
            present = [name for name in present if name not in names]
        cookies.extend(config._cookie(name, None, 0) for name in present)
        add_cookies(message, cookies)


@dataclass
class CookieBackendConfig(BaseBackendConfig[ClientSideSessionBackend]):
    """Configuration of client-side sessions; add ``config.middleware`` to the app's ``middleware``.

    Args:
        secret: The AES key: 16, 24 or 32 random bytes (``os.urandom(32)``), the same for every worker. Keep it out
            of the code: read it from the environment or a secrets manager.
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
        old_secrets: Previous keys, only to read sessions encrypted before a key change (outpour's own).

    Raises:
        ImproperlyConfiguredException: A key is not 16, 24 or 32 bytes long, ``key`` is not a cookie name of at most
            256 characters, or ``max_age`` is below one second.
    """

    secret: bytes = field(repr=False)
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
    old_secrets: Sequence[bytes] = field(default=(), repr=False)
    _backend_class: type[ClientSideSessionBackend] = field(default=ClientSideSessionBackend, init=False, repr=False)

    def __post_init__(self) -> None:
        for name, secret in (("secret", self.secret), *(("old_secrets", old) for old in self.old_secrets)):
            if not isinstance(secret, bytes) or len(secret) not in (16, 24, 32):
                shown = f"{len(secret)} bytes" if isinstance(secret, bytes) else f"a `{type(secret).__name__}`"
                raise ImproperlyConfiguredException(
                    f"`CookieBackendConfig({name}=...)` is {shown}: an AES key is 16, 24 or 32 bytes. Generate one "
                    "with `os.urandom(32)` and keep it in the environment, the same for every worker."
                )
        self._check_cookie_options()
