"""`DTOData[Model]`: the validated client data, made the model by the handler with values the server adds."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, post
from outpour.dto import DataclassDTO, DTOConfig, DTOData


@dataclass
class Address:
    id: int
    street: str


@dataclass
class Person:
    id: int
    name: str
    address: Address


class WriteDTO(DataclassDTO[Person]):
    config = DTOConfig(exclude={"id", "address.id"})


next_ids = iter(range(1, 1_000_000))


@post("/people", dto=WriteDTO, return_dto=DataclassDTO[Person])
async def create_person(data: DTOData[Person]) -> Person:
    # `address__id` reaches into the nested model: the client sends no ids, the server gives both.
    return data.create_instance(id=next(next_ids), address__id=next(next_ids))


app = Outpour([create_person])
