"""The testing names are importable from Litestar's module paths, and they are the same objects."""

from __future__ import annotations

import importlib

import pytest

import outpour.testing


@pytest.mark.parametrize(
    ("module", "name"),
    [
        pytest.param("outpour.testing.helpers", "create_test_client", id="helpers-sync"),
        pytest.param("outpour.testing.helpers", "create_async_test_client", id="helpers-async"),
        pytest.param("outpour.testing.request_factory", "RequestFactory", id="request-factory"),
        pytest.param("outpour.testing.client", "TestClient", id="client-package-sync"),
        pytest.param("outpour.testing.client", "AsyncTestClient", id="client-package-async"),
        pytest.param("outpour.testing.client.sync_client", "TestClient", id="sync-client"),
        pytest.param("outpour.testing.client.async_client", "AsyncTestClient", id="async-client"),
        pytest.param("outpour.testing.client.subprocess_client", "subprocess_sync_client", id="subprocess-sync"),
        pytest.param("outpour.testing.client.subprocess_client", "subprocess_async_client", id="subprocess-async"),
        pytest.param("outpour.testing.client.subprocess_client", "StartupError", id="startup-error"),
    ],
)
def test_name_is_the_public_object(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is getattr(outpour.testing, name)


def test_run_app_is_exported_with_the_subprocess_clients() -> None:
    from outpour.testing._subprocess import run_app
    from outpour.testing.client import run_app as from_package
    from outpour.testing.client.subprocess_client import run_app as from_module

    assert from_package is from_module is run_app
