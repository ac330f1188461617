"""Static checks of the public types: mypy checks this file (``assert_type``); pytest runs it as a smoke test."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, assert_type

from outpour import Controller, Outpour, Request, Response, Router, get, post
from outpour.background_tasks import BackgroundTask
from outpour.concurrency import sync_to_thread
from outpour.file_system import BaseLocalFileSystem, LinkableFileSystem, SymlinkResolver
from outpour.handlers import HTTPRouteHandler
from outpour.openapi.spec import OpenAPI
from outpour.testing import TestClient
from outpour.types import Empty, EmptyType, HTTPResponseStartEvent


@get("/")
async def index() -> dict[str, int]:
    return {"a": 1}


@post("/items")
async def create(data: dict[str, Any], request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    return Response(data, status_code=201)


def greet(name: str, times: int = 1) -> None:
    return None


def test_decorated_handlers_keep_their_type() -> None:
    assert_type(index, HTTPRouteHandler)
    assert_type(create, HTTPRouteHandler)
    assert isinstance(index, HTTPRouteHandler)


def test_response_is_generic_over_its_content() -> None:
    response = Response({"a": 1})
    assert_type(response, Response[dict[str, int]])
    assert_type(response.content, dict[str, int])


def test_background_task_checks_arguments() -> None:
    task = BackgroundTask(greet, "ann", times=2)
    assert task.args == ("ann",)
    # A wrong argument is a type error: if mypy stopped seeing it, this ignore would be reported as unused.
    BackgroundTask(greet, 1)  # type: ignore[arg-type]


def test_app_and_client_types() -> None:
    app = Outpour(route_handlers=[index])
    with TestClient(app) as client:
        assert_type(client.app, Outpour)
        assert client.get("/").json() == {"a": 1}


def test_app_methods_from_issue_14_are_typed() -> None:
    app = Outpour(route_handlers=[index])
    assert_type(Outpour.from_scope({"type": "http", "app": app}), Outpour)
    assert_type(app.openapi_schema, OpenAPI)
    assert_type(app.openapi_schema.to_schema(), dict[str, Any])
    manager: AbstractAsyncContextManager[None] = app.lifespan()
    assert manager is not None
    assert_type(Controller().as_router(), Router)
    resolver: SymlinkResolver | None = LinkableFileSystem.get_symlink_resolver(BaseLocalFileSystem())
    assert resolver is not None


def test_empty_narrows_to_the_given_type() -> None:
    def increment(value: int | EmptyType = Empty) -> int:
        if value is Empty:
            return 0
        assert_type(value, int)
        return value + 1

    assert (increment(), increment(1)) == (0, 2)


def test_sync_to_thread_checks_arguments_and_keeps_the_result_type() -> None:
    async def run() -> None:
        assert_type(await sync_to_thread(greet, "ann", times=2), None)
        await sync_to_thread(greet, 1)  # type: ignore[arg-type]

    assert callable(run)


def test_asgi_events_are_typed_dicts() -> None:
    start: HTTPResponseStartEvent = {"type": "http.response.start", "status": 200, "headers": []}
    assert_type(start["status"], int)
