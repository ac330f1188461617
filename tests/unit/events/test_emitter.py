"""``app.emit`` through the test client: delivery to listeners, failures, the emitter's lifespan and custom backends."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, ClassVar, Literal, cast

import anyio
import pytest

from outpour import Outpour, Request, get, post
from outpour.config.app import AppConfig
from outpour.events import BaseEventEmitterBackend, EventListener, SimpleEventEmitter, listener
from outpour.exceptions import ImproperlyConfiguredException
from outpour.testing import TestClient, create_test_client

Backend = Literal["asyncio", "trio"]


@pytest.fixture(params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def backend(request: pytest.FixtureRequest) -> Backend:
    """The event loop the test client runs the app on."""
    return cast("Backend", request.param)


class Recorder:
    """What the listeners of a test saw, safe to fill from worker threads."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._lock = threading.Lock()

    def __call__(self, *call: Any) -> None:
        with self._lock:
            self.calls.append(call)


def test_a_handler_emits_and_an_async_listener_receives_the_arguments(backend: Backend) -> None:
    seen = Recorder()

    @listener("user_created")
    async def welcome(email: str, *, name: str) -> None:
        seen("welcome", email, name)

    @post("/users")
    async def create_user(data: dict[str, str], request: Request) -> None:
        request.app.emit("user_created", data["email"], name=data["name"])

    with create_test_client([create_user], listeners=[welcome], backend=backend) as client:
        response = client.post("/users", json={"email": "ann@example.com", "name": "Ann"})
    assert response.status_code == 201
    assert seen.calls == [("welcome", "ann@example.com", "Ann")]


def test_a_sync_listener_runs_in_a_worker_thread_not_the_event_loop(backend: Backend) -> None:
    seen = Recorder()

    @listener("ping")
    def record_thread() -> None:
        seen("listener", threading.get_ident())

    @get("/")
    async def ping(request: Request) -> None:
        seen("handler", threading.get_ident())
        request.app.emit("ping")

    with create_test_client([ping], listeners=[record_thread], backend=backend) as client:
        assert client.get("/").status_code == 200
    threads = dict(seen.calls)
    assert set(threads) == {"handler", "listener"}
    assert threads["listener"] != threads["handler"]


def test_every_listener_of_an_event_is_called_and_one_listener_takes_several_events(backend: Backend) -> None:
    seen = Recorder()

    @listener("user_deleted")
    async def farewell(email: str, **kwargs: Any) -> None:
        seen("farewell", email)

    @listener("user_deleted")
    def open_ticket(reason: str, **kwargs: Any) -> None:
        seen("ticket", reason)

    @listener("user_created", "user_deleted")
    async def audit(email: str, **kwargs: Any) -> None:
        seen("audit", email)

    @post("/users/{event:str}", status_code=200)
    async def change(event: str, data: dict[str, str], request: Request) -> None:
        request.app.emit(f"user_{event}", **data)

    with create_test_client(
        [change],
        listeners=[farewell, open_ticket, audit],
        backend=backend,
    ) as client:
        assert client.post("/users/created", json={"email": "a@x"}).status_code == 200
        assert client.post("/users/deleted", json={"email": "b@x", "reason": "moved"}).status_code == 200
    assert sorted(seen.calls) == [("audit", "a@x"), ("audit", "b@x"), ("farewell", "b@x"), ("ticket", "moved")]


def test_emit_returns_before_the_listener_has_finished(backend: Backend) -> None:
    """The response is sent while the listener still waits; the app's shutdown then waits for the listener."""
    released = threading.Event()
    seen = Recorder()

    @listener("slow")
    def slow_listener() -> None:
        seen("started")
        released.wait(5)
        seen("finished")

    @get("/")
    async def fire(request: Request) -> str:
        request.app.emit("slow")
        return "sent"

    with create_test_client([fire], listeners=[slow_listener], backend=backend) as client:
        response = client.get("/")
        assert response.text == "sent"
        assert ("finished",) not in seen.calls
        released.set()
    assert seen.calls == [("started",), ("finished",)]


def test_a_failing_listener_is_logged_and_the_rest_keep_working(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    seen = Recorder()

    @listener("order_paid")
    async def broken(order_id: int) -> None:
        raise ValueError(f"no invoice template for order {order_id}")

    @listener("order_paid")
    def broken_in_a_thread(order_id: int) -> None:
        raise KeyError(order_id)

    @listener("order_paid")
    async def ship(order_id: int) -> None:
        seen("ship", order_id)

    @get("/orders/{order_id:int}/pay")
    async def pay(order_id: int, request: Request) -> str:
        request.app.emit("order_paid", order_id)
        return "paid"

    with (
        caplog.at_level(logging.ERROR, logger="outpour.events"),
        create_test_client(
            [pay],
            listeners=[broken, broken_in_a_thread, ship],
            backend=backend,
        ) as client,
    ):
        first, second = client.get("/orders/1/pay"), client.get("/orders/2/pay")
    assert (first.status_code, first.text, second.status_code) == (200, "paid", 200)
    assert sorted(seen.calls) == [("ship", 1), ("ship", 2)]
    failures = [record for record in caplog.records if record.name == "outpour.events"]
    assert len(failures) == 4
    assert {record.exc_info[0] for record in failures if record.exc_info} == {ValueError, KeyError}
    assert any("EventListener('order_paid', fn=" in record.getMessage() for record in failures)


def test_an_event_nobody_listens_to_is_a_configuration_error(backend: Backend) -> None:
    @listener("user_created")
    async def welcome() -> None: ...

    @get("/")
    async def typo(request: Request) -> None:
        request.app.emit("user_craeted")

    with create_test_client([typo], listeners=[welcome], backend=backend) as client:
        assert client.get("/").status_code == 500
        with pytest.raises(
            ImproperlyConfiguredException,
            match=r"No listener is registered for the event `user_craeted` \(events listened to: `user_created`\)",
        ):
            client.app.emit("user_craeted")


def test_an_app_without_listeners_refuses_every_event() -> None:
    with (
        create_test_client([]) as client,
        pytest.raises(ImproperlyConfiguredException, match=r"\(events listened to: none\)"),
    ):
        client.app.emit("anything")


@pytest.mark.parametrize("has_listener", [pytest.param(True, id="a-listener"), pytest.param(False, id="none")])
def test_emitting_before_start_up_or_after_shutdown_is_a_runtime_error(has_listener: bool) -> None:
    seen = Recorder()

    @listener("tick")
    async def on_tick() -> None:
        seen("tick")

    app = Outpour([], listeners=[on_tick] if has_listener else [])
    message = r"Cannot emit `tick`: the event emitter is not running"
    with pytest.raises(RuntimeError, match=message):
        app.emit("tick")
    with TestClient(app):
        if has_listener:
            app.emit("tick")
    with pytest.raises(RuntimeError, match=message):
        app.emit("tick")
    assert seen.calls == ([("tick",)] if has_listener else [])


def test_events_emitted_from_a_sync_handler_and_from_another_thread_arrive(backend: Backend) -> None:
    seen = Recorder()

    @listener("note")
    async def note(text: str) -> None:
        seen(text)

    @get("/sync", sync_to_thread=True)
    def from_a_worker_thread(request: Request) -> None:
        request.app.emit("note", "from a sync handler")

    with create_test_client([from_a_worker_thread], listeners=[note], backend=backend) as client:
        assert client.get("/sync").status_code == 200
        client.app.emit("note", "from the test's thread")
    assert sorted(seen.calls) == [("from a sync handler",), ("from the test's thread",)]


def test_start_up_hooks_may_emit_and_shutdown_hooks_see_every_listener_done(backend: Backend) -> None:
    seen = Recorder()

    @listener("started")
    async def on_started(app_name: str) -> None:
        await anyio.sleep(0.01)
        seen("listener", app_name)

    def announce(app: Outpour) -> None:
        app.emit("started", app_name="shop")

    def check(app: Outpour) -> None:
        seen("shutdown hook")

    with create_test_client([], listeners=[on_started], on_startup=[announce], on_shutdown=[check], backend=backend):
        pass
    assert seen.calls == [("listener", "shop"), ("shutdown hook",)]


def test_an_on_app_init_hook_may_add_listeners(backend: Backend) -> None:
    seen = Recorder()

    @listener("ping")
    async def pong() -> None:
        seen("pong")

    def add_listener(config: AppConfig) -> AppConfig:
        config.listeners.append(pong)
        return config

    @get("/")
    async def ping(request: Request) -> None:
        request.app.emit("ping")

    with create_test_client([ping], on_app_init=[add_listener], backend=backend) as client:
        assert client.get("/").status_code == 200
    assert seen.calls == [("pong",)]


class RecordingEmitter(BaseEventEmitterBackend):
    """A custom backend: keeps what it is asked to emit, and when it is entered and exited."""

    log: ClassVar[list[Any]] = []

    def __init__(self, listeners: Sequence[EventListener]) -> None:
        super().__init__(listeners)
        self.log.append(("created", sorted(self.listeners)))

    async def __aenter__(self) -> RecordingEmitter:
        self.log.append("entered")
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.log.append("exited")

    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        self.log.append(("emit", event_id, args, kwargs))


def test_a_custom_backend_is_created_with_the_listeners_and_runs_with_the_lifespan() -> None:
    RecordingEmitter.log = []

    @listener("a", "b")
    async def on_letter() -> None: ...

    @get("/")
    async def fire(request: Request) -> None:
        request.app.emit("b", 1, two=2)

    def started() -> None:
        RecordingEmitter.log.append("on_startup")

    with create_test_client(
        [fire],
        listeners=[on_letter],
        event_emitter_backend=RecordingEmitter,
        on_startup=[started],
    ) as client:
        assert isinstance(client.app.event_emitter, RecordingEmitter)
        assert client.get("/").status_code == 200
    assert RecordingEmitter.log == [
        ("created", ["a", "b"]),
        "entered",
        "on_startup",
        ("emit", "b", (1,), {"two": 2}),
        "exited",
    ]


def test_the_default_backend_is_the_simple_emitter() -> None:
    assert isinstance(Outpour([]).event_emitter, SimpleEventEmitter)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            {"event_emitter_backend": SimpleEventEmitter([])},
            r"`event_emitter_backend` must be a subclass of `BaseEventEmitterBackend` \(the class, not an instance\)",
            id="an-instance",
        ),
        pytest.param(
            {"event_emitter_backend": dict},
            r"`event_emitter_backend` must be a subclass of `BaseEventEmitterBackend`.*got `<class 'dict'>`",
            id="another-class",
        ),
        pytest.param(
            {"listeners": [print]},
            r"Every item of `listeners` must be an `EventListener`, got `<built-in function print>`. Decorate",
            id="an-undecorated-function",
        ),
        pytest.param(
            {"listeners": [listener("a")]},
            r"Every item of `listeners` must be an `EventListener`, got `EventListener\('a', fn=None\)`",
            id="a-decorator-never-applied",
        ),
    ],
)
def test_configuration_mistakes_raise_when_the_app_is_created(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Outpour([], **options)


@pytest.mark.anyio
async def test_exiting_the_emitter_waits_for_every_call_emitted() -> None:
    seen = Recorder()

    @listener("count")
    async def count(number: int) -> None:
        await anyio.sleep(0)
        seen(number)

    async with SimpleEventEmitter([count]) as emitter:
        for number in range(50):
            emitter.emit("count", number)
        assert len(seen.calls) < 50
    assert sorted(call[0] for call in seen.calls) == list(range(50))
    with pytest.raises(RuntimeError, match="not running"):
        emitter.emit("count", 0)


@pytest.mark.anyio
async def test_an_emitter_runs_once_at_a_time_and_may_run_again() -> None:
    seen = Recorder()

    @listener("go")
    async def go() -> None:
        seen("go")

    emitter = SimpleEventEmitter([go])
    async with emitter:
        with pytest.raises(RuntimeError, match="running already"):
            await emitter.__aenter__()
        emitter.emit("go")
    async with emitter:
        emitter.emit("go")
    assert seen.calls == [("go",), ("go",)]


@pytest.mark.anyio
async def test_the_app_lifespan_runs_the_emitter() -> None:
    seen = Recorder()

    @listener("go")
    async def go() -> None:
        seen("go")

    app = Outpour([], listeners=[go])
    async with app.lifespan():
        app.emit("go")
    assert seen.calls == [("go",)]
