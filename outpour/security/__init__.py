"""Security backends: a configuration object that installs authentication on an app through ``on_app_init``.

``AbstractSecurityConfig`` is the base of the backends; ``outpour.security.session_auth.SessionAuth`` authenticates
with the session (see :doc:`/usage/security/security-backends`), and ``outpour.security.jwt`` with JSON Web Tokens
(the ``jwt`` extra).
"""

from __future__ import annotations

from outpour.security.base import AbstractSecurityConfig

__all__ = ["AbstractSecurityConfig"]
