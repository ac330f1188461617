"""The SQLAlchemy 2 async offset paginator, injected through ``dependencies``: on SQLite (aiosqlite) and on a real
PostgreSQL (asyncpg): the machine's server on 127.0.0.1:5432, or one started for the session (``tests/_services.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from docs.examples.pagination import using_offset_pagination_with_sqlalchemy as example
from outpour import Outpour, get
from outpour.contrib.sqlalchemy import SQLAlchemyAsyncConfig, SQLAlchemyAsyncOffsetPaginator
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.pagination import OffsetPagination
from outpour.testing import TestClient
from tests import _services as services

PEOPLE = 23


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the session (see ``tests/_services.py``)."""
    with services.postgres_url() as url:
        yield url


@pytest.fixture(params=[pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql")])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'people.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


def make_app(url: str, *handlers: Any) -> Outpour:
    db = SQLAlchemyAsyncConfig(url)

    async def seed() -> None:
        async with db.engine.begin() as connection:
            await connection.run_sync(example.Base.metadata.drop_all)
            await connection.run_sync(example.Base.metadata.create_all)
        async with db.session_maker() as session:
            session.add_all([example.Person(id=n, name=f"Person {n}") for n in range(1, PEOPLE + 1)])
            await session.commit()

    return Outpour(
        list(handlers or [example.list_people]), dependencies=db.dependencies, lifespan=[db.lifespan], on_startup=[seed]
    )


@pytest.mark.parametrize(
    ("query", "ids", "meta"),
    [
        pytest.param("", list(range(1, 11)), {"limit": 10, "offset": 0}, id="defaults"),
        pytest.param("?limit=3&offset=5", [6, 7, 8], {"limit": 3, "offset": 5}, id="middle"),
        pytest.param("?limit=10&offset=20", [21, 22, 23], {"limit": 10, "offset": 20}, id="last"),
        pytest.param("?limit=5&offset=100", [], {"limit": 5, "offset": 100}, id="past-the-end"),
        pytest.param("?limit=0", [], {"limit": 0, "offset": 0}, id="zero"),
    ],
)
def test_pages_of_the_people_table(database_url: str, query: str, ids: list[int], meta: dict[str, int]) -> None:
    with TestClient(make_app(database_url)) as client:
        response = client.get(f"/people{query}")
    body = response.json()
    assert response.status_code == 200
    assert [p["id"] for p in body.pop("items")] == ids
    assert body == {**meta, "total": PEOPLE}


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("?limit=-1", id="negative"),
        pytest.param("?offset=x", id="text"),
        pytest.param(f"?offset={2**63}", id="offset-beyond-64-bits"),
        pytest.param(f"?limit={10**30}", id="limit-beyond-64-bits"),
    ],
)
def test_bad_parameters_are_a_400(database_url: str, query: str) -> None:
    with TestClient(make_app(database_url)) as client:
        assert client.get(f"/people{query}").status_code == 400


class NamesPaginator(SQLAlchemyAsyncOffsetPaginator[str]):
    statement = select(example.Person.id, example.Person.name).where(example.Person.id > 20).order_by(example.Person.id)
    scalars = False

    def transform(self, row: Any) -> str:
        return f"{row.id}:{row.name}"


@get("/names", dependencies={"paginator": Provide(NamesPaginator)})
async def names(paginator: NamesPaginator, limit: int = 2, offset: int = 0) -> OffsetPagination[str]:
    return await paginator(limit=limit, offset=offset)


def test_rows_are_transformed_and_counted_with_the_filter(database_url: str) -> None:
    with TestClient(make_app(database_url, names)) as client:
        body = client.get("/names").json()
    assert body == {"items": ["21:Person 21", "22:Person 22"], "limit": 2, "offset": 0, "total": 3}


def test_a_paginator_without_a_statement_says_so() -> None:
    class Bare(SQLAlchemyAsyncOffsetPaginator[int]):
        pass

    with pytest.raises(ImproperlyConfiguredException, match="has no `statement`"):
        Bare(db_session=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({}, id="neither"),
        pytest.param({"connection_string": "sqlite+aiosqlite://", "engine_instance": object()}, id="both"),
    ],
)
def test_config_needs_one_engine_source(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="exactly one"):
        SQLAlchemyAsyncConfig(**kwargs)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])
async def test_config_with_an_engine_instance_creates_tables(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite'}")
    db = SQLAlchemyAsyncConfig(engine_instance=engine, metadata=example.Base.metadata, session_dependency_key="s")
    assert db.engine is engine
    assert list(db.dependencies) == ["s"]
    async with db.lifespan():
        sessions = db.provide_session()
        session = await sessions.__anext__()
        assert await session.scalar(select(example.Person).limit(1)) is None
        await sessions.aclose()  # type: ignore[attr-defined]
