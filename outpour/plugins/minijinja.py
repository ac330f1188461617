"""``MiniJinjaTemplateEngine``: render ``Template`` responses with MiniJinja (``pip install 'outpour[minijinja]'``)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException, TemplateNotFoundException
from outpour.template.base import (
    TemplateCallableType,
    normalize_directories,
    register_builtin_callables,
    safe_template_name,
    url_for,
    url_for_static_asset,
)

try:
    import minijinja
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("minijinja", extra="minijinja") from exc

__all__ = [
    "MiniJinjaTemplate",
    "MiniJinjaTemplateEngine",
    "StateContext",
    "StateProtocol",
    "minijinja_from_state",
]

_URL_BUILDERS = (url_for, url_for_static_asset)
_ESCAPED_SUFFIXES = frozenset({".html", ".htm", ".xml", ".xhtml", ".svg"})


class StateProtocol(Protocol):
    """What a MiniJinja render state offers a template callable (the type of its first argument).

    Attributes:
        auto_escape: The auto-escape mode of the template, or None.
        current_block: The name of the block being rendered, or None.
        env: The ``minijinja.Environment``.
        name: The name of the template being rendered.
    """

    auto_escape: str | None
    current_block: str | None
    env: minijinja.Environment
    name: str

    def lookup(self, key: str) -> Any | None:
        """Look up a name in the template context.

        Args:
            key: The name.

        Returns:
            Its value, or None when it is not defined.
        """
        ...  # pragma: no cover


class StateContext(Mapping[str, Any]):
    """A read-only mapping view of a MiniJinja render state: what template callables receive as their context.

    Names are looked up on demand, so iterating it yields nothing; use ``context["request"]``, ``context.get(...)``
    or, as with the state itself (``StateProtocol``), ``context.lookup(...)``. ``auto_escape``, ``current_block``,
    ``env`` and ``name`` are the state's.

    Args:
        state: The ``minijinja`` state of the template being rendered.
    """

    __slots__ = ("state",)

    def __init__(self, state: Any) -> None:
        self.state = state

    def lookup(self, key: str) -> Any | None:
        """Look up a name in the template context, like ``StateProtocol.lookup``.

        Args:
            key: The name.

        Returns:
            Its value, or None when it is not defined.
        """
        return self.state.lookup(key)

    @property
    def auto_escape(self) -> str | None:
        """The auto-escape mode of the template being rendered, or None."""
        return self.state.auto_escape  # type: ignore[no-any-return]

    @property
    def current_block(self) -> str | None:
        """The name of the block being rendered, or None."""
        return self.state.current_block  # type: ignore[no-any-return]

    @property
    def env(self) -> minijinja.Environment:
        """The ``minijinja.Environment`` rendering the template."""
        return self.state.env  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        """The name of the template being rendered."""
        return self.state.name  # type: ignore[no-any-return]

    def __getitem__(self, key: str) -> Any:
        value = self.state.lookup(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def minijinja_from_state(func: Callable[..., Any], state: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` (which takes a context mapping first) with a MiniJinja state turned into a context mapping.

    Only needed for callables added to the environment directly; ``register_template_callable`` does it already.

    Args:
        func: The template callable.
        state: A MiniJinja state, or already a mapping.
        *args: Passed to ``func``.
        **kwargs: Passed to ``func``.

    Returns:
        What ``func`` returns.
    """
    context = state if isinstance(state, Mapping) else StateContext(state)
    return func(context, *args, **kwargs)


def _auto_escape(name: str) -> bool:
    """Escape HTML and XML templates, also when an engine suffix follows (``page.html.minijinja``), and strings."""
    return name == "<string>" or any(suffix.lower() in _ESCAPED_SUFFIXES for suffix in Path(name).suffixes)


class MiniJinjaTemplate:
    """A MiniJinja template, rendered by name through its environment.

    Args:
        engine: The engine that loads it.
        template_name: Its name.
    """

    __slots__ = ("engine", "template_name")

    def __init__(self, engine: MiniJinjaTemplateEngine, template_name: str) -> None:
        self.engine = engine
        self.template_name = template_name

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render the template.

        Args:
            *args: A context mapping may be given positionally.
            **kwargs: The template context.

        Returns:
            The rendered text.

        Raises:
            TemplateNotFoundException: The template, or one it includes, does not exist.
        """
        context: dict[str, Any] = {}
        for arg in args:
            context.update(arg)
        context.update(kwargs)
        try:
            return str(self.engine.engine.render_template(self.template_name, **context))
        except minijinja.TemplateError as exc:
            if getattr(exc, "kind", None) == "TemplateNotFound":
                raise TemplateNotFoundException(template_name=self.template_name) from exc
            raise


class MiniJinjaTemplateEngine:
    """A template engine backed by a ``minijinja.Environment``; ``.html``/``.xml`` templates are auto-escaped.

    Args:
        directory: A template directory or a list of them.
        engine_instance: A configured ``minijinja.Environment``; not allowed together with ``directory``.

    Attributes:
        engine: The ``minijinja.Environment``.

    Raises:
        ImproperlyConfiguredException: Both ``directory`` and ``engine_instance`` were given.
    """

    def __init__(
        self, directory: str | Path | Sequence[str | Path] | None = None, engine_instance: Any | None = None
    ) -> None:
        if directory is not None and engine_instance is not None:
            raise ImproperlyConfiguredException(
                "`MiniJinjaTemplateEngine` takes `directory` or `engine_instance`, not both; remove one of them."
            )
        self.directories = normalize_directories(directory)
        if engine_instance is None:
            engine_instance = minijinja.Environment(loader=self._load, auto_escape_callback=_auto_escape)
        elif not isinstance(engine_instance, minijinja.Environment):
            raise ImproperlyConfiguredException(
                f"`MiniJinjaTemplateEngine` takes a `minijinja.Environment` as `engine_instance`, got "
                f"`{engine_instance!r}`."
            )
        self.engine: minijinja.Environment = engine_instance
        register_builtin_callables(self)

    @classmethod
    def from_environment(cls, minijinja_environment: minijinja.Environment) -> MiniJinjaTemplateEngine:
        """Create an engine around an existing ``minijinja.Environment``.

        Args:
            minijinja_environment: The environment, with its own loader or templates.

        Returns:
            The engine.
        """
        return cls(directory=None, engine_instance=minijinja_environment)

    @property
    def search_path(self) -> list[str]:
        """The template directories, for error messages."""
        return [str(d) for d in self.directories]

    def _load(self, name: str) -> str | None:
        try:
            relative = safe_template_name(name)
        except TemplateNotFoundException:
            return None
        for directory in self.directories:
            candidate = directory / relative
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        return None

    def get_template(self, template_name: str) -> MiniJinjaTemplate:
        """Return the template named ``template_name``; whether it exists is checked when it renders.

        Args:
            template_name: The name, relative to a template directory.

        Returns:
            The template.

        Raises:
            TemplateNotFoundException: The name would leave the template directories.
        """
        safe_template_name(template_name)
        return MiniJinjaTemplate(self, template_name)

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        """Render a template given as a string.

        Args:
            template_string: The template source.
            context: The template context.

        Returns:
            The rendered text.
        """
        return str(self.engine.render_str(template_string, **context))

    def register_template_callable(self, key: str, template_callable: TemplateCallableType) -> None:
        """Make ``template_callable`` available in templates as ``key``; it receives the template context first.

        Args:
            key: The name templates call it by.
            template_callable: The callable.
        """
        escape_once = template_callable in _URL_BUILDERS

        def call(state: Any, *args: Any, **kwargs: Any) -> Any:
            result = minijinja_from_state(template_callable, state, *args, **kwargs)
            if escape_once and isinstance(result, str):
                # MiniJinja's HTML escaping also rewrites "/" (as &#x2f;); escape a URL the usual way instead.
                return minijinja.safe(html.escape(result))
            return result

        self.engine.add_global(key, minijinja.pass_state(call))
