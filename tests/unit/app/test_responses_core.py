"""What a handler returns: status code defaults, the body-less check, Response instances, ASGI apps, response classes."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.responses import JSONResponse

from outpour import Controller, MediaType, Outpour, Response, Router, delete, get, patch, post, put
from outpour.background_tasks import BackgroundTask
from outpour.exceptions import ImproperlyConfiguredException
from outpour.status_codes import HTTP_202_ACCEPTED
from outpour.testing import TestClient, create_test_client
from outpour.types import ASGIApp, Receive, Scope, Send


def test_default_status_codes() -> None:
    @get("/r")
    async def read() -> str:
        return "r"

    @post("/r")
    async def create() -> str:
        return "c"

    @put("/r")
    async def replace() -> str:
        return "p"

    @patch("/r")
    async def update() -> str:
        return "u"

    @delete("/r")
    async def remove() -> None:
        return None

    with create_test_client([read, create, replace, update, remove]) as client:
        statuses = [client.request(m, "/r").status_code for m in ("GET", "POST", "PUT", "PATCH", "DELETE")]
    assert statuses == [200, 201, 200, 200, 204]


def test_explicit_status_and_returned_response_status_wins() -> None:
    @get("/accepted", status_code=HTTP_202_ACCEPTED)
    async def accepted() -> dict[str, int]:
        return {"id": 1}

    @get("/teapot", status_code=HTTP_202_ACCEPTED)
    async def teapot() -> Response[str]:
        return Response("short and stout", status_code=418, media_type=MediaType.TEXT)

    with create_test_client([accepted, teapot]) as client:
        assert client.get("/accepted").status_code == 202
        response = client.get("/teapot")
    assert (response.status_code, response.text) == (418, "short and stout")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    "status", [pytest.param(204, id="204"), pytest.param(304, id="304"), pytest.param(101, id="101")]
)
def test_bodyless_status_with_a_return_annotation_is_refused(status: int) -> None:
    @get("/", status_code=status)
    async def handler() -> dict[str, str]:
        return {}

    with pytest.raises(ImproperlyConfiguredException, match="forbids a response body"):
        Outpour(route_handlers=[handler])


def test_bodyless_status_with_none_is_accepted() -> None:
    @get("/", status_code=204)
    async def handler() -> None:
        return None

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert (response.status_code, response.content) == (204, b"")
    assert "content-length" not in response.headers
    assert "content-type" not in response.headers


def test_media_types_on_the_wire() -> None:
    @get("/text", media_type=MediaType.TEXT)
    async def text() -> str:
        return "healthy"

    @get("/html", media_type=MediaType.HTML)
    async def html() -> str:
        return "<b>hi</b>"

    @get("/json")
    async def json() -> dict[str, str]:
        return {"hello": "world"}

    @get("/vendor", media_type="application/vnd.example.resource+json")
    async def vendor() -> dict[str, int]:
        return {"id": 1}

    @get("/implicit-text")
    async def implicit() -> str:
        return "plain"

    with create_test_client([text, html, json, vendor, implicit]) as client:
        rows = {path: client.get(path) for path in ("/text", "/html", "/json", "/vendor", "/implicit-text")}
    assert rows["/text"].headers["content-type"] == "text/plain; charset=utf-8"
    assert rows["/html"].headers["content-type"] == "text/html; charset=utf-8"
    assert rows["/json"].headers["content-type"] == "application/json"
    assert rows["/json"].content == b'{"hello":"world"}'
    assert rows["/vendor"].headers["content-type"] == "application/vnd.example.resource+json"
    assert rows["/vendor"].json() == {"id": 1}
    assert rows["/implicit-text"].headers["content-type"] == "text/plain; charset=utf-8"


def test_returning_asgi_apps() -> None:
    async def asgi_function(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"function"})

    class MethodApp:
        async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
            await asgi_function(scope, receive, send)

    class InstanceApp:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await send({"type": "http.response.start", "status": 201, "headers": []})
            await send({"type": "http.response.body", "body": b"instance"})

    @get("/function")
    async def function() -> ASGIApp:
        return asgi_function

    @get("/method")
    async def method() -> ASGIApp:
        return MethodApp().app

    @get("/instance")
    async def instance() -> ASGIApp:
        return InstanceApp()

    @get("/starlette")
    async def starlette() -> ASGIApp:
        return JSONResponse(content={"hello": "world"})  # type: ignore[return-value]

    with create_test_client([function, method, instance, starlette]) as client:
        assert client.get("/function").text == "function"
        assert client.get("/method").text == "function"
        assert (client.get("/instance").status_code, client.get("/instance").text) == (201, "instance")
        assert client.get("/starlette").json() == {"hello": "world"}


class TextResponse(Response[Any]):
    """Renders everything as text."""

    def render(self, content: Any, media_type: str, enc_hook: Any = None) -> bytes:
        return f"<{content}>".encode()

    def to_asgi_response(self, request: Any, **kwargs: Any) -> Any:
        response = super().to_asgi_response(request, **kwargs)
        response.body = self.render(self.content, "text/plain")
        response.content_length = len(response.body)
        return response


def test_response_class_closest_layer_wins() -> None:
    class TaggedResponse(Response[Any]):
        def to_asgi_response(self, request: Any, **kwargs: Any) -> Any:
            self.set_header("x-class", type(self).__name__)
            return super().to_asgi_response(request, **kwargs)

    class ControllerResponse(TaggedResponse):
        pass

    class C(Controller):
        path = "/c"
        response_class = ControllerResponse

        @get("/")
        async def controller_level(self) -> dict[str, int]:
            return {"a": 1}

        @get("/h", response_class=TaggedResponse)
        async def handler_level(self) -> dict[str, int]:
            return {"a": 1}

    router = Router(path="/r", route_handlers=[C])
    with create_test_client([router], response_class=TextResponse) as client:
        assert client.get("/r/c").headers["x-class"] == "ControllerResponse"
        assert client.get("/r/c/h").headers["x-class"] == "TaggedResponse"


def test_background_on_decorator_runs_after_response() -> None:
    done: list[str] = []

    @get("/", background=BackgroundTask(done.append, "ran"))
    async def handler() -> str:
        return "x"

    with create_test_client([handler]) as client:
        assert client.get("/").text == "x"
    assert done == ["ran"]


def test_unserializable_value_is_a_logged_500(caplog: pytest.LogCaptureFixture) -> None:
    class Opaque:
        pass

    @get("/")
    async def handler() -> Any:
        return {"value": Opaque()}

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "type_encoders" in caplog.text
    assert "Opaque" in caplog.text


def test_layered_cookie_with_expires_is_dated_per_response(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from email.utils import parsedate_to_datetime

    from outpour.datastructures import Cookie

    @get("/", response_cookies=[Cookie(key="timed", value="1", expires=60)])
    async def handler() -> str:
        return "x"

    app = Outpour(route_handlers=[handler])
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    with TestClient(app) as client:
        header = client.get("/").headers["set-cookie"]
    expires = next(part.split("=", 1)[1] for part in header.split("; ") if part.lower().startswith("expires="))
    assert abs(parsedate_to_datetime(expires).timestamp() - (later + 60)) < 2
