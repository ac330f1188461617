"""Limit/offset pagination over a SQLAlchemy 2 (async) query; the paginator gets the request's session by injection.

Set ``DATABASE_URL`` to use another database, e.g. ``postgresql+asyncpg://user@localhost/db``; SQLite is the default.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column

from outpour import Outpour, get
from outpour.contrib.sqlalchemy import SQLAlchemyAsyncConfig, SQLAlchemyAsyncOffsetPaginator
from outpour.di import Provide
from outpour.openapi import OpenAPIConfig
from outpour.pagination import OffsetPagination


class Base(MappedAsDataclass, DeclarativeBase):
    pass


# A mapped dataclass: outpour serializes it and documents it like any dataclass.
class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


db = SQLAlchemyAsyncConfig(os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///people.sqlite"), metadata=Base.metadata)


# The statement to paginate; its constructor takes the request's session as `db_session` (see `db.dependencies`).
class PeoplePaginator(SQLAlchemyAsyncOffsetPaginator[Person]):
    statement = select(Person).order_by(Person.id)


@get("/people", dependencies={"paginator": Provide(PeoplePaginator)})
async def list_people(paginator: PeoplePaginator, limit: int = 10, offset: int = 0) -> OffsetPagination[Person]:
    return await paginator(limit=limit, offset=offset)


NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Dennis", "Ken", "Radia"]


# After `db.lifespan` has created the table: add the people when it is empty, so that /people has pages to show.
@asynccontextmanager
async def seed_people(app: Any) -> AsyncIterator[None]:
    async with db.session_maker() as session, session.begin():
        if await session.scalar(select(Person.id).limit(1)) is None:
            session.add_all([Person(id=number, name=name) for number, name in enumerate(NAMES, start=1)])
    yield


app = Outpour(
    route_handlers=[list_people],
    dependencies=db.dependencies,
    lifespan=[db.lifespan, seed_people],
    openapi_config=OpenAPIConfig(title="People", version="1.0.0"),
)
