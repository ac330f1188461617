"""``TemplateConfig``: which template engine the app renders ``Template`` responses with, and where templates live."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from outpour.exceptions import ImproperlyConfiguredException

__all__ = ["TemplateConfig"]

EngineT = TypeVar("EngineT")


@dataclass
class TemplateConfig(Generic[EngineT]):
    """How the app renders templates; pass it as ``Outpour(template_config=...)``.

    The app builds the engine when it is created (``app.template_engine``), and ``engine_callback`` runs then; the
    engine is kept on the config (``engine_instance``).

    Attributes:
        engine: An engine class (built with ``directory``), such as ``JinjaTemplateEngine``, or an engine instance.
        directory: A template directory or a list of them; needed with an engine class, not allowed together with
            ``instance``.
        engine_callback: Called once with the built engine, e.g. to register template callables.
        instance: A ready engine instance, e.g. ``JinjaTemplateEngine.from_environment(env)``.

    Raises:
        ImproperlyConfiguredException: Both ``directory`` and ``instance`` were given, both an engine class and
            ``instance``, neither ``engine`` nor ``instance``, or an engine class without ``directory``.
    """

    engine: type[EngineT] | EngineT | None = None
    directory: str | Path | Sequence[str | Path] | None = None
    engine_callback: Callable[[EngineT], None] | None = None
    instance: EngineT | None = None
    _engine_instance: EngineT | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.instance is not None and self.directory is not None:
            raise ImproperlyConfiguredException(
                "`TemplateConfig` takes `directory` or `instance`, not both: an engine `instance` already knows where "
                "its templates are. Remove one of them."
            )
        if self.instance is not None and isinstance(self.engine, type):
            raise ImproperlyConfiguredException(
                f"`TemplateConfig` takes an engine class (`engine={self.engine.__name__}`, built from `directory`) or "
                "a ready engine `instance`, not both. Remove one of them."
            )
        if self.instance is None and self.engine is None:
            raise ImproperlyConfiguredException(
                "`TemplateConfig` needs an `engine` (e.g. `engine=JinjaTemplateEngine` from `outpour.plugins.jinja`) "
                "or an engine `instance`."
            )
        if self.instance is None and isinstance(self.engine, type) and not self.directory:
            raise ImproperlyConfiguredException(
                f"`TemplateConfig(engine={self.engine.__name__})` needs the `directory` (or list of directories) to "
                'load templates from, e.g. `directory="templates"`; or pass an engine you built yourself as `instance`.'
            )

    def to_engine(self) -> EngineT:
        """Build a new engine from this configuration (without running ``engine_callback``).

        Returns:
            The engine.
        """
        if self.instance is not None:
            return self.instance
        engine = self.engine
        if isinstance(engine, type):
            return engine(directory=self.directory, engine_instance=None)  # type: ignore[call-arg]
        return engine  # type: ignore[return-value]

    @property
    def engine_instance(self) -> EngineT:
        """The engine, built once on first access (the app's creation); ``engine_callback`` runs then."""
        engine = self._engine_instance
        if engine is None:
            engine = self.to_engine()
            if self.engine_callback is not None:
                self.engine_callback(engine)
            self._engine_instance = engine
        return engine
