"""``@listener(...)``: which event ids and callables it takes, and how it refuses the rest."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from outpour.events import EventListener, listener
from outpour.exceptions import ImproperlyConfiguredException

pytestmark = pytest.mark.anyio


def test_listener_is_the_event_listener_class() -> None:
    @listener("user_created", "user_deleted")
    async def on_user(**kwargs: Any) -> None: ...

    assert listener is EventListener
    assert isinstance(on_user, EventListener)
    assert on_user.event_ids == frozenset({"user_created", "user_deleted"})


async def test_an_async_listener_is_kept_as_it_is() -> None:
    async def notify(email: str) -> str:
        return f"sent to {email}"

    made = listener("user_created")(notify)
    assert made.fn is notify
    assert await made.fn("ann@example.com") == "sent to ann@example.com"


async def test_a_sync_listener_is_called_in_a_worker_thread() -> None:
    calls: list[tuple[str, int]] = []

    def notify(email: str) -> str:
        calls.append((email, threading.get_ident()))
        return "done"

    made = listener("user_created")(notify)
    assert made.fn.__wrapped__ is notify  # type: ignore[attr-defined]
    assert made.fn.__name__ == "notify"
    assert await made.fn("ann@example.com") == "done"
    assert calls[0][0] == "ann@example.com"
    assert calls[0][1] != threading.get_ident()


def test_repr_names_the_event_ids_and_the_function() -> None:
    @listener("b", "a")
    def on_letters() -> None: ...

    assert repr(on_letters) == (
        "EventListener('a', 'b', fn=test_repr_names_the_event_ids_and_the_function.<locals>.on_letters)"
    )


@pytest.mark.parametrize(
    ("event_ids", "message"),
    [
        pytest.param((), r"`listener\(\)` was given no event id", id="none"),
        pytest.param((["a", "b"],), r"every event id must be a non-empty `str`, got `\['a', 'b'\]`", id="a-list"),
        pytest.param(("a", ""), r"every event id must be a non-empty `str`, got `''`", id="empty"),
        pytest.param(("a", 1), r"every event id must be a non-empty `str`, got `1`", id="an-int"),
    ],
)
def test_event_ids_must_be_strings_given_one_per_argument(event_ids: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        listener(*event_ids)


def test_decorating_something_not_callable_is_refused() -> None:
    with pytest.raises(
        ImproperlyConfiguredException,
        match=r"`@listener\('user_created'\)` decorates a function, but was given `True`, which is not callable",
    ):
        listener("user_created")(True)  # type: ignore[arg-type]
