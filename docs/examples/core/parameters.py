from typing import Annotated

from outpour import Outpour, get
from outpour.params import CookieParameter, FromHeader, FromQuery, QueryParameter


@get("/search")
async def search(
    q: FromQuery[str],
    tags: FromQuery[list[str]],
    page: Annotated[int, QueryParameter(ge=1)] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize", ge=1, le=100)] = 20,
    user_agent: FromHeader[str | None] = None,
    token: Annotated[str | None, CookieParameter(name="session")] = None,
) -> dict[str, object]:
    return {"q": q, "tags": tags, "page": page, "page_size": page_size, "agent": user_agent, "token": token}


app = Outpour(route_handlers=[search])
