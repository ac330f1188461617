"""The template engine protocol, the built-in template callables and helpers shared by the bundled engines.

A template engine turns a template name (or a template string) and a context mapping into text. outpour ships
engines for Jinja2, Mako and MiniJinja (``outpour.plugins.jinja``, ``.mako``, ``.minijinja``); any class following
``TemplateEngineProtocol`` can be passed to ``TemplateConfig(engine=...)`` instead.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar, runtime_checkable

from outpour.exceptions import ImproperlyConfiguredException, TemplateNotFoundException

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "TemplateCallableType",
    "TemplateEngineProtocol",
    "TemplateProtocol",
    "csrf_token",
    "normalize_directories",
    "register_builtin_callables",
    "safe_template_name",
    "url_for",
    "url_for_static_asset",
]

TemplateT_co = TypeVar("TemplateT_co", covariant=True)
ContextT_co = TypeVar("ContextT_co", covariant=True)

TemplateCallableType: TypeAlias = Callable[..., Any]
"""A callable available inside templates: it receives the template context first, then the template's arguments."""

PathType: TypeAlias = "str | Path"


@runtime_checkable
class TemplateProtocol(Protocol):
    """A loaded template: something that renders a context to text."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render the template.

        Args:
            *args: Positional arguments of the engine's render method.
            **kwargs: The template context.

        Returns:
            The rendered text.
        """
        ...


@runtime_checkable
class TemplateEngineProtocol(Protocol[TemplateT_co, ContextT_co]):
    """What ``TemplateConfig`` needs from a template engine.

    ``__init__`` takes ``directory`` (a path or a list of paths to load templates from) and ``engine_instance`` (an
    already configured object of the underlying library); one of them may be None.
    """

    def __init__(self, directory: PathType | Sequence[PathType] | None, engine_instance: Any | None) -> None:
        """Build the engine from template directories or from an instance of the underlying library."""
        ...

    def get_template(self, template_name: str) -> TemplateT_co:
        """Load the template ``template_name``.

        Args:
            template_name: A path-like name relative to one of the template directories.

        Returns:
            The template.

        Raises:
            TemplateNotFoundException: No template has that name.
        """
        ...

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        """Render a template given as a string.

        Args:
            template_string: The template source.
            context: The template context.

        Returns:
            The rendered text.
        """
        ...

    def register_template_callable(self, key: str, template_callable: TemplateCallableType) -> None:
        """Make ``template_callable`` available in templates as ``key``.

        Args:
            key: The name templates call it by.
            template_callable: A callable receiving the template context first.
        """
        ...


def normalize_directories(directory: PathType | Sequence[PathType] | None) -> list[Path]:
    """Return ``directory`` (a path, a list of paths or None) as a list of paths.

    Args:
        directory: What ``TemplateConfig(directory=...)`` was given.

    Returns:
        The directories.

    Raises:
        ImproperlyConfiguredException: A value is neither a string nor a path.
    """
    if directory is None:
        return []
    items = [directory] if isinstance(directory, (str, Path)) else list(directory)
    out: list[Path] = []
    for item in items:
        if not isinstance(item, (str, Path)):
            raise ImproperlyConfiguredException(
                f"A template directory must be a `str` or `pathlib.Path`, got `{item!r}`; pass a path or a list of paths."
            )
        out.append(Path(item))
    return out


@lru_cache(maxsize=1024)
def safe_template_name(template_name: str) -> str:
    """Return ``template_name`` normalized, refusing names that would leave the template directories.

    Args:
        template_name: A path-like name such as ``"pages/index.html"``.

    Returns:
        The normalized name, with forward slashes.

    Raises:
        TemplateNotFoundException: The name is absolute, empty or climbs out with ``..``.
    """
    name = template_name.replace("\\", "/")
    normalized = posixpath.normpath(name)
    if (
        not name
        or "\x00" in name
        or name.startswith("/")
        or normalized == ".."
        or normalized.startswith("../")
        or any(part == ".." for part in name.split("/"))
    ):
        raise TemplateNotFoundException(template_name=template_name)
    return normalized


def _request_from(context: Mapping[str, Any], what: str) -> Any:
    request = context.get("request")
    if request is None:
        raise ImproperlyConfiguredException(
            f"Template callable `{what}` needs `request` in the template context; render templates through a "
            "`Template` response, or pass `request` in the context."
        )
    return request


def url_for(context: Mapping[str, Any], /, route_name: str, **path_parameters: Any) -> str:
    """Return the path of the route handler named ``route_name``; behaves like ``app.route_reverse``.

    Args:
        context: The template context (it holds ``request``).
        route_name: The handler's ``name``.
        **path_parameters: Values of its path parameters.

    Returns:
        The path, with the mount's ``root_path`` in front.
    """
    request = _request_from(context, "url_for")
    path: str = request.app.route_reverse(route_name, **path_parameters)
    root_path: str = request.scope.get("root_path", "") or ""
    return root_path.rstrip("/") + path if root_path else path


def url_for_static_asset(context: Mapping[str, Any], /, name: str, file_path: str) -> str:
    """Return the URL path of a static file served by the static files handler named ``name``.

    Args:
        context: The template context (it holds ``request``).
        name: The name of the static files handler.
        file_path: The file's path relative to the served directories.

    Returns:
        The path.
    """
    request = _request_from(context, "url_for_static_asset")
    app = request.app
    builder = getattr(app, "url_for_static_asset", None)
    if builder is not None:
        return str(builder(name, file_path))
    return str(app.route_reverse(name, file_path="/" + file_path.lstrip("/")))


def csrf_token(context: Mapping[str, Any], /) -> str:
    """Return the request's CSRF token, or an empty string when no CSRF middleware set one.

    Args:
        context: The template context (it holds ``request``).

    Returns:
        The token.
    """
    request = _request_from(context, "csrf_token")
    return str(request.scope.get("_csrf_token", ""))


BUILTIN_CALLABLES: dict[str, TemplateCallableType] = {
    "url_for": url_for,
    "url_for_static_asset": url_for_static_asset,
    "csrf_token": csrf_token,
}


def register_builtin_callables(engine: TemplateEngineProtocol[Any, Any]) -> None:
    """Register ``url_for``, ``url_for_static_asset`` and ``csrf_token`` on ``engine``.

    Args:
        engine: A template engine.
    """
    for key, template_callable in BUILTIN_CALLABLES.items():
        engine.register_template_callable(key, template_callable)
