"""Dependency injection: ``Provide`` wraps a callable whose result is injected into handlers by parameter name.

A handler marks the parameters it wants injected with ``NamedDependency[T]``; the parameter's name is the key of the
dependency (``dependencies={"db": Provide(get_db)}`` feeds ``db: NamedDependency[Database]``), and an app whose
handler marks a dependency that no layer provides (and that has no default) is refused when it is created.
"""

from __future__ import annotations

import inspect
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

import msgspec
from anyio.to_thread import run_sync

from outpour._parsed_signature import ParsedSignature, signature_model
from outpour._signature import get_hints
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import DependencyKwarg
from outpour.types import Empty

if TYPE_CHECKING:
    from collections.abc import Iterable

    from outpour.types import AnyCallable, TypeDecodersSequence

__all__ = ["NamedDependency", "Provide"]

T = TypeVar("T")

NamedDependency: TypeAlias = Annotated[T, DependencyKwarg()]
"""``NamedDependency[T]``: inject the dependency whose key is the parameter's name; its value is a ``T``.

A default in the signature (``cache: NamedDependency[Cache | None] = None``) is used when no layer provides it.
"""


class Provide:
    """A dependency provider: a sync or async callable, a generator (cleanup after the response), or a class.

    The provider's own parameters are resolved like a handler's: other dependencies, path, query, header and cookie
    parameters, ``request``, ``state`` and the rest.

    Args:
        dependency: The callable that provides the value.
        use_cache: Call it once and reuse the value for the app's lifetime.
        sync_to_thread: Run a sync callable in a worker thread; by default it runs on the event loop.

    Raises:
        ImproperlyConfiguredException: ``dependency`` is not callable.
    """

    __slots__ = (
        "_parsed_fn_signature",
        "_signature_model",
        "cached_value",
        "dependency",
        "has_sync_callable",
        "is_async_generator",
        "is_generator",
        "parsed_signature",
        "sync_to_thread",
        "use_cache",
    )

    def __init__(self, dependency: AnyCallable, use_cache: bool = False, sync_to_thread: bool | None = None) -> None:
        if not callable(dependency):
            raise ImproperlyConfiguredException(
                f"`Provide` needs a callable, got `{dependency!r}`: pass a function, a class or an object with "
                "`__call__`, as in `Provide(get_db)`."
            )
        self.dependency = dependency
        self.use_cache = use_cache
        self.sync_to_thread = bool(sync_to_thread)
        self.cached_value: Any = Empty
        self.parsed_signature: tuple[inspect.Signature, dict[str, Any]] | None = None
        self._parsed_fn_signature: ParsedSignature | None = None
        self._signature_model: type[msgspec.Struct] | None = None
        target = (
            dependency if inspect.isroutine(dependency) or inspect.isclass(dependency) else type(dependency).__call__
        )
        self.is_generator = inspect.isgeneratorfunction(target)
        self.is_async_generator = inspect.isasyncgenfunction(target)
        # As in Litestar, only a coroutine function is an async callable: a generator of either kind counts as sync.
        self.has_sync_callable = not inspect.iscoroutinefunction(target)

    @property
    def has_sync_generator_dependency(self) -> bool:
        """Whether the provider is a generator function (what follows its ``yield`` is the cleanup)."""
        return self.is_generator

    @property
    def has_async_generator_dependency(self) -> bool:
        """Whether the provider is an async generator function."""
        return self.is_async_generator

    @property
    def value(self) -> Any:
        """The cached value with ``use_cache``, once the provider was called; ``Empty`` before."""
        return self.cached_value

    @value.setter
    def value(self, value: Any) -> None:
        self.cached_value = value

    @property
    def parsed_fn_signature(self) -> ParsedSignature:
        """The provider's signature, each parameter and the return annotation parsed into a ``FieldDefinition``.

        Raises:
            ImproperlyConfiguredException: An annotation cannot be resolved (``finalize`` resolves names in the
                layers' ``signature_namespace``; before it runs, only the provider's module is searched).
        """
        if self._parsed_fn_signature is None:
            self._parsed_fn_signature = (
                ParsedSignature.from_signature(*self.parsed_signature)
                if self.parsed_signature is not None
                else ParsedSignature.from_fn(self.dependency, {})
            )
        return self._parsed_fn_signature

    @property
    def signature_model(self) -> type[msgspec.Struct]:
        """A msgspec ``Struct`` type of the provider's parameters (see ``parsed_fn_signature``)."""
        if self._signature_model is None:
            name = getattr(self.dependency, "__name__", type(self.dependency).__name__)
            self._signature_model = signature_model(name, self.parsed_fn_signature)
        return self._signature_model

    async def __call__(self, **kwargs: Any) -> Any:
        """Call the provider with ``kwargs`` and return its value (the cached one with ``use_cache``).

        A sync provider runs in a worker thread with ``sync_to_thread=True``. A generator provider returns the
        generator itself, whose first value is the dependency and whose rest is the cleanup.

        Args:
            **kwargs: The provider's arguments.

        Returns:
            The provided value.
        """
        if self.use_cache and self.cached_value is not Empty:
            return self.cached_value
        if self.is_generator or self.is_async_generator:
            value = self.dependency(**kwargs)
        elif not self.has_sync_callable:
            value = await self.dependency(**kwargs)
        elif self.sync_to_thread:
            value = await run_sync(partial(self.dependency, **kwargs))
        else:
            value = self.dependency(**kwargs)
            if inspect.isawaitable(value):  # a class whose instances are awaited, or a partial of a coroutine
                value = await value
        if self.use_cache:
            self.cached_value = value
        return value

    def finalize(
        self,
        *,
        plugins: Iterable[Any],
        signature_namespace: dict[str, Any],
        dependency_keys: set[str],
        data_dto: type[Any] | None,
        type_decoders: TypeDecodersSequence,
    ) -> None:
        """Resolve the provider's signature once the layers above it are known; the app calls it when it is created.

        The signature and annotations come from the first ``DIPlugin`` in ``plugins`` that knows the provider's type
        (a class whose ``__init__`` does not describe its fields), else from the provider itself, with names looked
        up in ``signature_namespace``. The result is in ``parsed_signature``.

        Args:
            plugins: The app's plugins.
            signature_namespace: Names the annotations may use, beyond the provider's module.
            dependency_keys: The keys of the other dependencies in scope; a parameter named after one is injected.
            data_dto: A DTO for a ``data`` parameter; ``finalize`` does not apply DTOs, so it must be ``None`` (a
                provider's ``data`` gets the value the route's DTO made, see ``outpour.dto``).
            type_decoders: Decoders for types msgspec cannot build; checked to be ``(predicate, decoder)`` pairs.

        Raises:
            ImproperlyConfiguredException: ``data_dto`` is given, an annotation cannot be resolved, a type decoder
                is not a pair of callables, or a ``NamedDependency`` parameter without default is not in
                ``dependency_keys``.
        """
        label = f"Dependency provider `{getattr(self.dependency, '__qualname__', self.dependency)!r}`"
        if data_dto is not None:
            raise ImproperlyConfiguredException(
                f"{label} was given the DTO `{data_dto!r}`: DTOs are not supported yet in `Provide.finalize`. Pass "
                "`data_dto=None`: a provider's `data` gets the value the route's `dto` made of the body."
            )
        for pair in type_decoders:
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(callable(item) for item in pair)):
                raise ImproperlyConfiguredException(
                    f"{label}: a type decoder must be a `(predicate, decoder)` pair of callables, got `{pair!r}`."
                )
        # A `DIPlugin` (outpour.plugins, a layer above) is recognised by its method, not imported.
        plugin = next(
            (
                p
                for p in plugins
                if inspect.isclass(self.dependency)
                and callable(getattr(p, "has_typed_init", None))
                and p.has_typed_init(self.dependency)
            ),
            None,
        )
        if plugin is not None:
            signature, hints = plugin.get_typed_init(self.dependency)
            hints = dict(hints)
        else:
            signature = inspect.signature(self.dependency)
            hints = get_hints(self.dependency, {}, signature_namespace, label)
        for name, param in signature.parameters.items():
            marked = any(isinstance(m, DependencyKwarg) for m in getattr(hints.get(name), "__metadata__", ()))
            if marked and param.default is inspect.Parameter.empty and name not in dependency_keys:
                raise ImproperlyConfiguredException(
                    f"{label} needs the dependency `{name}`, but no layer provides it. Add "
                    f"`dependencies={{'{name}': Provide(...)}}` to the handler, its controller, a router or the app, "
                    "or give the parameter a default."
                )
        self.parsed_signature = (signature, hints)
        self._parsed_fn_signature = None
        self._signature_model = None

    def __eq__(self, other: object) -> bool:
        """Two providers are equal when they call the same callable alike and hold the same cached value."""
        return other is self or (
            isinstance(other, Provide)
            and other.dependency == self.dependency
            and other.use_cache == self.use_cache
            and (other.cached_value is self.cached_value or bool(other.cached_value == self.cached_value))
        )

    def __hash__(self) -> int:
        return hash((self.dependency, self.use_cache))

    def __repr__(self) -> str:
        return f"Provide({getattr(self.dependency, '__qualname__', self.dependency)!r})"
