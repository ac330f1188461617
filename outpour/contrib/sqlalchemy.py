"""SQLAlchemy 2 (async) support: a session dependency and an offset paginator over a ``select()``.

Needs ``pip install 'outpour[sqlalchemy]'`` (SQLAlchemy with asyncio support and aiosqlite); add a driver such as
asyncpg for PostgreSQL.

::

    db = SQLAlchemyAsyncConfig("sqlite+aiosqlite:///app.db", metadata=Base.metadata)

    class PeoplePaginator(SQLAlchemyAsyncOffsetPaginator[Person]):
        statement = select(Person).order_by(Person.id)

    @get("/people", dependencies={"paginator": Provide(PeoplePaginator)})
    async def people(paginator: PeoplePaginator, limit: int = 10, offset: int = 0) -> OffsetPagination[Person]:
        return await paginator(limit=limit, offset=offset)

    app = Outpour([people], dependencies=db.dependencies, lifespan=[db.lifespan])
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException
from outpour.pagination import AbstractAsyncOffsetPaginator

try:
    from sqlalchemy import Select, func, select
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("sqlalchemy", install_package="'sqlalchemy[asyncio]'", extra="sqlalchemy") from exc

if TYPE_CHECKING:
    from sqlalchemy import MetaData

__all__ = ["SQLAlchemyAsyncConfig", "SQLAlchemyAsyncOffsetPaginator"]

T = TypeVar("T")


class SQLAlchemyAsyncConfig:
    """An async engine, its session factory and the dependency that gives each request a session.

    Args:
        connection_string: A database URL such as ``sqlite+aiosqlite:///app.db`` or
            ``postgresql+asyncpg://user@host/db``; not needed when ``engine_instance`` is given.
        engine_instance: An ``AsyncEngine`` to use instead of creating one.
        session_dependency_key: The dependency name handlers and providers take the session by.
        engine_config: Keyword arguments of ``create_async_engine``.
        session_config: Keyword arguments of ``async_sessionmaker`` (``expire_on_commit=False`` by default).
        metadata: Tables created (if missing) when the app starts, through ``lifespan``.

    Raises:
        ImproperlyConfiguredException: Neither or both of ``connection_string`` and ``engine_instance`` were given.
    """

    def __init__(
        self,
        connection_string: str | None = None,
        *,
        engine_instance: AsyncEngine | None = None,
        session_dependency_key: str = "db_session",
        engine_config: Mapping[str, Any] | None = None,
        session_config: Mapping[str, Any] | None = None,
        metadata: MetaData | None = None,
    ) -> None:
        if (connection_string is None) == (engine_instance is None):
            raise ImproperlyConfiguredException(
                "`SQLAlchemyAsyncConfig` takes a `connection_string` or an `engine_instance` (exactly one)."
            )
        self.connection_string = connection_string
        self.session_dependency_key = session_dependency_key
        self.engine_config = dict(engine_config or {})
        self.session_config = {"expire_on_commit": False, **(session_config or {})}
        self.metadata = metadata
        self._engine = engine_instance
        self._session_maker: async_sessionmaker[AsyncSession] | None = None

    @property
    def engine(self) -> AsyncEngine:
        """The engine, created on first use."""
        if self._engine is None:
            self._engine = create_async_engine(str(self.connection_string), **self.engine_config)
        return self._engine

    @property
    def session_maker(self) -> async_sessionmaker[AsyncSession]:
        """The session factory, created on first use."""
        if self._session_maker is None:
            self._session_maker = async_sessionmaker(self.engine, **self.session_config)
        return self._session_maker

    async def provide_session(self) -> AsyncIterator[AsyncSession]:
        """Yield a session for one request and close it afterwards (a generator dependency).

        Yields:
            The session.
        """
        async with self.session_maker() as session:
            yield session

    @property
    def dependencies(self) -> dict[str, Provide]:
        """``{session_dependency_key: Provide(provide_session)}``, for ``dependencies=`` of any layer."""
        return {self.session_dependency_key: Provide(self.provide_session)}

    async def create_all(self) -> None:
        """Create the tables of ``metadata`` that do not exist yet."""
        if self.metadata is not None:
            metadata = self.metadata
            async with self.engine.begin() as connection:
                await connection.run_sync(metadata.create_all)

    @asynccontextmanager
    async def lifespan(self, app: Any = None) -> AsyncIterator[None]:
        """Create the tables at start-up and dispose of the engine's connections at shutdown.

        Args:
            app: The application (unused).

        Yields:
            Nothing; the app runs meanwhile.
        """
        await self.create_all()
        try:
            yield
        finally:
            if self._engine is not None:
                await self._engine.dispose()


class SQLAlchemyAsyncOffsetPaginator(AbstractAsyncOffsetPaginator[T]):
    """Limit/offset pages of a SQLAlchemy ``select()``, counted with ``SELECT count(*)`` over the same statement.

    Subclass it and set ``statement`` (give it an ``ORDER BY``: pages of an unordered query are not stable), then
    inject it with ``Provide(YourPaginator)``; its constructor takes the request's session as ``db_session``.
    Override ``transform`` to turn each row into the item type, and ``scalars = False`` to receive whole rows.

    Args:
        db_session: The request's ``AsyncSession``.

    Raises:
        ImproperlyConfiguredException: The class sets no ``statement``.
    """

    statement: ClassVar[Select[*tuple[Any, ...]] | None] = None
    scalars: ClassVar[bool] = True

    def __init__(self, db_session: AsyncSession) -> None:
        if self.statement is None:
            raise ImproperlyConfiguredException(
                f"`{type(self).__name__}` has no `statement`: set `statement = select(Model).order_by(...)` on the class."
            )
        self.session = db_session

    def get_statement(self) -> Select[*tuple[Any, ...]]:
        """Return the statement to paginate; override it to build one per request.

        Returns:
            The ``select()``.
        """
        return self.statement  # type: ignore[return-value]

    def transform(self, row: Any) -> T:
        """Turn one result (a scalar, or a row when ``scalars`` is False) into an item; returns it unchanged.

        Args:
            row: The result.

        Returns:
            The item.
        """
        return row  # type: ignore[no-any-return]

    async def get_total(self) -> int:
        """Count the rows of the statement.

        Returns:
            The number of rows.
        """
        subquery = self.get_statement().order_by(None).subquery()
        total = await self.session.scalar(select(func.count()).select_from(subquery))
        return int(total or 0)

    async def get_items(self, limit: int, offset: int) -> list[T]:
        """Fetch at most ``limit`` rows after skipping ``offset``.

        Args:
            limit: The most rows to fetch.
            offset: The number of rows to skip.

        Returns:
            The transformed rows.
        """
        result = await self.session.execute(self.get_statement().limit(limit).offset(offset))
        rows: Any = result.scalars().all() if self.scalars else result.all()
        transform: Callable[[Any], T] = self.transform
        return [transform(row) for row in rows]
