"""A response that always has a body (a stream, a file) with a status code that forbids one is an error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from outpour import delete, get
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response import File, ServerSentEvent, Stream
from outpour.response.file import ASGIFileResponse
from outpour.response.sse import ASGIStreamingSSEResponse
from outpour.response.streaming import ASGIStreamingResponse
from outpour.testing import create_test_client

BODYLESS = [pytest.param(status, id=str(status)) for status in (100, 103, 204, 304)]

SAYS_WHAT_TO_DO = "which forbids a response body .* Return `Response\\(None, status_code={status}\\)`"


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("abc")
    return path


@pytest.mark.parametrize("status", BODYLESS)
@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(lambda status, path: Stream(["a"], status_code=status), "A `Stream`", id="Stream"),
        pytest.param(
            lambda status, path: ServerSentEvent(["a"], status_code=status), "A `ServerSentEvent`", id="ServerSentEvent"
        ),
        pytest.param(lambda status, path: File(path, status_code=status), "A `File`", id="File"),
        pytest.param(
            lambda status, path: ASGIStreamingResponse(iterator=["a"], status_code=status),
            "An `ASGIStreamingResponse`",
            id="ASGIStreamingResponse",
        ),
        pytest.param(
            lambda status, path: ASGIStreamingSSEResponse(iterator=["a"], status_code=status),
            "An `ASGIStreamingSSEResponse`",
            id="ASGIStreamingSSEResponse",
        ),
        pytest.param(
            lambda status, path: ASGIFileResponse(file_path=path, status_code=status),
            "An `ASGIFileResponse`",
            id="ASGIFileResponse",
        ),
    ],
)
def test_a_bodyless_status_given_to_a_stream_or_file_raises_at_construction(
    make: Callable[[int, Path], Any], what: str, status: int, tmp_path: Path
) -> None:
    with pytest.raises(
        ImproperlyConfiguredException,
        match=f"{what} has status code {status}, " + SAYS_WHAT_TO_DO.format(status=status),
    ):
        make(status, _file(tmp_path))


@pytest.mark.parametrize("status", BODYLESS)
@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(lambda path: Stream(["a"]), "A `Stream`", id="Stream"),
        pytest.param(lambda path: ServerSentEvent(["a"]), "A `ServerSentEvent`", id="ServerSentEvent"),
        pytest.param(lambda path: File(path), "A `File`", id="File"),
    ],
)
def test_a_bodyless_status_given_when_the_response_is_built_raises(
    make: Callable[[Path], Any], what: str, status: int, tmp_path: Path
) -> None:
    response = make(_file(tmp_path))
    with pytest.raises(ImproperlyConfiguredException, match=f"{what} has status code {status}, "):
        response.to_asgi_response(None, status_code=status)


@pytest.mark.parametrize("status", [pytest.param(200, id="200"), pytest.param(206, id="206")])
def test_statuses_that_allow_a_body_are_accepted(status: int, tmp_path: Path) -> None:
    path = _file(tmp_path)
    for response in (Stream(["a"], status_code=status), ServerSentEvent(["a"], status_code=status), File(path)):
        assert response.to_asgi_response(None, status_code=status).status_code == status


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: Stream(["a"]), id="Stream"),
        pytest.param(lambda: ServerSentEvent(["a"]), id="ServerSentEvent"),
    ],
)
@pytest.mark.parametrize("general_path", [False, True], ids=["plan", "general"])
def test_a_stream_returned_by_a_bodyless_handler_is_a_500_not_a_silently_dropped_body(
    make: Callable[[], Any], general_path: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler annotated ``-> None`` with status 204 (``@delete``'s default) that returns a stream anyway."""
    if general_path:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")

    @delete("/s")
    async def handler() -> None:
        return make()  # type: ignore[no-any-return]

    with create_test_client([handler], raise_server_exceptions=False) as client:
        response = client.delete("/s")
    assert response.status_code == 500
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert "has status code 204, which forbids a response body" in caplog.text


def test_a_stream_with_a_bodyless_status_is_never_iterated() -> None:
    started: list[str] = []

    def body() -> Any:
        started.append("yes")  # pragma: no cover - never called
        yield "a"  # pragma: no cover

    @get("/s")
    async def handler() -> Stream:
        return Stream(body, status_code=304)

    with create_test_client([handler], raise_server_exceptions=False) as client:
        response = client.get("/s")
    assert response.status_code == 500
    assert started == []
