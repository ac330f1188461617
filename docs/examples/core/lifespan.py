from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from outpour import Outpour, get
from outpour.datastructures import State


@asynccontextmanager
async def database(app: Outpour) -> AsyncIterator[None]:
    app.state.db = {"users": 3}
    yield
    app.state.db = None


async def announce(app: Outpour) -> None:
    app.state.ready = True


@get("/users/count")
async def count_users(state: State) -> dict[str, object]:
    return {"users": state.db["users"], "ready": state.ready}


app = Outpour(route_handlers=[count_users], lifespan=[database], on_startup=[announce])
