"""Static checks of the events API: mypy checks this file (``assert_type``); pytest runs it as a smoke test."""

from __future__ import annotations

import contextlib
from typing import assert_type

from outpour import Outpour
from outpour.events import BaseEventEmitterBackend, EventListener, SimpleEventEmitter, listener


@listener("user_created")
async def welcome(email: str) -> None:
    return None


def test_a_decorated_listener_is_an_event_listener() -> None:
    assert_type(welcome, EventListener)
    assert_type(welcome.event_ids, frozenset[str])


def test_the_app_takes_listeners_and_an_emitter_class() -> None:
    app = Outpour([], listeners=[welcome], event_emitter_backend=SimpleEventEmitter)
    assert_type(app.event_emitter, BaseEventEmitterBackend)
    # An emitter instance is a type error (the app creates the emitter): if mypy stopped seeing it, this ignore would
    # be reported as unused. The app refuses it too.
    with contextlib.suppress(ValueError):
        Outpour([], event_emitter_backend=SimpleEventEmitter([]))  # type: ignore[arg-type]
