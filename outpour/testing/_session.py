"""The test clients' session helpers: read and write the session a configured session backend keeps for the client.

A session lives in the client's cookies (client-side sessions) or in a store under the id a cookie holds (server-side
sessions). ``get_session_data`` loads it as the session middleware would for a request carrying the client's cookies;
``set_session_data`` saves it as the middleware would at the end of a response, and keeps the cookies that response
would set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from outpour.connection.base import ASGIConnection
from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.middleware.session.base import BaseBackendConfig, BaseSessionBackend
    from outpour.types import Message, Scope

__all__ = ["load_session", "store_session"]


class _NoSessionConfig(ImproperlyConfiguredException, RuntimeError):
    """The test client has no ``session_config``: also a ``RuntimeError``, as Litestar's session helpers raise."""


def _backend(config: BaseBackendConfig[Any] | None) -> BaseSessionBackend[Any]:
    if config is None:
        raise _NoSessionConfig(
            "The test client has no session configuration: pass `session_config=` to `TestClient(...)` (or to "
            "`create_test_client(...)`, which passes it on) to read or write session data."
        )
    backend: BaseSessionBackend[Any] = config._backend_class(config=config)
    return backend


def _connection(app: Any, cookies: httpx.Cookies) -> ASGIConnection[Any, Any, Any, Any]:
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    scope: Scope = {
        "type": "http",
        "app": app,
        "method": "GET",
        "path": "/",
        "raw_path": b"/",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"cookie", cookie.encode("latin-1"))] if cookie else [],
        "path_params": {},
        "state": {},
    }
    return ASGIConnection(scope)


async def load_session(config: BaseBackendConfig[Any] | None, app: Any, cookies: httpx.Cookies) -> dict[str, Any]:
    """The session data the client's cookies point to (``{}`` when there is none)."""
    return await _backend(config).load_from_connection(_connection(app, cookies))


async def store_session(
    config: BaseBackendConfig[Any] | None, app: Any, cookies: httpx.Cookies, data: dict[str, Any], base_url: str
) -> None:
    """Save ``data`` as the client's session, and put the cookies that carry it into ``cookies``."""
    backend = _backend(config)
    connection = _connection(app, cookies)
    await backend.load_from_connection(connection)  # a server-side session keeps its id
    message: Message = {"type": "http.response.start", "status": 200, "headers": []}
    await backend.store_in_message(data, message, connection)
    response = httpx.Response(
        200,
        headers=[(name.decode("latin-1"), value.decode("latin-1")) for name, value in message["headers"]],
        request=httpx.Request("GET", base_url),
    )
    cookies.extract_cookies(response)
