"""``create_test_client`` and ``create_async_test_client`` build an ``Outpour`` app and a client for it."""

from __future__ import annotations

import inspect
from typing import Any, Literal

import pytest

from outpour import Outpour, Request, Response, get
from outpour.datastructures import ResponseHeader, State
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.testing import AsyncTestClient, TestClient, create_async_test_client, create_test_client


@get("/")
async def hello() -> str:
    return "hello"


@get("/boom")
async def boom() -> str:
    raise KeyError("boom")


@pytest.mark.parametrize(
    "handlers",
    [
        pytest.param([hello], id="list"),
        pytest.param((hello,), id="tuple"),
        pytest.param(hello, id="single-handler"),
    ],
)
@pytest.mark.parametrize("backend", [pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def test_create_test_client(handlers: Any, backend: Literal["asyncio", "trio"]) -> None:
    started: list[bool] = []
    client = create_test_client(
        handlers,
        backend=backend,
        base_url="http://example.org",
        root_path="",
        timeout=5,
        on_startup=[lambda: started.append(True)],
    )
    assert isinstance(client, TestClient)
    assert isinstance(client.app, Outpour)
    assert (client.backend, client.base_url.host) == (backend, "example.org")
    with client:
        assert started == [True]
        assert client.get("/").text == "hello"


def test_create_test_client_without_handlers_answers_404() -> None:
    with create_test_client() as client:
        assert client.get("/").status_code == 404


def test_create_test_client_passes_raise_server_exceptions() -> None:
    with create_test_client([boom], raise_server_exceptions=False) as client:
        assert client.get("/boom").status_code == 500
    assert client.raise_server_exceptions is False


@pytest.mark.anyio
async def test_create_async_test_client() -> None:
    started: list[bool] = []
    client = create_async_test_client([hello], on_startup=[lambda: started.append(True)])
    assert isinstance(client, AsyncTestClient)
    assert isinstance(client.app, Outpour)
    assert started == []
    async with client:
        assert started == [True]
        assert (await client.get("/")).text == "hello"


def test_create_test_client_gives_the_app_options_to_the_app() -> None:
    """Several app options at once, each with an observable effect, plus the client's own."""

    @get("/state")
    async def read_state(state: State, request: Request[Any, Any, State]) -> dict[str, Any]:
        return {"greeting": state.greeting, "opt": request.route_handler.opt["team"], "debug": request.app.debug}

    def add_header(response: Response[Any]) -> Response[Any]:
        response.set_header("x-after", "yes")
        return response

    client = create_test_client(
        route_handlers=read_state,
        path="/api",
        state=State({"greeting": "hi"}),
        opt={"team": "core"},
        debug=True,
        after_request=add_header,
        response_headers=[ResponseHeader(name="x-app", value="outpour")],
        openapi_config=None,
        request_max_header_size=1024,
        base_url="http://example.org",
        raise_server_exceptions=True,
    )
    with client:
        response = client.get("/api/state")
        assert client.get("/schema").status_code == 404  # no OpenAPI document: `openapi_config=None` reached the app
        assert client.get("/api/state", headers={"x-big": "a" * 2000}).status_code == 431
    assert response.json() == {"greeting": "hi", "opt": "core", "debug": True}
    assert (response.headers["x-after"], response.headers["x-app"]) == ("yes", "outpour")
    assert (client.base_url.host, client.raise_server_exceptions) == ("example.org", True)


@pytest.mark.parametrize("helper", [create_test_client, create_async_test_client])
def test_raise_server_exceptions_is_off_by_default(helper: Any) -> None:
    """As in Litestar 3.0 (``TestClient`` itself keeps ``True``)."""
    assert helper([hello]).raise_server_exceptions is False
    assert helper([hello], raise_server_exceptions=True).raise_server_exceptions is True


@pytest.mark.parametrize("helper", [create_test_client, create_async_test_client])
def test_multipart_form_part_limit_reaches_the_app(helper: Any) -> None:
    assert helper([hello], multipart_form_part_limit=10).app.multipart_form_part_limit == 10


@pytest.mark.parametrize("helper", [create_test_client, create_async_test_client])
def test_session_config_installs_its_middleware_first(helper: Any) -> None:
    """As in Litestar, ``session_config``'s middleware goes before the given ``middleware``."""

    def outer(app: Any) -> Any:
        return app

    client = helper([hello], session_config=ServerSideSessionConfig(), middleware=[outer])
    assert [type(m).__name__ for m in client.app.middleware] == ["DefineMiddleware", "function"]
    assert client.app.middleware[0].kwargs["backend"].config == ServerSideSessionConfig()


CLIENT_PARAMETERS = {"backend", "backend_options", "base_url", "raise_server_exceptions", "root_path", "timeout"}


@pytest.mark.parametrize("helper", [create_test_client, create_async_test_client])
def test_every_app_parameter_is_an_outpour_option_of_the_same_type(helper: Any) -> None:
    """The helpers forward their parameters to ``Outpour`` by name: each must exist there, typed and kept alike."""
    app_parameters = inspect.signature(Outpour).parameters
    for name, parameter in inspect.signature(helper).parameters.items():
        if name in CLIENT_PARAMETERS or name in ("route_handlers", "session_config"):
            continue
        assert parameter.kind is parameter.KEYWORD_ONLY, name
        assert parameter.annotation == app_parameters[name].annotation or name == "debug", name
        assert parameter.default == app_parameters[name].default or name == "debug", name
    missing = app_parameters.keys() - inspect.signature(helper).parameters.keys()
    assert missing == set()


def test_parameters_follow_litestar_order() -> None:
    """Litestar's parameters come first, in Litestar's order; outpour's own app options follow."""
    names = list(inspect.signature(create_test_client).parameters)
    assert names[:6] == [
        "route_handlers",
        "after_exception",
        "after_request",
        "after_response",
        "allowed_hosts",
        "backend",
    ]
    assert names[-5:] == [
        "experimental_features",
        "type_decoders",
        "request_max_body_size",
        "debugger_module",
        "request_max_header_size",
    ]
    assert "backend" not in inspect.signature(create_async_test_client).parameters
