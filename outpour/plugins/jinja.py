"""``JinjaTemplateEngine``: render ``Template`` responses with Jinja2 (``pip install 'outpour[jinja]'``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    import jinja2
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("jinja2", extra="jinja") from exc

__all__ = ["JinjaTemplateEngine"]


def _with_plain_globals(template: jinja2.Template) -> jinja2.Template:
    """A copy of ``template`` whose globals are a plain dict rather than Jinja's view over the environment's globals.

    Each render copies the globals into a new context; copying a dict is several times faster than walking the
    ``ChainMap`` Jinja keeps. The copy shares everything else (the compiled code, blocks, environment) with
    ``template``, which stays as it was in Jinja's cache.
    """
    own: jinja2.Template = object.__new__(type(template))
    own.__dict__.update(template.__dict__)
    own.globals = dict(template.globals)
    return own


class JinjaTemplateEngine:
    """A template engine backed by a ``jinja2.Environment``; HTML is auto-escaped.

    Loaded templates are kept by name. When the environment's ``auto_reload`` is on (Jinja's default), each render
    first checks the template's file as Jinja does (its modification time), so an edited template is rendered anew
    from the next request on; ``jinja2.Environment(auto_reload=False)`` skips the check. A kept template holds a copy
    of the environment's globals, taken when it was loaded (Jinja's documentation asks for globals to be set before
    templates are loaded): add globals in ``TemplateConfig(engine_callback=...)`` or with
    ``register_template_callable``, which drops the kept templates.

    Args:
        directory: A template directory or a list of them.
        engine_instance: A configured ``jinja2.Environment``; not allowed together with ``directory``.

    Attributes:
        engine: The ``jinja2.Environment``; add globals or filters to it directly.

    Raises:
        ImproperlyConfiguredException: Both ``directory`` and ``engine_instance`` were given.
    """

    def __init__(
        self, directory: str | Path | Sequence[str | Path] | None = None, engine_instance: Any | None = None
    ) -> None:
        if directory is not None and engine_instance is not None:
            raise ImproperlyConfiguredException(
                "`JinjaTemplateEngine` takes `directory` or `engine_instance`, not both; remove one of them."
            )
        self.directories = normalize_directories(directory)
        if engine_instance is None:
            loader = jinja2.FileSystemLoader([str(d) for d in self.directories]) if self.directories else None
            engine_instance = jinja2.Environment(loader=loader, autoescape=True)
        elif not isinstance(engine_instance, jinja2.Environment):
            raise ImproperlyConfiguredException(
                f"`JinjaTemplateEngine` takes a `jinja2.Environment` as `engine_instance`, got `{engine_instance!r}`."
            )
        self.engine: jinja2.Environment = engine_instance
        self._templates: dict[str, jinja2.Template] = {}
        register_builtin_callables(self)

    @classmethod
    def from_environment(cls, jinja_environment: jinja2.Environment) -> JinjaTemplateEngine:
        """Create an engine around an existing ``jinja2.Environment``.

        Args:
            jinja_environment: The environment, with its own loader.

        Returns:
            The engine.
        """
        return cls(directory=None, engine_instance=jinja_environment)

    @property
    def search_path(self) -> list[str]:
        """The directories the environment's loader searches, for error messages."""
        loader = self.engine.loader
        paths = getattr(loader, "searchpath", None)
        return [str(p) for p in paths] if paths else [str(d) for d in self.directories]

    def get_template(self, template_name: str) -> jinja2.Template:
        """Load a template by name (kept, and loaded again once its file changed when ``auto_reload`` is on).

        Args:
            template_name: The name, relative to a template directory.

        Returns:
            The template.

        Raises:
            TemplateNotFoundException: No template has that name.
        """
        cached = self._templates.get(template_name)
        if cached is not None and (not self.engine.auto_reload or cached.is_up_to_date):
            return cached
        name = safe_template_name(template_name)
        try:
            template = self.engine.get_template(name)
        except jinja2.TemplateNotFound as exc:
            self._templates.pop(template_name, None)
            raise TemplateNotFoundException(template_name=template_name) from exc
        own = _with_plain_globals(template)
        self._templates[template_name] = own
        return own

    def render_by_name(self, template_name: str, context: Mapping[str, Any]) -> str:
        """Render the template named ``template_name`` with ``context``: what a ``Template`` response calls.

        Args:
            template_name: The name, relative to a template directory.
            context: The template context.

        Returns:
            The rendered text.

        Raises:
            TemplateNotFoundException: No template has that name.
        """
        return self.get_template(template_name).render(context)

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        """Render a template given as a string.

        Args:
            template_string: The template source.
            context: The template context.

        Returns:
            The rendered text.
        """
        return self.engine.from_string(template_string).render(context)

    def register_template_callable(self, key: str, template_callable: TemplateCallableType) -> None:
        """Make ``template_callable`` available in templates as ``key``; it receives the template context first.

        Args:
            key: The name templates call it by.
            template_callable: The callable.
        """

        def call(context: Any, *args: Any, **kwargs: Any) -> Any:
            return template_callable(context, *args, **kwargs)

        self.engine.globals[key] = jinja2.pass_context(call)
        self._templates.clear()
