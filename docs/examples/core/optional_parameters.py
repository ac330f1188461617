"""`T | None` does not make a parameter optional (as in Litestar 3.0): a default does."""

from outpour import Outpour, get


@get("/required")
async def required(page: int | None) -> dict[str, int | None]:
    return {"page": page}  # GET /required is a 400: `page` is missing; GET /required?page=2 gives 2


@get("/optional")
async def optional(page: int | None = None) -> dict[str, int | None]:
    return {"page": page}  # GET /optional gives None


app = Outpour(route_handlers=[required, optional])
