"""WebSocket listeners: each message arrives decoded as ``data``; what the function returns is sent back."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from outpour import Outpour, websocket_listener


class Order(msgspec.Struct):
    item: str
    quantity: int


@dataclass
class Receipt:
    item: str
    quantity: int
    total: float


@websocket_listener("/echo")
async def echo(data: str) -> str:
    return data


@websocket_listener("/orders")
async def orders(data: Order) -> Receipt:  # JSON in, validated; JSON out
    return Receipt(item=data.item, quantity=data.quantity, total=data.quantity * 2.5)


@websocket_listener("/upper", receive_mode="binary", send_mode="binary")
def upper(data: bytes) -> bytes:  # listeners may be sync functions
    return data.upper()


app = Outpour([echo, orders, upper])
