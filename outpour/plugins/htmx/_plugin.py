"""``HTMXPlugin``: make ``HTMXRequest`` the app's request class and the HTMX types known to handler signatures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from outpour.exceptions import ImproperlyConfiguredException
from outpour.plugins.base import InitPlugin
from outpour.plugins.htmx._request import HTMXRequest
from outpour.plugins.htmx._response import (
    ClientRedirect,
    ClientRefresh,
    HTMXTemplate,
    HXLocation,
    HXStopPolling,
    PushUrl,
    ReplaceUrl,
    Reswap,
    Retarget,
    TriggerEvent,
)

if TYPE_CHECKING:
    from outpour.config.app import AppConfig

__all__ = ["HTMXConfig", "HTMXPlugin"]

_SIGNATURE_TYPES = (
    HTMXRequest,
    ClientRedirect,
    ClientRefresh,
    HTMXTemplate,
    HXLocation,
    HXStopPolling,
    PushUrl,
    ReplaceUrl,
    Reswap,
    Retarget,
    TriggerEvent,
)


@dataclass
class HTMXConfig:
    """The configuration of ``HTMXPlugin``.

    Attributes:
        set_request_class_globally: Make ``HTMXRequest`` the app's ``request_class`` (when the app sets none).
    """

    set_request_class_globally: bool = True


class HTMXPlugin(InitPlugin):
    """Serve the app's requests as ``HTMXRequest`` and add the HTMX types to the app's ``signature_types``.

    Args:
        config: The configuration; ``HTMXConfig()`` when not given.
    """

    __slots__ = ("_config",)

    def __init__(self, config: HTMXConfig | None = None) -> None:
        self._config = config or HTMXConfig()

    @property
    def config(self) -> HTMXConfig:
        """The plugin's configuration."""
        return self._config

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Set the request class and add the HTMX types to ``signature_types``.

        Args:
            app_config: The app's configuration.

        Returns:
            ``app_config``, changed.

        Raises:
            ImproperlyConfiguredException: ``set_request_class_globally`` is on and the app's ``request_class`` is
                another class than ``HTMXRequest`` or a subclass of it.
        """
        if self._config.set_request_class_globally:
            request_class = app_config.request_class
            if request_class is None:
                app_config.request_class = HTMXRequest
            elif not (isinstance(request_class, type) and issubclass(request_class, HTMXRequest)):
                raise ImproperlyConfiguredException(
                    f"`HTMXPlugin` makes `HTMXRequest` the app's request class, but the app sets `request_class="
                    f"{getattr(request_class, '__name__', request_class)}`. Derive that class from `HTMXRequest` "
                    "(`outpour.plugins.htmx`), or pass `HTMXPlugin(HTMXConfig(set_request_class_globally=False))` "
                    "and set `request_class=HTMXRequest` where you want it."
                )
        known = set(app_config.signature_types)
        app_config.signature_types = [*app_config.signature_types, *(t for t in _SIGNATURE_TYPES if t not in known)]
        return app_config
