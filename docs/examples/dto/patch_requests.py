"""PATCH with a partial DTO: the client sends any subset of the fields, and only those are updated."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, patch
from outpour.dto import DataclassDTO, DTOConfig, DTOData
from outpour.exceptions import NotFoundException


@dataclass
class Person:
    id: int
    name: str
    age: int


class PatchDTO(DataclassDTO[Person]):
    config = DTOConfig(exclude={"id"}, partial=True)


people = {1: Person(id=1, name="Peter", age=40)}


@patch("/people/{person_id:int}", dto=PatchDTO, return_dto=DataclassDTO[Person])
async def update_person(person_id: int, data: DTOData[Person]) -> Person:
    if person_id not in people:
        raise NotFoundException(f"No person {person_id}")
    return data.update_instance(people[person_id])


app = Outpour([update_person])
