from typing import Annotated

from outpour import Outpour, get
from outpour.params import FromHeader, Parameter


@get("/search")
async def search(
    q: str,
    tags: list[str],
    page: Annotated[int, Parameter(ge=1)] = 1,
    page_size: int = Parameter(query="pageSize", default=20, ge=1, le=100),
    user_agent: FromHeader[str | None] = None,
    token: str | None = Parameter(cookie="session", default=None),
) -> dict[str, object]:
    return {"q": q, "tags": tags, "page": page, "page_size": page_size, "agent": user_agent, "token": token}


app = Outpour(route_handlers=[search])
