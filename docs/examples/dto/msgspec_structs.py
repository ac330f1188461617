"""`MsgspecDTO`: the same DTOs for msgspec Structs; a field is marked in its `msgspec.Meta(extra=...)`."""

from __future__ import annotations

from typing import Annotated

import msgspec

from outpour import Outpour, post
from outpour.dto import DTOConfig, MsgspecDTO, dto_field


class Order(msgspec.Struct):
    item_name: str
    quantity: int
    status: Annotated[str, msgspec.Meta(extra=dto_field("read-only"))] = "received"


class OrderDTO(MsgspecDTO[Order]):
    config = DTOConfig(rename_strategy="camel")


@post("/orders", dto=OrderDTO)
async def place_order(data: Order) -> Order:
    return data


app = Outpour([place_order])
