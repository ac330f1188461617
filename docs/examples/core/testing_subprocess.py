"""A live server: ``subprocess_sync_client`` runs this module's ``app`` under uvicorn and stops it afterwards."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

from outpour import Outpour, get
from outpour.response import ServerSentEvent
from outpour.testing import subprocess_sync_client


async def ticks() -> AsyncGenerator[str, None]:
    for number in range(3):
        yield f"tick {number}"


@get("/ticks")
async def stream_ticks() -> ServerSentEvent:
    return ServerSentEvent(ticks())


app = Outpour([stream_ticks])


def test_ticks_over_a_real_socket() -> None:
    with subprocess_sync_client(workdir=Path(__file__).parent, app="testing_subprocess:app") as client:
        with client.stream("GET", "/ticks") as response:
            data = [line for line in response.iter_lines() if line.startswith("data:")]
        assert data == ["data: tick 0", "data: tick 1", "data: tick 2"]
