"""Routes: a path of the app with the handlers answering it, as ``app.routes`` lists them.

The app builds them when it is created: one ``HTTPRoute`` per path of HTTP handlers (grouping the handlers of its
methods), one ``ASGIRoute`` per path of an ``@asgi`` handler and one ``WebSocketRoute`` per path of a WebSocket
handler, in registration order.
"""

from __future__ import annotations

from outpour.routes.asgi import ASGIRoute
from outpour.routes.base import BaseRoute
from outpour.routes.http import HTTPRoute
from outpour.routes.websocket import WebSocketRoute

__all__ = ["ASGIRoute", "BaseRoute", "HTTPRoute", "WebSocketRoute"]
