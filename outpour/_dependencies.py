"""The dependency stage of a route: providers ordered once at start-up, called per request, cleaned up after it.

Also how any user callable is called: awaited when it is a coroutine function, run in a thread when it is a sync
callable allowed to block, called inline otherwise.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from outpour._signature import parse_fields
from outpour.concurrency import sync_to_thread
from outpour.exceptions import ImproperlyConfiguredException
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._routing import PathParam
    from outpour._signature import Field
    from outpour.di import Provide
    from outpour.plugins import PluginRegistry
    from outpour.types import TypeDecodersSequence

__all__ = ["Provider", "call", "cleanup", "is_async_callable", "maybe_await", "order_providers", "provide"]

logger = logging.getLogger("outpour")


async def call(fn: Callable[..., Any], is_async: bool, to_thread: bool, kwargs: dict[str, Any]) -> Any:
    """Call a handler or provider with ``kwargs``: awaited, in a worker thread, or inline."""
    if is_async:
        return await fn(**kwargs)
    if to_thread:
        return await sync_to_thread(fn, **kwargs)
    return fn(**kwargs)


def is_async_callable(fn: Any) -> bool:
    """Whether calling ``fn`` returns a coroutine (partials and instances with an async ``__call__`` included)."""
    while isinstance(fn, partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    call_method = getattr(fn, "__call__", None)  # noqa: B004
    return not inspect.isroutine(fn) and not inspect.isclass(fn) and inspect.iscoroutinefunction(call_method)


async def maybe_await(value: Any) -> Any:
    """``value``, awaited when it is awaitable (guards and hooks may be sync or async)."""
    return await value if inspect.isawaitable(value) else value


class Provider:
    """A dependency compiled for one route: its provider, fields and kind."""

    __slots__ = ("fields", "fn", "is_agen", "is_async", "is_gen", "name", "provide", "to_thread")

    def __init__(self, name: str, provide: Provide, fields: list[Field]) -> None:
        self.name = name
        self.provide = provide
        self.fn = provide.dependency
        self.fields = fields
        self.is_gen = provide.is_generator
        self.is_agen = provide.is_async_generator
        self.is_async = not provide.has_sync_callable and not self.is_agen
        self.to_thread = provide.sync_to_thread


def order_providers(
    fields: list[Field],
    providers: Mapping[str, Provide],
    *,
    path_params: Mapping[str, PathParam],
    plugins: PluginRegistry,
    signature_namespace: dict[str, Any],
    type_decoders: TypeDecodersSequence,
    layered_parameters: dict[str, Any],
    label: str,
) -> list[Provider]:
    """The providers ``fields`` need, each after the ones it needs itself; a cycle is a configuration error."""
    ordered: list[Provider] = []

    def visit(fields: list[Field], stack: list[str]) -> None:
        for field in fields:
            if field.source != "dependency" or any(p.name == field.name for p in ordered):
                continue
            if field.name in stack:
                raise ImproperlyConfiguredException(
                    f"{label}: dependencies form a cycle: {' -> '.join([*stack, field.name])}. Break the cycle."
                )
            provide = providers[field.name]
            provide.finalize(  # resolves the provider's signature, through a `DIPlugin` when one knows its type
                plugins=plugins,
                signature_namespace=signature_namespace,
                dependency_keys=set(providers) - {field.name},
                data_dto=None,
                type_decoders=type_decoders,
            )
            assert provide.parsed_signature is not None
            dep_signature, dep_hints = provide.parsed_signature
            dep_fields = parse_fields(
                provide.dependency,
                dep_hints,
                signature=dep_signature,
                path_params=path_params,
                dependency_names=frozenset(providers) - {field.name},
                type_decoders=type_decoders,
                label=f"Dependency `{field.name}` of {label}",
                layered_parameters=layered_parameters,
            )
            visit(dep_fields, [*stack, field.name])
            ordered.append(Provider(field.name, provide, dep_fields))

    visit(fields, [])
    return ordered


async def provide(provider: Provider, kwargs: dict[str, Any], cleanups: list[Any]) -> Any:
    """Call ``provider`` with ``kwargs``; a generator's cleanup is queued on ``cleanups``."""
    declared = provider.provide
    if provider.is_gen:
        gen = provider.fn(**kwargs)
        value = next(gen)
        cleanups.append(gen)
    elif provider.is_agen:
        agen = provider.fn(**kwargs)
        value = await agen.__anext__()
        cleanups.append(agen)
    else:
        value = await call(provider.fn, provider.is_async, provider.to_thread, kwargs)
        if inspect.isawaitable(value):
            value = await value
    if declared.use_cache:
        declared.cached_value = value
    return value


def cached(provider: Provider) -> Any:
    """The value a ``use_cache`` provider already gave, or ``Empty``."""
    declared = provider.provide
    return declared.cached_value if declared.use_cache else Empty


async def cleanup(cleanups: list[Any], exc: Exception | None) -> None:
    """Finish the generator dependencies of a request, last first; ``exc`` is thrown into them when it failed.

    As Litestar documents, this runs after the handler returns and before the response is sent. When the handler
    succeeded, every generator is finished even if one fails; their failures are then raised together as an
    ``ExceptionGroup`` (the request gets the error's answer, a 500, rather than a success whose cleanup, a commit
    say, was lost). When the handler failed, its error is the answer; a cleanup failing on top of it is logged.

    Raises:
        ExceptionGroup: The cleanups that failed after a successful handler.
    """
    failures: list[Exception] = []
    for gen in reversed(cleanups):
        try:
            if inspect.isasyncgen(gen):
                if exc is None:
                    await gen.__anext__()
                else:
                    await gen.athrow(exc)
            elif exc is None:
                next(gen)
            else:
                gen.throw(exc)
        except (StopIteration, StopAsyncIteration):
            pass
        except Exception as cleanup_exc:
            if exc is None:
                failures.append(cleanup_exc)
            elif cleanup_exc is not exc:
                logger.exception("Cleanup of a generator dependency failed")
    if failures:
        raise ExceptionGroup("The cleanup of generator dependencies failed", failures)
