"""Session authentication: the session (client-side or server-side) identifies the user.

See :doc:`/usage/security/security-backends`.
"""

from __future__ import annotations

from outpour.security.session_auth.auth import SessionAuth
from outpour.security.session_auth.middleware import SessionAuthMiddleware

__all__ = ["SessionAuth", "SessionAuthMiddleware"]
