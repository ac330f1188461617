"""``AbstractMiddleware`` and ``ASGIMiddleware`` exclusions: path patterns (mounted apps included) and the ``/`` warning."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from outpour import MediaType, asgi, get
from outpour.datastructures import MutableScopeHeaders
from outpour.exceptions import OutpourWarning
from outpour.middleware import AbstractMiddleware, ASGIMiddleware, DefineMiddleware
from outpour.response.base import ASGIResponse
from outpour.testing import create_test_client
from outpour.types import ASGIApp, Message, Receive, Scope, Send


class Marking(AbstractMiddleware):
    """Adds ``x-marked: 1`` to the responses it sees."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("x-marked", "1")
            await send(message)

        await self.app(scope, receive, marked)


class MarkingASGI(ASGIMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("x-marked", "1")
            await send(message)

        await next_app(scope, receive, marked)


@get("/123", sync_to_thread=False)
def numbered() -> str:
    return "numbered"


@get("/456", sync_to_thread=False)
def other() -> str:
    return "other"


@asgi("/mount", is_mount=True)
async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
    await ASGIResponse(body=scope["path"].encode(), media_type=MediaType.TEXT)(scope, receive, send)


def _marked(middleware: Any, path: str) -> tuple[str, bool]:
    with create_test_client([numbered, other, mounted], middleware=[middleware]) as client:
        response = client.get(path)
    return response.text, "x-marked" in response.headers


@pytest.mark.parametrize(
    "middleware",
    [
        pytest.param(DefineMiddleware(Marking, exclude=r"^/123"), id="abstract"),
        pytest.param(type("Excluding", (MarkingASGI,), {"exclude_path_pattern": r"^/123"})(), id="asgi"),
    ],
)
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/123", ("numbered", False), id="excluded"),
        pytest.param("/456", ("other", True), id="not-excluded"),
        # The mounted app sees `/123`, but the pattern is matched against the path the client asked for.
        pytest.param("/mount/123", ("/123", True), id="mounted-app"),
    ],
)
def test_exclude_patterns_match_the_requested_path(middleware: Any, path: str, expected: tuple[str, bool]) -> None:
    assert _marked(middleware, path) == expected


def test_a_pattern_matching_the_mount_path_excludes_the_mounted_app() -> None:
    assert _marked(DefineMiddleware(Marking, exclude=r"^/mount/"), "/mount/123") == ("/123", False)


@pytest.mark.parametrize(
    "exclude",
    [pytest.param("/", id="alone"), pytest.param(["/health", "/"], id="in-a-list")],
)
def test_an_exclude_pattern_of_slash_warns_that_the_middleware_never_runs(exclude: str | list[str]) -> None:
    class Skipped(Marking):
        pass

    with pytest.warns(OutpourWarning, match=r"Middleware 'Skipped' exclude pattern `/` matches every path"):
        create_test_client([numbered], middleware=[DefineMiddleware(Skipped, exclude=exclude)])


def test_an_asgi_middleware_excluding_slash_warns_too() -> None:
    class Skipped(MarkingASGI):
        exclude_path_pattern = "/"

    with pytest.warns(OutpourWarning, match=r"Middleware 'Skipped' exclude pattern `/`"):
        create_test_client([numbered], middleware=[Skipped()])


@pytest.mark.parametrize("exclude", ["^/$", "/health", ["^/$", "^/static/"]])
def test_anchored_or_longer_patterns_do_not_warn(exclude: str | list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        create_test_client([numbered], middleware=[DefineMiddleware(Marking, exclude=exclude)])
