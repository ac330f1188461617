"""``CSRFConfig``: double-submit-cookie protection against cross-site request forgery (``Outpour(csrf_config=...)``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.types import Method

__all__ = ["CSRFConfig"]


@dataclass
class CSRFConfig:
    """How the CSRF middleware hands out its token cookie and checks the token sent back.

    A safe request (``GET``, ``HEAD``) gets a ``csrftoken`` cookie when it has none; any other request must send the
    cookie's value back in the ``x-csrftoken`` header or the ``_csrf_token`` form field, or it is refused with a 403.

    Args:
        secret: The key the tokens are signed with (HMAC-SHA256); keep it secret and stable across workers.
        cookie_name: The name of the token cookie.
        cookie_path: The cookie's ``Path``.
        header_name: The request header the token is sent back in.
        cookie_secure: Send the cookie over HTTPS only.
        cookie_httponly: Hide the cookie from scripts (they then cannot copy it into the header: use the form field).
        cookie_samesite: The cookie's ``SameSite``.
        cookie_domain: The cookie's ``Domain``; ``None`` for the host that set it only.
        safe_methods: The methods not checked.
        exclude: Regular expressions of paths not checked.
        exclude_from_csrf_key: Routes whose ``opt`` has this key set to a true value are not checked.

    Raises:
        ImproperlyConfiguredException: ``secret`` is empty, or ``cookie_samesite="none"`` without ``cookie_secure``.
    """

    secret: str
    cookie_name: str = "csrftoken"
    cookie_path: str = "/"
    header_name: str = "x-csrftoken"
    cookie_secure: bool = False
    cookie_httponly: bool = False
    cookie_samesite: Literal["lax", "strict", "none"] = "lax"
    cookie_domain: str | None = None
    safe_methods: set[Method] = field(default_factory=lambda: {"GET", "HEAD"})
    exclude: str | list[str] | None = None
    exclude_from_csrf_key: str = "exclude_from_csrf"

    def __post_init__(self) -> None:
        if not self.secret:
            raise ImproperlyConfiguredException(
                "`CSRFConfig(secret=...)` is empty: give a long random string, such as `secrets.token_hex(32)`, kept "
                "the same across restarts and workers."
            )
        if self.cookie_samesite == "none" and not self.cookie_secure:
            raise ImproperlyConfiguredException(
                "`CSRFConfig(cookie_samesite='none')` needs `cookie_secure=True`: browsers drop `SameSite=None` "
                "cookies that are not `Secure`."
            )
