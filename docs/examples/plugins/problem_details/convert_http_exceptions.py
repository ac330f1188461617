"""``enable_for_all_http_exceptions``: every ``HTTPException`` is answered with a problem document."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.exceptions import NotFoundException
from outpour.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin

ITEMS = {1: "kettle"}


@get("/items/{item_id:int}")
async def get_item(item_id: int) -> dict[str, str]:
    if item_id not in ITEMS:
        raise NotFoundException(detail="No item with the given ID was found", extra={"item_id": item_id})
    return {"name": ITEMS[item_id]}


app = Outpour(
    [get_item],
    plugins=[ProblemDetailsPlugin(ProblemDetailsConfig(enable_for_all_http_exceptions=True))],
)
