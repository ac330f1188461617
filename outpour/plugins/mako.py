"""``MakoTemplateEngine``: render ``Template`` responses with Mako (``pip install 'outpour[mako]'``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException, TemplateNotFoundException
from outpour.template.base import (
    TemplateCallableType,
    normalize_directories,
    register_builtin_callables,
    safe_template_name,
)

try:
    from mako.exceptions import TemplateLookupException
    from mako.lookup import TemplateLookup
    from mako.template import Template as _MakoTemplate
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("mako", extra="mako") from exc

__all__ = ["MakoTemplate", "MakoTemplateEngine"]


class MakoTemplate:
    """A Mako template whose render call puts the registered template callables into the context.

    Args:
        template: The ``mako.template.Template``.
        template_callables: ``(key, callable)`` pairs; each is bound to the context it is rendered with.
    """

    __slots__ = ("template", "template_callables")

    def __init__(self, template: _MakoTemplate, template_callables: list[tuple[str, TemplateCallableType]]) -> None:
        self.template = template
        self.template_callables = template_callables

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render the template.

        Args:
            *args: Passed to Mako's ``render``.
            **kwargs: The template context.

        Returns:
            The rendered text.
        """
        for key, template_callable in self.template_callables:
            kwargs.setdefault(key, partial(template_callable, kwargs))
        return str(self.template.render(*args, **kwargs))


class MakoTemplateEngine:
    """A template engine backed by a ``mako.lookup.TemplateLookup``; expressions are HTML-escaped (``| n`` opts out).

    Args:
        directory: A template directory or a list of them.
        engine_instance: A configured ``TemplateLookup``; not allowed together with ``directory``.

    Attributes:
        engine: The ``TemplateLookup``.

    Raises:
        ImproperlyConfiguredException: Both ``directory`` and ``engine_instance`` were given.
    """

    def __init__(
        self, directory: str | Path | Sequence[str | Path] | None = None, engine_instance: Any | None = None
    ) -> None:
        if directory is not None and engine_instance is not None:
            raise ImproperlyConfiguredException(
                "`MakoTemplateEngine` takes `directory` or `engine_instance`, not both; remove one of them."
            )
        self.directories = normalize_directories(directory)
        if engine_instance is None:
            engine_instance = TemplateLookup(directories=[str(d) for d in self.directories], default_filters=["h"])
        elif not isinstance(engine_instance, TemplateLookup):
            raise ImproperlyConfiguredException(
                f"`MakoTemplateEngine` takes a `mako.lookup.TemplateLookup` as `engine_instance`, got `{engine_instance!r}`."
            )
        self.engine: TemplateLookup = engine_instance
        self._template_callables: list[tuple[str, TemplateCallableType]] = []
        register_builtin_callables(self)

    @classmethod
    def from_template_lookup(cls, template_lookup: TemplateLookup) -> MakoTemplateEngine:
        """Create an engine around an existing ``TemplateLookup``.

        Args:
            template_lookup: The lookup, with its own directories.

        Returns:
            The engine.
        """
        return cls(directory=None, engine_instance=template_lookup)

    @property
    def search_path(self) -> list[str]:
        """The directories the lookup searches, for error messages."""
        return [str(d) for d in self.engine.directories]

    def get_template(self, template_name: str) -> MakoTemplate:
        """Load a template by name.

        Args:
            template_name: The name, relative to a template directory.

        Returns:
            The template.

        Raises:
            TemplateNotFoundException: No template has that name.
        """
        name = safe_template_name(template_name)
        try:
            template = self.engine.get_template(name)
        except TemplateLookupException as exc:
            raise TemplateNotFoundException(template_name=template_name) from exc
        return MakoTemplate(template, self._template_callables)

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        """Render a template given as a string, with the lookup's filters.

        Args:
            template_string: The template source.
            context: The template context.

        Returns:
            The rendered text.
        """
        template = _MakoTemplate(
            text=template_string, lookup=self.engine, default_filters=self.engine.template_args.get("default_filters")
        )
        return MakoTemplate(template, self._template_callables).render(**context)

    def register_template_callable(self, key: str, template_callable: TemplateCallableType) -> None:
        """Make ``template_callable`` available in templates as ``key``; it receives the template context first.

        Args:
            key: The name templates call it by.
            template_callable: The callable.
        """
        self._template_callables = [(k, c) for k, c in self._template_callables if k != key]
        self._template_callables.append((key, template_callable))
