"""Testing an app in-process: ``create_test_client`` builds the app, runs its lifespan and returns an httpx client."""

from __future__ import annotations

from outpour import get
from outpour.testing import create_test_client


@get("/")
async def hello() -> str:
    return "Hello"


def test_hello() -> None:
    with create_test_client([hello]) as client:
        assert client.get("/").text == "Hello"
