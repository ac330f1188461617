"""Registering routers: a router never contains itself, directly or through its sub-routers."""

from __future__ import annotations

import pytest

from outpour import Outpour, Router, get
from outpour.exceptions import ImproperlyConfiguredException
from outpour.testing import TestClient


@get("/ping", sync_to_thread=False)
def ping() -> str:
    return "pong"


def test_a_router_refuses_to_register_itself() -> None:
    router = Router("/api", route_handlers=[ping])

    with pytest.raises(ImproperlyConfiguredException, match=r"`/api` cannot be registered on itself"):
        router.register(router)

    assert router.route_handlers == [ping]  # the refused value was not kept


def test_an_app_refuses_to_register_itself() -> None:
    app = Outpour([ping])

    with pytest.raises(ImproperlyConfiguredException, match="cannot be registered on itself"):
        app.register(app)

    with TestClient(app) as client:  # the app still serves what it served
        assert client.get("/ping").text == "pong"


@pytest.mark.parametrize(
    "depth",
    [
        pytest.param(1, id="router-inside-itself"),
        pytest.param(2, id="through-one-sub-router"),
        pytest.param(3, id="through-two-sub-routers"),
    ],
)
def test_a_router_cycle_is_refused_when_the_app_is_created(depth: int) -> None:
    top = Router("/top", route_handlers=[ping])
    inner = top
    for level in range(depth - 1):
        child = Router(f"/level{level}", route_handlers=[])
        inner.register(child)
        inner = child
    inner.route_handlers.append(top)  # bypasses `register`'s own check, as a list given at construction would

    with pytest.raises(
        ImproperlyConfiguredException, match=r"Router `/top` is registered inside itself \(`/` -> `/top`"
    ):
        Outpour([top])


def test_a_router_registered_under_two_parents_is_no_cycle() -> None:
    shared = Router("/shared", route_handlers=[ping])
    app = Outpour([Router("/a", route_handlers=[shared]), Router("/b", route_handlers=[shared])])

    with TestClient(app) as client:
        assert [client.get(path).text for path in ("/a/shared/ping", "/b/shared/ping")] == ["pong", "pong"]
