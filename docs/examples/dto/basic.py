"""A DTO reads the request body into the model and writes the returned model: `dto=` and `return_dto=`."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from outpour import Outpour, get, post
from outpour.dto import DataclassDTO, DTOConfig


@dataclass
class User:
    name: str
    email: str
    id: UUID = field(default_factory=uuid4)


class UserWriteDTO(DataclassDTO[User]):
    """What clients send: everything but the `id`, which the server makes."""

    config = DTOConfig(exclude={"id"})


class UserReadDTO(DataclassDTO[User]):
    """What clients receive: everything but the email address."""

    config = DTOConfig(exclude={"email"})


users: dict[UUID, User] = {}


@post("/users", dto=UserWriteDTO, return_dto=UserReadDTO)
async def create_user(data: User) -> User:
    users[data.id] = data
    return data


@get("/users", return_dto=UserReadDTO)
async def list_users() -> list[User]:
    return list(users.values())


app = Outpour([create_user, list_users])
