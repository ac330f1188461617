"""Static checks of the DTO API: mypy checks this file (``assert_type``); pytest runs it as a smoke test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, assert_type

from outpour import post
from outpour.dto import DataclassDTO, DTOConfig, DTOData
from outpour.handlers import HTTPRouteHandler
from outpour.testing import create_test_client


@dataclass
class User:
    name: str
    id: int = 0


class UserDTO(DataclassDTO[User]):
    config = DTOConfig(exclude={"id"})


def test_dto_data_makes_instances_of_its_model() -> None:
    made: list[User] = []

    @post("/", dto=UserDTO, return_dto=None)
    async def create(data: DTOData[User]) -> None:
        user = data.create_instance(id=1)
        assert_type(user, User)
        assert_type(data.update_instance(user), User)
        assert_type(data.as_builtins(), Any)
        made.append(user)

    with create_test_client([create]) as client:
        client.post("/", json={"name": "ann"})
    assert made == [User("ann", 1)]


def test_route_decorators_take_dto_classes() -> None:
    handler = post("/", dto=DataclassDTO[Annotated[User, DTOConfig()]], return_dto=UserDTO)(_create)
    assert_type(handler, HTTPRouteHandler)
    assert handler.dto is not None


async def _create(data: User) -> User:
    return data
