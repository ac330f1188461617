"""`get_session_data` / `set_session_data` on the test clients, for client-side and server-side sessions."""

from __future__ import annotations

import os
from typing import Any

import pytest

from outpour import Request, get, post
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.session.base import BaseBackendConfig
from outpour.middleware.session.client_side import CookieBackendConfig
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.testing import create_async_test_client, create_test_client


@get("/session", sync_to_thread=False)
def read_session(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return dict(request.session)


@post("/session", sync_to_thread=False)
def write_session(request: Request[Any, Any, Any], data: dict[str, Any]) -> None:
    request.set_session(data)


def _configs() -> list[Any]:
    return [
        pytest.param(CookieBackendConfig(secret=os.urandom(16)), id="client-side"),
        pytest.param(ServerSideSessionConfig(), id="server-side"),
    ]


@pytest.mark.parametrize("config", _configs())
def test_set_session_data_is_what_the_app_reads(config: BaseBackendConfig[Any]) -> None:
    with create_test_client([read_session, write_session], session_config=config) as client:
        assert client.get_session_data() == {}
        client.set_session_data({"user": "ada", "visits": 3})
        assert client.get("/session").json() == {"user": "ada", "visits": 3}
        client.post("/session", json={"user": "grace"})
        assert client.get_session_data() == {"user": "grace"}
        client.set_session_data({"user": "linus"})  # a server-side session keeps its id: one session, replaced
        assert client.get("/session").json() == {"user": "linus"}


@pytest.mark.anyio
@pytest.mark.parametrize("config", _configs())
async def test_the_async_client_has_them_too(config: BaseBackendConfig[Any], anyio_backend: str) -> None:
    async with create_async_test_client([read_session], session_config=config) as client:
        await client.set_session_data({"cart": [1, 2]})
        assert (await client.get("/session")).json() == {"cart": [1, 2]}
        assert await client.get_session_data() == {"cart": [1, 2]}


def test_without_a_session_config_the_helpers_say_what_to_pass() -> None:
    with (
        create_test_client([read_session]) as client,
        pytest.raises(ImproperlyConfiguredException, match="pass `session_config=`"),
    ):
        client.get_session_data()


@pytest.mark.anyio
async def test_the_missing_session_config_is_also_a_runtime_error(anyio_backend: str) -> None:
    async with create_async_test_client([read_session]) as client:
        with pytest.raises(RuntimeError, match="no session configuration"):
            await client.set_session_data({"cart": []})
        with pytest.raises(RuntimeError, match="no session configuration"):
            await client.get_session_data()
