"""Names of the injectable types resolve without a run-time import, as Litestar's default signature namespace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour import get
from outpour.testing import create_test_client

if TYPE_CHECKING:
    from outpour import Request
    from outpour.datastructures import Headers, ImmutableState, State
    from outpour.types import Receive, Scope, Send


@get("/", sync_to_thread=False)
def handler(request: Request, state: State, headers: Headers, scope: Scope, send: Send, receive: Receive) -> list[str]:
    return [type(request).__name__, type(state).__name__, type(headers).__name__, scope["type"]]


def uses_immutable_state(state: ImmutableState) -> str:
    return type(state).__name__


def test_type_checking_only_imports_of_the_injectable_types_resolve() -> None:
    with create_test_client([handler]) as client:
        assert client.get("/").json() == ["Request", "State", "Headers", "http"]
    parsed = get("/immutable", sync_to_thread=False)(uses_immutable_state).parsed_fn_signature
    assert parsed.parameters["state"].annotation.__name__ == "ImmutableState"


class WebSocketScope:
    """A class of this module named like one of the default names: the module's own name wins."""


def test_the_modules_own_names_come_first() -> None:
    def takes(value: WebSocketScope) -> None:
        return None

    assert get("/own")(takes).parsed_fn_signature.parameters["value"].annotation is WebSocketScope
