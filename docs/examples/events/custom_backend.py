"""A custom event emitter: the default one, plus a log line for every event emitted."""

from __future__ import annotations

import logging
from typing import Any

from outpour import Outpour, Request, get
from outpour.events import SimpleEventEmitter, listener

logger = logging.getLogger("shop.events")
received: list[int] = []


class LoggingEventEmitter(SimpleEventEmitter):
    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        logger.info("event %s, %d listener(s)", event_id, len(self.listeners.get(event_id, ())))
        super().emit(event_id, *args, **kwargs)


@listener("order_paid")
async def ship_order(order_id: int) -> None:
    received.append(order_id)


@get("/orders/{order_id:int}/pay")
async def pay(order_id: int, request: Request[Any, Any, Any]) -> str:
    request.app.emit("order_paid", order_id)
    return "paid"


app = Outpour([pay], listeners=[ship_order], event_emitter_backend=LoggingEventEmitter)
