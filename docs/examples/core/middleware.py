import time

from outpour import Outpour, get
from outpour.datastructures import MutableScopeHeaders
from outpour.middleware import AbstractMiddleware
from outpour.types import Message, Receive, Scope, Send


class TimingMiddleware(AbstractMiddleware):
    exclude = "^/health"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = f"{(time.perf_counter() - start) * 1000:.3f}"
                MutableScopeHeaders.from_message(message).add("server-timing", f"app;dur={elapsed}")
            await send(message)

        await self.app(scope, receive, send_with_timing)


@get("/work")
async def work() -> str:
    return "done"


@get("/health")
async def health() -> str:
    return "ok"


app = Outpour(route_handlers=[work, health], middleware=[TimingMiddleware])
