"""Guards of ASGI route handlers: every layer's guards run, in layer order, before the ASGI app is called."""

from __future__ import annotations

from typing import Any

import pytest

from outpour import Outpour, Router, asgi
from outpour.connection import ASGIConnection
from outpour.exceptions import NotAuthorizedException, PermissionDeniedException
from outpour.handlers import BaseRouteHandler
from outpour.response import ASGIResponse
from outpour.testing import TestClient
from outpour.types import Receive, Scope, Send


@pytest.fixture(params=[pytest.param(False, id="fast"), pytest.param(True, id="general")], autouse=True)
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build the apps of a test on the specialised request paths, then on the general one."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


calls: list[str] = []


def needs_header(name: str) -> Any:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        calls.append(name)
        if name not in connection.headers:
            raise PermissionDeniedException(f"missing {name}")

    return guard


def opt_in(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    calls.append("opt")
    if not handler.opt.get("open"):
        raise NotAuthorizedException("closed")


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    calls.append("app")
    await ASGIResponse(body=b"hello")(scope, receive, send)


def _app(**handler_options: Any) -> Outpour:
    calls.clear()
    mounted = asgi("/hello", guards=[needs_header("x-handler")], **handler_options)(hello)
    router = Router("/api", route_handlers=[mounted], guards=[needs_header("x-router")])
    return Outpour([router], guards=[needs_header("x-app")])


@pytest.mark.parametrize(
    ("headers", "status", "body", "called"),
    [
        pytest.param({}, 403, {"status_code": 403, "detail": "missing x-app"}, ["x-app"], id="app-refuses"),
        pytest.param(
            {"x-app": "1"},
            403,
            {"status_code": 403, "detail": "missing x-router"},
            ["x-app", "x-router"],
            id="router-refuses",
        ),
        pytest.param(
            {"x-app": "1", "x-router": "1"},
            403,
            {"status_code": 403, "detail": "missing x-handler"},
            ["x-app", "x-router", "x-handler"],
            id="handler-refuses",
        ),
    ],
)
def test_a_refusing_guard_answers_before_the_app_runs(
    headers: dict[str, str], status: int, body: dict[str, Any], called: list[str]
) -> None:
    with TestClient(_app()) as client:
        response = client.get("/api/hello", headers=headers)
    assert (response.status_code, response.json(), calls) == (status, body, called)


def test_the_app_runs_when_every_guard_passes() -> None:
    with TestClient(_app()) as client:
        response = client.get("/api/hello", headers={"x-app": "1", "x-router": "1", "x-handler": "1"})
    assert (response.status_code, response.text, calls) == (200, "hello", ["x-app", "x-router", "x-handler", "app"])


@pytest.mark.parametrize(
    ("opt", "status"), [pytest.param({}, 401, id="closed"), pytest.param({"open": True}, 200, id="open")]
)
def test_a_sync_guard_reads_the_handlers_opt(opt: dict[str, Any], status: int) -> None:
    calls.clear()
    with TestClient(Outpour([asgi("/", guards=[opt_in], opt=opt)(hello)])) as client:
        assert client.get("/").status_code == status


def test_an_asgi_handler_without_guards_runs_as_before() -> None:
    calls.clear()
    with TestClient(Outpour([asgi("/", is_mount=True)(hello)])) as client:
        assert client.get("/anything/below").text == "hello"
    assert calls == ["app"]
