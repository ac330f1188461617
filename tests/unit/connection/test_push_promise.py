"""``Request.send_push_promise``: HTTP/2 server push through the ASGI ``http.response.push`` extension."""

from __future__ import annotations

from typing import Any

import pytest

from outpour import Request, get
from outpour.exceptions import OutpourException, OutpourWarning
from outpour.testing import RequestFactory, TestClient, create_test_client
from outpour.types import Message


@pytest.mark.anyio
async def test_a_push_repeats_the_headers_that_choose_the_representation() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    factory_request = RequestFactory().get(
        "/page",
        headers={"accept": "text/css", "accept-language": "fr", "user-agent": "ua", "authorization": "secret"},
    )
    scope: dict[str, Any] = {**factory_request.scope, "extensions": {"http.response.push": {}}}
    await Request(scope, send=send).send_push_promise("/style.css")
    assert sent == [
        {
            "type": "http.response.push",
            "path": "/style.css",
            "headers": [(b"accept", b"text/css"), (b"accept-language", b"fr"), (b"user-agent", b"ua")],
        }
    ]


def test_without_server_support_a_push_warns_or_raises() -> None:
    @get("/", sync_to_thread=False)
    async def page(request: Request) -> str:
        with pytest.warns(
            OutpourWarning, match="Attempted to send a push promise for `/a.css`, but the server does not support"
        ):
            await request.send_push_promise("/a.css")
        with pytest.raises(
            OutpourException, match=r"push promise for `/b.css`.* Check `request.scope\['extensions'\]`"
        ):
            await request.send_push_promise("/b.css", raise_if_unavailable=True)
        return "ok"

    with create_test_client([page], raise_server_exceptions=True) as client:
        assert client.get("/").text == "ok"


def test_the_test_client_drops_a_push_and_gets_the_response() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # the lifespan: nothing to start
            return
        scope["extensions"]["http.response.push"] = {}  # a push-enabled server, as the app sees it
        await Request(scope, receive, send).send_push_promise("/style.css")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"page"})

    with TestClient(app) as client:
        response = client.get("/")
    assert (response.status_code, response.text) == (200, "page")
