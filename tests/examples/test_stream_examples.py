"""The streaming, server-sent event and background task docs examples run and behave as documented."""

from __future__ import annotations

import logging
import re

import msgspec
import pytest

from docs.examples.responses import (
    background_tasks_1,
    background_tasks_2,
    background_tasks_3,
    sse_responses,
    sse_resume,
    streaming_responses,
)
from outpour.testing import TestClient


def events(body: str) -> list[dict[str, str]]:
    """Split an event stream into its events' fields (comments dropped, data lines joined)."""
    parsed = []
    for block in re.split(r"\r\n\r\n", body):
        fields: dict[str, str] = {}
        for line in block.split("\r\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = f"{fields[name]}\n{value}" if name in fields else value
        if fields:
            parsed.append(fields)
    return parsed


def test_streaming_time() -> None:
    with TestClient(streaming_responses.app) as client, client.stream("GET", "/time?ticks=3") as response:
        lines = [msgspec.json.decode(line) for line in response.iter_lines()]
        content_type = response.headers["content-type"]
    assert content_type == "application/x-ndjson"
    assert [line["tick"] for line in lines] == [0, 1, 2]
    assert all(line["time"].endswith("Z") for line in lines)


def test_streaming_countdown_from_a_sync_generator_function() -> None:
    with TestClient(streaming_responses.app) as client:
        response = client.get("/countdown")
    assert response.text == "3...\n2...\n1...\nliftoff!\n"
    assert "content-length" not in response.headers


def test_sse_yield_kinds() -> None:
    with TestClient(sse_responses.app) as client:
        response = client.get("/scores")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert "connection" not in response.headers
    got = events(response.text)
    # `retry_duration` goes with every plain value, as in Litestar; a dict or message event has its own fields only
    assert got[0:5] == [
        {"retry": "3000", "data": "1"},
        {"data": "goal number 1", "retry": "3000"},
        {"data": "score: 1-0", "retry": "3000"},
        {"id": "1", "event": "points", "data": "10"},
        {"event": "status", "data": "half 1\nstill playing"},
    ]
    assert len(got) == 3 * 5
    assert ": from the stadium\r\n" in response.text


@pytest.mark.parametrize(
    ("last_event_id", "expected_ids"),
    [
        pytest.param(None, ["0", "1", "2", "3"], id="first-connection"),
        pytest.param("1", ["2", "3"], id="resume-after-1"),
        pytest.param("3", [], id="nothing-new"),
        pytest.param("junk", ["0", "1", "2", "3"], id="unknown-id-starts-over"),
    ],
)
def test_sse_resumes_from_last_event_id(last_event_id: str | None, expected_ids: list[str]) -> None:
    headers = {"last-event-id": last_event_id} if last_event_id is not None else {}
    with TestClient(sse_resume.app) as client:
        response = client.get("/headlines", headers=headers)
    got = events(response.text)
    assert [e["id"] for e in got] == expected_ids
    assert all(e["event"] == "headline" for e in got)
    assert [e["data"] for e in got] == [sse_resume.HEADLINES[int(i)] for i in expected_ids]


def test_background_task_on_the_response(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.INFO, logger=background_tasks_1.__name__),
        TestClient(background_tasks_1.app) as client,
    ):
        response = client.get("/welcome", params={"name": "Ada"})
    assert response.json() == {"welcome": "Ada"}
    assert [r.getMessage() for r in caplog.records if r.name == background_tasks_1.__name__] == ["welcome: greeted Ada"]


def test_background_task_on_the_decorator(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.INFO, logger=background_tasks_2.__name__),
        TestClient(background_tasks_2.app) as client,
    ):
        response = client.get("/status")
    assert response.json() == {"status": "ok"}
    assert [r.getMessage() for r in caplog.records if r.name == background_tasks_2.__name__] == [
        "status: status was checked"
    ]


def test_several_background_tasks(caplog: pytest.LogCaptureFixture) -> None:
    background_tasks_3.visitors.clear()
    with (
        caplog.at_level(logging.INFO, logger=background_tasks_3.__name__),
        TestClient(background_tasks_3.app) as client,
    ):
        response = client.get("/guest-book", params={"name": "Grace"})
    assert response.json() == {"signed": "Grace"}
    assert background_tasks_3.visitors == {"Grace"}
    assert [r.getMessage() for r in caplog.records if r.name == background_tasks_3.__name__] == [
        "Grace signed the guest book"
    ]
