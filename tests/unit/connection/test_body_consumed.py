"""Reading a body that ``stream()`` consumed is Litestar's "stream consumed" ``InternalServerException``."""

from __future__ import annotations

import pytest

from outpour import Request, post
from outpour.connection import BodyConsumedError
from outpour.exceptions import InternalServerException
from outpour.testing import create_test_client


def test_body_after_stream_is_an_internal_server_exception() -> None:
    outcome: list[str] = []

    @post("/", status_code=200)
    async def handler(request: Request) -> str:
        chunks = b"".join([chunk async for chunk in request.stream()])
        try:
            await request.body()
        except InternalServerException as exc:
            outcome.append(f"{type(exc).__name__} {exc.status_code}")
        return chunks.decode()

    with create_test_client([handler]) as client:
        assert client.post("/", content=b"abc").text == "abc"
    assert outcome == ["BodyConsumedError 500"]
    assert issubclass(BodyConsumedError, RuntimeError)


def test_an_unhandled_one_is_a_generic_500(caplog: pytest.LogCaptureFixture) -> None:
    @post("/", status_code=200)
    async def handler(request: Request) -> str:
        async for _ in request.stream():
            pass
        return (await request.body()).decode()

    with create_test_client([handler]) as client:
        response = client.post("/", content=b"abc")
    assert (response.status_code, response.json()) == (500, {"status_code": 500, "detail": "Internal Server Error"})
    assert "The request body was already consumed by `stream()`" in caplog.text
