"""The specialised request paths against the general one (``OUTPOUR_GENERAL_PATH=1``, see ``docs/dev/``).

Each test here builds its app on both paths, whatever the environment of the run, and checks the same answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from outpour import Outpour, Response, get
from outpour.response import ServerSentEvent, Stream
from outpour.testing import create_test_client


@pytest.fixture(params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build the apps of a test on the specialised paths, then on the general path."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


def _runner(app: Outpour, name: str) -> str:
    plan = next(p for p in app.plans if p.handler.handler_name == name and p.method == "GET")
    return plan._build().__name__


@get("/items/{item_id:int}")
async def search(item_id: int, q: int, tag: str = "none") -> dict[str, Any]:
    return {"item_id": item_id, "q": q, "tag": tag}


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        pytest.param("/items/1?q=2", 200, {"item_id": 1, "q": 2, "tag": "none"}, id="ok"),
        pytest.param(
            "/items/1?tag=a",
            400,
            {"status_code": 400, "detail": "Missing required query parameter 'q' for path /items/1"},
            id="missing-required",
        ),
        pytest.param(
            "/items/1?q=x",
            400,
            {
                "status_code": 400,
                "detail": "Validation failed for GET /items/1?q=x",
                "extra": [{"message": "Expected `int`, got `str`", "key": "q", "source": "query"}],
            },
            id="invalid",
        ),
    ],
)
def test_query_parameters_of_an_async_handler(general: bool, url: str, status: int, body: dict[str, Any]) -> None:
    # Issue 13, item 6: dropping the 400 for a missing required query parameter in the fast path must fail here.
    with create_test_client([search], openapi_config=None) as client:
        assert _runner(client.app, "search") == ("run_general" if general else "run_path_and_query")
        response = client.get(url)
    assert (response.status_code, response.json()) == (status, body)


@get("/api/x", sync_to_thread=False)
def api_x() -> str:
    return "api-x"


@get("/x", sync_to_thread=False)
def x() -> str:
    return "x"


@pytest.mark.parametrize("url", [pytest.param("/api/x", id="exact"), pytest.param("/api/x/", id="trailing-slash")])
def test_a_static_path_under_a_root_path_is_routed_without_it(general: bool, url: str) -> None:
    # The app's exact-path lookup once answered `/api/x` here, where the matcher strips `root_path` and answers `/x`.
    with create_test_client([api_x, x], root_path="/api", openapi_config=None) as client:
        assert client.get(url).text == "x"


def _chunks() -> Iterator[str]:
    yield "a"
    yield "b"


@get("/plain", sync_to_thread=False)
def plain() -> dict[str, int]:
    return {"a": 1}


@get("/response", sync_to_thread=False)
def response() -> Response[str]:
    return Response("r", headers={"x-a": "1"})


@get("/stream", sync_to_thread=False)
def stream() -> Stream:
    return Stream(_chunks())


@get("/sse", sync_to_thread=False)
def sse() -> ServerSentEvent:
    return ServerSentEvent(_chunks())


def test_every_kind_of_value_is_sent_alike(general: bool) -> None:
    with create_test_client([plain, response, stream, sse], openapi_config=None) as client:
        assert (client.app._static == {}) is general
        assert {_runner(client.app, n) for n in ("plain", "response", "stream", "sse")} == (
            {"run_general"} if general else {"run_sync_no_params"}
        )
        answers = {path: client.get(path) for path in ("/plain", "/response", "/stream", "/sse")}
    assert answers["/plain"].json() == {"a": 1}
    assert answers["/plain"].headers["content-type"] == "application/json"
    assert (answers["/response"].text, answers["/response"].headers["x-a"]) == ("r", "1")
    assert answers["/stream"].text == "ab"
    assert answers["/sse"].text == "data: a\r\n\r\ndata: b\r\n\r\n"
