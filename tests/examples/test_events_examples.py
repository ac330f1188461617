"""The events docs examples run and behave as documented."""

from __future__ import annotations

import logging

import pytest

from docs.examples.events import custom_backend, user_events
from outpour.testing import TestClient


def test_listeners_act_on_the_events_handlers_emit() -> None:
    user_events.outbox.clear()
    with TestClient(user_events.app) as client:
        created = client.post("/users", json={"email": "ann@example.com", "name": "Ann"})
        deleted = client.post("/users/delete", json={"email": "bob@example.com", "reason": "moved away"})
    # Leaving the `with` block shuts the app down, which waits for the listeners still running.
    assert (created.status_code, created.text) == (201, "created Ann")
    assert (deleted.status_code, deleted.text) == (200, "deleted bob@example.com")
    assert sorted(user_events.outbox) == [
        "audit: ann@example.com",
        "audit: bob@example.com",
        "mail to ann@example.com: welcome!",
        "mail to bob@example.com: goodbye",
        "ticket: account closed (moved away)",
    ]


def test_a_custom_emitter_logs_each_event_and_still_delivers_it(caplog: pytest.LogCaptureFixture) -> None:
    custom_backend.received.clear()
    with caplog.at_level(logging.INFO, logger="shop.events"), TestClient(custom_backend.app) as client:
        assert client.get("/orders/7/pay").text == "paid"
    assert custom_backend.received == [7]
    assert [record.getMessage() for record in caplog.records if record.name == "shop.events"] == [
        "event order_paid, 1 listener(s)"
    ]
