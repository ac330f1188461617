"""Layered parameters: declared once on a layer, validated for every handler below it."""

from __future__ import annotations

from typing import Any, ClassVar

from outpour import Controller, Outpour, Router, get
from outpour.params import HeaderParameter, QueryParameter


class ReportController(Controller):
    path = "/reports"
    # Every handler of this controller needs a `page` query parameter of at least 1.
    parameters: ClassVar[dict[str, Any]] = {"page": QueryParameter(annotation=int, ge=1)}

    @get("/{year:int}")
    async def report(self, year: int, page: int, tenant: str) -> dict[str, object]:
        # `tenant` comes from the app's layer: the `X-Tenant` header.
        return {"year": year, "page": page, "tenant": tenant}

    @get("/count")
    async def count(self) -> dict[str, int]:
        # This handler does not read `page` or `X-Api-Version`, but both are still required and checked.
        return {"count": 3}


api = Router(
    path="/api",
    route_handlers=[ReportController],
    parameters={"version": HeaderParameter(annotation=str, name="X-Api-Version")},
)

app = Outpour(route_handlers=[api], parameters={"tenant": HeaderParameter(annotation=str, name="X-Tenant")})
