from collections.abc import AsyncGenerator

from outpour import Controller, Outpour, get
from outpour.di import NamedDependency, Provide

LOG: list[str] = []


class Connection:
    def __init__(self) -> None:
        self.open = True


async def provide_connection() -> AsyncGenerator[Connection, None]:
    connection = Connection()
    LOG.append("opened")
    try:
        yield connection
    finally:
        connection.open = False
        LOG.append("closed")


def provide_limit(limit: int = 10) -> int:
    return min(limit, 100)


class ItemController(Controller):
    path = "/items"
    dependencies = {"limit": Provide(provide_limit)}  # noqa: RUF012

    @get()
    async def list_items(
        self, connection: NamedDependency[Connection], limit: NamedDependency[int]
    ) -> dict[str, object]:
        return {"open": connection.open, "limit": limit}


app = Outpour(route_handlers=[ItemController], dependencies={"connection": Provide(provide_connection)})
