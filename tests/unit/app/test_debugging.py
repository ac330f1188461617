"""``pdb_on_exception`` / ``debugger_module``, ``debug`` and ``pdb_on_exception`` from the environment, and
``experimental_features``: the app's debugging switches, as Litestar's debugging guide describes them."""

from __future__ import annotations

import types
from typing import Any

import pytest

from outpour import Outpour, get, websocket
from outpour.config.app import AppConfig, ExperimentalFeatures
from outpour.connection import WebSocket
from outpour.exceptions import OutpourWarning
from outpour.testing import TestClient

_VARIABLES = ("OUTPOUR_DEBUG", "LITESTAR_DEBUG", "OUTPOUR_PDB", "LITESTAR_PDB")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test without the debugging variables a developer may have set."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build the apps of a test on the specialised request paths, then on the general one."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


class RecordingDebugger:
    """A debugger module stand-in: records the tracebacks ``post_mortem`` is called with."""

    def __init__(self) -> None:
        self.tracebacks: list[types.TracebackType | None] = []

    def post_mortem(self, traceback: types.TracebackType | None = None, *args: Any, **kwargs: Any) -> None:
        self.tracebacks.append(traceback)


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise ValueError("kaboom")


@get("/fine", sync_to_thread=False)
def fine() -> str:
    return "fine"


@websocket("/ws")
async def failing_socket(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    raise RuntimeError("socket kaboom")


def _debugging_app(debugger: RecordingDebugger) -> Outpour:
    with pytest.warns(OutpourWarning, match="Debugger on exception is on"):
        return Outpour([boom, fine, failing_socket], pdb_on_exception=True, debugger_module=debugger)  # type: ignore[arg-type]


def _innermost_frame(traceback: types.TracebackType | None) -> str:
    assert traceback is not None
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    return traceback.tb_frame.f_code.co_name


@pytest.mark.usefixtures("general")
def test_an_exception_stops_in_the_debugger_before_the_error_response() -> None:
    debugger = RecordingDebugger()
    with TestClient(_debugging_app(debugger)) as client:
        assert client.get("/fine").text == "fine"
        assert debugger.tracebacks == []
        response = client.get("/boom")
    assert response.status_code == 500
    assert [_innermost_frame(tb) for tb in debugger.tracebacks] == ["boom"]


@pytest.mark.usefixtures("general")
def test_a_routing_error_stops_in_the_debugger_too() -> None:
    debugger = RecordingDebugger()
    with TestClient(_debugging_app(debugger)) as client:
        response = client.get("/nowhere")
    assert response.json() == {"status_code": 404, "detail": "Not Found"}
    assert len(debugger.tracebacks) == 1


def test_a_websocket_exception_stops_in_the_debugger() -> None:
    debugger = RecordingDebugger()
    with TestClient(_debugging_app(debugger)) as client, client.websocket_connect("/ws") as socket:
        socket.receive()
    assert [_innermost_frame(tb) for tb in debugger.tracebacks] == ["failing_socket"]


def test_without_pdb_on_exception_the_debugger_is_never_called() -> None:
    debugger = RecordingDebugger()
    app = Outpour([boom], debugger_module=debugger)  # type: ignore[arg-type]
    with TestClient(app) as client:
        assert client.get("/boom").status_code == 500
    assert app.pdb_on_exception is False
    module: Any = app.debugger_module
    assert module is debugger
    assert debugger.tracebacks == []


def test_pdb_on_exception_through_an_app_init_hook_warns_and_applies() -> None:
    def switch_on(config: AppConfig) -> AppConfig:
        config.pdb_on_exception = True
        return config

    with pytest.warns(OutpourWarning, match="never in production"):
        app = Outpour([boom], on_app_init=[switch_on])
    assert app.pdb_on_exception is True


_FLAGS = [
    pytest.param({}, None, False, id="unset"),
    pytest.param({"OUTPOUR_{}": "1"}, None, True, id="outpour-variable"),
    pytest.param({"LITESTAR_{}": "1"}, None, True, id="litestar-variable"),
    pytest.param({"OUTPOUR_{}": "0", "LITESTAR_{}": "1"}, None, False, id="outpour-variable-first"),
    pytest.param({"LITESTAR_{}": "yes"}, None, False, id="only-1-is-on"),
    pytest.param({"OUTPOUR_{}": "1"}, False, False, id="argument-false-wins"),
    pytest.param({}, True, True, id="argument-true"),
]


@pytest.mark.parametrize(("variables", "argument", "expected"), _FLAGS)
def test_debug_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], argument: bool | None, expected: bool
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name.format("DEBUG"), value)
    assert Outpour(debug=argument).debug is expected


@pytest.mark.parametrize(("variables", "argument", "expected"), _FLAGS)
@pytest.mark.filterwarnings("ignore:Debugger on exception:outpour.exceptions.OutpourWarning")
def test_pdb_on_exception_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], argument: bool | None, expected: bool
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name.format("PDB"), value)
    assert Outpour(pdb_on_exception=argument).pdb_on_exception is expected


def test_from_config_ignores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTPOUR_DEBUG", "1")
    assert Outpour.from_config(AppConfig()).debug is False  # the config says False


def test_experimental_features_are_kept() -> None:
    app = Outpour(experimental_features=[ExperimentalFeatures.FUTURE])
    assert app.experimental_features == frozenset({ExperimentalFeatures.FUTURE})
    assert Outpour().experimental_features == frozenset()


def test_the_dto_codegen_flag_is_redundant() -> None:
    with pytest.warns(OutpourWarning, match="redundant experimental feature flag DTO_CODEGEN"):
        app = Outpour(experimental_features=[ExperimentalFeatures.DTO_CODEGEN])
    assert app.experimental_features == frozenset({ExperimentalFeatures.DTO_CODEGEN})
