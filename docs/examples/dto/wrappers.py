"""Return DTOs reach into `Response[Model]`, pagination and generic wrappers of the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from outpour import Outpour, Response, get
from outpour.dto import DataclassDTO, DTOConfig
from outpour.pagination import ClassicPagination

T = TypeVar("T")


@dataclass
class User:
    name: str
    password: str


@dataclass
class WithCount(Generic[T]):
    count: int
    items: list[T]


class UserDTO(DataclassDTO[User]):
    config = DTOConfig(exclude={"password"})


USERS = [User("ada", "secret"), User("grace", "hunter2")]


@get("/users/first", return_dto=UserDTO)
async def first_user() -> Response[User]:
    return Response(USERS[0], headers={"x-total": str(len(USERS))})


@get("/users/page", return_dto=UserDTO)
async def user_page() -> ClassicPagination[User]:
    return ClassicPagination(items=USERS, page_size=2, current_page=1, total_pages=1)


@get("/users/counted", return_dto=UserDTO)
async def counted_users() -> WithCount[User]:
    return WithCount(count=len(USERS), items=USERS)


app = Outpour([first_user, user_page, counted_users])
