"""The plugin kinds an app accepts in ``plugins=[...]``, and ``PluginRegistry``, which holds them as ``app.plugins``.

What outpour runs of each kind:

- ``InitPlugin`` / ``InitPluginProtocol``: ``on_app_init(app_config)`` is called when the app is created, after the
  app's own ``on_app_init`` hooks, in the order of ``plugins``; it returns the (changed) ``AppConfig``.
- ``DIPlugin``: gives the signature of a dependency class whose ``__init__`` does not describe its fields
  (``Provide.finalize`` asks it).
- ``OpenAPISchemaPlugin``: the built-in ``AttrsSchemaPlugin`` and ``PydanticSchemaPlugin`` are accepted; their types
  are documented by outpour's schema generator itself.
- ``SerializationPlugin``, ``CLIPlugin``, ``ReceiveRoutePlugin`` and other ``OpenAPISchemaPlugin`` subclasses are not
  run yet, so ``PluginRegistry`` (hence the app) refuses them rather than ignore them.

Any other object (a ``FileSystemRegistry``, say) is kept as it is and found with ``app.plugins.get(...)``.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar, Union, overload, runtime_checkable

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from inspect import Signature

    from click import Group

    from outpour.app import Outpour
    from outpour.config.app import AppConfig
    from outpour.openapi.spec import Schema
    from outpour.typing import FieldDefinition

__all__ = [
    "CLIPlugin",
    "DIPlugin",
    "InitPlugin",
    "InitPluginProtocol",
    "OpenAPISchemaPlugin",
    "PluginProtocol",
    "PluginRegistry",
    "ReceiveRoutePlugin",
    "SerializationPlugin",
]

PluginT = TypeVar("PluginT")


@runtime_checkable
class InitPluginProtocol(Protocol):
    """A plugin that changes the app's configuration when the app is created."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Change the app's configuration and return it.

        Args:
            app_config: The ``AppConfig`` built from the app's arguments (and earlier hooks).

        Returns:
            The ``AppConfig`` the app is created from: ``app_config``, changed or not.
        """
        return app_config  # pragma: no cover - a protocol's body


class InitPlugin(InitPluginProtocol):
    """Base class of init plugins: override ``on_app_init`` to add handlers, dependencies, middleware, ..."""

    __slots__ = ()

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Change the app's configuration and return it; by default it is returned unchanged.

        Args:
            app_config: The ``AppConfig`` built from the app's arguments (and earlier hooks).

        Returns:
            The ``AppConfig`` the app is created from.
        """
        return app_config


class ReceiveRoutePlugin:
    """A plugin told of each route registered on the app (not run by outpour yet)."""

    __slots__ = ()

    def receive_route(self, route: Any) -> None:
        """Receive a route as it is registered.

        Args:
            route: The route.
        """


class CLIPlugin:
    """A plugin extending the ``outpour`` command line (not run by outpour yet)."""

    __slots__ = ()

    def on_cli_init(self, cli: Group) -> None:
        """Add or change commands of the command line's root group.

        Args:
            cli: The root ``click.Group``.
        """

    @contextmanager
    def server_lifespan(self, app: Outpour) -> Iterator[None]:
        """Run code once around the server's whole life, before the first worker starts and after the last stops.

        Args:
            app: The app.

        Yields:
            While the server runs.
        """
        yield


class SerializationPlugin(abc.ABC):
    """A plugin building DTOs for types outpour cannot serialize (not run yet: use ``outpour.dto`` DTOs instead)."""

    __slots__ = ()

    @abc.abstractmethod
    def supports_type(self, field_definition: FieldDefinition) -> bool:
        """Tell whether the plugin serializes the annotated type.

        Args:
            field_definition: The parsed annotation.

        Returns:
            Whether it does.
        """

    @abc.abstractmethod
    def create_dto_for_type(self, field_definition: FieldDefinition) -> type[Any]:
        """Return the DTO class serializing the annotated type.

        Args:
            field_definition: The parsed annotation.

        Returns:
            The DTO class.
        """


class OpenAPISchemaPlugin(abc.ABC):
    """A plugin describing types in the OpenAPI document."""

    __slots__ = ()

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        """Tell whether the plugin documents the type ``value``; subclasses say which.

        Args:
            value: A type.

        Returns:
            Whether it does.

        Raises:
            NotImplementedError: When not overridden.
        """
        raise NotImplementedError("`is_plugin_supported_type` must be implemented by the plugin.")

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        """Tell whether the plugin documents the annotation of ``field_definition``.

        Args:
            field_definition: The parsed annotation; its ``annotation`` is passed to ``is_plugin_supported_type``.

        Returns:
            Whether it does.
        """
        return self.is_plugin_supported_type(field_definition.annotation)

    @staticmethod
    def is_undefined_sentinel(value: Any) -> bool:
        """Tell whether ``value`` is the library's "no value" sentinel (never, by default).

        Args:
            value: A default value.

        Returns:
            Whether it is.
        """
        return False

    @staticmethod
    def is_constrained_field(field_definition: FieldDefinition) -> bool:
        """Tell whether the field carries the library's own constraints (never, by default).

        Args:
            field_definition: The field.

        Returns:
            Whether it does.
        """
        return False

    @abc.abstractmethod
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        """Return the schema of the annotated type.

        Args:
            field_definition: The parsed annotation (the built-in plugins also take the type itself).
            schema_creator: The schema generator, for nested types.

        Returns:
            The schema.
        """


class DIPlugin(abc.ABC):
    """A plugin giving the signature of dependency classes whose ``__init__`` does not describe their fields."""

    __slots__ = ()

    @abc.abstractmethod
    def has_typed_init(self, type_: Any) -> bool:
        """Tell whether the plugin knows how ``type_`` is built.

        Args:
            type_: A class used as a dependency.

        Returns:
            Whether it does.
        """

    @abc.abstractmethod
    def get_typed_init(self, type_: Any) -> tuple[Signature, dict[str, Any]]:
        """Return the signature ``type_`` is built with, and the annotations of its parameters.

        Args:
            type_: A class for which ``has_typed_init`` is true.

        Returns:
            The signature and the annotations by parameter name.
        """


PluginProtocol: TypeAlias = Union[  # noqa: UP007 - a runtime alias, as Litestar spells it
    CLIPlugin, InitPluginProtocol, OpenAPISchemaPlugin, ReceiveRoutePlugin, SerializationPlugin, DIPlugin
]
"""Any of the plugin kinds."""


def _builtin_schema_plugins() -> tuple[type, ...]:
    from outpour.plugins.attrs import AttrsSchemaPlugin
    from outpour.plugins.pydantic import PydanticSchemaPlugin

    return (AttrsSchemaPlugin, PydanticSchemaPlugin)


def _refusal(plugin: Any) -> str | None:
    """Why ``plugin`` cannot be registered, or ``None`` when it can."""
    name = type(plugin).__name__
    if isinstance(plugin, SerializationPlugin):
        return f"`{name}` is a `SerializationPlugin`, which builds DTOs: DTOs are not supported yet."
    if isinstance(plugin, CLIPlugin):
        return f"`{name}` is a `CLIPlugin`: the `outpour` command line does not load plugins yet."
    if isinstance(plugin, ReceiveRoutePlugin):
        return f"`{name}` is a `ReceiveRoutePlugin`: routes are not handed to plugins yet."
    if isinstance(plugin, OpenAPISchemaPlugin) and not isinstance(plugin, _builtin_schema_plugins()):
        return (
            f"`{name}` is an `OpenAPISchemaPlugin`: the schema generator does not ask plugins yet. Give the types it "
            "documents `schema_extra` on their parameters, or a `ResponseSpec`."
        )
    return None


class PluginRegistry:
    """The app's plugins (``app.plugins``), grouped by kind, found by type with ``get``.

    Iterating yields every plugin in the order given; ``plugin in registry`` tells whether that very plugin is
    registered.

    Args:
        plugins: The plugins, in the order ``on_app_init`` runs them.

    Raises:
        ImproperlyConfiguredException: A plugin is of a kind outpour does not run yet (see the module).
    """

    __slots__ = ("_plugins", "cli", "di", "init", "openapi", "receive_route", "serialization")

    def __init__(self, plugins: Iterable[Any]) -> None:
        self._plugins = list(plugins)
        for plugin in self._plugins:
            reason = _refusal(plugin)
            if reason is not None:
                raise ImproperlyConfiguredException(f"{reason} Remove it from `plugins`.")
        self.init = tuple(p for p in self._plugins if isinstance(p, InitPluginProtocol))
        self.openapi = tuple(p for p in self._plugins if isinstance(p, OpenAPISchemaPlugin))
        self.receive_route = tuple(p for p in self._plugins if isinstance(p, ReceiveRoutePlugin))
        self.serialization = tuple(p for p in self._plugins if isinstance(p, SerializationPlugin))
        self.cli = tuple(p for p in self._plugins if isinstance(p, CLIPlugin))
        self.di = tuple(p for p in self._plugins if isinstance(p, DIPlugin))

    @overload
    def get(self, type_: type[PluginT]) -> PluginT: ...

    @overload
    def get(self, type_: str) -> Any: ...

    def get(self, type_: type[PluginT] | str) -> PluginT | Any:
        """Return the registered plugin of a type.

        Args:
            type_: The plugin's class (an exact match first, then the first instance of it), or its name
                (``"FileSystemRegistry"``) or dotted path (``"outpour.file_system.FileSystemRegistry"``; a
                ``litestar.`` prefix is read as ``outpour.``).

        Returns:
            The plugin.

        Raises:
            KeyError: No plugin of that type is registered.
        """
        if isinstance(type_, str):
            # A dotted path written for Litestar (``litestar.plugins.pydantic.PydanticPlugin``) names our class too.
            name = "outpour." + type_.removeprefix("litestar.") if type_.startswith("litestar.") else type_
            for plugin in self._plugins:
                cls = type(plugin)
                if name in (cls.__name__, cls.__qualname__, f"{cls.__module__}.{cls.__qualname__}"):
                    return plugin
            raise KeyError(f"No plugin of type '{type_}' registered; the app has {self._names()}.")
        found = next((p for p in self._plugins if type(p) is type_), None)
        if found is None:
            found = next((p for p in self._plugins if isinstance(p, type_)), None)
        if found is None:
            raise KeyError(f"No plugin of type '{type_.__name__}' registered; the app has {self._names()}.")
        return found

    def _names(self) -> str:
        names = [f"`{type(p).__name__}`" for p in self._plugins]
        return ", ".join(names) if names else "none"

    def __iter__(self) -> Iterator[Any]:
        return iter(self._plugins)

    def __contains__(self, item: object) -> bool:
        return any(p is item for p in self._plugins)

    def __len__(self) -> int:
        return len(self._plugins)

    def __repr__(self) -> str:
        return f"PluginRegistry([{', '.join(type(p).__name__ for p in self._plugins)}])"
