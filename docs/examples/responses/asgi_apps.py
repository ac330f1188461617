"""A handler may return any ASGI application: a function, a method, or an instance with ``__call__``."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.types import ASGIApp, Receive, Scope, Send


async def send_text(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def asgi_function(scope: Scope, receive: Receive, send: Send) -> None:
    await send_text(send, 200, f"function answered {scope['path']}")


class Greeter:
    def __init__(self, greeting: str) -> None:
        self.greeting = greeting

    async def asgi_method(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send_text(send, 200, f"{self.greeting} from a method")


class Teapot:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send_text(send, 418, "an instance with __call__")


@get("/function", sync_to_thread=False)
def function_app() -> ASGIApp:
    return asgi_function


@get("/method", sync_to_thread=False)
def method_app() -> ASGIApp:
    return Greeter("hello").asgi_method


@get("/instance", sync_to_thread=False)
def instance_app() -> ASGIApp:
    return Teapot()


@get("/inline", sync_to_thread=False)
def inline_app() -> ASGIApp:
    async def my_asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
        await send_text(send, 200, "defined in the handler")

    return my_asgi_app


app = Outpour(route_handlers=[function_app, method_app, instance_app, inline_app])
