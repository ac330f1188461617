"""Sessions: ``request.session`` kept in encrypted cookies (``client_side``) or in a store (``server_side``).

Add a configuration's ``middleware`` to the app: ``CookieBackendConfig(secret=...).middleware`` or
``ServerSideSessionConfig().middleware``.
"""

from __future__ import annotations

from outpour.middleware.session.base import SessionMiddleware

__all__ = ["SessionMiddleware"]
