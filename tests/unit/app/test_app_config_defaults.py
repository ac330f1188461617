"""``Outpour.from_config(AppConfig())`` and ``Outpour()`` end with the same defaults, as in Litestar."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from outpour import Outpour, post
from outpour.config.app import AppConfig
from outpour.connection.request import DEFAULT_MAX_BODY_SIZE
from outpour.testing import TestClient
from outpour.types import Empty


@post("/", sync_to_thread=False)
def echo(body: bytes) -> int:
    return len(body)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(lambda: Outpour.from_config(AppConfig()), DEFAULT_MAX_BODY_SIZE, id="from-config"),
        pytest.param(lambda: Outpour(request_max_body_size=None), None, id="none-is-no-limit"),
        pytest.param(lambda: Outpour.from_config(AppConfig(request_max_body_size=5)), 5, id="given"),
    ],
)
def test_request_max_body_size_empty_is_the_default(build: Callable[[], Outpour], expected: int | None) -> None:
    assert build().request_max_body_size == expected


def test_an_app_init_hook_leaving_the_limit_empty_gets_the_default() -> None:
    def unset(config: AppConfig) -> AppConfig:
        config.request_max_body_size = Empty
        return config

    app = Outpour([echo], on_app_init=[unset])
    assert app.request_max_body_size == DEFAULT_MAX_BODY_SIZE
    with TestClient(app) as client:
        assert client.post("/", content=b"abc").json() == 3
