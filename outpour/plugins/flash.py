"""Flash messages: one-time messages kept in the session until a template shows them.

``flash(request, message, category)`` adds a message to the session; templates call ``get_flashes()``, which returns
the messages added since the last call (each a ``{"message": ..., "category": ...}`` dict) and removes them. Because
the messages live in the session, one flashed before a redirect is shown on the page the client is redirected to.
``FlashPlugin`` registers ``get_flashes`` on the template engine and checks that the app has a session middleware.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware._define import DefineMiddleware
from outpour.middleware.session.base import SessionMiddleware
from outpour.plugins.base import InitPlugin

if TYPE_CHECKING:
    from outpour.config.app import AppConfig
    from outpour.connection import ASGIConnection
    from outpour.template.config import TemplateConfig

__all__ = ["FlashConfig", "FlashPlugin", "flash", "get_flashes"]

_SESSION_KEY = "_messages"
"""The session key holding the pending messages (Litestar's, so sessions written by either framework agree)."""


@dataclass
class FlashConfig:
    """The configuration of ``FlashPlugin``.

    Attributes:
        template_config: The template configuration whose engine gets the ``get_flashes`` template callable; the
            one given to the app as ``template_config``.
    """

    template_config: TemplateConfig[Any]


def _is_session_middleware(middleware: Any) -> bool:
    """Whether an entry of ``middleware=[...]`` is a session middleware (its ``DefineMiddleware`` or class)."""
    if isinstance(middleware, DefineMiddleware):
        middleware = middleware.middleware
    return isinstance(middleware, type) and issubclass(middleware, SessionMiddleware)


class FlashPlugin(InitPlugin):
    """Register ``get_flashes`` on the template engine of ``config.template_config``.

    Args:
        config: The configuration, naming the template configuration.
    """

    __slots__ = ("config",)

    def __init__(self, config: FlashConfig) -> None:
        self.config = config

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Check the app's session middleware and template engine, and register the ``get_flashes`` callable.

        Args:
            app_config: The app's configuration.

        Returns:
            ``app_config``, unchanged.

        Raises:
            ImproperlyConfiguredException: The app has no session middleware in its ``middleware``, or it renders
                templates with another engine than the one of ``FlashConfig.template_config``.
        """
        if not any(_is_session_middleware(middleware) for middleware in app_config.middleware):
            raise ImproperlyConfiguredException(
                "`FlashPlugin` keeps flash messages in the session, but the app has no session middleware. Add one to "
                "the app's `middleware`: `ServerSideSessionConfig().middleware` (from "
                "`outpour.middleware.session.server_side`) or `CookieBackendConfig(secret=...).middleware`."
            )
        engine = self.config.template_config.engine_instance
        app_templates = app_config.template_config
        if app_templates is not None and app_templates.engine_instance is not engine:
            raise ImproperlyConfiguredException(
                "`FlashPlugin` registers `get_flashes` on the engine of `FlashConfig.template_config`, but the app "
                "renders templates with the engine of another `TemplateConfig`. Pass the same `TemplateConfig` to "
                "`FlashConfig(template_config=...)` and `Outpour(template_config=...)`."
            )
        engine.register_template_callable("get_flashes", get_flashes)
        return app_config


def flash(request: ASGIConnection[Any, Any, Any, Any], message: Any, category: str) -> None:
    """Add a flash message to the session; ``get_flashes()`` in a template returns it once.

    Args:
        request: The request (or WebSocket) whose session keeps the message.
        message: The message; any value the session can store (a string, usually).
        category: Its category (``"info"``, ``"error"``, ...), for the template to style it by.

    Raises:
        ImproperlyConfiguredException: No session middleware serves the connection.
    """
    messages = request.session.setdefault(_SESSION_KEY, [])
    messages.append({"message": message, "category": category})


def get_flashes(context: Mapping[str, Any]) -> Any:
    """Return the flash messages of the request in ``context`` and remove them from its session.

    Registered as the template callable ``get_flashes``: templates call ``get_flashes()``.

    Args:
        context: The template context; it holds ``request``, as for any ``Template`` response.

    Returns:
        The messages, oldest first, each a dict with ``message`` and ``category``; an empty list when there are none.

    Raises:
        ImproperlyConfiguredException: The context holds no ``request``.
    """
    request = context.get("request")
    if request is None:
        raise ImproperlyConfiguredException(
            "Template callable `get_flashes` needs `request` in the template context; render templates through a "
            "`Template` response, or pass `request` in the context."
        )
    session = request.scope.get("session")
    if not isinstance(session, dict):  # no session middleware serves this route, or the session was cleared
        return []
    return session.pop(_SESSION_KEY, [])
