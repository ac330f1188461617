"""Excluding and renaming nested fields, with paths: `address.id`, `pets.0.id` (0: the list's item type)."""

from __future__ import annotations

from dataclasses import dataclass, field

from outpour import Outpour, get
from outpour.dto import DataclassDTO, DTOConfig


@dataclass
class Address:
    id: int
    street: str
    post_code: str


@dataclass
class Pet:
    id: int
    pet_name: str


@dataclass
class Person:
    id: int
    first_name: str
    address: Address
    pets: list[Pet] = field(default_factory=list)


class PersonDTO(DataclassDTO[Person]):
    config = DTOConfig(exclude={"id", "address.id", "pets.0.id"}, rename_strategy="camel")


@get("/people/me", return_dto=PersonDTO)
async def me() -> Person:
    return Person(1, "Ada", Address(7, "1 Main St", "75001"), pets=[Pet(3, "Rex")])


app = Outpour([me])
