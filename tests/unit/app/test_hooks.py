"""Guards and the request hooks: before_request, after_request, after_response; closest layer wins."""

from __future__ import annotations

from typing import Any

from outpour import Controller, MediaType, Request, Response, Router, get
from outpour.exceptions import PermissionDeniedException
from outpour.handlers import BaseRouteHandler
from outpour.testing import create_test_client


def test_guards_from_every_layer_run() -> None:
    calls: list[str] = []

    def guard(name: str) -> Any:
        async def check(connection: Request[Any, Any, Any], handler: BaseRouteHandler) -> None:
            calls.append(name)
            if connection.headers.get("x-deny") == name:
                raise PermissionDeniedException(f"denied by {name}")

        return check

    class C(Controller):
        path = "/c"
        guards = [guard("controller")]  # noqa: RUF012

        @get("/", guards=[guard("handler")])
        async def handler(self) -> str:
            return "ok"

    router = Router(path="/r", route_handlers=[C], guards=[guard("router")])
    with create_test_client([router], guards=[guard("app")]) as client:
        assert client.get("/r/c").text == "ok"
        assert calls == ["app", "router", "controller", "handler"]
        denied = client.get("/r/c", headers={"x-deny": "controller"})
    assert (denied.status_code, denied.json()["detail"]) == (403, "denied by controller")


def test_before_request_can_answer_early_and_closest_wins() -> None:
    def app_hook(request: Request[Any, Any, Any]) -> None:
        return None

    async def handler_hook(request: Request[Any, Any, Any]) -> dict[str, str] | None:
        if request.query_params.get("short"):
            return {"short": "circuit"}
        return None

    @get("/", before_request=handler_hook)
    async def handler() -> dict[str, str]:
        return {"normal": "path"}

    with create_test_client([handler], before_request=app_hook) as client:
        assert client.get("/").json() == {"normal": "path"}
        assert client.get("/?short=1").json() == {"short": "circuit"}


def test_after_request_receives_a_response_of_the_handler_media_type() -> None:
    async def after(response: Response[Any]) -> Response[Any]:
        if response.media_type == MediaType.TEXT:
            return Response({"message": response.content})
        response.set_header("x-after", "yes")
        return response

    @get("/hello")
    async def hello() -> str:
        return "Hello, world"

    @get("/goodbye")
    async def goodbye() -> dict[str, str]:
        return {"message": "Goodbye"}

    with create_test_client([hello, goodbye], after_request=after) as client:
        hello_response = client.get("/hello")
        goodbye_response = client.get("/goodbye")
    assert hello_response.json() == {"message": "Hello, world"}
    assert hello_response.headers["content-type"] == "application/json"
    assert goodbye_response.headers["x-after"] == "yes"


def test_after_response_runs_after_sending() -> None:
    seen: list[str] = []

    def after(request: Request[Any, Any, Any]) -> None:
        seen.append(request.url.path)

    @get("/done")
    async def handler() -> str:
        return "x"

    with create_test_client([handler], after_response=after) as client:
        client.get("/done")
    assert seen == ["/done"]
