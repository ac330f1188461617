"""``create_test_client`` and ``create_async_test_client``: an app and a test client for it in one call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from outpour.testing._client import AsyncTestClient, TestClient

if TYPE_CHECKING:
    from outpour.app import Outpour

__all__ = ["create_async_test_client", "create_test_client"]


def _build_app(route_handlers: Any, app_kwargs: dict[str, Any]) -> Outpour:
    from outpour.app import Outpour  # imported here: the app (layer L5) imports much more than tests of raw apps need

    if route_handlers is None:
        handlers = []
    elif isinstance(route_handlers, Sequence):
        handlers = list(route_handlers)
    else:
        handlers = [route_handlers]
    return Outpour(route_handlers=handlers, **app_kwargs)


def create_test_client(
    route_handlers: Any = None,
    *,
    backend: Literal["asyncio", "trio"] = "asyncio",
    backend_options: Mapping[str, Any] | None = None,
    base_url: str = "http://testserver.local",
    raise_server_exceptions: bool = True,
    root_path: str = "",
    timeout: float | None = None,
    **app_kwargs: Any,
) -> TestClient[Outpour]:
    """Create an :class:`~outpour.Outpour` app and a :class:`TestClient` for it.

    Args:
        route_handlers: A handler, controller or router, or a sequence of them.
        backend: The anyio backend that runs the app.
        backend_options: Options for the backend.
        base_url: The scheme and host of request URLs.
        raise_server_exceptions: Re-raise exceptions the app lets escape in the test.
        root_path: The ``root_path`` of the request scopes.
        timeout: Seconds to wait for each part of the app's response; ``None`` waits forever.
        **app_kwargs: Options of :class:`~outpour.Outpour`, such as ``debug``, ``on_startup`` or ``lifespan``.

    Returns:
        The client, not yet entered: use it as ``with create_test_client(...) as client:`` to run the lifespan.
    """
    return TestClient(
        _build_app(route_handlers, app_kwargs),
        base_url=base_url,
        raise_server_exceptions=raise_server_exceptions,
        root_path=root_path,
        backend=backend,
        backend_options=backend_options,
        timeout=timeout,
    )


def create_async_test_client(
    route_handlers: Any = None,
    *,
    backend: Literal["asyncio", "trio"] = "asyncio",
    backend_options: Mapping[str, Any] | None = None,
    base_url: str = "http://testserver.local",
    raise_server_exceptions: bool = True,
    root_path: str = "",
    timeout: float | None = None,
    **app_kwargs: Any,
) -> AsyncTestClient[Outpour]:
    """Create an :class:`~outpour.Outpour` app and an :class:`AsyncTestClient` for it.

    Args:
        route_handlers: A handler, controller or router, or a sequence of them.
        backend: Kept for compatibility: the app runs on the caller's event loop.
        backend_options: Kept for compatibility, unused.
        base_url: The scheme and host of request URLs.
        raise_server_exceptions: Re-raise exceptions the app lets escape in the test.
        root_path: The ``root_path`` of the request scopes.
        timeout: Seconds to wait for each part of the app's response; ``None`` waits forever.
        **app_kwargs: Options of :class:`~outpour.Outpour`, such as ``debug``, ``on_startup`` or ``lifespan``.

    Returns:
        The client, not yet entered: use it as ``async with create_async_test_client(...) as client:``.
    """
    return AsyncTestClient(
        _build_app(route_handlers, app_kwargs),
        base_url=base_url,
        raise_server_exceptions=raise_server_exceptions,
        root_path=root_path,
        backend=backend,
        backend_options=backend_options,
        timeout=timeout,
    )
