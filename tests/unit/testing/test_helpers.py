"""``create_test_client`` and ``create_async_test_client`` build an ``Outpour`` app and a client for it."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from outpour import Outpour, get
from outpour.testing import AsyncTestClient, TestClient, create_async_test_client, create_test_client


@get("/")
async def hello() -> str:
    return "hello"


@get("/boom")
async def boom() -> str:
    raise KeyError("boom")


@pytest.mark.parametrize(
    "handlers",
    [
        pytest.param([hello], id="list"),
        pytest.param((hello,), id="tuple"),
        pytest.param(hello, id="single-handler"),
    ],
)
@pytest.mark.parametrize("backend", [pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def test_create_test_client(handlers: Any, backend: Literal["asyncio", "trio"]) -> None:
    started: list[bool] = []
    client = create_test_client(
        handlers,
        backend=backend,
        base_url="http://example.org",
        root_path="",
        timeout=5,
        on_startup=[lambda: started.append(True)],
    )
    assert isinstance(client, TestClient)
    assert isinstance(client.app, Outpour)
    assert (client.backend, client.base_url.host) == (backend, "example.org")
    with client:
        assert started == [True]
        assert client.get("/").text == "hello"


def test_create_test_client_without_handlers_answers_404() -> None:
    with create_test_client() as client:
        assert client.get("/").status_code == 404


def test_create_test_client_passes_raise_server_exceptions() -> None:
    with create_test_client([boom], raise_server_exceptions=False) as client:
        assert client.get("/boom").status_code == 500
    assert client.raise_server_exceptions is False


@pytest.mark.anyio
async def test_create_async_test_client() -> None:
    started: list[bool] = []
    client = create_async_test_client([hello], on_startup=[lambda: started.append(True)])
    assert isinstance(client, AsyncTestClient)
    assert isinstance(client.app, Outpour)
    assert started == []
    async with client:
        assert started == [True]
        assert (await client.get("/")).text == "hello"
