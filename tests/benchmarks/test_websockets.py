"""Smoke tests of the WebSocket benchmark: every app echoes correctly in process, a wrong echo fails, idle connections."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from benchmarks.apps.websocket import FRAMEWORKS
from benchmarks.inprocess import AsgiHarness, CheckFailed
from benchmarks.websockets import (
    EchoOptions,
    IdleResult,
    echo_round,
    echo_tables,
    idle_table,
    measure_idle,
    run_echo,
)

# The peers' own deprecation warnings are not ours to fail on.
_PEER = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    "framework", [pytest.param(name, id=name, marks=() if name == "outpour" else _PEER) for name in FRAMEWORKS]
)
def test_echo_app_passes_every_check(framework: str) -> None:
    options = EchoOptions(frameworks=[framework], rounds=1, messages=5, warmup=2, seed=0)

    results = run_echo(options)

    if framework != "outpour" and all(result.status == "unavailable" for result in results):
        pytest.skip(f"{framework} is not installed: {results[0].error}")
    assert [(r.endpoint, r.status, r.error) for r in results if r.status not in ("ok", "n/a")] == []
    assert all(len(r.per_request_ns) == 1 and r.per_request_ns[0] > 0 for r in results if r.status == "ok")
    assert "WS /echo (low-level handler)" in echo_tables(results, options)


async def _shouting_echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A wrong echo app: it accepts, then sends every message back in capitals."""
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        await send({"type": "websocket.send", "text": message["text"].upper()})


def test_echo_round_rejects_a_wrong_echo() -> None:
    with pytest.raises(CheckFailed, match="expected the text `a`"):
        asyncio.run(echo_round(AsgiHarness(_shouting_echo), "/echo", ["a", "b"]))


async def _closing_after_disconnect(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A wrong echo app: right echoes, but it sends a close after the client has gone."""
    await receive()
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        await send({"type": "websocket.send", "text": message["text"]})
    await send({"type": "websocket.close", "code": 1000})


def test_echo_round_rejects_a_send_after_the_disconnect() -> None:
    with pytest.raises(CheckFailed, match=r"sent `\['websocket.close'\]` after the client disconnected"):
        asyncio.run(echo_round(AsgiHarness(_closing_after_disconnect), "/echo", ["a"]))


def test_idle_connections_to_outpour_under_uvicorn() -> None:
    pytest.importorskip("websockets")
    pytest.importorskip("uvicorn")

    before, with_connections = asyncio.run(measure_idle("outpour", connections=20))

    assert 0 < before <= with_connections + 1024  # KiB; the RSS may shrink a little, never by a MiB


def test_idle_table_compares_growth_per_connection_with_starlette() -> None:
    results = [
        IdleResult("outpour", 1000, [40 * 1024], [50 * 1024]),
        IdleResult("starlette", 1000, [38 * 1024], [58 * 1024]),
        IdleResult("litestar", 1000, error="RuntimeError: uvicorn exited with status 1"),
    ]

    table = idle_table(results)

    assert "| outpour   |             40.0 |                  50.0 |               10.2 |       0.50x | 10.2" in table
    assert "error: RuntimeError: uvicorn exited with status 1" in table
